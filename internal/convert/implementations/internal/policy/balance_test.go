package policy

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

func TestHashByAndLoadBalance(t *testing.T) {
	for _, c := range []struct {
		hash, lb         string
		ok, hashes       bool
		kind             value.HashKind
		balance, message string
	}{
		{hash: "$remote_addr", lb: "ewma", ok: true, hashes: true, kind: value.HashSourceIP, balance: "ewma"},
		{hash: "$http_x_user", ok: true, hashes: true, kind: value.HashHeader},
		{hash: "$host$request_uri", hashes: true, message: "the Services are balanced by Istio's default"},
		{hash: "$bad\x00", lb: "random", message: "least-request default"},
		{lb: "round_robin", balance: "round_robin"},
	} {
		ann := map[string]string{}
		if c.hash != "" {
			ann["upstream-hash-by"] = c.hash
		}
		if c.lb != "" {
			ann["load-balance"] = c.lb
		}
		b := New(implementations.Input{Namespace: "shop", Name: "web", Annotations: ann})
		key, ok, hashes := b.HashBy("Services", "Istio")
		lb := b.LoadBalance("Services", "Istio")
		if ok != c.ok || hashes != c.hashes || ok && key.Kind != c.kind || lb != c.balance {
			t.Errorf("%q/%q: key %v ok %v hashes %v balance %q", c.hash, c.lb, key, ok, hashes, lb)
		}
		var msgs []string
		for _, f := range b.Output().Findings {
			msgs = append(msgs, f.Message)
		}
		if got := strings.Join(msgs, "\n"); c.message == "" && got != "" || !strings.Contains(got, c.message) {
			t.Errorf("%q/%q: findings %q, want one containing %q", c.hash, c.lb, got, c.message)
		}
	}
}

func TestAllowlistName(t *testing.T) {
	h := implementations.Handling{Resource: "X"}
	for _, c := range []struct {
		ann     map[string]string
		want    string
		handled bool
	}{
		{map[string]string{}, "allowlist-source-range", false},
		{map[string]string{"whitelist-source-range": "10.0.0.0/8"}, "whitelist-source-range", false},
		{map[string]string{"allowlist-source-range": "10.0.0.0/8", "whitelist-source-range": "10.0.0.0/8"}, "allowlist-source-range", true},
	} {
		b := New(implementations.Input{Namespace: "shop", Name: "web", Annotations: c.ann})
		got := b.AllowlistName(h)
		_, handled := b.Output().Handled["whitelist-source-range"]
		if got != c.want || handled != c.handled {
			t.Errorf("%v: %q (old name handled: %v), want %q (%v)", c.ann, got, handled, c.want, c.handled)
		}
	}
}
