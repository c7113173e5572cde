package status

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/load"
)

// ListenerSets (gateway.networking.k8s.io/v1, standard since Gateway API
// v1.5; sigs.k8s.io/gateway-api v1.6.3 apis/v1/listenerset_types.go) add
// listeners to a parent Gateway. The check follows ListenerSetSpec:
//
//   - a ListenerSet attaches when its parentRef names a Gateway whose
//     allowedListeners admit its namespace (AllowedListeners: "The default
//     value is to allow no ListenerSets"; From Same, All, Selector, None);
//     otherwise Accepted is False with NotAllowed.
//   - "Implementations MUST treat the parent Gateway as having the merged
//     list of all listeners from itself and attached ListenerSets using the
//     following precedence: 1. parent Gateway 2. ListenerSet ordered by
//     creation time (oldest first) 3. ListenerSet ordered alphabetically by
//     {namespace}/{name}": the listeners are appended to the Gateway's in
//     that order, so conflicts are decided on the merged list and the later
//     listener of a conflicting pair is the one Conflicted.
//   - routes reach a ListenerSet's listeners through a parentRef of kind
//     ListenerSet (with sectionName naming the ListenerEntry); a parentRef
//     to the Gateway selects the Gateway's own listeners only (GEP-1713,
//     "Route Attachment").
//   - allowedRoutes from: Same means the ListenerSet's namespace, and its
//     certificates are looked up from there, a grant admitting kind
//     ListenerSet.

type listenerSet struct {
	key       nsName
	obj       *load.Object
	created   metav1.Time
	parent    nsName
	parentGK  string // group/kind of the parentRef when not a Gateway
	listeners []*listener
	gateway   *gateway // set when attached
	accepted  Condition
}

func (w *world) addListenerSet(o *load.Object, key nsName) {
	var ls gwv1.ListenerSet
	if err := decode(o, &ls); err != nil {
		w.fail(err)
		return
	}
	if !w.unique(o, kindListenerSet, key) {
		return
	}
	s := &listenerSet{key: key, obj: o, created: ls.CreationTimestamp, parent: nsName{key.ns, string(ls.Spec.ParentRef.Name)}}
	if ns := ls.Spec.ParentRef.Namespace; ns != nil && *ns != "" {
		s.parent.ns = string(*ns)
	}
	group, kind := gatewayGroup, kindGateway
	if ls.Spec.ParentRef.Group != nil {
		group = string(*ls.Spec.ParentRef.Group)
	}
	if ls.Spec.ParentRef.Kind != nil {
		kind = string(*ls.Spec.ParentRef.Kind)
	}
	if group != gatewayGroup || kind != kindGateway {
		s.parentGK = groupKind(group, kind)
	}
	for _, e := range ls.Spec.Listeners {
		s.listeners = append(s.listeners, &listener{set: s, spec: gwv1.Listener(e)})
	}
	w.listenerSets[key] = s
}

// attachListenerSets decides every ListenerSet's Accepted condition and
// appends the listeners of those accepted to their Gateway, in the
// spec's precedence order.
func (w *world) attachListenerSets() {
	sets := make([]*listenerSet, 0, len(w.listenerSets))
	for _, s := range w.listenerSets {
		sets = append(sets, s)
	}
	sort.Slice(sets, func(i, j int) bool {
		a, b := sets[i], sets[j]
		if !a.created.Equal(&b.created) {
			return a.created.Before(&b.created)
		}
		return lessKey(a.key, b.key)
	})
	for _, s := range sets {
		s.accepted = w.acceptListenerSet(s)
		if s.accepted.Status == True {
			s.gateway = w.gateways[s.parent]
			s.gateway.listeners = append(s.gateway.listeners, s.listeners...)
		}
	}
}

