package inventory

import (
	"slices"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
)

// summarise fills the totals, the annotation usage and the per-namespace
// and per-host summaries from the classified Ingresses.
func (b *builder) summarise(rep *Report) {
	impls := rep.Implementations
	newCounts := func() []Counts {
		out := make([]Counts, len(impls))
		for i, impl := range impls {
			out[i].Implementation = impl
		}
		return out
	}
	rep.Summary = newCounts()
	classes := map[string]*IngressClass{}
	usage := map[string]int{}
	namespaces := map[string]*Namespace{}
	nsHosts := map[string]map[string]bool{}
	hosts := map[string]*Host{}
	hostIngresses := map[string][]*entry{}
	for _, e := range b.entries {
		in := e.out
		rep.Totals.Ingresses++
		if removedAPIVersions[in.APIVersion] {
			rep.Totals.OldAPIVersions++
		}
		c := classes[in.Class]
		if c == nil {
			c = &IngressClass{Name: in.Class}
			classes[in.Class] = c
		}
		c.Ingresses++
		if !in.InScope {
			rep.Totals.OtherClass++
			continue
		}
		c.InScope = true
		rep.Totals.InScope++
		for _, k := range in.Annotations {
			usage[k]++
			name, ok := annotations.Split(k, b.prefix)
			switch {
			case !ok || !strings.HasSuffix(name, "-snippet"):
			case name == "configuration-snippet" && e.m != nil && e.m.Settings.Snippet != nil:
				rep.Totals.SnippetsTriaged++
			default:
				rep.Totals.SnippetsLeft++
			}
		}
		ns := namespaces[in.Namespace]
		if ns == nil {
			ns = &Namespace{Namespace: in.Namespace, Counts: newCounts()}
			namespaces[in.Namespace] = ns
			nsHosts[in.Namespace] = map[string]bool{}
		}
		ns.Ingresses++
		for i, cl := range in.Classifications {
			rep.Summary[i].add(cl)
			ns.Counts[i].add(cl)
		}
		for _, h := range in.Hosts {
			nsHosts[in.Namespace][h] = true
			hs := hosts[h]
			if hs == nil {
				hs = &Host{Host: h, Ingresses: []string{}, Namespaces: []string{}}
				hosts[h] = hs
			}
			hs.Ingresses = append(hs.Ingresses, in.Ref())
			if !slices.Contains(hs.Namespaces, in.Namespace) {
				hs.Namespaces = append(hs.Namespaces, in.Namespace)
			}
			hs.Paths += e.hostPaths[h]
			hs.TLS = hs.TLS || slices.Contains(e.tlsHosts, h)
			hostIngresses[h] = append(hostIngresses[h], e)
		}
	}
	for _, c := range classes {
		rep.IngressClasses = append(rep.IngressClasses, *c)
	}
	sort.Slice(rep.IngressClasses, func(i, j int) bool { return rep.IngressClasses[i].Name < rep.IngressClasses[j].Name })
	rep.Totals.IngressClasses = len(rep.IngressClasses)

	for name, ns := range namespaces {
		for h := range nsHosts[name] {
			if h != "" {
				ns.Hosts++
			}
		}
		rep.Namespaces = append(rep.Namespaces, *ns)
	}
	sort.Slice(rep.Namespaces, func(i, j int) bool { return rep.Namespaces[i].Namespace < rep.Namespaces[j].Namespace })
	rep.Totals.Namespaces = len(rep.Namespaces)

	for h, hs := range hosts {
		if h != "" {
			rep.Totals.Hosts++
		}
		sort.Strings(hs.Namespaces)
		hs.Shared = len(hs.Ingresses) > 1
		if s := b.servers[h]; s != nil {
			hs.RegexMode = s.RegexMode
			if s.Creator != nil {
				hs.Creator = ref(s.Creator)
			}
		}
		for i, impl := range impls {
			worst := Simple
			for _, e := range hostIngresses[h] {
				if c := e.out.Classifications[i].Class; c.rank() > worst.rank() {
					worst = c
				}
			}
			hs.Classes = append(hs.Classes, ImplementationClass{Implementation: impl, Class: worst})
		}
		rep.Hosts = append(rep.Hosts, *hs)
	}
	sort.Slice(rep.Hosts, func(i, j int) bool { return rep.Hosts[i].Host < rep.Hosts[j].Host })

	for key, n := range usage {
		a := Annotation{Key: key, Ingresses: n}
		if name, ok := annotations.Split(key, b.prefix); ok {
			a.Name = name
		}
		for _, impl := range impls {
			f, _ := b.fate(key, impl)
			a.Fates = append(a.Fates, f)
		}
		rep.Annotations = append(rep.Annotations, a)
	}
	// Most used first: the keys that decide the plan lead.
	sort.Slice(rep.Annotations, func(i, j int) bool {
		a, c := rep.Annotations[i], rep.Annotations[j]
		if a.Ingresses != c.Ingresses {
			return a.Ingresses > c.Ingresses
		}
		return a.Key < c.Key
	})
	if rep.Annotations == nil {
		rep.Annotations = []Annotation{}
	}
	if rep.Namespaces == nil {
		rep.Namespaces = []Namespace{}
	}
	if rep.Hosts == nil {
		rep.Hosts = []Host{}
	}
	if rep.IngressClasses == nil {
		rep.IngressClasses = []IngressClass{}
	}
	if rep.Ingresses == nil {
		rep.Ingresses = []Ingress{}
	}
}
