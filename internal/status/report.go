package status

// The report is plain data, shaped after the status a controller writes
// (GatewayStatus, ListenerStatus, RouteParentStatus) so that a reader who
// knows Gateway API recognises every field, and encoded as-is by WriteJSON.
// Slices are never nil so that the JSON shows [] rather than null.

// Status is a condition's status, spelled as in metav1.Condition.
type Status string

const (
	True    Status = "True"
	False   Status = "False"
	Unknown Status = "Unknown"
)

// Condition is the part of a metav1.Condition that can be known from
// manifests: no timestamps and no observedGeneration, which a controller
// fills in when it writes status.
type Condition struct {
	Type    string `json:"type"`
	Status  Status `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message,omitempty"`
}

// Report is what Run computes for a tree of manifests.
type Report struct {
	// Gateways are the Gateways of the tree (not the declared ones, whose
	// status their owner sees), sorted by namespace and name.
	Gateways []GatewayResult `json:"gateways"`
	// ListenerSets are the ListenerSets of the tree, sorted by namespace
	// and name; their listeners are listed only once attached.
	ListenerSets []ListenerSetResult `json:"listenerSets,omitempty"`
	// Routes are the routes of the tree, sorted by kind, namespace and name.
	Routes []RouteResult `json:"routes"`
	// Warnings are problems that no condition carries: weights that send
	// nothing to a backend, a port the Service does not have, ...
	Warnings []Warning `json:"warnings"`
	// Errors name objects that could not be read (a field of the wrong
	// type, a duplicate object). They are left out of the check, so a
	// report with errors is incomplete.
	Errors []string `json:"errors"`
	// Summary counts what a reviewer acts on.
	Summary Summary `json:"summary"`
}

// GatewayResult is the status of one Gateway of the tree.
type GatewayResult struct {
	Namespace  string           `json:"namespace"`
	Name       string           `json:"name"`
	Source     string           `json:"source"`
	Conditions []Condition      `json:"conditions"`
	Listeners  []ListenerResult `json:"listeners"`
	// AttachedListenerSets counts the Accepted ListenerSets of the tree
	// attached to the Gateway (GatewayStatus.AttachedListenerSets).
	AttachedListenerSets int `json:"attachedListenerSets,omitempty"`
}

// ListenerSetResult is the status of one ListenerSet of the tree.
type ListenerSetResult struct {
	Namespace  string           `json:"namespace"`
	Name       string           `json:"name"`
	Source     string           `json:"source"`
	Parent     string           `json:"parent"` // namespace/name of the parent Gateway
	Conditions []Condition      `json:"conditions"`
	Listeners  []ListenerResult `json:"listeners"`
}

// ListenerResult is the status of one listener, in spec order.
type ListenerResult struct {
	Name     string `json:"name"`
	Protocol string `json:"protocol"`
	Port     int32  `json:"port"`
	Hostname string `json:"hostname,omitempty"`
	// SupportedKinds are the route kinds the listener accepts, as
	// ListenerStatus.SupportedKinds ("HTTPRoute", ...; all in group
	// gateway.networking.k8s.io).
	SupportedKinds []string `json:"supportedKinds"`
	// AttachedRoutes counts the route parents of the tree whose Accepted
	// condition is True and that attach to this listener.
	AttachedRoutes int         `json:"attachedRoutes"`
	Conditions     []Condition `json:"conditions"`
	// CertificateSources say, for a listener that terminates TLS, where
	// each certificateRef's Secret comes from: the manifests, a
	// declaration, cert-manager (a Certificate, an Ingress's or the
	// Gateway's annotations), or nowhere.
	CertificateSources []string `json:"certificateSources,omitempty"`
}

// RouteResult is the status of one route: one entry per parentRef.
type RouteResult struct {
	Kind      string         `json:"kind"`
	Namespace string         `json:"namespace"`
	Name      string         `json:"name"`
	Source    string         `json:"source"`
	Parents   []ParentResult `json:"parents"`
}

// ParentResult is one RouteParentStatus: the parentRef with its defaults
// filled in, the listeners the route attaches to, and the conditions.
type ParentResult struct {
	Group       string      `json:"group"`
	Kind        string      `json:"kind"`
	Namespace   string      `json:"namespace"`
	Name        string      `json:"name"`
	SectionName string      `json:"sectionName,omitempty"`
	Port        int32       `json:"port,omitempty"`
	Listeners   []string    `json:"listeners"`
	Conditions  []Condition `json:"conditions"`
}

// Warning is a problem no condition carries.
type Warning struct {
	Object  string `json:"object"` // "HTTPRoute shop/web"
	Source  string `json:"source"` // "routes.yaml[2]"
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Summary counts conditions of listeners, Gateways and route parents.
type Summary struct {
	Gateways  int `json:"gateways"`
	Listeners int `json:"listeners"`
	Parents   int `json:"routeParents"`
	// Failed counts Accepted or ResolvedRefs conditions that are False.
	Failed int `json:"failed"`
	// Unknown counts Accepted or ResolvedRefs conditions that are Unknown:
	// something they depend on is neither in the tree nor declared.
	Unknown  int `json:"unknown"`
	Warnings int `json:"warnings"`
	Errors   int `json:"errors"`
}

// Failed reports whether a controller would reject something: a Gateway,
// listener or route parent whose Accepted or ResolvedRefs condition is
// False. With strict, Unknown counts as a failure too.
func (r Report) Failed(strict bool) bool {
	return r.Summary.Failed > 0 || (strict && r.Summary.Unknown > 0)
}

// gates are the condition types whose False status means the object does
// not work; Programmed is left out because it is almost always Unknown
// from manifests, and a False Programmed always comes with one of these.
func isGate(typ string) bool { return typ == condAccepted || typ == condResolvedRefs }

func (r *Report) summarize() {
	s := Summary{Gateways: len(r.Gateways), Warnings: len(r.Warnings), Errors: len(r.Errors)}
	count := func(cs []Condition) {
		for _, c := range cs {
			if !isGate(c.Type) {
				continue
			}
			switch c.Status {
			case False:
				s.Failed++
			case Unknown:
				s.Unknown++
			}
		}
	}
	for _, g := range r.Gateways {
		count(g.Conditions)
		for _, l := range g.Listeners {
			s.Listeners++
			count(l.Conditions)
		}
	}
	for _, ls := range r.ListenerSets {
		count(ls.Conditions)
		for _, l := range ls.Listeners {
			s.Listeners++
			count(l.Conditions)
		}
	}
	for _, rt := range r.Routes {
		for _, p := range rt.Parents {
			s.Parents++
			count(p.Conditions)
		}
	}
	r.Summary = s
}

// get returns the condition of a type, or nil.
func get(cs []Condition, typ string) *Condition {
	for i := range cs {
		if cs[i].Type == typ {
			return &cs[i]
		}
	}
	return nil
}
