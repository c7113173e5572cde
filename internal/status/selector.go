package status

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// tri is a three-valued truth: the check answers "unknown" where a
// controller would read something the manifests do not hold.
type tri int8

const (
	no tri = iota
	maybe
	yes
)

// metadataNameLabel is set by the API server on every Namespace (since
// Kubernetes 1.22), so a selector on it can be evaluated for a namespace
// the check knows nothing else about.
const metadataNameLabel = "kubernetes.io/metadata.name"

// nsLabels are a namespace's labels as far as they are known.
type nsLabels struct {
	name   string
	labels map[string]string
	known  bool // the Namespace is in the tree or declared
}

func (n nsLabels) get(key string) (value string, present bool, known bool) {
	if key == metadataNameLabel {
		return n.name, true, true
	}
	if !n.known {
		return "", false, false
	}
	v, ok := n.labels[key]
	return v, ok, true
}

// selects evaluates a label selector the way metav1.LabelSelectorAsSelector
// does (requirements ANDed; a nil selector selects nothing, an empty one
// everything), in three values: a requirement on a label of a namespace
// whose labels are unknown is "maybe", unless another requirement already
// fails. The string explains a "no" or "maybe".
func selects(sel *metav1.LabelSelector, ns nsLabels) (tri, string) {
	if sel == nil {
		return no, "the selector is missing, which selects no namespace"
	}
	result, why := yes, ""
	and := func(t tri, msg string) {
		switch {
		case t == no && result != no:
			result, why = no, msg
		case t == maybe && result == yes:
			result, why = maybe, msg
		}
	}
	keys := make([]string, 0, len(sel.MatchLabels))
	for k := range sel.MatchLabels {
		keys = append(keys, k)
	}
	slices.Sort(keys) // map order must not change which reason is shown
	for _, k := range keys {
		want := sel.MatchLabels[k]
		v, present, known := ns.get(k)
		switch {
		case !known:
			and(maybe, fmt.Sprintf("the selector needs label %s of Namespace %s, which is neither in the manifests nor declared", k, ns.name))
		case !present || v != want:
			and(no, fmt.Sprintf("Namespace %s does not have label %s=%s", ns.name, k, want))
		}
	}
	for _, e := range sel.MatchExpressions {
		and(requirement(e, ns))
	}
	return result, why
}

func requirement(e metav1.LabelSelectorRequirement, ns nsLabels) (tri, string) {
	switch e.Operator {
	case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn:
		if len(e.Values) == 0 {
			return no, fmt.Sprintf("the selector is invalid: operator %s on %s needs values", e.Operator, e.Key)
		}
	case metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist:
		if len(e.Values) > 0 {
			return no, fmt.Sprintf("the selector is invalid: operator %s on %s takes no values", e.Operator, e.Key)
		}
	default:
		return no, fmt.Sprintf("the selector is invalid: unknown operator %q", e.Operator)
	}
	v, present, known := ns.get(e.Key)
	if !known {
		return maybe, fmt.Sprintf("the selector needs label %s of Namespace %s, which is neither in the manifests nor declared", e.Key, ns.name)
	}
	var ok bool
	switch e.Operator {
	case metav1.LabelSelectorOpIn:
		ok = present && slices.Contains(e.Values, v)
	case metav1.LabelSelectorOpNotIn:
		ok = !present || !slices.Contains(e.Values, v)
	case metav1.LabelSelectorOpExists:
		ok = present
	case metav1.LabelSelectorOpDoesNotExist:
		ok = !present
	}
	if ok {
		return yes, ""
	}
	req := e.Key + " " + string(e.Operator)
	if len(e.Values) > 0 {
		req += " (" + strings.Join(e.Values, ", ") + ")"
	}
	return no, fmt.Sprintf("Namespace %s does not match %s", ns.name, req)
}
