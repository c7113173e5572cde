package gatewayapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	_ "github.com/routeshift/routeshift/internal/golden"
)

func rulesWith(counts ...int) []*rule {
	var out []*rule
	for i, n := range counts {
		r := &rule{act: action{key: fmt.Sprint(i)}}
		for j := 0; j < n; j++ {
			r.entries = append(r.entries, entry{loc: &ingressnginx.Location{Path: fmt.Sprintf("/%d/%d", i, j)}})
		}
		out = append(out, r)
	}
	return out
}

func TestChunkRespectsEveryLimit(t *testing.T) {
	for _, counts := range [][]int{{1}, make17(1), {65}, {64, 64, 1}, {200}, {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}} {
		routes := chunk(rulesWith(counts...))
		total, seen := 0, 0
		for _, r := range counts {
			total += r
		}
		for _, route := range routes {
			n := 0
			if len(route) > maxRules {
				t.Errorf("%v: %d rules in one route", counts, len(route))
			}
			for _, ru := range route {
				if len(ru.entries) > maxMatchesInRule {
					t.Errorf("%v: %d matches in one rule", counts, len(ru.entries))
				}
				n += len(ru.entries)
			}
			if n > maxMatchesRoute {
				t.Errorf("%v: %d matches in one route", counts, n)
			}
			seen += n
		}
		if seen != total {
			t.Errorf("%v: %d matches in, %d out", counts, total, seen)
		}
	}
}

func make17(n int) []int {
	out := make([]int, 17)
	for i := range out {
		out[i] = n
	}
	return out
}

func TestNamesAreValidAndUnique(t *testing.T) {
	n := names{}
	long := strings.Repeat("a", 80) + ".example.com"
	a := n.take("ns", "web-"+slug(long))
	b := n.take("ns", "web-"+slug(long))
	if len(a) > maxName || len(b) > maxName || a == b {
		t.Errorf("names %q and %q", a, b)
	}
	if got := slug("*.example.com"); got != "wildcard-example-com" {
		t.Errorf("slug %q", got)
	}
	if n.take("other", "web") != "web" {
		t.Errorf("names are per namespace")
	}
}

func TestGatewayPath(t *testing.T) {
	for p, ok := range map[string]bool{"/": true, "/a/b-c_d.e~f": true, "/%20x": true, "/a//b": false, "/a/../b": false, "/a/.": false, "/a b": false, "/a(/|$)(.*)": false, "/%2Fx": false, "/%zz": false} {
		if got := gatewayPath(p) == ""; got != ok {
			t.Errorf("%q: valid=%v, want %v", p, got, ok)
		}
	}
}

func TestTargetSelection(t *testing.T) {
	ing := &ingressnginx.Ingress{Namespace: "shop", Class: "nginx"}
	targets := []*Target{
		{Name: "internal", IngressClassNames: []string{"internal"}},
		{Name: "shop", Namespaces: []string{"shop"}, Hosts: []string{"*.shop.example"}},
		{Name: "all"},
	}
	for host, want := range map[string]string{"a.shop.example": "shop", "a.b.shop.example": "shop", "other.example": "all"} {
		if got := pick(targets, host, ing); got.Name != want {
			t.Errorf("%s: %s, want %s", host, got.Name, want)
		}
	}
}
