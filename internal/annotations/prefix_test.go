package annotations

import "testing"

const customPrefix = "example.com/nginx"

func TestSplit(t *testing.T) {
	tests := []struct {
		key, prefix string
		name        string
		ok          bool
	}{
		{"nginx.ingress.kubernetes.io/rewrite-target", DefaultPrefix, "rewrite-target", true},
		{"nginx.ingress.kubernetes.io/rewrite-target", "", "rewrite-target", true},
		{"nginx.ingress.kubernetes.io/not-an-annotation", DefaultPrefix, "not-an-annotation", true},
		{"nginx.ingress.kubernetes.io/", DefaultPrefix, "", false},
		{"nginx.ingress.kubernetes.io", DefaultPrefix, "", false},
		{"nginx.ingress.kubernetes.io/a/b", DefaultPrefix, "", false},
		{"nginx.ingress.kubernetes.iox/rewrite-target", DefaultPrefix, "", false},
		{"xnginx.ingress.kubernetes.io/rewrite-target", DefaultPrefix, "", false},
		{"NGINX.ingress.kubernetes.io/rewrite-target", DefaultPrefix, "", false},
		{"rewrite-target", DefaultPrefix, "", false},
		{"example.com/nginx/rewrite-target", customPrefix, "rewrite-target", true},
		{"example.com/nginx/ssl-redirect", customPrefix, "ssl-redirect", true},
		{"example.com/nginx-rewrite-target", customPrefix, "", false},
		{"example.com/nginx/", customPrefix, "", false},
		{"nginx.ingress.kubernetes.io/rewrite-target", customPrefix, "", false},
		{"example.com/nginx/rewrite-target", DefaultPrefix, "", false},
	}
	for _, tt := range tests {
		name, ok := Split(tt.key, tt.prefix)
		if name != tt.name || ok != tt.ok {
			t.Errorf("Split(%q, %q) = %q, %v; want %q, %v", tt.key, tt.prefix, name, ok, tt.name, tt.ok)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		key, prefix string
		want        Class
	}{
		{"nginx.ingress.kubernetes.io/rewrite-target", DefaultPrefix, ClassNginx},
		{"nginx.ingress.kubernetes.io/whitelist-source-range", DefaultPrefix, ClassNginx},
		{"nginx.ingress.kubernetes.io/configuration-snippet", "", ClassNginx},
		{"nginx.ingress.kubernetes.io/rewite-target", DefaultPrefix, ClassNginxUnknown},
		{"nginx.ingress.kubernetes.io/Rewrite-Target", DefaultPrefix, ClassNginxUnknown},
		{"nginx.ingress.kubernetes.io/secure-backends", DefaultPrefix, ClassNginxUnknown},
		{"nginx.ingress.kubernetes.io/", DefaultPrefix, ClassNginxUnknown},
		{"nginx.ingress.kubernetes.io/a/b", DefaultPrefix, ClassNginxUnknown},
		{"kubernetes.io/ingress.class", DefaultPrefix, ClassIngressClass},
		{"kubernetes.io/ingress.class", customPrefix, ClassIngressClass},
		{"nginx.org/rewrites", DefaultPrefix, ClassOtherController},
		{"alb.ingress.kubernetes.io/scheme", DefaultPrefix, ClassOtherController},
		{"traefik.ingress.kubernetes.io/router.entrypoints", DefaultPrefix, ClassOtherController},
		{"haproxy.org/path-rewrite", DefaultPrefix, ClassOtherController},
		{"konghq.com/strip-path", DefaultPrefix, ClassOtherController},
		{"ingress.kubernetes.io/rewrite-target", DefaultPrefix, ClassOtherController},
		{"appgw.ingress.kubernetes.io/backend-path-prefix", DefaultPrefix, ClassOtherController},
		{"kubernetes.io/ingress.global-static-ip-name", DefaultPrefix, ClassOtherController},
		{"networking.gke.io/managed-certificates", DefaultPrefix, ClassOtherController},
		{"cert-manager.io/cluster-issuer", DefaultPrefix, ClassForeign},
		{"external-dns.alpha.kubernetes.io/hostname", DefaultPrefix, ClassForeign},
		{"kubectl.kubernetes.io/last-applied-configuration", DefaultPrefix, ClassForeign},
		{"argocd.argoproj.io/sync-wave", DefaultPrefix, ClassForeign},
		{"kubernetes.io/ingress.classx", DefaultPrefix, ClassForeign},
		{"description", DefaultPrefix, ClassForeign},
		{"", DefaultPrefix, ClassForeign},

		// A controller started with --annotations-prefix=example.com/nginx.
		{"example.com/nginx/rewrite-target", customPrefix, ClassNginx},
		{"example.com/nginx/limit-whitelist", customPrefix, ClassNginx},
		{"example.com/nginx/rewite-target", customPrefix, ClassNginxUnknown},
		{"example.com/nginx-rewrite-target", customPrefix, ClassForeign},
		{"example.com/other", customPrefix, ClassForeign},
		{"example.com/nginx/rewrite-target", DefaultPrefix, ClassForeign},
		// Keys under the default prefix address another ingress-nginx
		// deployment; this one ignores them.
		{"nginx.ingress.kubernetes.io/rewrite-target", customPrefix, ClassOtherController},
		{"nginx.org/rewrites", customPrefix, ClassOtherController},

		// The prefix wins over the other-controller list, so a controller
		// configured with the old ingress.kubernetes.io prefix reads its keys.
		{"ingress.kubernetes.io/rewrite-target", "ingress.kubernetes.io", ClassNginx},
		{"ingress.kubernetes.io/rewite-target", "ingress.kubernetes.io", ClassNginxUnknown},
	}
	for _, tt := range tests {
		if got := Classify(tt.key, tt.prefix); got != tt.want {
			t.Errorf("Classify(%q, %q) = %v, want %v", tt.key, tt.prefix, got, tt.want)
		}
	}
}
