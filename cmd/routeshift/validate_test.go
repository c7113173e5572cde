package main

import (
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	good := "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ok, namespace: shop}\nspec:\n  rules:\n  - backendRefs: [{name: web, port: 80}]\n"
	bad := "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: bad, namespace: shop}\nspec:\n  rules:\n  - matches:\n    - path: {type: Exact, value: /api}\n    filters:\n    - type: URLRewrite\n      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}\n    backendRefs: [{name: web, port: 80}]\n"
	other := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	out, stderr, code := runBinary(t, good+"---\n"+other, "validate", "-")
	if code != 0 || out != "" || !strings.Contains(stderr, "1 Gateway API objects checked against the standard channel, 0 invalid") {
		t.Errorf("valid input: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	out, _, code = runBinary(t, good+"---\n"+bad, "validate", "-")
	if code != 1 || !strings.Contains(out, "HTTPRoute shop/bad (-[1])") || !strings.Contains(out, "exactly one PathPrefix match must be specified") {
		t.Errorf("invalid input: exit %d, stdout %q", code, out)
	}
	if _, _, code := runBinary(t, "a: [", "validate", "-"); code != 2 {
		t.Errorf("malformed input: exit %d, want 2", code)
	}
}
