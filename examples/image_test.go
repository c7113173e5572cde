package examples_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/testtool"
)

// The image tests run the project's image (`make image`) with podman, as
// kustomize and kpt run it. Where podman cannot run, `make test` keeps the
// reason in bin/image.err (ROUTESHIFT_IMAGE_ERROR) and these tests fail with
// it.

// containerEnv is what an image test needs: the image, and the environment
// that makes kustomize and kpt run it with the project-local podman while
// logging podman's arguments.
type containerEnv struct {
	image string
	env   []string // PATH (docker shim, logging podman), CONTAINERS_*, KPT_FN_RUNTIME
	log   string   // one line per podman invocation
}

func container(t *testing.T) containerEnv {
	t.Helper()
	if p := os.Getenv("ROUTESHIFT_IMAGE_ERROR"); p != "" {
		if msg, err := os.ReadFile(p); err == nil {
			testtool.Missing(t, "the routeshift image", "it could not be built, so it cannot be run (make image):\n%s", msg)
		}
	}
	podman, err := exec.LookPath("podman")
	if err != nil {
		testtool.Missing(t, "podman", "not found: install podman and runc (make podman), then build the image (make image)")
	}
	image := os.Getenv("ROUTESHIFT_IMAGE")
	if image == "" {
		image = defaultImage
	}
	var env []string
	podmanDir, err := filepath.Abs(filepath.Join(root, "bin", "podman"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ name, file string }{{"CONTAINERS_CONF", "containers.conf"}, {"CONTAINERS_STORAGE_CONF", "storage.conf"}} {
		p := os.Getenv(v.name)
		if p == "" {
			p = filepath.Join(podmanDir, v.file)
		}
		if _, err := os.Stat(p); err != nil {
			testtool.Missing(t, "podman", "%s: %v (run `make podman`)", v.name, err)
		}
		env = append(env, v.name+"="+p)
	}
	shim := os.Getenv("PODMAN_SHIM")
	if shim == "" {
		shim = filepath.Join(podmanDir, "shim")
	}
	if _, err := os.Stat(filepath.Join(shim, "docker")); err != nil {
		testtool.Missing(t, "podman", "the docker shim for kustomize: %v (run `make podman`)", err)
	}
	// A podman in front of the real one records the arguments kpt and
	// kustomize (through the shim) pass, so the tests can check them.
	wrap := t.TempDir()
	log := filepath.Join(wrap, "podman.log")
	writeFile(t, filepath.Join(wrap, "podman"), "#!/bin/sh\necho \"podman $*\" >>"+log+"\nexec "+podman+" \"$@\"\n")
	if err := os.Chmod(filepath.Join(wrap, "podman"), 0o755); err != nil {
		t.Fatal(err)
	}
	env = append(env, withPath(wrap, shim), "KPT_FN_RUNTIME=podman")
	if r := run(t, ".", env, "podman", "image", "exists", image); r.code != 0 {
		t.Fatalf("image %s is not in the project's podman store: run `make image`\n%s", image, r.stderr)
	}
	return containerEnv{image: image, env: env, log: log}
}

// runs returns the `podman run` lines logged so far.
func (c containerEnv) runs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(c.log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var runs []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "podman run ") {
			runs = append(runs, l)
		}
	}
	return runs
}

// checkIsolated: every container ran with no network, as a non-root user.
func (c containerEnv) checkIsolated(t *testing.T, wantRuns int) {
	t.Helper()
	runs := c.runs(t)
	if len(runs) != wantRuns {
		t.Fatalf("want %d podman run, got %d:\n%s", wantRuns, len(runs), strings.Join(runs, "\n"))
	}
	for _, r := range runs {
		if !strings.Contains(r, " --network none ") || !strings.Contains(r, " --user nobody ") || !strings.HasSuffix(r, " "+c.image) {
			t.Errorf("want --network none, --user nobody and the image %s last: %s", c.image, r)
		}
	}
}

// The image is what the Dockerfile promises: a numeric non-root user and
// function mode as the entrypoint, and it runs as any user with no network.
func TestImage(t *testing.T) {
	c := container(t)
	r := mustRun(t, ".", c.env, "podman", "image", "inspect", c.image)
	var inspect []struct {
		Config struct {
			User       string
			Entrypoint []string
			Cmd        []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v\n%s", err, r.stdout)
	}
	cfg := inspect[0].Config
	if cfg.User != "65532:65532" || strings.Join(cfg.Entrypoint, " ") != "/usr/local/bin/routeshift" || len(cfg.Cmd) != 0 {
		t.Errorf("image config: user %q, entrypoint %q, cmd %q; want 65532:65532, [/usr/local/bin/routeshift], none", cfg.User, cfg.Entrypoint, cfg.Cmd)
	}
	in := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + indent(readFile(t, filepath.Join("kustomize", "base", "shop.yaml")))
	for _, user := range []string{"", "nobody"} {
		// Read-only root, no network: the function needs neither.
		args := []string{"run", "--rm", "-i", "--read-only", "--network", "none"}
		if user != "" {
			args = append(args, "--user", user)
		}
		cmd := exec.Command("podman", append(args, c.image)...)
		cmd.Env = append(os.Environ(), c.env...)
		cmd.Stdin = strings.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			msg := ""
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, msg)
		}
		want := mustRunStdin(t, in, routeshift)
		if string(out) != want {
			t.Errorf("user %q: the image's output differs from the binary's:\n%s", user, out)
		}
	}
}

// indent turns a YAML stream into the items of a ResourceList.
func indent(stream string) string {
	var b strings.Builder
	for _, doc := range strings.Split(stream, "\n---\n") {
		first := true
		for _, l := range strings.Split(strings.TrimRight(doc, "\n"), "\n") {
			if strings.HasPrefix(l, "#") || l == "" {
				continue
			}
			if first {
				b.WriteString("- " + l + "\n")
				first = false
			} else {
				b.WriteString("  " + l + "\n")
			}
		}
	}
	return b.String()
}

func mustRunStdin(t *testing.T, stdin, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}
