package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

// The conventions of cli.go, held for every subcommand: help on stdout with
// exit 0, usage errors with a suggestion and exit 2, a missing file exit 2.

func runCLI(stdin string, args ...string) (string, string, int) {
	var out, errw bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errw)
	return out.String(), errw.String(), code
}

func TestHelpEverySubcommand(t *testing.T) {
	if len(commands) < 7 {
		t.Fatalf("only %d commands listed", len(commands))
	}
	for _, c := range commands {
		for _, flag := range []string{"-h", "--help", "-help"} {
			out, stderr, code := runCLI("", c.name, flag)
			if code != 0 || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q; want 0 and nothing", c.name, flag, code, stderr)
			}
			for _, want := range []string{"routeshift " + c.name + ": ", "\nUsage:\n  routeshift " + c.name, "\nExamples:\n  ", "-h, --help"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s %s: help lacks %q:\n%s", c.name, flag, want, out)
				}
			}
			if c.name != "version" && !strings.Contains(out, "\nFlags:\n  --") {
				t.Errorf("%s %s: help lists no flags:\n%s", c.name, flag, out)
			}
			if c.name != "version" && !strings.Contains(out, "Exit codes: 0") {
				t.Errorf("%s %s: help does not state the exit codes:\n%s", c.name, flag, out)
			}
		}
		// `routeshift help CMD` is the same text.
		viaHelp, _, code := runCLI("", "help", c.name)
		direct, _, _ := runCLI("", c.name, "--help")
		if code != 0 || viaHelp != direct {
			t.Errorf("help %s: exit %d, differs from %s --help", c.name, code, c.name)
		}
	}
}

// The root help is the function's documentation, because `kpt fn doc`
// runs the image with --help.
func TestRootHelpIsTheFunctionDoc(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, stderr, code := runCLI("", args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"KRM function", "kind: IngressToGateway", "ingressClassNames:", "failOn:", "kpt fn eval", "Commands:\n  convert ", "  helm-post-render ", "Exit codes: 0 ok, 1 findings"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: lacks %q", args, want)
			}
		}
	}
}

func TestUsageErrorsSuggest(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"conver", "x"}, `unknown command "conver"; did you mean "convert"?`},
		{[]string{"invetory"}, `did you mean "inventory"?`},
		{[]string{"dif"}, `did you mean "diff"?`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"` + "\nRun 'routeshift --help'"},
		{[]string{"--confg", "x"}, `unknown flag "--confg": flags follow the command`},
		{[]string{"convert", "--confg", "x", "a"}, "routeshift convert: unknown flag --confg; did you mean --config?\nRun 'routeshift convert --help' for usage."},
		{[]string{"diff", "--acept", "x", "a", "b"}, "unknown flag --acept; did you mean --accept?"},
		{[]string{"diff", "--fromat", "json", "a", "b"}, "did you mean --format?"},
		{[]string{"check", "--stric", "a"}, "did you mean --strict?"},
		{[]string{"inventory", "--implementaton", "all", "a"}, "did you mean --implementation?"},
		{[]string{"validate", "--chanel", "standard", "a"}, "did you mean --channel?"},
		{[]string{"helm-post-render", "--confi", "x"}, "did you mean --config?"},
		{[]string{"version", "--verbose"}, "unknown flag --verbose"},
		{[]string{"convert", "--layout", "flat", "--output-dir", "o", "a"}, `--layout "flat": want mirror or namespace`},
		{[]string{"diff", "a"}, "want exactly two arguments"},
		{[]string{"validate", "--channel", "beta", "a"}, `--channel "beta"`},
		{[]string{"helm-post-render", "gatewayName"}, `argument "gatewayName": want KEY=VALUE`},
	} {
		out, stderr, code := runCLI("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

// A missing file is "could not run" (2) for every command that reads files.
func TestMissingFileExit2(t *testing.T) {
	for _, args := range [][]string{
		{"convert", "missing.yaml"},
		{"convert", "-w", "missing.yaml"},
		{"convert", "--config", "missing.yaml", "-"},
		{"check", "missing.yaml"},
		{"check", "--declared", "missing.yaml", "-"},
		{"diff", "missing.yaml", "-"},
		{"inventory", "missing.yaml"},
		{"validate", "missing.yaml"},
		{"helm-post-render", "--config", "missing.yaml"},
	} {
		_, stderr, code := runCLI("", args...)
		if code != 2 || !strings.Contains(stderr, "missing.yaml") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming the file", args, code, stderr)
		}
	}
}

// Plain manifests piped into bare routeshift get told to use convert -.
func TestBareRouteshiftWithPlainYAML(t *testing.T) {
	plain := "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n"
	out, stderr, code := runCLI(plain)
	if code != 2 || out != "" || !strings.Contains(stderr, "routeshift convert -") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A ResourceList whose kind comes after a long items list is still one.
	var rl strings.Builder
	rl.WriteString("apiVersion: config.kubernetes.io/v1\nitems:\n")
	for rl.Len() < 100<<10 {
		rl.WriteString("- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n")
	}
	rl.WriteString("kind: ResourceList\n")
	if _, stderr, code := runCLI(rl.String()); code != 0 {
		t.Errorf("long ResourceList: exit %d, %s", code, stderr)
	}
}

// Flags may follow the arguments, as Helm appends them; "--" ends them.
func TestInterspersedFlags(t *testing.T) {
	fs := newFlags("x")
	w := fs.Bool("w", false, "")
	cfg := fs.String("config", "", "")
	if err := parseInterspersed(fs, []string{"a", "-w", "b", "--config=c", "--", "-d"}); err != nil {
		t.Fatal(err)
	}
	if !*w || *cfg != "c" || strings.Join(fs.Args(), ",") != "a,b,-d" {
		t.Errorf("w=%v config=%q args=%q", *w, *cfg, fs.Args())
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"convret", "convert"}, {"chek", "check"}, {"valid", "validate"}, {"xyz", ""}, {"version", "version"},
	} {
		if got := nearest(tc.in, commandNames()); got != tc.want {
			t.Errorf("nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBuildVersion(t *testing.T) {
	for _, tc := range []struct {
		name         string
		ldflag       string
		bi           *debug.BuildInfo
		want, commit string
	}{
		{"go install @tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}}, "v0.3.0", "unknown"},
		{"go install @commit", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1-0.20261204101010-0123456789ab"}}, "v0.3.1-0.20261204101010-0123456789ab", "0123456789ab"},
		{"checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}}, "(devel)", "abc123 (modified)"},
		{"make", "v0.3.0-2-gabc", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}}}, "v0.3.0-2-gabc", "abc123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := version
			version = tc.ldflag
			defer func() { version = old }()
			v, c := buildVersion(tc.bi)
			if v != tc.want || c != tc.commit {
				t.Errorf("got %q %q, want %q %q", v, c, tc.want, tc.commit)
			}
		})
	}
	out, _, code := runCLI("", "version")
	if code != 0 || !strings.HasPrefix(out, "routeshift ") || !strings.Contains(out, "\ncommit ") {
		t.Errorf("version: %d %q", code, out)
	}
}
