package status

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/load"
)

// The world is everything a controller could look up: the objects of the
// tree, decoded once, merged with the declared ones. Lookups answer
// "present (with the object, or nil when only declared)" or "absent"; what
// absence means is decided where the lookup is made.

type nsName struct{ ns, name string }

func (n nsName) String() string { return n.ns + "/" + n.name }

type gateway struct {
	key       nsName
	obj       *load.Object // nil for a declared Gateway
	class     string
	listeners []*listener // in spec order, then those of attached ListenerSets
	// annotations tell whether cert-manager's gateway-shim issues the
	// listeners' certificates (see certsource.go).
	annotations map[string]string
	allowed     *gwv1.AllowedListeners
}

type route struct {
	obj     *load.Object
	kind    string
	key     nsName
	created metav1.Time
	spec    routeSpec
}

// routeSpec holds what every route kind shares (CommonRouteSpec, hostnames,
// rules with backendRefs); fields of one kind only are not needed.
type routeSpec struct {
	ParentRefs []gwv1.ParentReference `json:"parentRefs"`
	Hostnames  []gwv1.Hostname        `json:"hostnames"`
	Rules      []routeRule            `json:"rules"`
}

type routeRule struct {
	BackendRefs []gwv1.BackendRef `json:"backendRefs"`
	Filters     []json.RawMessage `json:"filters"`
}

type secret struct {
	obj        *load.Object
	Type       string            `json:"type"`
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"`
}

type grant struct {
	ns   string
	spec gwv1.ReferenceGrantSpec
}

type world struct {
	gateways     map[nsName]*gateway
	classes      map[string]bool
	namespaces   map[string]nsLabels
	services     map[nsName]*corev1.Service // nil value: declared
	serviceNS    map[string]bool            // namespace/* declared
	secrets      map[nsName]*secret         // nil value: declared
	secretNS     map[string]bool
	grants       []grant
	features     featureSet
	routes       []*route
	listenerSets map[nsName]*listenerSet
	// issued are the Secrets cert-manager makes, and from what (see
	// certsource.go).
	issued map[nsName]string

	errors   []string
	warnings []Warning
	seen     map[string]*load.Object // kind/namespace/name → first definition
}

func newWorld(d Declared) *world {
	return &world{
		gateways:     map[nsName]*gateway{},
		classes:      map[string]bool{},
		namespaces:   map[string]nsLabels{},
		services:     map[nsName]*corev1.Service{},
		serviceNS:    map[string]bool{},
		secrets:      map[nsName]*secret{},
		secretNS:     map[string]bool{},
		features:     newFeatureSet(d.Features),
		seen:         map[string]*load.Object{},
		issued:       map[nsName]string{},
		listenerSets: map[nsName]*listenerSet{},
	}
}

// index reads the tree and then the declarations; an object in both is
// taken from the tree, which is what would be applied.
func index(objs []*load.Object, d Declared) *world {
	w := newWorld(d)
	for _, o := range objs {
		w.add(o)
	}
	w.addDeclared(d)
	return w
}

// unique reports whether obj is the first of its kind, namespace and name,
// and records an error naming both files otherwise: applying the tree would
// keep only one of them, so checking either would be a guess.
func (w *world) unique(obj *load.Object, kind string, key nsName) bool {
	id := kind + " " + key.String()
	if first, ok := w.seen[id]; ok {
		w.errors = append(w.errors, fmt.Sprintf("%s: defined twice, also at %s; the second is not checked", obj.Ref(), first.Source))
		return false
	}
	w.seen[id] = obj
	return true
}

func (w *world) fail(err error) { w.errors = append(w.errors, err.Error()) }

