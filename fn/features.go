package fn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/parallel"
)

// releaseCheck is the one place that looks at the Gateway API features the
// generated objects use. With a target release (spec.implementationVersion)
// it first adapts each object to what the release accepts (features.Adapt)
// and reports every change; then it reports, per Ingress, the notable
// features (features.Notable) its objects use that the target is not known
// to support: all of them for standard and for implementations without
// release data. Gateways and ListenerSets serve several Ingresses; their
// features are reported once, for the run. rewritten holds the identities
// of the objects now written at an apiVersion of the release's (TLSRoute
// v1alpha3), which the embedded Gateway API CRDs do not serve.
func releaseCheck(implementation string, release *features.Release, objs []*gatewayapi.Object) (out finding.List, rewritten map[string]bool) {
	rewritten = map[string]bool{}
	type use struct {
		objects  []string
		changes  []change
		features []features.Name
	}
	uses := map[*ingressnginx.Ingress]*use{}
	var order []*ingressnginx.Ingress
	// Each object is adapted, and its features read, on its own (Adapt
	// changes only its object, on a copy of what emitters may share), so
	// on every core; what is reported is put together in order below.
	adapted := make([][]features.Change, len(objs))
	used := make([][]features.Name, len(objs))
	parallel.For(len(objs), func(i int) {
		// Without a release, Adapt still keeps the objects valid on both
		// Gateway API channels.
		adapted[i] = release.Adapt(objs[i].Value)
		used[i] = features.Used(objs[i].Value)
	})
	for i, g := range objs {
		changes := adapted[i]
		for _, c := range changes {
			if c.APIVersion != "" {
				rewritten[identity(g.Kind, g.Namespace, g.Name)] = true
			}
		}
		var unknown []features.Name
		for _, n := range used[i] {
			if release == nil || !release.Supports(n) {
				unknown = append(unknown, n)
			}
		}
		if len(changes) == 0 && len(unknown) == 0 {
			continue
		}
		if g.Kind == "Gateway" || g.Kind == "ListenerSet" || g.Source == nil {
			ref := g.Kind + " " + g.Namespace + "/" + g.Name
			var cs []change
			for _, c := range changes {
				cs = append(cs, change{c, []string{ref}})
			}
			out = append(out, featureFindings(implementation, release, nil, []string{ref}, cs, unknown)...)
			continue
		}
		// The result is about the Ingress, whose namespace its objects
		// share (a BackendTLSPolicy sits with its Service, which an
		// Ingress names in its own namespace).
		ref := g.Kind + " " + g.Name
		u := uses[g.Source]
		if u == nil {
			u = &use{}
			uses[g.Source] = u
			order = append(order, g.Source)
		}
		if len(unknown) > 0 {
			u.objects = append(u.objects, ref)
		}
		for _, c := range changes {
			i := slices.IndexFunc(u.changes, func(x change) bool { return x.Change == c })
			if i < 0 {
				i = len(u.changes)
				u.changes = append(u.changes, change{Change: c})
			}
			u.changes[i].objects = append(u.changes[i].objects, ref)
		}
		for _, n := range unknown {
			if !slices.Contains(u.features, n) {
				u.features = append(u.features, n)
			}
		}
	}
	for _, ing := range order {
		u := uses[ing]
		slices.Sort(u.features)
		out = append(out, featureFindings(implementation, release, ing, u.objects, u.changes, u.features)...)
	}
	return out, rewritten
}

// change is a change Adapt made and the objects it made it in.
type change struct {
	features.Change
	objects []string
}

// featureFindings are the results for one Ingress's objects (ing nil: a
// Gateway or ListenerSet): objects are those using the unknown features.
func featureFindings(implementation string, release *features.Release, ing *ingressnginx.Ingress, objects []string, changes []change, unknown []features.Name) finding.List {
	var out finding.List
	add := func(sev finding.Severity, format string, args ...any) {
		if ing != nil {
			out.Add(sev, ing.Object, "", format, args...)
		} else {
			out.Add(sev, nil, "", format, args...)
		}
	}
	for _, c := range changes {
		sev, extra := finding.Info, ""
		if c.Effect != "" {
			sev, extra = finding.Warning, "; "+c.Effect
		}
		target := implementation + " output"
		if release != nil {
			target = release.String()
		}
		add(sev, "%s: in %s, %s: %s%s", target, objectList(c.objects), c.What, c.Why, extra)
	}
	if len(unknown) == 0 {
		return out
	}
	names := make([]string, len(unknown))
	for i, n := range unknown {
		names[i] = string(n)
	}
	verb := "use"
	if len(objects) == 1 {
		verb = "uses"
	}
	what := fmt.Sprintf("%s %s Gateway API features that are not Core: %s", objectList(objects), verb, strings.Join(names, ", "))
	const otherwise = "or it may refuse the objects or ignore what the features do"
	switch {
	case release != nil:
		add(finding.Warning, "%s; %s does not list them under supportedFeatures in its conformance report (Gateway API %s), so it may refuse the objects or ignore what the features do",
			what, release, release.GatewayAPI)
	case implementation == "standard":
		add(finding.Warning, "%s; the Gateway's implementation must list them under supportedFeatures in its conformance report, %s", what, otherwise)
	default:
		add(finding.Warning, "%s; routeshift has no release data for %s: it must list them under supportedFeatures in its conformance report, %s", what, implementation, otherwise)
	}
	return out
}

// objectList names the first few objects: an Ingress with many hosts has
// as many routes, and one result line should stay readable.
func objectList(refs []string) string {
	const shown = 3
	if len(refs) <= shown+1 {
		return strings.Join(refs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(refs[:shown], ", "), len(refs)-shown)
}
