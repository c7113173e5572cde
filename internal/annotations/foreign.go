package annotations

import (
	"slices"
	"strings"
)

// Foreign annotations belong to the other controllers and tools that read
// an Ingress (ClassForeign). Each known key has a stated fate, so the
// accounting of a converted Ingress says what became of it instead of
// lumping it with "no effect on routing". Keys the carry-over moves
// (internal/convert/carryover) are decided there, per Ingress and value;
// the fate here is what holds when it does not decide (for example a
// cert-manager key without an issuer annotation, which ingress-shim
// ignores).

// ForeignFate is what the conversion does with a foreign annotation.
type ForeignFate int

const (
	// ForeignCarried: copied onto the objects generated for the Ingress
	// (its routes and Certificates), where the tool reads it the same way.
	ForeignCarried ForeignFate = iota + 1
	// ForeignMoved: the carry-over moves it to where the tool reads it on
	// Gateway API objects, or reports why it cannot (cert-manager,
	// ExternalDNS); Reason is the fate when the carry-over has nothing to say.
	ForeignMoved
	// ForeignIgnored: bookkeeping of the Ingress object itself, or read
	// from other kinds only; nothing follows from it.
	ForeignIgnored
	// ForeignLost: a tool reads it from Ingresses and has no Gateway API
	// counterpart; whatever it drove stops with the Ingress.
	ForeignLost
)

// ForeignEntry is one known foreign key (or key prefix, ending in '/' or
// '-').
type ForeignEntry struct {
	Key    string
	Owner  string
	Fate   ForeignFate
	Reason string
}

