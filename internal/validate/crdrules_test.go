package validate

import (
	"fmt"
	"sort"
	"testing"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	apiservercel "k8s.io/apiserver/pkg/cel"
	"k8s.io/apiserver/pkg/cel/environment"
)

// staticEstimatedCostLimit is apiextensions validation's per-rule limit; that
// package is not imported because it drags in the webhook client (gRPC).
const staticEstimatedCostLimit = 10000000

// TestEveryCELRuleCompiles compiles each x-kubernetes-validations rule on its
// own. cel.NewValidator never fails: a rule that does not compile turns into
// a "rule compile error" on every object that reaches it, so New succeeding
// proves nothing about the rules. This walks the schema the way
// cel.NewValidator does and fails on the first broken or too costly rule.
func TestEveryCELRuleCompiles(t *testing.T) {
	for _, ch := range []Channel{Standard, Experimental} {
		v := validator(t, ch)
		if err := compileAll(v.kinds); err != nil {
			t.Fatalf("%s: %v", ch, err)
		}
		rules := 0
		for gk, k := range v.kinds {
			for _, name := range k.served {
				s := k.versions[name].version.structural
				n, err := compileRules(s, model.SchemaDeclType(s, true), gk.Kind+"."+name)
				if err != nil {
					t.Errorf("%s: %v", ch, err)
				}
				rules += n
			}
		}
		if rules == 0 {
			t.Errorf("%s: no CEL rules found; the walk is broken", ch)
		}
		t.Logf("%s: %d CEL rules compile", ch, rules)
	}
}

func compileRules(s *structuralschema.Structural, decl *apiservercel.DeclType, path string) (int, error) {
	n := 0
	if len(s.XValidations) > 0 {
		results, err := cel.Compile(s, decl, celconfig.PerCallLimit, environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()), cel.StoredExpressionsEnvLoader())
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		for i, r := range results {
			switch {
			case r.Error != nil:
				return 0, fmt.Errorf("%s rule %q: %v", path, s.XValidations[i].Rule, r.Error)
			case r.MessageExpressionError != nil:
				return 0, fmt.Errorf("%s messageExpression %q: %v", path, s.XValidations[i].MessageExpression, r.MessageExpressionError)
			case r.MaxCost > staticEstimatedCostLimit:
				return 0, fmt.Errorf("%s rule %q: estimated cost %d over %d", path, s.XValidations[i].Rule, r.MaxCost, staticEstimatedCostLimit)
			}
		}
		n += len(results)
	}
	var elem *apiservercel.DeclType
	if decl != nil {
		elem = decl.ElemType
	}
	if s.Items != nil {
		m, err := compileRules(s.Items, elem, path+"[]")
		if err != nil {
			return 0, err
		}
		n += m
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Structural != nil {
		m, err := compileRules(s.AdditionalProperties.Structural, elem, path+"{}")
		if err != nil {
			return 0, err
		}
		n += m
	}
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names) // report the same broken rule on every run
	for _, k := range names {
		prop := s.Properties[k]
		var fieldDecl *apiservercel.DeclType
		if escaped, ok := apiservercel.Escape(k); ok {
			if decl == nil {
				continue
			}
			f, ok := decl.Fields[escaped]
			if !ok {
				continue // cel.NewValidator skips fields CEL cannot type
			}
			fieldDecl = f.Type
		} else {
			fieldDecl = model.SchemaDeclType(&prop, prop.XEmbeddedResource)
		}
		m, err := compileRules(&prop, fieldDecl, path+"."+k)
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}
