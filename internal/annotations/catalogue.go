package annotations

import (
	"slices"
	"strconv"
)

// Risk is the risk level ingress-nginx assigns to an annotation in
// annotations-risk.md. The controller rejects annotations above its
// annotations-risk-level (High by default, which turns Critical ones away), so
// the levels are ordered and can be compared: r >= High means a reviewer must
// look at the value before anything is generated from it.
type Risk int

// The zero Risk is deliberately invalid, so that an Entry built without a
// level cannot pass for Low.
const (
	Low Risk = iota + 1
	Medium
	High
	Critical
)

func (r Risk) String() string {
	switch r {
	case Low:
		return "Low"
	case Medium:
		return "Medium"
	case High:
		return "High"
	case Critical:
		return "Critical"
	}
	return "Risk(" + strconv.Itoa(int(r)) + ")"
}

// Scope says where ingress-nginx applies an annotation, which decides what a
// converter must do when several Ingresses share a host.
type Scope int

const (
	// Ingress annotations belong to the whole Ingress (its server block,
	// upstream or canary role) rather than to one path. Server-level values
	// come from the first Ingress of a host; the same annotation on the
	// host's other Ingresses is ignored, so it must not be copied onto their
	// routes.
	Ingress Scope = iota + 1
	// Location annotations apply only to the paths of the Ingress that
	// carries them.
	Location
)

func (s Scope) String() string {
	switch s {
	case Ingress:
		return "Ingress"
	case Location:
		return "Location"
	}
	return "Scope(" + strconv.Itoa(int(s)) + ")"
}

// Tag says how far Gateway API can carry an annotation, and therefore what
// the converter owes the user: a faithful translation, a translation that
// needs an optional feature, or a warning.
type Tag int

const (
	// Core: a standard Gateway API field that every conformant implementation
	// supports.
	Core Tag = iota + 1
	// Extended: a standard-channel field whose support is optional; the target
	// implementation must claim the feature.
	Extended
	// Experimental: only the experimental channel has a field for it.
	Experimental
	// Policy: no portable field; only an implementation-specific policy or
	// extension can express it.
	Policy
	// None: nothing can express it; drop and warn.
	None
	// Unsafe: raw configuration or a known injection vector; must never be
	// translated, and routes using it cannot be verified.
	Unsafe
	// NotApplicable: proxy-internal tuning or observability with no effect on
	// routing.
	NotApplicable
)

// String returns the tag as annotations.md spells it, so that reports and the
// reference table use the same words.
func (t Tag) String() string {
	switch t {
	case Core:
		return "CORE"
	case Extended:
		return "EXT"
	case Experimental:
		return "EXP"
	case Policy:
		return "POLICY"
	case None:
		return "NONE"
	case Unsafe:
		return "UNSAFE"
	case NotApplicable:
		return "N/A"
	}
	return "Tag(" + strconv.Itoa(int(t)) + ")"
}

// Entry describes one ingress-nginx annotation.
type Entry struct {
	// Name is the annotation without its prefix, e.g. "rewrite-target",
	// because the prefix is a controller flag and not part of the annotation.
	Name  string
	Risk  Risk
	Scope Scope
	// Tags lists every tag, primary first (Tag returns it). Most entries have just one; mixed
	// ones (CORE+EXT, EXT/POLICY, ...) list the rest because some values of
	// the annotation need a different support level than others.
	Tags []Tag
	// AliasOf names the entry this one is a deprecated spelling of. Both
	// spellings are still read by the controller, so both must be catalogued.
	AliasOf string
	// Gateway summarises how the annotation maps to Gateway API and where the
	// mapping diverges from nginx.
	Gateway string
}

// Tag is the primary tag: what the common case of the annotation maps to.
func (e Entry) Tag() Tag {
	if len(e.Tags) == 0 {
		return 0
	}
	return e.Tags[0]
}

// HasTag reports whether t is among the entry's tags, for callers that care
// whether any value of a mixed annotation can need, say, a Policy.
func (e Entry) HasTag(t Tag) bool {
	return slices.Contains(e.Tags, t)
}
