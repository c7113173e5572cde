package gateway

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// ListenerSets (gateway.networking.k8s.io/v1; sigs.k8s.io/gateway-api
// v1.6.3 apis/v1/listenerset_types.go) add listeners to a Gateway. The
// model follows ListenerSetSpec.Listeners: a ListenerSet whose parent
// Gateway's allowedListeners admit its namespace (the default admits none)
// contributes its listeners to that Gateway's address, merged after the
// Gateway's own, ListenerSets by creation time then namespace/name; a
// listener claiming the port, protocol and hostname of one before it is
// conflicted and serves nothing. Routes reach those listeners only through
// a parentRef of kind ListenerSet, and from: Same means the ListenerSet's
// namespace.

type listenerSetObj struct {
	ns, name  string
	created   metav1.Time
	parent    string // namespace/name
	isGateway bool
	listeners []gatewayv1.Listener
}

func setKey(nsName string) string { return "ListenerSet " + nsName }

func readListenerSet(o *kube.Object) (*listenerSetObj, error) {
	var ls gatewayv1.ListenerSet
	if err := kube.Decode(o, &ls); err != nil {
		return nil, err
	}
	s := &listenerSetObj{ns: kube.Namespace(o), name: ls.Name, created: ls.CreationTimestamp}
	ref := ls.Spec.ParentRef
	pns := s.ns
	if ref.Namespace != nil && *ref.Namespace != "" {
		pns = string(*ref.Namespace)
	}
	s.parent = pns + "/" + string(ref.Name)
	s.isGateway = (ref.Group == nil || string(*ref.Group) == group) && (ref.Kind == nil || string(*ref.Kind) == "Gateway")
	for _, e := range ls.Spec.Listeners {
		s.listeners = append(s.listeners, gatewayv1.Listener(e))
	}
	return s, nil
}

// attachListenerSets adds the listeners of every admitted ListenerSet of a
// modelled Gateway (one in allowed) to the model.
func (m *Model) attachListenerSets(sets []*listenerSetObj, allowed map[string]*gatewayv1.AllowedListeners) {
	sort.Slice(sets, func(i, j int) bool {
		a, b := sets[i], sets[j]
		if !a.created.Equal(&b.created) {
			return a.created.Before(&b.created)
		}
		return a.ns+"/"+a.name < b.ns+"/"+b.name
	})
	taken := map[string]bool{} // gateway, port, protocol, hostname
	claim := func(l *listener) bool {
		k := fmt.Sprintf("%s %d %s %s", l.gw, l.port, l.protocol, l.hostname)
		if taken[k] {
			return false
		}
		taken[k] = true
		return true
	}
	for _, l := range m.listeners {
		claim(l)
	}
	for i, s := range sets {
		al, modelled := allowed[s.parent]
		if !modelled || !s.isGateway {
			continue // not a Gateway this model serves
		}
		ref := "ListenerSet " + s.ns + "/" + s.name
		if why := m.listenerSetRefused(al, s); why != "" {
			m.notes = append(m.notes, ref+" is not attached to Gateway "+s.parent+": "+why)
			continue
		}
		ls, notes := listeners(s.listeners, s.parent, s.ns)
		for _, n := range notes {
			m.notes = append(m.notes, ref+": "+n)
		}
		for _, l := range ls {
			l.set, l.rank = s.ns+"/"+s.name, i+1
			if !claim(l) {
				m.notes = append(m.notes, fmt.Sprintf("%s listener %s is conflicted: an earlier listener of Gateway %s has port %d, protocol %s and hostname %q", ref, l.name, s.parent, l.port, l.protocol, l.hostname))
				continue
			}
			m.listeners = append(m.listeners, l)
		}
	}
}

// listenerSetRefused says why a Gateway's allowedListeners do not admit s
// ("" when they do).
func (m *Model) listenerSetRefused(al *gatewayv1.AllowedListeners, s *listenerSetObj) string {
	from := gatewayv1.NamespacesFromNone
	var sel *metav1.LabelSelector
	if al != nil && al.Namespaces != nil {
		if al.Namespaces.From != nil {
			from = *al.Namespaces.From
		}
		sel = al.Namespaces.Selector
	}
	gwNS, _, _ := strings.Cut(s.parent, "/")
	switch from {
	case gatewayv1.NamespacesFromAll:
		return ""
	case gatewayv1.NamespacesFromSame:
		if s.ns == gwNS {
			return ""
		}
		return "allowedListeners admit its own namespace only"
	case gatewayv1.NamespacesFromSelector:
		if sel == nil {
			return "allowedListeners has no selector"
		}
		selector, err := metav1.LabelSelectorAsSelector(sel)
		if err != nil {
			return fmt.Sprintf("allowedListeners selector is invalid: %v", err)
		}
		lbls := map[string]string{}
		for k, v := range m.nsLabels[s.ns] {
			lbls[k] = v
		}
		lbls["kubernetes.io/metadata.name"] = s.ns
		if selector.Matches(labels.Set(lbls)) {
			return ""
		}
		return "allowedListeners selector does not select namespace " + s.ns
	}
	return "allowedListeners admit no ListenerSet (from: " + string(from) + ")"
}
