package status

// ReferenceGrant semantics (apis/v1 referencegrant_types.go): a grant lives
// in the namespace of the referent; its "from" entries (group, kind,
// namespace of the referrer) and "to" entries (group, kind and optional
// name of the referent) are each ORed, and "Implementations that support
// ReferenceGrant MUST NOT permit cross-namespace references which have no
// grant". A grant in any other namespace permits nothing.

type refFrom struct{ group, kind, ns string }

type refTo struct{ group, kind, ns, name string }

// permitted reports whether some ReferenceGrant allows the reference.
func (w *world) permitted(from refFrom, to refTo) bool {
	for _, g := range w.grants {
		if g.ns != to.ns {
			continue
		}
		fromOK := false
		for _, f := range g.spec.From {
			if string(f.Group) == from.group && string(f.Kind) == from.kind && string(f.Namespace) == from.ns {
				fromOK = true
				break
			}
		}
		if !fromOK {
			continue
		}
		for _, t := range g.spec.To {
			if string(t.Group) == to.group && string(t.Kind) == to.kind && (t.Name == nil || string(*t.Name) == to.name) {
				return true
			}
		}
	}
	return false
}
