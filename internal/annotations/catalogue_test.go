package annotations

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referencePath is the research table the catalogue was written from, kept
// in the repository (testdata/annotations/SOURCES.md) so that the drift test
// runs everywhere.
const referencePath = "../../testdata/annotations/reference.md"

func TestCatalogueSize(t *testing.T) {
	if got := len(All()); got != 138 {
		t.Fatalf("catalogue has %d entries, want 138", got)
	}
}

var validName = regexp.MustCompile(`^[a-z0-9-]+$`)

func TestNamesSortedUniqueWellFormed(t *testing.T) {
	all := All()
	for i, e := range all {
		if !validName.MatchString(e.Name) {
			t.Errorf("name %q does not match %s", e.Name, validName)
		}
		if i > 0 && all[i-1].Name >= e.Name {
			// Lookup binary-searches, so order is a correctness property.
			t.Errorf("%q is not after %q: names must be unique and sorted", e.Name, all[i-1].Name)
		}
	}
}

func TestEntriesAreComplete(t *testing.T) {
	for _, e := range All() {
		if e.Risk < Low || e.Risk > Critical {
			t.Errorf("%s: invalid risk %v", e.Name, e.Risk)
		}
		if e.Scope != Ingress && e.Scope != Location {
			t.Errorf("%s: invalid scope %v", e.Name, e.Scope)
		}
		if len(e.Tags) == 0 {
			t.Errorf("%s: no tags", e.Name)
		}
		for i, tag := range e.Tags {
			if tag < Core || tag > NotApplicable || slices.Index(e.Tags, tag) != i {
				t.Errorf("%s: Tags %v has an invalid or repeated tag", e.Name, e.Tags)
			}
		}
		if e.Gateway == "" || strings.Contains(e.Gateway, "\n") || len(e.Gateway) > 320 {
			t.Errorf("%s: Gateway note must be one short paragraph, got %d bytes", e.Name, len(e.Gateway))
		}
	}
}

func TestAliases(t *testing.T) {
	want := map[string]string{
		"whitelist-source-range": "allowlist-source-range",
		"limit-whitelist":        "limit-allowlist",
	}
	got := map[string]string{}
	for _, e := range All() {
		if e.AliasOf == "" {
			continue
		}
		got[e.Name] = e.AliasOf
		target, ok := Lookup(e.AliasOf)
		if !ok {
			t.Errorf("%s: alias target %q is not catalogued", e.Name, e.AliasOf)
			continue
		}
		if target.AliasOf != "" {
			t.Errorf("%s: alias target %q is itself an alias", e.Name, target.Name)
		}
		// The controller parses both spellings into the same setting, so
		// they must be reported alike.
		if e.Risk != target.Risk || e.Scope != target.Scope || !slices.Equal(e.Tags, target.Tags) {
			t.Errorf("%s = %v/%v/%v, its target %s = %v/%v/%v", e.Name, e.Risk, e.Scope, e.Tags,
				target.Name, target.Risk, target.Scope, target.Tags)
		}
	}
	if len(got) != len(want) {
		t.Errorf("aliases = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s.AliasOf = %q, want %q", k, got[k], v)
		}
	}
}

func TestSpotChecks(t *testing.T) {
	tests := []struct {
		name  string
		risk  Risk
		scope Scope
		tags  []Tag
	}{
		{"configuration-snippet", Critical, Location, []Tag{Unsafe}},
		{"server-snippet", Critical, Ingress, []Tag{Unsafe}},
		{"auth-tls-match-cn", High, Location, []Tag{Unsafe}},
		{"ssl-redirect", Low, Location, []Tag{Core}},
		{"rewrite-target", Medium, Ingress, []Tag{Extended, Policy}},
		{"canary-weight", Low, Ingress, []Tag{Core}},
		{"canary-by-cookie", Medium, Ingress, []Tag{Policy}},
		{"auth-url", High, Location, []Tag{Experimental}},
		{"app-root", Medium, Location, []Tag{Core, Extended}},
		{"backend-protocol", Low, Location, []Tag{Extended, Core}},
		{"permanent-redirect-code", Low, Location, []Tag{Core, Extended}},
		{"proxy-ssl-secret", Medium, Ingress, []Tag{Core, Extended}},
		{"enable-cors", Low, Ingress, []Tag{Extended}},
		{"use-regex", Low, Location, []Tag{Policy}},
		{"default-backend", Low, Location, []Tag{None}},
		{"proxy-buffering", Low, Location, []Tag{NotApplicable}},
		{"mirror-target", High, Ingress, []Tag{Extended}},
		{"server-alias", High, Ingress, []Tag{Core}},
		{"affinity", Low, Ingress, []Tag{Experimental}},
		{"whitelist-source-range", Medium, Location, []Tag{Policy}},
		{"limit-whitelist", Low, Location, []Tag{Policy}},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.name)
		if !ok {
			t.Errorf("Lookup(%q) failed", tt.name)
			continue
		}
		if e.Name != tt.name || e.Risk != tt.risk || e.Scope != tt.scope || !slices.Equal(e.Tags, tt.tags) {
			t.Errorf("%s = %v/%v/%v, want %v/%v/%v", tt.name, e.Risk, e.Scope, e.Tags, tt.risk, tt.scope, tt.tags)
		}
	}
}

