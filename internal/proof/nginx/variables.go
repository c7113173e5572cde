package nginx

import (
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// ingress-nginx renders permanent-redirect and temporal-redirect verbatim
// into `return <code> <url>;` (rootfs/etc/nginx/template/nginx.tmpl), and
// nginx replaces the variables in <url> per request. Controllers before
// v1.12 did so by default; from v1.12 --enable-annotation-validation is on
// by default and its URL validator (parser.URLIsValidRegex) has no '$', so
// the Ingress is rejected. The profile's version decides
// (Profile.refusesAnnotations): from v1.12 (or with EnableAnnotationValidation)
// the Ingress is not served; before, this expands the variables as nginx did.

// expandVariables replaces the nginx variables of a redirect URL with
// their values for r. ok is false, with the variable named in why, for a
// variable whose value the model does not know.
func expandVariables(v string, r *routing.Request, s *server) (out, why string, ok bool) {
	if !strings.Contains(v, "$") {
		return v, "", true
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		if v[i] != '$' {
			b.WriteByte(v[i])
			i++
			continue
		}
		name, next := variableName(v, i+1)
		if name == "" {
			return "", "a '$' without a variable name in the redirect URL (nginx refuses the configuration)", false
		}
		val, known := variable(name, r, s)
		if !known {
			return "", "the redirect URL uses the nginx variable $" + name + ", which this model does not evaluate", false
		}
		b.WriteString(val)
		i = next
	}
	return b.String(), "", true
}

// variableName reads "name" or "{name}" at v[i:], as ngx_http_script does:
// letters, digits and '_'.
func variableName(v string, i int) (string, int) {
	braced := i < len(v) && v[i] == '{'
	if braced {
		i++
	}
	j := i
	for j < len(v) && (v[j] == '_' || 'a' <= v[j] && v[j] <= 'z' || 'A' <= v[j] && v[j] <= 'Z' || '0' <= v[j] && v[j] <= '9') {
		j++
	}
	name := v[i:j]
	if braced {
		if j >= len(v) || v[j] != '}' {
			return "", j
		}
		j++
	}
	return name, j
}

// variable is the value of one nginx variable (ngx_http_variables.c) for
// the request; known is false for those the model does not evaluate.
func variable(name string, r *routing.Request, s *server) (val string, known bool) {
	query := r.RawQuery()
	switch name {
	case "request_uri":
		// The request line's target, as the client sent it.
		if query != "" {
			return r.Path + "?" + query, true
		}
		return r.Path, true
	case "uri", "document_uri":
		return normalizeURI(r.Path), true
	case "args", "query_string":
		return query, true
	case "is_args":
		if query != "" {
			return "?", true
		}
		return "", true
	case "scheme":
		return r.Scheme, true
	case "host":
		return strings.ToLower(r.Hostname()), true
	case "http_host":
		return r.Host, true
	case "server_name":
		return s.host, true
	}
	return "", false
}
