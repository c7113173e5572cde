package inventory

import (
	"slices"
	"sort"
	"strings"
)

// waveKinds in migration order, with their titles.
var waveKinds = []struct{ kind, title string }{
	{WaveSimpleInternal, "simple, internal or non-production hosts first"},
	{WaveSimple, "simple"},
	{WaveMedium, "medium: standard filters and differences to review"},
	{WaveComplex, "complex: implementation policies to write, behaviour to replace"},
	{WaveGlobal, "the global entry: catch-all and wildcard hosts, last"},
}

// hostGroup is a set of in-scope Ingresses connected by shared hosts.
type hostGroup struct {
	entries []*entry
	hosts   []string
}

// plans orders the host groups into waves for every implementation (the
// package doc explains the heuristic).
func plans(rep *Report, entries []*entry) []Plan {
	groups := hostGroups(entries)
	care := map[string]*Care{}
	for _, e := range entries {
		care[e.out.Ref()] = e.out.Care
	}
	out := []Plan{}
	for i, impl := range rep.Implementations {
		p := Plan{Implementation: impl, Waves: []Wave{}, Blocked: []Group{}}
		byKind := map[string][]Group{}
		for _, hg := range groups {
			g := Group{Hosts: hg.hosts, Class: Simple, Internal: true}
			global := false
			for _, e := range hg.entries {
				g.Ingresses = append(g.Ingresses, e.out.Ref())
				if c := e.out.Classifications[i].Class; c.rank() > g.Class.rank() {
					g.Class = c
				}
				g.Internal = g.Internal && e.out.Internal
			}
			for _, h := range hg.hosts {
				global = global || h == "" || strings.HasPrefix(h, "*")
			}
			switch {
			case g.Class == Blocked:
				p.Blocked = append(p.Blocked, g)
			case global:
				byKind[WaveGlobal] = append(byKind[WaveGlobal], g)
			case g.Class == Simple && g.Internal:
				byKind[WaveSimpleInternal] = append(byKind[WaveSimpleInternal], g)
			default:
				byKind[string(g.Class)] = append(byKind[string(g.Class)], g)
			}
		}
		for _, k := range waveKinds {
			if len(byKind[k.kind]) == 0 {
				continue
			}
			p.Waves = append(p.Waves, Wave{Number: len(p.Waves) + 1, Kind: k.kind, Title: k.title, Groups: byKind[k.kind], Care: waveCare(byKind[k.kind], care)})
		}
		out = append(out, p)
	}
	return out
}

// hostGroups joins the in-scope Ingresses that share a host (union-find)
// and sorts the groups: internal first, then by first Ingress and host.
func hostGroups(entries []*entry) []*hostGroup {
	parent := map[*entry]*entry{}
	var find func(*entry) *entry
	find = func(e *entry) *entry {
		if parent[e] != e {
			parent[e] = find(parent[e])
		}
		return parent[e]
	}
	byHost := map[string]*entry{}
	var scoped []*entry
	for _, e := range entries {
		if !e.out.InScope {
			continue
		}
		scoped = append(scoped, e)
		parent[e] = e
		for _, h := range e.out.Hosts {
			if other, ok := byHost[h]; ok {
				parent[find(e)] = find(other)
			} else {
				byHost[h] = e
			}
		}
	}
	index := map[*entry]*hostGroup{}
	var groups []*hostGroup
	for _, e := range scoped {
		root := find(e)
		g := index[root]
		if g == nil {
			g = &hostGroup{hosts: []string{}}
			index[root] = g
			groups = append(groups, g)
		}
		g.entries = append(g.entries, e)
		for _, h := range e.out.Hosts {
			if !slices.Contains(g.hosts, h) {
				g.hosts = append(g.hosts, h)
			}
		}
	}
	internal := func(g *hostGroup) bool {
		for _, e := range g.entries {
			if !e.out.Internal {
				return false
			}
		}
		return true
	}
	for _, g := range groups {
		sort.Strings(g.hosts)
	}
	// entries are sorted by namespace/name, so each group's first entry
	// is its smallest and the order below is total.
	sort.SliceStable(groups, func(i, j int) bool {
		a, c := groups[i], groups[j]
		if ia, ic := internal(a), internal(c); ia != ic {
			return ia
		}
		return a.entries[0].out.Ref() < c.entries[0].out.Ref()
	})
	return groups
}
