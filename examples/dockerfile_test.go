package examples_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Dockerfile builds anywhere (`docker build .`: Go in a build stage,
// the scratch runtime last) and, with --target runtime-local, from a binary
// compiled here without pulling anything. The runtime-local stage is built
// for real with podman from a context of its own; the multi-stage build
// needs a Go image from a registry, which this machine cannot reach, so its
// structure is checked instead.

func TestDockerfileRuntimeLocalBuild(t *testing.T) {
	c := container(t)
	ctx := t.TempDir()
	for _, f := range []string{"Dockerfile", ".dockerignore", filepath.Join("hack", "image", "passwd")} {
		if err := os.MkdirAll(filepath.Join(ctx, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, filepath.Join(root, f), filepath.Join(ctx, f), 0o644)
	}
	// The binary TestMain built, static (CGO_ENABLED=0) as make image's.
	if err := os.MkdirAll(filepath.Join(ctx, "bin", "image"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, routeshift, filepath.Join(ctx, "bin", "image", "routeshift"), 0o755)
	// Something .dockerignore keeps out of the context.
	writeFile(t, filepath.Join(ctx, "bin", "kustomize"), "not for the image")

	const image = "localhost/routeshift:dockerfile-test"
	mustRun(t, ctx, c.env, "podman", "build", "--isolation", "chroot", "--pull=never", "--target", "runtime-local", "-t", image, ".")
	t.Cleanup(func() { run(t, ctx, c.env, "podman", "rmi", "-f", image) })

	r := mustRun(t, ".", c.env, "podman", "image", "inspect", "--format", "{{.Config.User}} {{.Config.Entrypoint}}", image)
	if got := strings.TrimSpace(r.stdout); got != "65532:65532 [/usr/local/bin/routeshift]" {
		t.Errorf("user and entrypoint: %q", got)
	}
	r = mustRun(t, ".", c.env, "podman", "run", "--rm", "--network", "none", "--read-only", image, "version")
	contains(t, "routeshift version in the image", r.stdout, "routeshift ", "\ncommit ")

	// `kpt fn doc --image` runs the image with --help: the function's
	// documentation, not the usage of a command line.
	doc := mustRun(t, ".", c.env, kpt(t), "fn", "doc", "--image", image)
	contains(t, "kpt fn doc", doc.stdout, "KRM function", "kind: IngressToGateway", "failOn:", "Commands:")
}

func TestDockerfileStages(t *testing.T) {
	text := readFile(t, filepath.Join(root, "Dockerfile"))
	froms := regexp.MustCompile(`(?m)^FROM (\S+) AS (\S+)$`).FindAllStringSubmatch(text, -1)
	var stages []string
	for _, f := range froms {
		stages = append(stages, f[2]+"<-"+f[1])
	}
	// The default target is the last stage: the runtime built from source.
	if got := strings.Join(stages, " "); got != "build<-${GO_IMAGE} runtime-local<-scratch runtime<-scratch" {
		t.Fatalf("stages: %s", got)
	}
	if !strings.Contains(text, "\nFROM scratch AS runtime\nCOPY --from=build /out/ /\n") {
		t.Error("the runtime stage does not take its files from the build stage")
	}
	// The Go image's version is go.mod's.
	mod := readFile(t, filepath.Join(root, "go.mod"))
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(mod)
	if goLine == nil || !strings.Contains(text, "ARG GO_IMAGE=docker.io/library/golang:"+goLine[1]+"\n") {
		t.Errorf("GO_IMAGE does not default to golang:%v (go.mod)", goLine)
	}
	// Both runtimes end alike: same user, same entrypoint.
	parts := strings.Split(text, "\nFROM scratch AS ")
	if len(parts) != 3 {
		t.Fatalf("want two scratch stages")
	}
	tail := func(s string) string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines[len(lines)-2:], "\n")
	}
	if tail(parts[1]) != tail(parts[2]) || tail(parts[2]) != "USER 65532:65532\nENTRYPOINT [\"/usr/local/bin/routeshift\"]" {
		t.Errorf("the runtimes end differently:\n%s\n--\n%s", tail(parts[1]), tail(parts[2]))
	}
	// The build stage makes the passwd file the runtime needs (kpt runs
	// functions as nobody) from the same file runtime-local copies.
	if !strings.Contains(text, "cp hack/image/passwd /out/etc/passwd") || !strings.Contains(text, "COPY hack/image/passwd /etc/passwd") {
		t.Error("the passwd file is not hack/image/passwd in both runtimes")
	}
	passwd := readFile(t, filepath.Join(root, "hack", "image", "passwd"))
	for _, user := range []string{"nobody:x:65534:65534:", "nonroot:x:65532:65532:"} {
		if !strings.Contains(passwd, user) {
			t.Errorf("hack/image/passwd lacks %s", user)
		}
	}
}
