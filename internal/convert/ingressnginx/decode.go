package ingressnginx

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	netv1 "k8s.io/api/networking/v1"
	sigsjson "sigs.k8s.io/json"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
)

// decodeStrict turns an object's node into a typed value the way the API
// server would read it: labels and annotations are strings
// (load.CheckMetadata), scalars are read as YAML 1.1 (load.JSON), and
// unknown fields and wrong types are errors, named by their field path,
// rather than silently dropped.
func decodeStrict(obj *load.Object, into any) error {
	if err := load.CheckMetadata(obj.Node); err != nil {
		return err
	}
	data, err := load.JSON(obj.Node)
	if err != nil {
		return err
	}
	// The API server's reader: field names are case-sensitive (encoding/json
	// would take "Rules" for "rules"), unknown and duplicate fields fail.
	strict, err := sigsjson.UnmarshalStrict(data, into)
	if err != nil {
		return cleanJSONError(err)
	}
	// Every unknown or duplicate field, so that one run names them all.
	var errs []string
	for _, e := range strict {
		errs = append(errs, cleanJSONError(e).Error())
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// cleanJSONError rewords encoding/json's messages, which speak of Go types,
// into the field paths a manifest author knows.
func cleanJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Errorf("got %s, want %s", jsonTypeName(te.Value), jsonTypeName(te.Type.Kind().String()))
		}
		return fmt.Errorf("%s: got %s, want %s", te.Field, jsonTypeName(te.Value), jsonTypeName(te.Type.Kind().String()))
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(msg, "json: unknown field "))
	}
	return fmt.Errorf("%s", strings.TrimPrefix(msg, "json: "))
}

func jsonTypeName(kind string) string {
	switch kind {
	case "slice", "array":
		return "a list"
	case "struct", "map", "object":
		return "a map"
	case "int32", "int64", "int":
		return "an integer"
	case "number":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	}
	return kind
}

func decodeIngress(obj *load.Object) (*netv1.Ingress, error) {
	if oldAPIVersions[obj.APIVersion()] {
		return decodeOld(obj)
	}
	if load.CheckMetadata(obj.Node) == nil {
		if ing, ok := decodeCommon(obj.Node); ok {
			return ing, nil
		}
	}
	var ing netv1.Ingress
	if err := decodeStrict(obj, &ing); err != nil {
		return nil, err
	}
	return &ing, nil
}

// decodeServicePorts reads a Service's spec.ports strictly, the only part
// of a Service the controller's model needs (to resolve named ports). The
// rest of the Service passes through untouched; decoding all of every
// Service cost a tenth of a large run.
func decodeServicePorts(obj *load.Object) ([]corev1.ServicePort, error) {
	n := load.Lookup(obj.Node, "spec", "ports")
	if n == nil {
		return nil, nil
	}
	data, err := load.JSON(n)
	if err != nil {
		return nil, fmt.Errorf("spec.ports: %w", err)
	}
	var ports []corev1.ServicePort
	strict, err := sigsjson.UnmarshalStrict(data, &ports)
	if err == nil && len(strict) > 0 {
		err = strict[0]
	}
	if err != nil {
		return nil, fmt.Errorf("spec.ports: %w", cleanJSONError(err))
	}
	return ports, nil
}

// decoded is what decodeAll made of one object: a v1 Ingress's spec or a
// v1 Service's ports, or why it could not be read.
type decoded struct {
	spec  *netv1.Ingress
	ports []corev1.ServicePort
	err   error
}

// decodeAll decodes every Ingress (v1, or v1beta1 converted to v1) and the ports of
// every v1 Service of objs on all cores: decoding is most of building the
// model and each object decodes on its own; what the controller makes of
// them stays sequential.
func decodeAll(objs []*load.Object) map[*load.Object]decoded {
	var todo []*load.Object
	for _, o := range objs {
		if decodes(o) {
			todo = append(todo, o)
		}
	}
	results := make([]decoded, len(todo))
	parallel.For(len(todo), func(i int) {
		if m, ok := todo[i].Memo().(*predecoded); ok {
			results[i] = m.decoded
			return
		}
		results[i] = decodeOne(todo[i])
	})
	out := make(map[*load.Object]decoded, len(todo))
	for i, o := range todo {
		out[o] = results[i]
	}
	return out
}

// decodes says whether Build decodes o: a v1 (or older) Ingress or a v1
// Service.
func decodes(o *load.Object) bool {
	return o.Kind() == "Ingress" && (o.APIVersion() == apiV1 || oldAPIVersions[o.APIVersion()]) || o.Kind() == "Service" && o.APIVersion() == "v1"
}

func decodeOne(o *load.Object) decoded {
	var d decoded
	if o.Kind() == "Service" {
		d.ports, d.err = decodeServicePorts(o)
	} else {
		d.spec, d.err = decodeIngress(o)
	}
	return d
}

// predecoded is what Predecode attaches to an object: everything Build
// reads from its tree.
type predecoded struct {
	decoded
	// className is spec.ingressClassName as the tree has it, which
	// readIngress reads before (and whatever) decoding says.
	className string
}

// Predecode reads, from an object's tree, everything Build would read
// there besides its metadata, and attaches it to the object
// (load.Object.SetMemo); it reports whether it did. The caller may then
// drop the tree (load.Object.Thin) long before Build runs: function mode
// does it as each run of items is parsed, so a large input's trees are
// never all held at once. Build's result is the same as without it. Safe
// for concurrent use on different objects.
func Predecode(o *load.Object) bool {
	if !decodes(o) {
		return false
	}
	o.SetMemo(&predecoded{decoded: decodeOne(o), className: o.Field("spec", "ingressClassName")})
	return true
}

// specClassName is spec.ingressClassName from o's tree, or from what
// Predecode read of it.
func specClassName(o *load.Object) string {
	if m, ok := o.Memo().(*predecoded); ok {
		return m.className
	}
	return o.Field("spec", "ingressClassName")
}