// TestTagCounts pins the totals of the reference table (testdata/annotations/reference.md), so that
// a re-tagged entry shows up as a deliberate change.
func TestTagCounts(t *testing.T) {
	want := map[Tag]int{Core: 20, Extended: 18, Experimental: 7, Policy: 59, None: 11, Unsafe: 7, NotApplicable: 16}
	got := map[Tag]int{}
	for _, e := range All() {
		got[e.Tag()]++
	}
	for tag, n := range want {
		if got[tag] != n {
			t.Errorf("%v: %d entries, want %d", tag, got[tag], n)
		}
	}
}

var referenceRow = regexp.MustCompile("^\\|\\s*\\d+\\s*\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|\\s*\\*\\*([^*]+)\\*\\*\\s*\\|")

// TestMatchesReference keeps the hand-written table from drifting away from
// the research it was taken from: same names, same tags, same risk and scope.
func TestMatchesReference(t *testing.T) {
	f, err := os.Open(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	tagNames := map[string]Tag{}
	for tag := Core; tag <= NotApplicable; tag++ {
		tagNames[tag.String()] = tag
	}

	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := referenceRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name, riskScope, tagText := m[1], m[2], m[3]
		if seen[name] {
			t.Errorf("reference lists %s twice", name)
		}
		seen[name] = true
		e, ok := Lookup(name)
		if !ok {
			t.Errorf("reference annotation %s is not catalogued", name)
			continue
		}

		var tags []Tag
		for _, s := range splitTags(tagText) {
			tag, ok := tagNames[s]
			if !ok {
				t.Errorf("%s: unknown tag %q in reference", name, s)
			}
			tags = append(tags, tag)
		}
		if len(tags) == 0 || e.Tag() != tags[0] {
			t.Errorf("%s: primary tag %v, reference says %q", name, e.Tag(), tagText)
		}
		if !slices.Equal(e.Tags, tags) {
			t.Errorf("%s: tags %v, reference says %q", name, e.Tags, tagText)
		}

		risk, scope, ok := strings.Cut(riskScope, "/")
		if !ok {
			t.Errorf("%s: cannot read risk/scope %q", name, riskScope)
			continue
		}
		risk, scope = strings.TrimSpace(risk), strings.TrimSpace(scope)
		if target, isAlias := strings.CutPrefix(risk, "(alias of "); isAlias {
			target = strings.TrimSuffix(target, ")")
			if !strings.HasPrefix(e.AliasOf, target) {
				t.Errorf("%s: AliasOf %q, reference says alias of %q", name, e.AliasOf, target)
			}
			// Aliases take their target's risk, which TestAliases checks.
		} else if !strings.EqualFold(e.Risk.String(), risk) {
			t.Errorf("%s: risk %v, reference says %q", name, e.Risk, risk)
		}
		if !strings.EqualFold(e.Scope.String(), scope) {
			t.Errorf("%s: scope %v, reference says %q", name, e.Scope, scope)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, e := range All() {
		if !seen[e.Name] {
			t.Errorf("catalogued %s is missing from the reference", e.Name)
		}
	}
}

// splitTags splits a mixed tag such as "CORE+EXT" or "EXT/POLICY". N/A
// contains the separator itself and is therefore matched first.
func splitTags(s string) []string {
	s = strings.TrimSpace(s)
	if s == "N/A" {
		return []string{s}
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == '+' || r == '/' })
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"", "Rewrite-Target", "nginx.ingress.kubernetes.io/rewrite-target", "rewrite-target ", "zzz", "a"} {
		if e, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) = %s, want not found", name, e.Name)
		}
	}
	for _, e := range All() {
		got, ok := Lookup(e.Name)
		if !ok || got.Name != e.Name {
			t.Errorf("Lookup(%q) = %q, %v", e.Name, got.Name, ok)
		}
	}
}

func TestAllAndLookupReturnCopies(t *testing.T) {
	all := All()
	all[0].Name = "changed"
	all[0].Tags[0] = Unsafe
	slices.Reverse(all)

	e, ok := Lookup("affinity")
	if !ok || e.Tags[0] != Experimental {
		t.Fatalf("caller edits leaked into the catalogue: %+v", e)
	}
	e.Tags[0] = Unsafe
	if again, _ := Lookup("affinity"); again.Tags[0] != Experimental {
		t.Fatalf("edit through Lookup leaked into the catalogue: %+v", again)
	}
	if All()[0].Name == "changed" {
		t.Fatal("All shares its slice with the catalogue")
	}
}

func TestHasTag(t *testing.T) {
	e, _ := Lookup("rewrite-target")
	if !e.HasTag(Extended) || !e.HasTag(Policy) || e.HasTag(Core) {
		t.Errorf("rewrite-target HasTag wrong for tags %v", e.Tags)
	}
}

func TestStringsOfInvalidValues(t *testing.T) {
	// Zero values are invalid on purpose and must not print as a real level.
	for _, s := range []string{Risk(0).String(), Scope(0).String(), Tag(0).String(), Class(0).String()} {
		if !strings.HasSuffix(s, "(0)") {
			t.Errorf("zero value prints as %q", s)
		}
	}
}
