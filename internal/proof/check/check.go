package check

import (
	"fmt"
	"sync"

	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/probe"
	"github.com/routeshift/routeshift/internal/proof/report"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Side chooses which stack of a dual-stack tree is compared.
type Side string

const (
	SideGateway Side = "gateway"
	SideIngress Side = "ingress"
	SideBoth    Side = "both"
)

// Options configures both models.
type Options struct {
	Side    Side
	Nginx   nginx.Options
	Gateway gateway.Options
	// Accept names reviewed differences that do not count (report.Acceptances).
	Accept []string
}

// Tree is one side of the diff: a name for reports and its objects.
type Tree struct {
	Name    string
	Objects []*kube.Object
	// How says how the side was read (source.Side.How); when set, each
	// comparison's notes start with it, so every report format says
	// whether a side was rendered, read from files or from stdin.
	How string
}

type stack string

const (
	stackIngress stack = "Ingress"
	stackGateway stack = "Gateway API"
)

// stacks reports which data planes a tree describes.
func stacks(objs []*kube.Object) (ingress, gw bool) {
	for _, o := range objs {
		switch o.Kind() {
		case "Ingress":
			ingress = ingress || kube.Group(o.APIVersion()) == "networking.k8s.io"
		case "Gateway", "HTTPRoute", "GRPCRoute":
			gw = gw || kube.Group(o.APIVersion()) == "gateway.networking.k8s.io"
		}
	}
	return ingress, gw
}

// pick returns the stack to evaluate for a tree given a preference; other
// is the stack the other tree uses, for a tree that holds neither.
func pick(objs []*kube.Object, prefer stack, other stack) stack {
	in, gw := stacks(objs)
	switch {
	case in && gw:
		return prefer
	case in:
		return stackIngress
	case gw:
		return stackGateway
	}
	return other
}

// GCPercent is the garbage collector setting `routeshift diff` runs with:
// every object read stays alive until the report is written, so the
// default (100) collects over and over to free almost nothing. 200 keeps
// the realistic 10k estate under 1 GiB (400 took 0.95 GiB for the same CPU
// time within noise; bench/results.md).
const GCPercent = 200

// Report is the result of a diff; see package report for its formats.
type Report = report.Report

// Run compares before with after and returns the report. An error means
// the check could not run: a model could not be built from the objects.
func Run(before, after Tree, opts Options) (*report.Report, error) {
	prefer := stackGateway
	if opts.Side == SideIngress {
		prefer = stackIngress
	}
	type pair struct{ b, a stack }
	var pairs []pair
	add := func(p pair) {
		for _, q := range pairs {
			if q == p {
				return
			}
		}
		pairs = append(pairs, p)
	}
	choose := func(pref stack) pair {
		b := pick(before.Objects, pref, "")
		a := pick(after.Objects, pref, b)
		if b == "" {
			b = a
		}
		if b == "" {
			b, a = pref, pref
		}
		return pair{b, a}
	}
	switch opts.Side {
	case "", SideGateway, SideIngress:
		add(choose(prefer))
	case SideBoth:
		add(choose(stackIngress))
		add(choose(stackGateway))
	default:
		return nil, fmt.Errorf("side %q: want gateway, ingress or both", opts.Side)
	}
	// The models of the two sides are built at once: each build is one
	// goroutine's work, and on two cores the second one would otherwise
	// wait (a quarter of a second each on the realistic 10k estate).
	type build struct {
		t   Tree
		s   stack
		m   routing.Evaluator
		err error
	}
	var builds []*build
	models := map[string]*build{}
	key := func(t Tree, s stack) string { return t.Name + "\x00" + string(s) }
	for _, p := range pairs {
		for _, side := range []struct {
			t Tree
			s stack
		}{{before, p.b}, {after, p.a}} {
			if k := key(side.t, side.s); models[k] == nil {
				b := &build{t: side.t, s: side.s}
				models[k] = b
				builds = append(builds, b)
			}
		}
	}
	var wg sync.WaitGroup
	for _, b := range builds {
		wg.Go(func() {
			if b.s == stackIngress {
				b.m, b.err = nginx.Build(b.t.Objects, opts.Nginx)
			} else {
				b.m, b.err = gateway.Build(b.t.Objects, opts.Gateway)
			}
		})
	}
	wg.Wait()
	// The first failure in the order the models are used, as when they
	// were built one after the other.
	model := func(t Tree, s stack) (routing.Evaluator, error) {
		b := models[key(t, s)]
		if b.err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, b.err)
		}
		return b.m, nil
	}
	var cs []report.Comparison
	for _, p := range pairs {
		bm, err := model(before, p.b)
		if err != nil {
			return nil, err
		}
		am, err := model(after, p.a)
		if err != nil {
			return nil, err
		}
		c := Compare(before.Name+" ("+string(p.b)+")", bm, after.Name+" ("+string(p.a)+")", am)
		var how []string
		if before.How != "" {
			how = append(how, "before: "+before.How)
		}
		if after.How != "" {
			how = append(how, "after: "+after.How)
		}
		c.Notes = append(how, c.Notes...)
		if err := c.Accept(opts.Accept); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return report.New(cs...), nil
}

// Compare probes two models with the requests generated from both and
// compares their answers.
func Compare(beforeName string, before routing.Evaluator, afterName string, after routing.Evaluator) report.Comparison {
	probes := probe.Generate(before.Points(), after.Points())
	c := report.Compare(beforeName, before, afterName, after, probes)
	for _, e := range []routing.Evaluator{before, after} {
		if n, ok := e.(interface{ Notes() []string }); ok {
			c.Notes = append(c.Notes, n.Notes()...)
		}
	}
	return c
}
