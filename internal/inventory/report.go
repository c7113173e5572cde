package inventory

import "slices"

// The Report is also the JSON form (docs/inventory.md): field names and
// meanings only ever grow, lists are always present (empty, never null),
// and everything is sorted so that the same input gives the same bytes.

// APIVersion and Kind head the JSON document.
const (
	APIVersion = "routeshift.dev/v1alpha1"
	Kind       = "InventoryReport"
)

// Class is how hard an Ingress is to migrate; the package doc defines them.
type Class string

const (
	Simple  Class = "simple"
	Medium  Class = "medium"
	Complex Class = "complex"
	Blocked Class = "blocked"
)

// Classes in increasing order of difficulty.
var Classes = []Class{Simple, Medium, Complex, Blocked}

func (c Class) rank() int {
	for i, x := range Classes {
		if x == c {
			return i
		}
	}
	return -1
}

// Report is the whole inventory.
type Report struct {
	// GeneratedAt (RFC 3339, UTC), RouteshiftVersion and Inputs (the
	// paths as given, "-" for stdin) say when, by what and from what the
	// report was made, so that a page attached to a ticket can be traced
	// and re-run; empty when the caller did not say (Options).
	GeneratedAt       string   `json:"generatedAt"`
	RouteshiftVersion string   `json:"routeshiftVersion"`
	Inputs            []string `json:"inputs"`
	// Implementations are the spec.implementation values the report
	// classifies for, the first being the primary one (text formats show
	// its reasons and plan).
	Implementations []string `json:"implementations"`
	Scope           Scope    `json:"scope"`
	Totals          Totals   `json:"totals"`
	// IngressClasses are the classes seen on Ingresses ("" for none).
	IngressClasses []IngressClass `json:"ingressClasses"`
	// Summary counts the classification of the in-scope Ingresses per
	// implementation, in the order of Implementations.
	Summary     []Counts     `json:"summary"`
	Annotations []Annotation `json:"annotations"`
	Ingresses   []Ingress    `json:"ingresses"`
	Namespaces  []Namespace  `json:"namespaces"`
	Hosts       []Host       `json:"hosts"`
	Conflicts   []Conflict   `json:"conflicts"`
	Plans       []Plan       `json:"plans"`
}

// Scope is what decides which Ingresses the migration covers.
type Scope struct {
	IngressClassNames []string `json:"ingressClassNames"`
	IncludeUnclassed  bool     `json:"includeUnclassed"`
	AnnotationsPrefix string   `json:"annotationsPrefix"`
	// UnsafeReviewed is spec.unsafeAnnotations: warning.
	UnsafeReviewed bool `json:"unsafeReviewed"`
}

// Totals are the headline numbers.
type Totals struct {
	// Ingresses counts every Ingress object in the input.
	Ingresses int `json:"ingresses"`
	// InScope are those of the configured classes; OtherClass the rest.
	InScope    int `json:"inScope"`
	OtherClass int `json:"otherClass"`
	// OldAPIVersions counts Ingresses of a removed API version, in scope or not.
	OldAPIVersions int `json:"oldAPIVersions"`
	// Hosts counts the named hosts of in-scope Ingresses (the catch-all is
	// not a host); Namespaces their namespaces; IngressClasses the classes
	// seen on all Ingresses, none counting as one.
	Hosts          int `json:"hosts"`
	Namespaces     int `json:"namespaces"`
	IngressClasses int `json:"ingressClasses"`
	// SnippetsTriaged counts the configuration-snippets of in-scope
	// Ingresses made only of directives the conversion places (their
	// allow and deny lines on implementations with IP access policies);
	// SnippetsLeft every other *-snippet annotation, which stays unsafe.
	SnippetsTriaged int `json:"snippetsTriaged"`
	SnippetsLeft    int `json:"snippetsLeft"`
}

// IngressClass is one class name and how many Ingresses name it.
type IngressClass struct {
	Name      string `json:"name"`
	Ingresses int    `json:"ingresses"`
	InScope   bool   `json:"inScope"`
}

// Counts is a classification tally for one implementation.
type Counts struct {
	Implementation string `json:"implementation"`
	Simple         int    `json:"simple"`
	Medium         int    `json:"medium"`
	Complex        int    `json:"complex"`
	Blocked        int    `json:"blocked"`
	// Carried counts the Ingresses that are not blocked and whose every
	// annotation the implementation carries (exactly, approximately or by
	// a policy): nothing unsupported or unsafe is lost. Complex counts the
	// same on every implementation that needs policies; this is the number
	// that tells them apart.
	Carried int `json:"carried"`
}

func (c *Counts) add(cl Classification) {
	if cl.Class != Blocked && !slices.ContainsFunc(cl.Reasons, func(r Reason) bool {
		return r.Code == CodeUnsupported || r.Code == CodeUnsafe
	}) {
		c.Carried++
	}
	switch cl.Class {
	case Simple:
		c.Simple++
	case Medium:
		c.Medium++
	case Complex:
		c.Complex++
	case Blocked:
		c.Blocked++
	}
}

// Of returns the count of one class.
func (c Counts) Of(cl Class) int {
	return map[Class]int{Simple: c.Simple, Medium: c.Medium, Complex: c.Complex, Blocked: c.Blocked}[cl]
}

// Total is the number of Ingresses counted.
func (c Counts) Total() int { return c.Simple + c.Medium + c.Complex + c.Blocked }

// Annotation is one annotation key and its use.
type Annotation struct {
	Key string `json:"key"`
	// Name is the catalogue name when Key is under the annotations prefix.
	Name string `json:"name,omitempty"`
	// Ingresses counts the in-scope Ingresses that carry the key.
	Ingresses int `json:"ingresses"`
	// Fates are per implementation, in the order of Implementations.
	Fates []Fate `json:"fates"`
}