func (w *world) acceptListenerSet(s *listenerSet) Condition {
	notAllowed := string(gwv1.ListenerSetReasonNotAllowed)
	if s.parentGK != "" {
		return cond(condAccepted, False, notAllowed, fmt.Sprintf("parentRef is a %s, not a Gateway", s.parentGK))
	}
	g, ok := w.gateways[s.parent]
	if !ok {
		return unknown(condAccepted, fmt.Sprintf("Gateway %s is neither in the manifests nor declared", s.parent))
	}
	if g.obj == nil && g.allowed == nil {
		return unknown(condAccepted, fmt.Sprintf("Gateway %s is declared without allowedListeners; declare them to decide", s.parent))
	}
	from := gwv1.NamespacesFromNone
	var sel *metav1.LabelSelector
	if g.allowed != nil && g.allowed.Namespaces != nil {
		if g.allowed.Namespaces.From != nil {
			from = *g.allowed.Namespaces.From
		}
		sel = g.allowed.Namespaces.Selector
	}
	switch from {
	case gwv1.NamespacesFromAll:
	case gwv1.NamespacesFromSame:
		if s.key.ns != g.key.ns {
			return cond(condAccepted, False, notAllowed, fmt.Sprintf("Gateway %s allows ListenerSets from its own namespace only (allowedListeners from: Same)", g.key))
		}
	case gwv1.NamespacesFromSelector:
		switch t, why := selects(sel, w.namespace(s.key.ns)); t {
		case no:
			return cond(condAccepted, False, notAllowed, fmt.Sprintf("Gateway %s allowedListeners from: Selector: %s", g.key, why))
		case maybe:
			return unknown(condAccepted, fmt.Sprintf("Gateway %s allowedListeners from: Selector: %s", g.key, why))
		}
	default:
		return cond(condAccepted, False, notAllowed, fmt.Sprintf("Gateway %s allows no ListenerSets (allowedListeners from: %s, the default being None)", g.key, from))
	}
	return cond(condAccepted, True, string(gwv1.ListenerSetReasonAccepted), "")
}

// listenerSetsValid rejects an attached ListenerSet none of whose
// listeners is valid on the merged Gateway, as conformance tests
// ListenerSetHostnameConflict and ListenerSetProtocolConflict expect
// (Accepted False, ListenersNotValid); its listeners stay listed.
func (w *world) listenerSetsValid() {
	for _, s := range w.listenerSets {
		if s.gateway == nil {
			continue
		}
		// Not programmable: not accepted, conflicted, or without a
		// usable certificate (ListenerSetReferenceGrant expects
		// ListenersNotValid for a listener whose certificate is not
		// permitted).
		// A listener whose only fault is a Secret absent from the tree is
		// undecided: the suite asserts ListenersNotValid for a certificate
		// that is not permitted, not for one that is merely missing here
		// (routeshift's own output never holds the Secrets).
		var bad, undecided []string
		for _, l := range s.listeners {
			switch {
			case l.programmed.Status != False:
			case l.certAbsent && l.accepted.Status != False && l.conflicted.Status != True:
				undecided = append(undecided, l.name())
			default:
				bad = append(bad, l.name()+" ("+l.programmed.Message+")")
			}
		}
		switch {
		case len(bad) == len(s.listeners):
			s.accepted = cond(condAccepted, False, string(gwv1.ListenerSetReasonListenersNotValid), "no listener is valid: "+strings.Join(bad, ", "))
		case len(bad)+len(undecided) == len(s.listeners):
			s.accepted = unknown(condAccepted, "no listener is valid until its certificate Secret exists: "+strings.Join(undecided, ", "))
		}
	}
}

// attachedListenerSets follows GatewayStatus.AttachedListenerSets: the
// ListenerSets selected by allowedListeners, with a parentRef to g, and
// Accepted.
func (w *world) attachedListenerSets(g *gateway) int {
	n := 0
	for _, s := range w.listenerSets {
		if s.gateway == g && s.accepted.Status == True {
			n++
		}
	}
	return n
}

// owner is the namespace and kind whose allowedRoutes Same and
// certificate references a listener is read against.
func (l *listener) owner(g *gateway) (string, string) {
	if l.set != nil {
		return l.set.key.ns, kindListenerSet
	}
	return g.key.ns, kindGateway
}

// listenerSetResults reports every ListenerSet of the tree with its
// listeners' conditions, computed on the merged Gateway.
func (w *world) listenerSetResults() []ListenerSetResult {
	out := []ListenerSetResult{}
	for _, s := range w.listenerSets {
		r := ListenerSetResult{Namespace: s.key.ns, Name: s.key.name, Source: s.obj.Source.String(), Parent: s.parent.String(),
			Conditions: []Condition{s.accepted}, Listeners: []ListenerResult{}}
		if s.gateway != nil { // listeners are only decided once attached
			for _, l := range s.listeners {
				r.Listeners = append(r.Listeners, w.listenerResult(s.gateway, l))
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		return lessKey(nsName{out[i].Namespace, out[i].Name}, nsName{out[j].Namespace, out[j].Name})
	})
	return out
}

func (w *world) listenerResult(g *gateway, l *listener) ListenerResult {
	return ListenerResult{
		Name: l.name(), Protocol: string(l.spec.Protocol), Port: l.spec.Port, Hostname: hostnameOf(l.spec.Hostname),
		SupportedKinds: l.kinds, AttachedRoutes: len(l.routes), Conditions: l.conditions(),
		CertificateSources: w.certificateSources(g, l),
	}
}
