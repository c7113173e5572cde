package nginxgatewayfabric

import (
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// hashKey is what NGF's hashMethodKey may hold (the CRD: ^\$[a-z_]+$),
// narrowed to variables nginx always defines: an unknown variable would
// fail nginx's configuration test and stop every route's reload, where
// ingress-nginx's Lua balancer only hashed an empty value.
var hashKey = regexp.MustCompile(`^\$(remote_addr|binary_remote_addr|request_uri|uri|host|args|http_[a-z_]+|cookie_[a-z_]+|arg_[a-z_]+)$`)

// balancing follows ingress-nginx's balancer.lua through the Intent's
// Winner: cookie affinity (which NGF cannot carry: its cookie session
// persistence needs NGINX Plus) over upstream-hash-by over load-balance.
// The winner becomes an UpstreamSettingsPolicy for each Service the
// Ingress's routes forward to: NGF keeps these settings per upstream, as
// ingress-nginx does. It returns the annotations the policies carry, for
// Object.Shared.
func balancing(b *policy.Builder) []string {
	bal := b.Intent().Balance
	winner := bal.Winner()
	ignored := func(k string) {
		if b.Has(k) {
			noEffect(b, k, "ingress-nginx ignores it when "+winner+" is set.")
		}
	}
	hashInvalid := func() {
		policy.Valid(b, bal.HashBy, finding.Warning, "the Services are balanced without hashing")
	}
	lbInvalid := func() {
		policy.Valid(b, bal.LoadBalance, finding.Warning, "ingress-nginx balances round robin; the Services keep NGINX Gateway Fabric's default (random two least_conn)")
	}
	var spec map[string]any
	var carried string
	switch winner {
	case intent.Affinity:
		ignored(intent.HashBy)
		ignored(intent.LoadBalance)
		return nil
	case intent.HashBy:
		ignored(intent.LoadBalance)
		key := strings.ToLower(bal.Expr)
		if !hashKey.MatchString(key) {
			b.Report(finding.Warning, intent.HashBy, "annotation %s: %s cannot be translated: NGINX Gateway Fabric hashes on one nginx variable ($remote_addr, $binary_remote_addr, $request_uri, $uri, $host, $args, $http_<name>, $cookie_<name>, $arg_<name>, lowercase letters and _ only); the Services are balanced by NGINX Gateway Fabric's default (random two least_conn) instead of a consistent hash", intent.HashBy, value.Quote(bal.Expr))
			return nil
		}
		spec, carried = map[string]any{"loadBalancingMethod": "hash consistent", "hashMethodKey": key}, intent.HashBy
	case intent.LoadBalance:
		hashInvalid()
		method := "round_robin"
		if bal.LoadBalance.V == "ewma" {
			method = "least_conn"
		}
		spec, carried = map[string]any{"loadBalancingMethod": method}, intent.LoadBalance
	default:
		hashInvalid()
		lbInvalid()
		return nil
	}
	svcs := services(b)
	for _, s := range svcs {
		pol := map[string]any{"targetRefs": []any{map[string]any{"group": "", "kind": "Service", "name": s.name}}}
		for k, v := range spec {
			pol[k] = v
		}
		b.Add(apiVersion, usp, s.namespace, policy.Fit(s.name), map[string]any{"spec": pol})
	}
	if len(svcs) == 0 && len(b.Input().Routes) > 0 {
		return nil
	}
	if carried == intent.LoadBalance && bal.LoadBalance.V == "round_robin" {
		b.Handle(carried, handling{Resource: supports[carried].Resource, Note: "round_robin is nginx's round_robin, as in ingress-nginx."})
	} else {
		handle(b, carried)
	}
	return []string{carried}
}

type service struct{ namespace, name string }

// services are the Services of the Ingress's routes, sorted; a name that is
// not a Service name is reported and skipped.
func services(b *policy.Builder) []service {
	seen := map[service]bool{}
	var out []service
	for _, r := range b.Input().Routes {
		for _, be := range r.Backends {
			s := service{be.Namespace, be.Name}
			if s.namespace == "" {
				s.namespace = r.Namespace
			}
			if seen[s] {
				continue
			}
			seen[s] = true
			if len(validation.IsDNS1123Label(s.namespace)) > 0 || len(validation.IsDNS1035Label(s.name)) > 0 {
				b.Report(finding.Warning, "", "Service %s of route %s is not a Service name; no UpstreamSettingsPolicy is generated for it", value.Quote(s.namespace+"/"+s.name), value.Quote(r.Name))
				continue
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].namespace != out[j].namespace {
			return out[i].namespace < out[j].namespace
		}
		return out[i].name < out[j].name
	})
	return out
}
