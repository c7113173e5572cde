package carryover

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// Input is what the carry-over reads: the converted Ingresses, what the
// conversion generated for them, and every other object of the input
// (Issuers, Rollouts, Canaries name the Ingresses or their classes).
type Input struct {
	// Converted are the Ingresses the conversion turned into routes (served,
	// not failed, canaries included), in input order.
	Converted []*ingressnginx.Ingress
	// Generated are the Gateway API objects of the run, Gateways included.
	Generated []*gatewayapi.Object
	// Objects is the whole input.
	Objects []*load.Object
	Targets []*gatewayapi.Target
	// Remove is spec.ingress: remove: what the Ingresses did for other
	// controllers must then be in the output, or the Ingress stays.
	Remove bool
	// IngressClasses and IncludeUnclassed say which Ingresses ingress-nginx
	// served: an ACME solver that creates such Ingresses must move.
	IngressClasses   []string
	IncludeUnclassed bool
	// ExternalDNSPrefix is the annotation prefix to write ExternalDNS
	// annotations under; "" keeps the prefix each Ingress uses.
	ExternalDNSPrefix string
	// AnnotationsPrefix is ingress-nginx's --annotations-prefix, to tell
	// its keys from other tools'.
	AnnotationsPrefix string
	// Errors are the objects with an error result so far: with remove such
	// an Ingress is kept, and what steers it must keep steering it.
	Errors map[*load.Object]bool
}

// Output is what the carry-over adds to the conversion.
type Output struct {
	// Objects are new objects (cert-manager Certificates), each placed
	// after its source Ingress like the routes.
	Objects []*gatewayapi.Object
	// Replace maps input objects to their rewritten form (Issuers with a
	// Gateway API solver, Rollouts and Canaries steering routes).
	Replace map[*load.Object]*load.Object
	// Annotate are annotations to add to generated objects.
	Annotate map[*gatewayapi.Object]map[string]string
	// Drop are generated objects to leave out: routes that a progressive
	// delivery controller generates and owns itself (Flagger).
	Drop     []*gatewayapi.Object
	Findings finding.List
}

// Run carries over what points at the converted Ingresses. Fates of the
// foreign annotations it reads are noted on each Ingress (Ingress.Note
// with the full key), so the accounting names them.
func Run(in Input) Output {
	errs := map[*load.Object]bool{}
	for o := range in.Errors {
		errs[o] = true
	}
	in.Errors = errs
	c := &run{in: in, out: Output{Replace: map[*load.Object]*load.Object{}, Annotate: map[*gatewayapi.Object]map[string]string{}}}
	c.index()
	c.certManager()
	c.issuers()
	c.externalDNS()
	c.rollouts()
	c.foreign()
	return c.out
}

type run struct {
	in  Input
	out Output
	// routes are the generated routes of each Ingress, in generation order.
	routes map[*ingressnginx.Ingress][]*gatewayapi.Object
	// gateways are the created Gateways by namespace/name.
	gateways map[string]*gatewayapi.Object
	// certs are the generated Certificates by namespace/name.
	certs map[string]*certificate
	// issuerUsers are, per issuer (kind/namespace/name), the Ingresses whose
	// certificates it signs, in input order.
	issuerUsers map[string][]*ingressnginx.Ingress
	issuerOrder []string
	// bySecret indexes the created Gateways' listeners by Secret (see
	// secretListeners).
	bySecret map[string][]secretListener
}

func (c *run) index() {
	c.routes = map[*ingressnginx.Ingress][]*gatewayapi.Object{}
	c.gateways = map[string]*gatewayapi.Object{}
	c.certs = map[string]*certificate{}
	c.issuerUsers = map[string][]*ingressnginx.Ingress{}
	for _, g := range c.in.Generated {
		switch g.Kind {
		case "HTTPRoute", "GRPCRoute", "TLSRoute":
			c.routes[g.Source] = append(c.routes[g.Source], g)
		case "Gateway":
			c.gateways[g.Namespace+"/"+g.Name] = g
		}
	}
}

// severity of a finding about something the output does not carry: with
// the Ingress kept it still works today and the warning is for the
// cutover; with remove the Ingress is kept and the run fails.
func (c *run) notCarried() finding.Severity {
	if c.in.Remove {
		return finding.Error
	}
	return finding.Warning
}

// notCarriedf reports on an Ingress what the output does not carry; with
// remove the error keeps the Ingress (fn removes none with an error).
func (c *run) notCarriedf(obj *load.Object, field, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.in.Remove {
		msg += "; the Ingress is kept (spec.ingress: remove) until the output carries it"
		c.in.Errors[obj] = true
	}
	c.out.Findings.Add(c.notCarried(), obj, field, "%s", msg)
}

// annotate adds annotations to a generated object.
func (c *run) annotate(g *gatewayapi.Object, kv map[string]string) {
	if len(kv) == 0 {
		return
	}
	if c.out.Annotate[g] == nil {
		c.out.Annotate[g] = map[string]string{}
	}
	for k, v := range kv {
		c.out.Annotate[g][k] = v
	}
}

// decode reads an input object whole as JSON-shaped values.
func decode(o *load.Object) (map[string]any, error) {
	tree, err := o.Tree()
	if err != nil {
		return nil, err
	}
	data, err := load.JSON(tree)
	if err != nil {
		return nil, err
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// replace records the rewritten form of an input object, kept in its
// place (file, index) in the output.
func (c *run) replace(o *load.Object, v map[string]any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	n, err := load.NewObjectFromJSON(data, o.Source)
	if err != nil {
		return fmt.Errorf("%s: %w", o.Ref(), err)
	}
	c.out.Replace[o] = n
	return nil
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// path walks JSON-shaped values by keys.
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