// Fate is what one implementation does with an annotation: the support
// matrix's fate (converted, policy, approximated, unsupported, unsafe,
// no effect) for catalogued annotations; for other keys "converted" (the
// ingress class annotation), "unknown" (under the prefix but not an
// ingress-nginx annotation), "other controller" or "no effect" (other tools).
type Fate struct {
	Implementation string `json:"implementation"`
	Fate           string `json:"fate"`
	How            string `json:"how"`
}

// Ingress is one Ingress object.
type Ingress struct {
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
	Source     string `json:"source"`
	APIVersion string `json:"apiVersion"`
	// Class is the class the Ingress names ("" for none).
	Class   string `json:"class"`
	InScope bool   `json:"inScope"`
	Canary  bool   `json:"canary"`
	// Internal: every host looks internal or non-production (see Waves).
	Internal bool `json:"internal"`
	// Hosts are the hosts of its rules, "" standing for the catch-all
	// (rules without host, or a rule-less spec.defaultBackend).
	Hosts       []string `json:"hosts"`
	Paths       int      `json:"paths"`
	Annotations []string `json:"annotations"`
	// Classifications are per implementation, in the order of
	// Implementations; empty when the Ingress is not in scope.
	Classifications []Classification `json:"classifications"`
	// Care is what moves with it besides its routes (certificates, DNS
	// names, rollouts); nil when nothing does.
	Care *Care `json:"care,omitempty"`
}

// Ref is namespace/name, or the name without a namespace.
func (i Ingress) Ref() string {
	if i.Namespace == "" {
		return i.Name
	}
	return i.Namespace + "/" + i.Name
}

// Classification is an Ingress's class on one implementation and why.
type Classification struct {
	Implementation string   `json:"implementation"`
	Class          Class    `json:"class"`
	Reasons        []Reason `json:"reasons"`
}

// Reason is one thing that makes an Ingress harder than simple.
type Reason struct {
	// Class is what this reason alone makes the Ingress.
	Class Class `json:"class"`
	// Code is stable and machine-readable (docs/inventory.md lists them).
	Code string `json:"code"`
	// Annotations are the keys concerned, if any.
	Annotations []string `json:"annotations,omitempty"`
	Message     string   `json:"message"`
}

// Namespace summarises the in-scope Ingresses of one namespace.
type Namespace struct {
	Namespace string   `json:"namespace"`
	Ingresses int      `json:"ingresses"`
	Hosts     int      `json:"hosts"`
	Counts    []Counts `json:"counts"`
}

// Host is one host of the in-scope Ingresses ("" for the catch-all).
type Host struct {
	Host       string   `json:"host"`
	Ingresses  []string `json:"ingresses"`
	Namespaces []string `json:"namespaces"`
	// Shared: several Ingresses define the host, so ingress-nginx merges
	// them (oldest wins a duplicate path, the creator owns server settings).
	Shared bool `json:"shared"`
	// Creator is the Ingress that owns the host's server-level settings
	// and implicit "/" in the ingress-nginx model ("" when none is served).
	Creator   string `json:"creator"`
	TLS       bool   `json:"tls"`
	Paths     int    `json:"paths"`
	RegexMode bool   `json:"regexMode"`
	// Classes are the worst class of the host's Ingresses per implementation.
	Classes []ImplementationClass `json:"classes"`
}

// ImplementationClass is a class on one implementation.
type ImplementationClass struct {
	Implementation string `json:"implementation"`
	Class          Class  `json:"class"`
}

// Conflict kinds.
const (
	ConflictPath          = "duplicate-path"
	ConflictCertificate   = "certificate"
	ConflictCatchAll      = "default-backend"
	ConflictCanaryPrimary = "canary-without-primary"
)

// Conflict is a definition ingress-nginx ignores because of another one.
type Conflict struct {
	Kind     string `json:"kind"`
	Host     string `json:"host"`
	Path     string `json:"path,omitempty"`
	PathType string `json:"pathType,omitempty"`
	// Ingress is the ignored definition's Ingress; Winner the one served
	// ("" for a canary without primary).
	Ingress string `json:"ingress"`
	Winner  string `json:"winner,omitempty"`
	// ByCreationOrder: some in-scope Ingress has no creationTimestamp, so
	// the winner is the one created first in the cluster, assumed here.
	ByCreationOrder bool   `json:"byCreationOrder"`
	Message         string `json:"message"`
}

// Plan is the migration order on one implementation.
type Plan struct {
	Implementation string  `json:"implementation"`
	Waves          []Wave  `json:"waves"`
	Blocked        []Group `json:"blocked"`
}

// Wave kinds, in order.
const (
	WaveSimpleInternal = "simple-internal"
	WaveSimple         = "simple"
	WaveMedium         = "medium"
	WaveComplex        = "complex"
	WaveGlobal         = "global"
)

// Wave is a set of host groups to move together.
type Wave struct {
	Number int     `json:"number"`
	Kind   string  `json:"kind"`
	Title  string  `json:"title"`
	Groups []Group `json:"groups"`
	// Care counts what moves with the wave's Ingresses besides routes;
	// nil when nothing does.
	Care *CareCounts `json:"care,omitempty"`
}

// Group is the in-scope Ingresses connected by shared hosts: they move together.
type Group struct {
	Hosts     []string `json:"hosts"`
	Ingresses []string `json:"ingresses"`
	Class     Class    `json:"class"`
	Internal  bool     `json:"internal"`
}
