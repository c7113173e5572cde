// Package support holds the support matrix: for every ingress-nginx
// annotation in the catalogue, what routeshift does with it on each
// implementation. It is computed from the same tables the conversion
// uses (the catalogue, the standard translations, each implementation's
// Supports and Unsupported), so the documentation cannot claim what the
// code does not do; docs/annotations.md and the README's counts are
// generated from it and a test fails when they are stale.
package support

import (
	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/registry"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// Implementations are the columns: spec.implementation values in order.
var Implementations = []string{"standard", "envoy-gateway", "kgateway", "istio", "nginx-gateway-fabric"}

// Fate of an annotation on one implementation.
type Fate string

const (
	Exact        Fate = "converted"
	Policy       Fate = "policy"
	Approximated Fate = "approximated"
	Unsupported  Fate = "unsupported"
	Unsafe       Fate = "unsafe"
	NoEffect     Fate = "no effect"
)

// Fates in the order the documentation counts them.
var Fates = []Fate{Exact, Policy, Approximated, Unsupported, Unsafe, NoEffect}

// Cell is one annotation on one implementation.
type Cell struct {
	Fate Fate
	How  string
}

// Row is one annotation across implementations.
type Row struct {
	Entry annotations.Entry
	Cells map[string]Cell
}

// Matrix computes every row, in catalogue order, for the newest release of
// each implementation (what the documentation describes).
func Matrix() []Row { return MatrixFor(nil) }

// MatrixFor is Matrix with the implementations named in releases taken at
// that release (spec.implementationVersion): an older Envoy Gateway
// carries less.
func MatrixFor(releases map[string]*features.Release) []Row {
	var rows []Row
	for _, e := range annotations.All() {
		row := Row{Entry: e, Cells: map[string]Cell{}}
		std := standard(e.Name)
		for _, name := range Implementations {
			impl, ok := registry.Lookup(name)
			if !ok { // "standard": no policies (a test checks every other column is registered)
				row.Cells[name] = std
				continue
			}
			if v, versioned := impl.(implementations.Versioned); versioned && releases[name] != nil {
				impl = v.ForRelease(releases[name])
			}
			row.Cells[name] = vendor(impl, e.Name, std)
		}
		rows = append(rows, row)
	}
	return rows
}

func standard(name string) Cell {
	f, how := ingressnginx.StandardFate(name)
	switch f {
	case ingressnginx.Converted:
		return Cell{Exact, how}
	case ingressnginx.Approximated:
		return Cell{Approximated, how}
	case ingressnginx.Unsafe:
		return Cell{Unsafe, how}
	case ingressnginx.Ignored:
		return Cell{NoEffect, how}
	}
	return Cell{Unsupported, how}
}

// vendor is what an implementation does; where it carries nothing, the
// standard conversion's fate stands, with the vendor's reason if it has one.
func vendor(impl implementations.Implementation, name string, std Cell) Cell {
	if h, ok := impl.Supports()[name]; ok {
		if h.Approximated {
			return Cell{Approximated, h.Resource + ": " + h.Note}
		}
		// The note matters for an exact translation too: it states what
		// differs when the annotation is absent (a default that differs).
		return Cell{Policy, h.Resource + ": " + h.Note}
	}
	if ex, ok := impl.(implementations.Explainer); ok && std.Fate == Unsupported {
		if why, ok := ex.Unsupported()[name]; ok {
			return Cell{Unsupported, why}
		}
	}
	return std
}

// Counts tallies fates per implementation.
func Counts(rows []Row) map[string]map[Fate]int {
	out := map[string]map[Fate]int{}
	for _, name := range Implementations {
		out[name] = map[Fate]int{}
		for _, r := range rows {
			out[name][r.Cells[name].Fate]++
		}
	}
	return out
}
