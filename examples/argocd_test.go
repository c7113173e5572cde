package examples_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/golden"
)

// pipeline/argocd runs for real: Argo CD's argocd-cmp-server (built from
// Argo CD's module in hack/tools/argocd) serves the project's plugin.yaml on
// a unix socket, with routeshift-argocd, kustomize and routeshift on its
// PATH as in the sidecar image, and cmpclient asks it for manifests the way
// the repo server does (Argo CD's discovery, env and tar stream code).

const argocdGolden = "argocd/.expected/shop.yaml"

type cmpServer struct {
	sockets string // ARGOCD_PLUGINSOCKFILEPATH
	client  string
	log     string
}

// startCMPServer starts argocd-cmp-server with pipeline/argocd/plugin.yaml
// and stops it when the test ends; env is added to the sidecar's.
func startCMPServer(t *testing.T, env ...string) cmpServer {
	t.Helper()
	server := tool(t, "ARGOCD_CMP_SERVER", "argocd-cmp-server", "argocd")
	client := tool(t, "ARGOCD_CMPCLIENT", "argocd-cmpclient", "argocd")
	k := kustomize(t)
	dir := t.TempDir()
	s := cmpServer{sockets: filepath.Join(dir, "plugins"), client: client, log: filepath.Join(dir, "server.log")}
	config, work, path := filepath.Join(dir, "config"), filepath.Join(dir, "work"), filepath.Join(dir, "path")
	for _, d := range []string{s.sockets, config, work, path} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyTree(t, filepath.Join(root, "pipeline", "argocd"), config)
	script, err := filepath.Abs(filepath.Join(root, "pipeline", "argocd", "routeshift-argocd"))
	if err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"routeshift": routeshift, "kustomize": k, "routeshift-argocd": script} {
		if err := os.Symlink(target, filepath.Join(path, name)); err != nil {
			t.Fatal(err)
		}
	}
	logf, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(server, "--config-dir-path", config, "--loglevel", "info", "--logformat", "text")
	// The sidecar's environment: only its own PATH (bash, coreutils and the
	// three tools), and the directories Argo CD's sidecar patch provides.
	cmd.Env = []string{"PATH=" + path + ":/usr/bin:/bin", "HOME=" + dir,
		"ARGOCD_PLUGINSOCKFILEPATH=" + s.sockets, "ARGOCD_CMP_WORKDIR=" + work, "TMPDIR=" + dir}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logf.Close()
	})
	sock := filepath.Join(s.sockets, "routeshift-v1.sock")
	for deadline := time.Now().Add(30 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("argocd-cmp-server did not create %s in 30s:\n%s", sock, readFile(t, s.log))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// generate asks the server for app's manifests, with repo as the checkout.
func (s cmpServer) generate(t *testing.T, app, repo string, args ...string) result {
	t.Helper()
	return run(t, ".", []string{"ARGOCD_PLUGINSOCKFILEPATH=" + s.sockets}, s.client, append([]string{"-app", app, "-repo", repo}, args...)...)
}

func (s cmpServer) mustGenerate(t *testing.T, app, repo string) string {
	t.Helper()
	r := s.generate(t, app, repo)
	if r.code != 0 {
		t.Fatalf("generate: exit %d\n%s\nserver log:\n%s", r.code, r.stderr, readFile(t, s.log))
	}
	return r.stdout
}

// pluginSpec replaces the Application's spec.source.plugin with body
// (lines at the plugin's indentation).
func pluginSpec(t *testing.T, dir, body string) string {
	t.Helper()
	app := readFile(t, "argocd/application.yaml")
	i := strings.Index(app, "    plugin:\n")
	j := strings.Index(app, "  destination:\n")
	if i < 0 || j < i {
		t.Fatal("argocd/application.yaml: no spec.source.plugin before spec.destination")
	}
	p := filepath.Join(dir, fmt.Sprintf("application-%d.yaml", time.Now().UnixNano()))
	writeFile(t, p, app[:i]+"    plugin:\n"+body+app[j:])
	return p
}

func TestArgoCDPlugin(t *testing.T) {
	s := startCMPServer(t)
	repo := t.TempDir()
	copyTree(t, "argocd", repo)
	tmp := t.TempDir()

	// The example as a user applies it: found by discovery, configured by
	// the Application's env.
	r := s.generate(t, "argocd/application.yaml", repo)
	if r.code != 0 {
		t.Fatalf("generate: exit %d\n%s\nserver log:\n%s", r.code, r.stderr, readFile(t, s.log))
	}
	golden.Check(t, argocdGolden, []byte(r.stdout))
	contains(t, "cmpclient's stderr", r.stderr, "source type: Plugin\n", "plugin: discovery configured true")
	contains(t, "the manifests", r.stdout, "  parentRefs:\n  - name: shared\n    namespace: infra\n    sectionName: https\n", "kind: Ingress\n")
	want := r.stdout

	t.Run("parameters", func(t *testing.T) {
		// The same options as plugin parameters (PARAM_*).
		app := pluginSpec(t, tmp, `      parameters:
      - {name: gatewayName, string: shared}
      - {name: gatewayNamespace, string: infra}
      - {name: gatewayCreate, string: "false"}
      - {name: httpSectionName, string: http}
      - {name: httpsSectionName, string: https}
`)
		if got := s.mustGenerate(t, app, repo); got != want {
			t.Errorf("parameters give other manifests than the same env:\n%s", got)
		}
	})

	t.Run("env wins over parameters", func(t *testing.T) {
		app := pluginSpec(t, tmp, `      env:
      - {name: gatewayName, value: shared}
      - {name: gatewayNamespace, value: infra}
      - {name: gatewayCreate, value: "false"}
      - {name: httpSectionName, value: http}
      - {name: httpsSectionName, value: https}
      parameters:
      - {name: gatewayName, string: other}
      - {name: httpsSectionName, string: tls}
`)
		if got := s.mustGenerate(t, app, repo); got != want {
			t.Errorf("a parameter overrode an env entry:\n%s", got)
		}
	})

	t.Run("env option", func(t *testing.T) {
		app := pluginSpec(t, tmp, `      env:
      - {name: gatewayName, value: shared}
      - {name: gatewayNamespace, value: infra}
      - {name: gatewayCreate, value: "false"}
      - {name: httpSectionName, value: http}
      - {name: httpsSectionName, value: https}
      - {name: ingress, value: remove}
`)
		got := s.mustGenerate(t, app, repo)
		if strings.Contains(got, "kind: Ingress\n") || !strings.Contains(got, "kind: HTTPRoute\n") {
			t.Errorf("ingress=remove: want the routes and no Ingress:\n%s", got)
		}
	})

	t.Run("defaults are routeshift's", func(t *testing.T) {
		// No option set: the plugin's defaults must give what routeshift
		// gives with no configuration at all.
		k := kustomize(t)
		rendered := mustRun(t, filepath.Join(repo, "apps/shop"), nil, k, "build", ".").stdout
		direct := mustRunStdin(t, rendered, routeshift, "convert", "-")
		app := pluginSpec(t, tmp, "      {}\n")
		if got := s.mustGenerate(t, app, repo); got != direct {
			t.Errorf("the plugin's defaults differ from routeshift's:\n%s\nwant:\n%s", got, direct)
		}
		// ... and so must every parameter set to the default it announces.
		r := mustRun(t, ".", []string{"ARGOCD_PLUGINSOCKFILEPATH=" + s.sockets}, s.client, "-app", app, "-repo", repo, "-announce")
		var announced []struct {
			Name   string `json:"name"`
			String string `json:"string"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &announced); err != nil {
			t.Fatalf("announcement: %v\n%s", err, r.stdout)
		}
		var params strings.Builder
		for _, p := range announced {
			if p.String != "" {
				fmt.Fprintf(&params, "      - {name: %s, string: %q}\n", p.Name, p.String)
			}
		}
		app = pluginSpec(t, tmp, "      parameters:\n"+params.String())
		if got := s.mustGenerate(t, app, repo); got != direct {
			t.Errorf("the announced defaults differ from routeshift's (%s):\n%s", params.String(), got)
		}
	})

	t.Run("routeshift error fails the generate", func(t *testing.T) {
		broken := t.TempDir()
		copyTree(t, repo, broken)
		writeFile(t, filepath.Join(broken, "apps/shop/legacy.yaml"), brokenIngress)
		replaceIn(t, filepath.Join(broken, "apps/shop/kustomization.yaml"), "- shop.yaml\n", "- shop.yaml\n- legacy.yaml\n")
		r := s.generate(t, "argocd/application.yaml", broken)
		checkGenerateFailed(t, r, append([]string{"`routeshift-argocd` failed exit status 1: "}, brokenIngressErrors...)...)

		app := pluginSpec(t, tmp, "      env:\n      - {name: failOn, value: sometimes}\n")
		r = s.generate(t, app, repo)
		checkGenerateFailed(t, r, "`routeshift-argocd` failed exit status 2: routeshift convert: functionConfig: spec.failOn: \"sometimes\" is not error, warning or never")
	})

	t.Run("kustomize error fails the generate", func(t *testing.T) {
		broken := t.TempDir()
		copyTree(t, repo, broken)
		replaceIn(t, filepath.Join(broken, "apps/shop/kustomization.yaml"), "- shop.yaml\n", "- shop.yaml\n- missing.yaml\n")
		r := s.generate(t, "argocd/application.yaml", broken)
		checkGenerateFailed(t, r, "`routeshift-argocd` failed exit status 2: routeshift render: kustomize build \".\": accumulating resources", "missing.yaml")
	})

	t.Run("remote bases are refused by default", func(t *testing.T) {
		// The review's payload: with `kustomize build` it ran a shell
		// command in the sidecar (git fetch reads the ref as an option).
		hostile := t.TempDir()
		copyTree(t, repo, hostile)
		proof := filepath.Join(t.TempDir(), "proof")
		replaceIn(t, filepath.Join(hostile, "apps/shop/kustomization.yaml"), "- shop.yaml\n",
			"- shop.yaml\n- \"file:///nonexistent/repo?ref=--upload-pack=sh%20-c%20'touch%20"+strings.ReplaceAll(proof, "/", "%2F")+"'\"\n")
		r := s.generate(t, "argocd/application.yaml", hostile)
		checkGenerateFailed(t, r, "`routeshift-argocd` failed exit status 2: routeshift render: ", "kustomization.yaml\": resources: ", "--upload-pack", "only with --allow-remote")
		if _, err := os.Stat(proof); err == nil {
			t.Fatal("the payload ran in the plugin")
		}
	})

	t.Run("bases in ../ within the repository", func(t *testing.T) {
		// The tree render may read is the repository (the working directory
		// minus ARGOCD_APP_SOURCE_PATH), so an overlay's ../ base renders.
		layered := t.TempDir()
		copyTree(t, repo, layered)
		if err := os.MkdirAll(filepath.Join(layered, "apps/common"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(layered, "apps/shop/shop.yaml"), filepath.Join(layered, "apps/common/shop.yaml")); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(layered, "apps/common/kustomization.yaml"), "resources:\n- shop.yaml\n")
		replaceIn(t, filepath.Join(layered, "apps/shop/kustomization.yaml"), "- shop.yaml\n", "- ../common\n")
		if got := s.mustGenerate(t, "argocd/application.yaml", layered); got != want {
			t.Errorf("an overlay of ../common renders differently:\n%s", got)
		}
	})

	t.Run(".routeshift.yaml configuration", func(t *testing.T) {
		configured := t.TempDir()
		copyTree(t, repo, configured)
		writeFile(t, filepath.Join(configured, "apps/shop/.routeshift.yaml"), `apiVersion: routeshift.dev/v1alpha1
kind: IngressToGateway
metadata:
  name: shop
spec:
  gateways:
  - name: shared
    namespace: infra
    sectionNames: {http: http, https: https}
`)
		app := pluginSpec(t, tmp, "      {}\n")
		if got := s.mustGenerate(t, app, configured); got != want {
			t.Errorf(".routeshift.yaml's configuration was not used:\n%s", got)
		}
		r := s.generate(t, "argocd/application.yaml", configured)
		checkGenerateFailed(t, r, "routeshift-argocd: .routeshift.yaml holds a configuration and the Application also sets: gatewayName gatewayNamespace gatewayCreate httpSectionName httpsSectionName; set the options in one place")
	})

	t.Run("plain manifests", func(t *testing.T) {
		plain := t.TempDir()
		copyTree(t, repo, plain)
		if err := os.Remove(filepath.Join(plain, "apps/shop/kustomization.yaml")); err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(tmp, "attach.yaml")
		writeFile(t, cfg, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {gatewayName: shared, gatewayNamespace: infra, httpSectionName: http, httpsSectionName: https}\n")
		direct := mustRun(t, ".", nil, routeshift, "convert", "--config", cfg, filepath.Join(plain, "apps/shop/shop.yaml")).stdout
		if got := s.mustGenerate(t, "argocd/application.yaml", plain); got != reencode(t, direct) {
			t.Errorf("plain manifests: want routeshift convert's objects:\n%s\nwant:\n%s", got, direct)
		}
	})

	t.Run("not discovered without .routeshift.yaml", func(t *testing.T) {
		other := t.TempDir()
		copyTree(t, repo, other)
		if err := os.Remove(filepath.Join(other, "apps/shop/.routeshift.yaml")); err != nil {
			t.Fatal(err)
		}
		r := s.generate(t, "argocd/application.yaml", other)
		if r.code != 1 || !strings.Contains(r.stderr, "source type: Kustomize\n") {
			t.Errorf("want Argo CD's own Kustomize type, got exit %d:\n%s", r.code, r.stderr)
		}
	})
}

func checkGenerateFailed(t *testing.T, r result, wants ...string) {
	t.Helper()
	if r.code != 1 || r.stdout != "" {
		t.Errorf("want a failed generate (exit 1, no manifests), got exit %d:\n%s", r.code, r.stdout)
	}
	contains(t, "the error", r.stderr, append([]string{"cmpclient: error generating manifests in cmp: rpc error: "}, wants...)...)
}

// reencode turns a YAML stream into what Argo CD returns for it: each
// object through JSON and back, keys sorted.
func reencode(t *testing.T, stream string) string {
	t.Helper()
	var docs []string
	for _, doc := range regexp.MustCompile(`(?m)^---\n`).Split(stream, -1) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		docs = append(docs, canonicalYAML(t, doc))
	}
	return strings.Join(docs, "---\n")
}

// One Gateway for every Application: the platform sets the shared
// Gateway once, as the sidecar's ROUTESHIFT_DEFAULT_* env, and an
// Application that sets no option gets exactly what the example
// Application gets by setting them (routes attached to infra/shared, no
// Gateway created); an Application's own option still wins, and a
// misspelt default fails the generate instead of creating Gateways.
func TestArgoCDPlatformDefaults(t *testing.T) {
	shared := []string{"ROUTESHIFT_DEFAULT_GATEWAYCREATE=false", "ROUTESHIFT_DEFAULT_GATEWAYNAME=shared",
		"ROUTESHIFT_DEFAULT_GATEWAYNAMESPACE=infra", "ROUTESHIFT_DEFAULT_HTTPSECTIONNAME=http", "ROUTESHIFT_DEFAULT_HTTPSSECTIONNAME=https"}
	s := startCMPServer(t, shared...)
	repo := t.TempDir()
	copyTree(t, "argocd", repo)
	tmp := t.TempDir()

	got := s.mustGenerate(t, pluginSpec(t, tmp, "      {}\n"), repo)
	if want := readFile(t, argocdGolden); got != want {
		t.Errorf("with the platform's defaults, an Application without options differs from %s:\n%s", argocdGolden, got)
	}
	if strings.Contains(got, "kind: Gateway\n") {
		t.Error("an Application created a Gateway although the platform's default is gatewayCreate=false")
	}

	got = s.mustGenerate(t, pluginSpec(t, tmp, "      env:\n      - {name: gatewayName, value: team-a}\n"), repo)
	contains(t, "an Application's own gatewayName", got, "  parentRefs:\n  - name: team-a\n    namespace: infra\n    sectionName: https\n")

	bad := startCMPServer(t, append(shared, "ROUTESHIFT_DEFAULT_GATEWAY_NAME=shared")...)
	checkGenerateFailed(t, bad.generate(t, pluginSpec(t, tmp, "      {}\n"), repo),
		"routeshift-argocd: sidecar env ROUTESHIFT_DEFAULT_GATEWAY_NAME names no option")
}
