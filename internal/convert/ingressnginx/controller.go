package ingressnginx

import (
	"regexp"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
)

// What the controller's profile (Options) decides about an Ingress's
// annotations, as ingress-nginx controller-v1.15.1 does it:
//
//   - annotations-risk-level (ConfigMap; High by default since v1.12,
//     Critical from v1.9 to v1.11): annotations.Extract calls every
//     annotation parser's Validate, which fails for an annotation whose
//     risk is above the level (parser/validators.go CheckAnnotationRisk);
//     Extract then returns the error, store.go syncIngress skips the
//     Ingress and the admission webhook (controller.go CheckIngress)
//     rejects it. The snippets are the Critical ones, so under the default
//     level an Ingress with a snippet is not served at all;
//   - --enable-annotation-validation (on by default since v1.12): a value
//     its parser's validator refuses fails Extract the same way. The
//     redirect annotations' validator is parser.URLIsValidRegex, which has
//     no '$': https://host$request_uri, expanded by earlier controllers,
//     refuses the Ingress;
//   - allow-snippet-annotations (false by default since v1.9): where the
//     risk level lets a snippet in, the controller drops it when building
//     the configuration (controller.go dropSnippetDirectives) and the
//     Ingress routes as without it.
//
// internal/proof/nginx models the same rules from the same sources, in its
// own code; fn/agreement_test.go holds the two to one answer.

// redirectValue is parser.URLIsValidRegex (alphaNumericChars and
// urlEnabledChars of parser/validators.go), with ValidateRegex's refusal
// of CR and LF.
var redirectValue = regexp.MustCompile(`^[-._~a-zA-Z0-9/:,?&=]*$`)

// maxRisk is the profile's annotations-risk-level.
func (b *builder) maxRisk() annotations.Risk {
	if b.opt.MaxRisk == 0 {
		return annotations.High
	}
	return b.opt.MaxRisk
}

// validateAnnotations reports, through bad, each annotation for which the
// controller refuses the Ingress. Their fates stay what they will be once
// the error is fixed, as for every Ingress that fails (fn accountFailed).
func (b *builder) validateAnnotations(ing *Ingress, bad func(field, format string, args ...any)) {
	level := b.maxRisk()
	var keys []string
	for k := range ing.Spec.Annotations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		name, ok := annotations.Split(key, b.prefix())
		if !ok {
			continue
		}
		e, ok := annotations.Lookup(name)
		if !ok || e.Risk <= level {
			continue
		}
		hint := ""
		if strings.HasSuffix(name, "-snippet") {
			hint = " (and allowSnippetAnnotations, without which it drops the snippet)"
		}
		since := ""
		if level == annotations.High {
			since = " (the default since ingress-nginx v1.12)"
		}
		bad("metadata.annotations."+key, "annotation %s is %s risk, above annotations-risk-level %s%s: the controller refuses the Ingress; if yours serves it, set spec.controller.annotationsRiskLevel as its ConfigMap does%s", name, e.Risk, level, since, hint)
	}
	if b.opt.NoAnnotationValidation {
		return
	}
	// redirect.go reads temporal-redirect first (GetStringAnnotation runs
	// its validator) and, once it holds a value, never reads
	// permanent-redirect.
	for _, name := range []string{"temporal-redirect", "permanent-redirect"} {
		v, _ := b.annotation(ing, name)
		if v == "" {
			continue
		}
		if !redirectValue.MatchString(v) {
			bad("metadata.annotations."+b.prefix()+"/"+name, "%s %q fails the annotation validation of ingress-nginx v1.12 and later (its URL validator allows only [-._~a-zA-Z0-9/:,?&=], so no nginx variable such as $request_uri): the controller refuses the Ingress; if yours is older or runs with --enable-annotation-validation=false, say so in spec.controller (version, enableAnnotationValidation)", name, clip(v))
		}
		break
	}
}

// snippetNames are the snippet annotations the controller drops unless
// allow-snippet-annotations is true (dropSnippetDirectives).
var snippetNames = []string{"auth-snippet", "configuration-snippet", "modsecurity-snippet", "server-snippet", "stream-snippet"}

// dropSnippets notes, for an Ingress the controller serves with
// allow-snippet-annotations false, that it ignores every snippet, so that
// none is triaged or translated, and says so in a result.
func (b *builder) dropSnippets(ing *Ingress) {
	if b.opt.AllowSnippets {
		return
	}
	for _, name := range snippetNames {
		if _, ok := b.annotation(ing, name); !ok {
			continue
		}
		const why = "allow-snippet-annotations is false, so ingress-nginx drops the snippet (controller.go dropSnippetDirectives) and the Ingress routes as without it; nothing of it is translated"
		ing.Note(name, Ignored, "%s", why)
		if ing.Served {
			b.findings.Infof(ing.Object, "metadata.annotations."+b.prefix()+"/"+name, "%s ignored: %s", name, why)
		}
	}
}
