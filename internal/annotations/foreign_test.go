package annotations

import (
	"os"
	"strings"
	"testing"
)

func TestForeign(t *testing.T) {
	for _, c := range []struct {
		key   string
		owner string
		fate  ForeignFate
		ok    bool
	}{
		{"argocd.argoproj.io/sync-wave", "Argo CD", ForeignCarried, true},
		{"cert-manager.io/uri-sans", "cert-manager", ForeignIgnored, true},
		{"cert-manager.io/duration", "cert-manager", ForeignMoved, true},
		{"external-dns.alpha.kubernetes.io/ttl", "ExternalDNS", ForeignMoved, true},
		{"kubectl.kubernetes.io/last-applied-configuration", "kubectl", ForeignIgnored, true},
		{"prometheus.io/probe", "Prometheus", ForeignLost, true},
		{"example.com/owner", "", 0, false},
		{"cert-manager.iox/issuer", "", 0, false},
	} {
		e, ok := Foreign(c.key)
		if ok != c.ok || e.Owner != c.owner || e.Fate != c.fate {
			t.Errorf("Foreign(%q) = %+v, %v; want owner %q fate %v, %v", c.key, e, ok, c.owner, c.fate, c.ok)
		}
	}
}

// Every foreign key is one Classify calls foreign: none may shadow an
// ingress-nginx or another controller's key.
func TestForeignKeysAreForeign(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range ForeignKeys() {
		if seen[e.Key] {
			t.Errorf("%s listed twice", e.Key)
		}
		seen[e.Key] = true
		if e.Owner == "" || e.Reason == "" || e.Fate == 0 {
			t.Errorf("%s: incomplete entry %+v", e.Key, e)
		}
		if c := Classify(e.Key+"x", DefaultPrefix); c != ClassForeign {
			t.Errorf("%s: classified %v, not foreign", e.Key, c)
		}
	}
}

// docs/what-else-moves.md states every foreign key's fate; a key added
// here without a word there fails.
func TestForeignKeysDocumented(t *testing.T) {
	data, err := os.ReadFile("../../docs/what-else-moves.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, e := range ForeignKeys() {
		want := e.Key[strings.LastIndex(e.Key, "/")+1:]
		if strings.HasSuffix(e.Key, "/") {
			want = e.Key + "*"
		}
		if !strings.Contains(doc, "`"+want) && !strings.Contains(doc, " "+want+"`") && !strings.Contains(doc, want+"`") {
			t.Errorf("docs/what-else-moves.md does not mention %s (%q)", e.Key, want)
		}
	}
}