// foreign lists keys exactly and then prefixes; Foreign takes the exact
// key first and the longest prefix after it.
var foreign = []ForeignEntry{
	// kubectl and the API server.
	{"kubectl.kubernetes.io/last-applied-configuration", "kubectl", ForeignIgnored, "kubectl apply's record of the Ingress itself; the generated objects get their own on apply"},
	{"kubernetes.io/change-cause", "kubectl", ForeignIgnored, "describes a change of the Ingress object"},
	{"deployment.kubernetes.io/revision", "kube-controller-manager", ForeignIgnored, "read on Deployments only"},
	// Helm.
	{"meta.helm.sh/release-name", "Helm", ForeignIgnored, "Helm's ownership record; Helm writes it on every object of the release, the generated ones included"},
	{"meta.helm.sh/release-namespace", "Helm", ForeignIgnored, "Helm's ownership record; Helm writes it on every object of the release, the generated ones included"},
	{"helm.sh/resource-policy", "Helm", ForeignCarried, "keeps the objects on helm uninstall"},
	{"helm.sh/hook", "Helm", ForeignIgnored, "makes the Ingress itself a hook; the generated objects are ordinary release objects"},
	{"helm.sh/hook-weight", "Helm", ForeignIgnored, "orders the Ingress as a hook"},
	{"helm.sh/hook-delete-policy", "Helm", ForeignIgnored, "deletes the Ingress as a hook"},
	// Argo CD (argo-cd docs/user-guide/sync-waves.md, sync-options.md, compare-options.md).
	{"argocd.argoproj.io/sync-wave", "Argo CD", ForeignCarried, "the generated objects sync in the Ingress's wave"},
	{"argocd.argoproj.io/sync-options", "Argo CD", ForeignCarried, "the generated objects sync with the Ingress's options (Prune=false, ServerSideApply=true, ...)"},
	{"argocd.argoproj.io/compare-options", "Argo CD", ForeignCarried, "the generated objects are compared with the Ingress's options"},
	{"argocd.argoproj.io/tracking-id", "Argo CD", ForeignIgnored, "Argo CD writes it on every object it applies"},
	{"argocd.argoproj.io/hook", "Argo CD", ForeignIgnored, "makes the Ingress itself a hook"},
	{"argocd.argoproj.io/hook-delete-policy", "Argo CD", ForeignIgnored, "deletes the Ingress as a hook"},
	{"argocd.argoproj.io/manifest-generate-paths", "Argo CD", ForeignIgnored, "read on Applications only"},
	// Flux (kustomize-controller docs/spec/v1/kustomizations.md).
	{"kustomize.toolkit.fluxcd.io/reconcile", "Flux", ForeignCarried, "Flux reconciles the generated objects as it did the Ingress"},
	{"kustomize.toolkit.fluxcd.io/prune", "Flux", ForeignCarried, "Flux prunes the generated objects as it did the Ingress"},
	{"kustomize.toolkit.fluxcd.io/ssa", "Flux", ForeignCarried, "Flux applies the generated objects as it did the Ingress"},
	{"kustomize.toolkit.fluxcd.io/force", "Flux", ForeignCarried, "Flux recreates the generated objects as it did the Ingress"},
	// cert-manager (pkg/apis/certmanager/v1/types.go, pkg/apis/acme/v1/types.go of v1.21.2).
	{"kubernetes.io/tls-acme", "cert-manager", ForeignMoved, "ingress-shim issues a certificate only with it set to true"},
	{"cert-manager.io/issuer", "cert-manager", ForeignMoved, "ingress-shim's issuer"},
	{"cert-manager.io/cluster-issuer", "cert-manager", ForeignMoved, "ingress-shim's issuer"},
	{"cert-manager.io/uri-sans", "cert-manager", ForeignIgnored, "ingress-shim does not read it (helper.go translateAnnotations)"},
	{"cert-manager.io/issue-temporary-certificate", "cert-manager", ForeignIgnored, "read on Certificates, not Ingresses"},
	{"cert-manager.io/certificate-name", "cert-manager", ForeignIgnored, "written on Secrets by cert-manager"},
	{"cert-manager.io/issuer-name", "cert-manager", ForeignIgnored, "written on Secrets by cert-manager"},
	{"cert-manager.io/inject-ca-from", "cert-manager", ForeignIgnored, "read by cainjector on webhooks and CRDs only"},
	{"cert-manager.io/inject-ca-from-secret", "cert-manager", ForeignIgnored, "read by cainjector on webhooks and CRDs only"},
	{"cert-manager.io/", "cert-manager", ForeignMoved, "ingress-shim reads it only with cert-manager.io/issuer, cert-manager.io/cluster-issuer or kubernetes.io/tls-acme: \"true\", which this Ingress lacks"},
	{"acme.cert-manager.io/", "cert-manager", ForeignMoved, "steers ingress-shim's HTTP-01 solver, which issues nothing for this Ingress"},
	// ExternalDNS (source/annotations/annotations.go of v0.22.0).
	{"external-dns.kubernetes.io/", "ExternalDNS", ForeignMoved, "read by ExternalDNS's Ingress source"},
	{"external-dns.alpha.kubernetes.io/", "ExternalDNS", ForeignMoved, "read by ExternalDNS's Ingress source"},
	// Prometheus blackbox probing through Ingress service discovery
	// (kubernetes_sd_configs role: ingress keeps targets by this
	// annotation in the usual relabelling).
	{"prometheus.io/probe", "Prometheus", ForeignLost, "Prometheus's Ingress service discovery probes the Ingress's hosts, and it has no Gateway API role; probe the hosts with a static target or a Probe object once the Ingress is gone"},
	// Service meshes: injection annotations mean nothing on an Ingress.
	{"sidecar.istio.io/inject", "Istio", ForeignIgnored, "read on Pods only"},
	{"linkerd.io/inject", "Linkerd", ForeignIgnored, "read on Pods and Namespaces only"},
}

// Foreign returns the entry for a foreign annotation key: the exact key, or
// else the longest prefix that matches.
func Foreign(key string) (ForeignEntry, bool) {
	var best ForeignEntry
	found := false
	for _, e := range foreign {
		switch {
		case e.Key == key:
			return e, true
		case (strings.HasSuffix(e.Key, "/") || strings.HasSuffix(e.Key, "-")) && strings.HasPrefix(key, e.Key) && len(e.Key) > len(best.Key):
			best, found = e, true
		}
	}
	return best, found
}

// ForeignKeys returns every known foreign key and prefix, sorted.
func ForeignKeys() []ForeignEntry {
	out := slices.Clone(foreign)
	slices.SortFunc(out, func(a, b ForeignEntry) int { return strings.Compare(a.Key, b.Key) })
	return out
}
