package carryover

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSplitCSV(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"Acme,Example", []string{"Acme", "Example"}, false},
		{`"Acme, Inc.",Example`, []string{"Acme, Inc.", "Example"}, false},
		{`"say ""hi""",x`, []string{`say "hi"`, "x"}, false},
		{"", []string{""}, false},
		{`"open`, nil, true},
	} {
		got, err := splitCSV(c.in)
		if (err != nil) != c.err || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("splitCSV(%q) = %q, %v; want %q (error %v)", c.in, got, err, c.want, c.err)
		}
	}
}

// certificateSpec writes what ingress-shim would store (durations in Go's
// form, default usages) and refuses what ingress-shim refuses.
func TestCertificateSpec(t *testing.T) {
	spec, err := certificateSpec(map[string]string{
		"cert-manager.io/duration":               "2160h",
		"cert-manager.io/renew-before":           "90m",
		"cert-manager.io/private-key-algorithm":  "ECDSA",
		"cert-manager.io/private-key-size":       "384",
		"cert-manager.io/subject-organizations":  `"Acme, Inc."`,
		"cert-manager.io/alt-names":              "a.example.com,b.example.com",
		"cert-manager.io/revision-history-limit": "3",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(spec)
	want := `{"dnsNames":["a.example.com","b.example.com"],"duration":"2160h0m0s","privateKey":{"algorithm":"ECDSA","size":384},"renewBefore":"1h30m0s","revisionHistoryLimit":3,"subject":{"organizations":["Acme, Inc."]},"usages":["digital signature","key encipherment"]}`
	if string(got) != want {
		t.Errorf("spec\n got %s\nwant %s", got, want)
	}
	for _, bad := range []map[string]string{
		{"cert-manager.io/duration": "90 days"},
		{"cert-manager.io/usages": "server auth,teleport"},
		{"cert-manager.io/private-key-algorithm": "DSA"},
		{"cert-manager.io/private-key-algorithm": "ECDSA", "cert-manager.io/private-key-size": "2048"},
		{"cert-manager.io/private-key-size": "1024"},
		{"cert-manager.io/revision-history-limit": "0"},
		{"cert-manager.io/secret-template": `{"annotations":{"cert-manager.io/x":"y"}}`},
		{"cert-manager.io/secret-template": `{"data":{}}`},
	} {
		if _, err := certificateSpec(bad); err == nil {
			t.Errorf("certificateSpec(%v) accepted what ingress-shim rejects", bad)
		}
	}
}

func TestOutPrefix(t *testing.T) {
	for _, c := range []struct{ configured, key, want string }{
		{"", "external-dns.alpha.kubernetes.io/ttl", ExternalDNSLegacyPrefix},
		{"", "external-dns.kubernetes.io/ttl", ExternalDNSPrefix},
		{ExternalDNSPrefix, "external-dns.alpha.kubernetes.io/ttl", ExternalDNSPrefix},
		{"", "dns.example.com/ttl", "dns.example.com/"},
	} {
		if got := outPrefix(c.configured, c.key); got != c.want {
			t.Errorf("outPrefix(%q, %q) = %q, want %q", c.configured, c.key, got, c.want)
		}
	}
}

func TestIssuerKey(t *testing.T) {
	a := issuerRef{Name: "le", Kind: "ClusterIssuer"}
	b := issuerRef{Name: "le", Kind: "ClusterIssuer", Group: "cert-manager.io"}
	c := issuerRef{Name: "le", Kind: "ClusterIssuer", Group: "awspca.cert-manager.io"}
	if a.key() != b.key() || a.key() == c.key() {
		t.Errorf("keys %q %q %q: the default group must match its absence, another group not", a.key(), b.key(), c.key())
	}
}
