package kgateway

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/envoy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/htpasswd"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// Implementation is kgateway, spec.implementation "kgateway".
var Implementation implementations.Implementation = impl{}

type impl struct{}

var _ implementations.Explainer = impl{}

func (impl) Name() string { return "kgateway" }

func (impl) Supports() map[string]implementations.Handling { return maps.Clone(supports) }

func (impl) Unsupported() map[string]string { return maps.Clone(unsupported) }

// Translate emits at most one TrafficPolicy per Ingress (kgateway merges
// policies of a kind by priority, so one per Ingress keeps the outcome
// obvious), plus the GatewayExtension, Secret and ReferenceGrant it needs.
func (impl) Translate(in implementations.Input) implementations.Output {
	b := policy.New(in)
	bodySize(b)
	read := timeouts(b)
	retries(b, read)
	basicAuth(b)
	extAuth(b)
	return b.Output()
}

func handle(b *policy.Builder, name string) { b.Handle(name, supports[name]) }

// noEffect records an annotation whose value nginx ignores in this
// combination (see policy.Builder.NoEffect).
func noEffect(b *policy.Builder, name, why string) { b.NoEffect(name, supports[name], why) }

// bodySize maps nginx's client_max_body_size to buffer.maxRequestSize; see
// envoy.MaxBuffered for why large limits are left out.
func bodySize(b *policy.Builder) {
	v := b.Intent().BodySize
	n, ok := policy.Valid(b, v, finding.Warning, "ingress-nginx ignores it and limits bodies to 1m; the routes get no limit")
	name := v.Name
	switch {
	case !ok:
	case n == 0:
		noEffect(b, name, "0 turns nginx's body size limit off; kgateway sets none.")
	case n > envoy.MaxBuffered:
		b.Report(finding.Warning, name, "annotation %s: %s not translated: kgateway enforces a body limit only by buffering each request whole in memory, which is unsafe above %s; the routes have no body size limit", name, value.Quantity(n), value.Quantity(envoy.MaxBuffered))
	case envoy.IsGRPC(b.Input().Annotations["backend-protocol"]):
		b.Report(finding.Warning, name, "annotation %s: not translated for a gRPC backend: request buffering breaks gRPC streaming; the routes have no body size limit", name)
	default:
		b.Spec(apiVersion, tp)["buffer"] = map[string]any{"maxRequestSize": value.Quantity(n)}
		handle(b, name)
	}
}

// timeouts maps read to the whole-response timeout and send to the stream
// idle timeout, as package envoygateway does and for the same reasons. It
// returns the request timeout it set, in seconds (0 for none),
// which bounds the per-try timeout.
func timeouts(b *policy.Builder) int64 {
	it := b.Intent().Timeouts
	const instead = "ingress-nginx ignores it and uses its default; the routes keep kgateway's default"
	t := map[string]any{}
	read, readOK := policy.Valid(b, it.Read, finding.Warning, instead)
	if readOK {
		t["request"] = value.Duration(read)
		handle(b, it.Read.Name)
	}
	if send, ok := policy.Valid(b, it.Send, finding.Warning, instead); ok {
		idle := max(send, intent.NginxRead)
		if readOK {
			idle = max(send, read)
		}
		t["streamIdle"] = value.Duration(idle)
		handle(b, it.Send.Name)
	}
	if len(t) > 0 {
		b.Spec(apiVersion, tp)["timeouts"] = t
	}
	return read
}

// retries maps the proxy-next-upstream family to a retry policy, spelling
// out nginx's defaults for the members not set, as package envoygateway
// does.
func retries(b *policy.Builder, requestTimeout int64) {
	rt, ok := envoy.ReadRetry(b, envoy.RetryHooks{
		Vendor:   "kgateway",
		Handle:   func(name string) { handle(b, name) },
		NoEffect: func(name, why string) { noEffect(b, name, why) },
		PerTry: func(s int64) bool {
			if requestTimeout > 0 && s >= requestTimeout {
				b.Report(finding.Warning, envoy.NextUpstreamTimeout, "annotation %s: not translated: kgateway requires the per-try timeout to be below the read timeout (%s); the retries are bounded by the read timeout only", envoy.NextUpstreamTimeout, value.Duration(requestTimeout))
				return false
			}
			return true
		},
	})
	if !ok {
		return
	}
	triggers, codes, attempts, perTry := rt.Triggers, rt.Codes, rt.Retries, rt.PerTry
	if attempts == 0 || len(triggers)+len(codes) == 0 {
		return // one try, or nothing to retry on: kgateway's default
	}
	r := map[string]any{"attempts": attempts}
	if len(triggers) > 0 {
		r["retryOn"] = policy.List(triggers)
	}
	if len(codes) > 0 {
		r["statusCodes"] = policy.List(codes) // kgateway adds retriable-status-codes itself
	}
	if perTry != "" {
		r["perTryTimeout"] = perTry
	}
	b.Spec(apiVersion, tp)["retry"] = r
}

