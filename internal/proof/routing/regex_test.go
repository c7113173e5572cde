package routing

import "testing"

func TestRegexPrefix(t *testing.T) {
	for expr, want := range map[string]string{
		"(?i)^/API/v1.*":          "/api/v1",
		"^(?:/api/v[0-9]+)$":      "/api/v",
		"^/svc(/|$)(.*)":          "/svc",
		"/api":                    "", // unanchored
		"^/a|/b":                  "", // the caret binds to /a only
		"^(?:/items|/itemz)$":     "/item",
		"(?m)^/x":                 "",
		"^/caf\u00e9":             "/caf",
		"^(/group/(one|two))/end": "/group/",
	} {
		if got := RegexPrefix(expr); got != want {
			t.Errorf("RegexPrefix(%q) = %q, want %q", expr, got, want)
		}
	}
}
