package support

import (
	"bytes"
	"fmt"
	"strings"
)

// CountsTable is the Markdown table of fates per implementation that the
// README carries.
func CountsTable(rows []Row) string {
	counts := Counts(rows)
	var b strings.Builder
	b.WriteString("| fate |")
	for _, name := range Implementations {
		fmt.Fprintf(&b, " %s |", name)
	}
	b.WriteString("\n|---|")
	for range Implementations {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, f := range Fates {
		fmt.Fprintf(&b, "| %s |", f)
		for _, name := range Implementations {
			fmt.Fprintf(&b, " %d |", counts[name][f])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Markdown is docs/annotations.md.
func Markdown(rows []Row) []byte {
	var b bytes.Buffer
	b.WriteString(`# ingress-nginx annotations in routeshift

Generated from the code by ` + "`go test ./internal/support -update`" + `; do not edit. For every annotation of the
catalogue (` + fmt.Sprint(len(rows)) + ` names, aliases included, all under the ` + "`nginx.ingress.kubernetes.io/`" + ` prefix or the configured
` + "`annotationsPrefix`" + `), what the conversion does with it for each ` + "`spec.implementation`" + `:

- **converted**: standard Gateway API carries it exactly;
- **policy**: the implementation's own policy carries it exactly;
- **approximated**: carried, with the difference stated here and in the results;
- **unsupported**: not carried; the results warn, naming what would carry it;
- **unsafe**: raw configuration or an injection vector: never translated, an error result by default;
- **no effect**: tunes nginx internals or observability; no effect on routing.

A value can still make one Ingress's fate worse than the table (an invalid URL, a redirect code Gateway API lacks);
the results say so.

## Counts

`)
	b.WriteString(CountsTable(rows))
	b.WriteString(ngfSection)
	b.WriteString("\n## Annotations\n\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "### `%s`\n\n", r.Entry.Name)
		alias := ""
		if r.Entry.AliasOf != "" {
			alias = fmt.Sprintf(", alias of `%s`", r.Entry.AliasOf)
		}
		fmt.Fprintf(&b, "%s risk, %s scope, Gateway API: %s%s. %s\n\n", r.Entry.Risk, strings.ToLower(r.Entry.Scope.String()), tags(r), alias, r.Entry.Gateway)
		b.WriteString("| implementation | fate | how |\n|---|---|---|\n")
		for _, name := range Implementations {
			c := r.Cells[name]
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name, c.Fate, escape(c.How))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func tags(r Row) string {
	var out []string
	for _, t := range r.Entry.Tags {
		out = append(out, t.String())
	}
	return strings.Join(out, "+")
}

func escape(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

// ngfSection says where NGINX Gateway Fabric, being nginx, reproduces
// ingress-nginx exactly where the Envoy-based implementations approximate.
// The citations are to nginx/nginx-gateway-fabric at tag v2.6.7.
const ngfSection = `
## NGINX Gateway Fabric

NGINX Gateway Fabric (checked against v2.6.7) is nginx, as ingress-nginx is, and that makes several things exact
that the Envoy-based implementations approximate:

- **Regex locations.** In ingress-nginx regex mode (` + "`use-regex`, `rewrite-target`" + `) routeshift writes each path of
  the host as a ` + "`RegularExpression`" + ` match ` + "`(?i)^<path>.*`" + `. NGF renders such a match as ` + "`location ~ ^<regex>`" + `
  (` + "`createPath`" + ` in ` + "`internal/controller/nginx/config/servers.go`" + `): a PCRE regex evaluated by nginx, as ingress-nginx's
  ` + "`location ~* \"^<path>\"`" + ` is. The engine is the same, and the ` + "`(?i)`" + ` prefix makes it case-insensitive exactly
  as ` + "`~*`" + ` does; Envoy matches the same value with RE2, whose reading differs from PCRE's in details (` + "`$`" + ` before a
  final newline, Unicode classes). routeshift still refuses, for every implementation, a pattern that does not also
  compile as RE2 (lookaheads, backreferences), although NGF would read it as ingress-nginx did.
- **Which regex wins.** nginx tries regex locations in the order they are written. NGF writes path rules longest
  first (` + "`sortPathRules`" + ` in ` + "`internal/controller/state/dataplane/sort.go`" + `) and ingress-nginx sorts a server's
  locations by path length, longest first, so the first matching regex is the same one; only patterns of equal
  length may be tried in another order. Gateway API leaves regex precedence to the implementation, and the
  Envoy-based ones order by their own rules.
- **Directives.** The policies write the directives ingress-nginx wrote: ` + "`client_max_body_size`" + ` (ClientSettingsPolicy),
  ` + "`proxy_connect_timeout`" + `, ` + "`proxy_read_timeout`" + ` and ` + "`proxy_send_timeout`" + ` (per read and per write, not whole-response
  timeouts) and the ` + "`proxy_buffer*`" + ` directives (ProxySettingsPolicy), ` + "`limit_req_zone`/`limit_req`" + ` on
  ` + "`$binary_remote_addr`" + ` with burst and nodelay (RateLimitPolicy), ` + "`auth_basic`" + ` from the same htpasswd Secret key, so
  every hash nginx reads works (AuthenticationFilter), ` + "`allow`/`deny`" + ` lines built from the parsed ranges
  (SnippetsFilter) and the upstream's balancing method (UpstreamSettingsPolicy).

What still differs is stated per annotation below: cookie affinity (NGF's cookie session persistence needs NGINX
Plus), external authentication and retries (not in NGF open source), the defaults when an annotation is absent
(NGF balances by random two least_conn and buffers responses; ingress-nginx balances round robin and does not
buffer), and the SnippetsFilter, which NGF resolves only when snippets are enabled (otherwise it answers 500 on the
routes that reference it, which denies rather than opens).
`