// basicAuth references the ingress-nginx Secret itself when kgateway can
// read it (kgateway takes any key), and otherwise a generated copy. Every
// failure still emits the basicAuth section, referencing the copy that was
// not generated: kgateway then answers 500 on the routes (it replaces routes
// whose policies fail) until someone creates it, as ingress-nginx denies a
// location whose authentication is broken.
func basicAuth(b *policy.Builder) {
	ba := b.Intent().Basic
	typ, secret, secretType, realm := ba.Type.Name, ba.Secret.Name, ba.SecretType.Name, ba.Realm.Name
	if !ba.Type.Set {
		for _, k := range []string{secret, secretType, realm} {
			if b.Has(k) {
				noEffect(b, k, "No effect without auth-type.")
			}
		}
		return
	}
	in := b.Input()
	copyRef := value.Ref{Namespace: in.Namespace, Name: b.Name("htpasswd")}
	refer := func(ref map[string]any) { b.Spec(apiVersion, tp)["basicAuth"] = map[string]any{"secretRef": ref} }
	refer(map[string]any{"name": copyRef.Name})
	closed := fmt.Sprintf("the TrafficPolicy references Secret %s, which is not generated: until it exists with a .htpasswd key of {SHA} users, kgateway answers 500 on these routes", copyRef)

	if err := htpasswd.Type(ba.Type, "kgateway"); err != nil {
		b.Invalid(finding.Error, typ, err, closed)
		return
	}
	if !ba.Secret.Set {
		b.Report(finding.Error, typ, "annotation %s: basic authentication without auth-secret; %s", typ, closed)
		return
	}
	ref, err := ba.Secret.V, ba.Secret.Err
	if err == nil && ref == copyRef {
		err = errors.New("the Secret has the name of the one generated from it")
	}
	if err != nil {
		b.Invalid(finding.Error, secret, err, closed)
		return
	}
	if _, ok := policy.Valid(b, ba.SecretType, finding.Error, closed); ba.SecretType.Set && !ok {
		return
	}
	kind := ba.Kind()
	data, inInput := in.Secrets[ref.String()]
	switch {
	case ref.Namespace != in.Namespace:
		// kgateway reads another namespace's Secret only with a
		// ReferenceGrant there, which would let this namespace read it:
		// that is for its owner to decide, so none is generated.
		refer(map[string]any{"name": ref.Name, "namespace": ref.Namespace, "key": "auth"})
		if kind == "auth-map" {
			refer(map[string]any{"name": copyRef.Name})
		}
		b.Report(finding.Error, secret, "annotation %s: Secret %s is in another namespace; kgateway reads it only with a ReferenceGrant in %s from TrafficPolicy in %s, which is not generated because it grants access to a Secret: until its owner creates it (auth-file) or the users are copied here (auth-map), kgateway answers 500 on these routes", secret, ref, ref.Namespace, in.Namespace)
		return
	case !inInput && kind == "auth-map":
		b.Report(finding.Error, secret, "annotation %s: Secret %s is not in the input, and an auth-map Secret must be to be converted; %s", secret, ref, closed)
		return
	case !inInput:
		refer(map[string]any{"name": ref.Name, "key": "auth"})
		h := supports[secret]
		h.Approximated = true
		h.Note = "Secret " + ref.String() + " is not in the input, so its hashes were not checked: kgateway answers 500 on these routes if any user's hash is not {SHA}."
		b.Handle(secret, h)
	default:
		users, err := htpasswd.Read(data, kind)
		if err != nil {
			b.Report(finding.Error, secret, "annotation %s: Secret %s cannot be used: %v; %s", secret, ref, err, closed)
			return
		}
		if users.AsIs {
			refer(map[string]any{"name": ref.Name, "key": "auth"})
		} else {
			b.Add("v1", "Secret", copyRef.Namespace, copyRef.Name, map[string]any{
				"type": "Opaque",
				"data": map[string]any{".htpasswd": base64.StdEncoding.EncodeToString([]byte(strings.Join(users.Lines, "\n") + "\n"))},
			})
		}
		handle(b, secret)
	}
	handle(b, typ)
	if ba.SecretType.Set {
		handle(b, secretType)
	}
	if _, ok := policy.Valid(b, ba.Realm, finding.Warning, "the realm is not shown"); ok {
		handle(b, realm)
	}
}