func (w *world) add(o *load.Object) {
	group, kind := groupOf(o.APIVersion()), o.Kind()
	key := nsName{namespaceOf(o), o.Name()}
	if w.addIssued(o, group, kind, key) {
		return
	}
	switch {
	case group == gatewayGroup && kind == kindGateway:
		var gw gwv1.Gateway
		if err := decode(o, &gw); err != nil {
			w.fail(err)
			return
		}
		if !w.unique(o, kind, key) {
			return
		}
		g := &gateway{key: key, obj: o, class: string(gw.Spec.GatewayClassName), annotations: gw.Annotations, allowed: gw.Spec.AllowedListeners}
		for _, l := range gw.Spec.Listeners {
			g.listeners = append(g.listeners, &listener{spec: l})
		}
		w.gateways[key] = g
	case group == gatewayGroup && kind == kindGatewayClass:
		w.classes[o.Name()] = true
	case group == gatewayGroup && routeKinds[kind]:
		var v struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
			Spec     routeSpec         `json:"spec"`
		}
		if err := decode(o, &v); err != nil {
			w.fail(err)
			return
		}
		if !w.unique(o, kind, key) {
			return
		}
		w.routes = append(w.routes, &route{obj: o, kind: kind, key: key, created: v.Metadata.CreationTimestamp, spec: v.Spec})
	case group == gatewayGroup && kind == kindReferenceGrant:
		var rg gwv1.ReferenceGrant
		if err := decode(o, &rg); err != nil {
			w.fail(err)
			return
		}
		if w.unique(o, kind, key) {
			w.grants = append(w.grants, grant{ns: key.ns, spec: rg.Spec})
		}
	case group == gatewayGroup && kind == kindListenerSet:
		w.addListenerSet(o, key)
	case group == coreGroup && kind == kindService:
		var svc corev1.Service
		if err := decode(o, &svc); err != nil {
			w.fail(err)
			return
		}
		if w.unique(o, kind, key) {
			w.services[key] = &svc
		}
	case group == coreGroup && kind == kindSecret:
		s := &secret{obj: o}
		if err := decode(o, s); err != nil {
			w.fail(err)
			return
		}
		if w.unique(o, kind, key) {
			w.secrets[key] = s
		}
	case group == coreGroup && kind == kindNamespace:
		var v struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
		}
		if err := decode(o, &v); err != nil {
			w.fail(err)
			return
		}
		// Namespaces are cluster-scoped: the key is the name alone.
		if w.unique(o, kind, nsName{name: o.Name()}) {
			w.namespaces[o.Name()] = nsLabels{name: o.Name(), labels: v.Metadata.Labels, known: true}
		}
	}
}

func (w *world) addDeclared(d Declared) {
	for _, c := range d.GatewayClasses {
		w.classes[c] = true
	}
	for _, dg := range d.Gateways {
		key := nsName{dg.Namespace, dg.Name}
		if _, ok := w.gateways[key]; ok {
			continue
		}
		g := &gateway{key: key, class: dg.GatewayClassName, allowed: dg.AllowedListeners}
		for _, l := range dg.Listeners {
			g.listeners = append(g.listeners, &listener{spec: l})
		}
		w.gateways[key] = g
	}
	for _, n := range d.Namespaces {
		if _, ok := w.namespaces[n.Name]; !ok {
			w.namespaces[n.Name] = nsLabels{name: n.Name, labels: n.Labels, known: true}
		}
	}
	// validate has checked the namespace/name form.
	for _, r := range d.Services {
		ns, name, _ := splitRef(r)
		if name == "*" {
			w.serviceNS[ns] = true
		} else if _, ok := w.services[nsName{ns, name}]; !ok {
			w.services[nsName{ns, name}] = nil
		}
	}
	for _, r := range d.Secrets {
		ns, name, _ := splitRef(r)
		if name == "*" {
			w.secretNS[ns] = true
		} else if _, ok := w.secrets[nsName{ns, name}]; !ok {
			w.secrets[nsName{ns, name}] = nil
		}
	}
	for _, g := range d.ReferenceGrants {
		w.grants = append(w.grants, grant{ns: g.Namespace, spec: g.Spec})
	}
}

// namespace returns what is known of a namespace's labels.
func (w *world) namespace(name string) nsLabels {
	if n, ok := w.namespaces[name]; ok {
		return n
	}
	return nsLabels{name: name}
}

// service looks a Service up: found, and the object when it is in the tree.
func (w *world) service(key nsName) (*corev1.Service, bool) {
	if s, ok := w.services[key]; ok {
		return s, true
	}
	return nil, w.serviceNS[key.ns]
}

// secret looks a Secret up the same way.
func (w *world) secret(key nsName) (*secret, bool) {
	if s, ok := w.secrets[key]; ok {
		return s, true
	}
	return nil, w.secretNS[key.ns]
}

func warnAt(o *load.Object, field, msg string) Warning {
	key := nsName{namespaceOf(o), o.Name()}
	return Warning{Object: o.Kind() + " " + key.String(), Source: o.Source.String(), Field: field, Message: msg}
}
