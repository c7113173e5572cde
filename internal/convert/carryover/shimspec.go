package carryover

// The Certificate fields of cert-manager's ingress-shim annotations, parsed
// as ingress-shim parses them (pkg/controller/certificate-shim/helper.go,
// v1.21.2), kept apart from the placement logic in certmanager.go.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// certificateSpec is translateAnnotations of helper.go: the Certificate
// fields the shim annotations set, before hosts and issuer. Values are
// parsed as ingress-shim parses them, so an annotation it rejects is
// rejected here too, and the written form is the one it would store.
func certificateSpec(ann map[string]string) (map[string]any, error) {
	spec := map[string]any{"usages": []any{"digital signature", "key encipherment"}}
	if v, ok := ann["cert-manager.io/common-name"]; ok {
		spec["commonName"] = v
	}
	if v := ann["cert-manager.io/alt-names"]; v != "" {
		spec["dnsNames"] = toAny(strings.Split(v, ","))
	}
	if v := ann["cert-manager.io/ip-sans"]; v != "" {
		spec["ipAddresses"] = toAny(strings.Split(v, ","))
	}
	if v, ok := ann["cert-manager.io/email-sans"]; ok {
		spec["emailAddresses"] = toAny(strings.Split(v, ","))
	}
	subject := map[string]any{}
	for key, field := range map[string]string{"subject-organizations": "organizations", "subject-organizationalunits": "organizationalUnits",
		"subject-countries": "countries", "subject-provinces": "provinces", "subject-localities": "localities",
		"subject-postalcodes": "postalCodes", "subject-streetaddresses": "streetAddresses"} {
		if v, ok := ann["cert-manager.io/"+key]; ok {
			parts, err := splitCSV(v)
			if err != nil {
				return nil, fmt.Errorf("cert-manager.io/%s: %v", key, err)
			}
			subject[field] = toAny(parts)
		}
	}
	if v, ok := ann["cert-manager.io/subject-serialnumber"]; ok && v != "" {
		subject["serialNumber"] = v
	}
	if len(subject) > 0 {
		spec["subject"] = subject
	}
	for key, field := range map[string]string{"duration": "duration", "renew-before": "renewBefore"} {
		if v, ok := ann["cert-manager.io/"+key]; ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				return nil, fmt.Errorf("cert-manager.io/%s: %v", key, err)
			}
			spec[field] = d.String()
		}
	}
	for key, field := range map[string]string{"renew-before-percentage": "renewBeforePercentage", "revision-history-limit": "revisionHistoryLimit"} {
		if v, ok := ann["cert-manager.io/"+key]; ok {
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || key == "revision-history-limit" && n < 1 {
				return nil, fmt.Errorf("cert-manager.io/%s: %q is not a valid number", key, v)
			}
			spec[field] = n
		}
	}
	if v, ok := ann["cert-manager.io/usages"]; ok {
		var usages []any
		for _, u := range strings.Split(v, ",") {
			u = strings.Trim(u, " ")
			if !slices.Contains(keyUsages, u) {
				return nil, fmt.Errorf("cert-manager.io/usages: %q is not a key usage", u)
			}
			usages = append(usages, u)
		}
		spec["usages"] = usages
	}
	pk := map[string]any{}
	if v, ok := ann["cert-manager.io/private-key-algorithm"]; ok {
		if v != "RSA" && v != "ECDSA" && v != "Ed25519" {
			return nil, fmt.Errorf("cert-manager.io/private-key-algorithm: %q is not RSA, ECDSA or Ed25519", v)
		}
		pk["algorithm"] = v
	}
	if v, ok := ann["cert-manager.io/private-key-encoding"]; ok {
		if v != "PKCS1" && v != "PKCS8" {
			return nil, fmt.Errorf("cert-manager.io/private-key-encoding: %q is not PKCS1 or PKCS8", v)
		}
		pk["encoding"] = v
	}
	if v, ok := ann["cert-manager.io/private-key-size"]; ok {
		n, err := strconv.Atoi(v)
		algo, _ := pk["algorithm"].(string)
		switch {
		case err != nil:
			return nil, fmt.Errorf("cert-manager.io/private-key-size: %q is not a number", v)
		case (algo == "" || algo == "RSA") && (n < 2048 || n > 8192):
			return nil, fmt.Errorf("cert-manager.io/private-key-size: %d is not an RSA size (2048-8192)", n)
		case algo == "ECDSA" && n != 256 && n != 384 && n != 521:
			return nil, fmt.Errorf("cert-manager.io/private-key-size: %d is not an ECDSA size (256, 384, 521)", n)
		}
		pk["size"] = n
	}
	if v, ok := ann["cert-manager.io/private-key-rotation-policy"]; ok {
		if v != "Never" && v != "Always" {
			return nil, fmt.Errorf("cert-manager.io/private-key-rotation-policy: %q is not Never or Always", v)
		}
		pk["rotationPolicy"] = v
	}
	if len(pk) > 0 {
		spec["privateKey"] = pk
	}
	if v, ok := ann["cert-manager.io/secret-template"]; ok {
		var tmpl struct {
			Annotations map[string]string `json:"annotations,omitempty"`
			Labels      map[string]string `json:"labels,omitempty"`
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&tmpl); err != nil {
			return nil, fmt.Errorf("cert-manager.io/secret-template: %v", err)
		}
		for k := range tmpl.Annotations {
			if strings.HasPrefix(k, "cert-manager.io/") {
				return nil, fmt.Errorf("cert-manager.io/secret-template: annotation %q is cert-manager's own", k)
			}
		}
		if len(tmpl.Annotations) > 0 || len(tmpl.Labels) > 0 {
			var t map[string]any
			data, _ := json.Marshal(tmpl)
			_ = json.Unmarshal(data, &t)
			spec["secretTemplate"] = t
		}
	}
	return spec, nil
}

// keyUsages are the names cert-manager accepts (pkg/apis/certmanager/v1
// KeyUsage constants).
var keyUsages = []string{"signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment",
	"cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection",
	"s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc"}

// splitCSV splits like cert-manager's util.SplitWithEscapeCSV: a CSV
// record, so a quoted value may hold commas.
func splitCSV(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quoted, start := false, true
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '"' && start:
			quoted, start = true, false
		case ch == '"' && quoted:
			if i+1 < len(s) && s[i+1] == '"' {
				cur.WriteByte('"')
				i++
			} else {
				quoted = false
			}
		case ch == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
			start = true
		default:
			cur.WriteByte(ch)
			start = false
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	return append(out, cur.String()), nil
}
