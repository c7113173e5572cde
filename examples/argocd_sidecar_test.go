package examples_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/golden"

	"github.com/routeshift/routeshift/internal/testtool"
)

// The sidecar, as examples/argocd/install deploys it: pipeline/argocd's
// component applied to Argo CD's own install.yaml (from the Argo CD module
// that hack/tools/argocd builds), and then that container run with podman
// as the pod would run it: the sidecar image, its user, read-only root and
// dropped capabilities, argocd-cmp-server from the shared var-files volume,
// the socket in the shared plugins volume, its own /tmp, and no network.

const sidecarGolden = "argocd/.expected/argocd-repo-server.yaml"

type podContainer struct {
	Name            string   `json:"name"`
	Image           string   `json:"image"`
	Command         []string `json:"command"`
	SecurityContext struct {
		RunAsNonRoot             *bool `json:"runAsNonRoot"`
		RunAsUser                *int  `json:"runAsUser"`
		AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `json:"drop"`
		} `json:"capabilities"`
	} `json:"securityContext"`
	VolumeMounts []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
	} `json:"volumeMounts"`
}

type deployment struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Template struct {
			Spec struct {
				InitContainers []podContainer `json:"initContainers"`
				Containers     []podContainer `json:"containers"`
				Volumes        []struct {
					Name     string    `json:"name"`
					EmptyDir *struct{} `json:"emptyDir"`
				} `json:"volumes"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// componentRef is the remote reference examples/argocd/install uses:
// routeshift's repository at a release.
const componentRef = "https://github.com/routeshift/routeshift//pipeline/argocd?ref=v0.1.0"

// componentRepo makes a git repository holding only pipeline/argocd,
// tagged as componentRef's ref, and returns componentRef pointing at it
// (file://): kustomize then loads the component the way it loads the
// remote reference, by cloning the repository at the ref, which proves
// the component needs no file outside its directory.
func componentRepo(t *testing.T) string {
	t.Helper()
	testtool.NeedCommands(t, "git")
	repo := t.TempDir()
	copyTree(t, filepath.Join(root, "pipeline/argocd"), filepath.Join(repo, "pipeline/argocd"))
	env := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "HOME=" + repo}
	mustRun(t, repo, env, "git", "init", "-q")
	mustRun(t, repo, env, "git", "add", "-A")
	mustRun(t, repo, env, "git", "commit", "-q", "-m", "component")
	_, ref, _ := strings.Cut(componentRef, "?ref=")
	mustRun(t, repo, env, "git", "tag", ref)
	_, path, _ := strings.Cut(componentRef, "//pipeline/")
	return "file://" + repo + "//pipeline/" + path
}

// argoCDModule is the directory of the Argo CD module hack/tools/argocd
// builds from: its manifests are the stock ones.
func argoCDModule(t *testing.T) string {
	t.Helper()
	r := mustRun(t, filepath.Join(root, "hack/tools/argocd"), nil, "go", "mod", "download", "-json", "github.com/argoproj/argo-cd/v3")
	var mod struct{ Dir string }
	if err := json.Unmarshal([]byte(r.stdout), &mod); err != nil || mod.Dir == "" {
		t.Fatalf("the Argo CD module: %v\n%s", err, r.stdout)
	}
	return mod.Dir
}

// findRepoServer returns the argocd-repo-server Deployment of a build.
func findRepoServer(t *testing.T, out string) (string, deployment) {
	t.Helper()
	for _, doc := range strings.Split(out, "\n---\n") {
		var d deployment
		if err := yaml.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		if d.Kind == "Deployment" && d.Metadata.Name == "argocd-repo-server" {
			return doc, d
		}
	}
	t.Fatal("no argocd-repo-server Deployment in the build")
	return "", deployment{}
}

// repoServer renders examples/argocd/install with Argo CD's real
// install.yaml and the component through its remote reference, and
// returns the patched argocd-repo-server Deployment.
func repoServer(t *testing.T) (string, deployment) {
	t.Helper()
	install := t.TempDir()
	copyTree(t, "argocd/install", install)
	writeFile(t, filepath.Join(install, "install.yaml"), readFile(t, filepath.Join(argoCDModule(t), "manifests/install.yaml")))
	replaceIn(t, filepath.Join(install, "kustomization.yaml"), "- https://raw.githubusercontent.com/argoproj/argo-cd/v3.2.0/manifests/install.yaml\n", "- install.yaml\n")
	replaceIn(t, filepath.Join(install, "kustomization.yaml"), "- "+componentRef+"\n", "- "+componentRepo(t)+"\n")
	return findRepoServer(t, mustRun(t, install, nil, kustomize(t), "build", ".").stdout)
}

// The component on its own: an overlay of only Argo CD's stock
// argocd-repo-server Deployment (manifests/base/repo-server), already in
// its namespace as an existing install's manifests are, gets the sidecar
// and its volume and nothing else changes.
func TestArgoCDComponentPatchesStockRepoServer(t *testing.T) {
	dir := t.TempDir()
	stock := readFile(t, filepath.Join(argoCDModule(t), "manifests/base/repo-server/argocd-repo-server-deployment.yaml"))
	writeFile(t, filepath.Join(dir, "repo-server.yaml"), stock)
	writeFile(t, filepath.Join(dir, "kustomization.yaml"), `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- repo-server.yaml
patches:
- target: {kind: Deployment, name: argocd-repo-server}
  patch: |
    - {op: add, path: /metadata/namespace, value: argocd}
components:
- `+componentRepo(t)+`
images:
- name: localhost/routeshift-argocd
  newName: registry.example.com/platform/routeshift-argocd
  newTag: v0.1.0
`)
	doc, patched := findRepoServer(t, mustRun(t, dir, nil, kustomize(t), "build", ".").stdout)
	golden.Check(t, "argocd/.expected/component-repo-server.yaml", []byte(doc))

	// Against the stock Deployment: exactly one container and one volume
	// more, the rest as it was.
	var before deployment
	if err := yaml.Unmarshal([]byte(stock), &before); err != nil {
		t.Fatal(err)
	}
	b, p := before.Spec.Template.Spec, patched.Spec.Template.Spec
	if len(p.Containers) != len(b.Containers)+1 || len(p.Volumes) != len(b.Volumes)+1 || len(p.InitContainers) != len(b.InitContainers) {
		t.Errorf("containers %d -> %d, volumes %d -> %d, init containers %d -> %d: want one sidecar and one volume added",
			len(b.Containers), len(p.Containers), len(b.Volumes), len(p.Volumes), len(b.InitContainers), len(p.InitContainers))
	}
	byName := map[string]podContainer{}
	for _, c := range p.Containers {
		byName[c.Name] = c
	}
	for _, c := range b.Containers {
		if got := byName[c.Name]; got.Image != c.Image || len(got.VolumeMounts) != len(c.VolumeMounts) {
			t.Errorf("container %s changed: image %s -> %q, %d -> %d mounts", c.Name, c.Image, got.Image, len(c.VolumeMounts), len(got.VolumeMounts))
		}
	}
	if s := byName["routeshift"]; s.Image != "registry.example.com/platform/routeshift-argocd:v0.1.0" {
		t.Errorf("the routeshift sidecar has image %q, want the pushed image", s.Image)
	}
}

func TestArgoCDSidecarPatch(t *testing.T) {
	doc, d := repoServer(t)
	golden.Check(t, sidecarGolden, []byte(doc))
	spec := d.Spec.Template.Spec
	var sidecar *podContainer
	for i, c := range spec.Containers {
		if c.Name == "routeshift" {
			sidecar = &spec.Containers[i]
		}
	}
	if sidecar == nil || len(spec.Containers) != 2 {
		t.Fatalf("want the repo server and the routeshift sidecar, got %d containers", len(spec.Containers))
	}
	sc := sidecar.SecurityContext
	if sidecar.Image != "registry.example.com/platform/routeshift-argocd:v0.1.0" ||
		strings.Join(sidecar.Command, " ") != "/var/run/argocd/argocd-cmp-server" ||
		sc.RunAsUser == nil || *sc.RunAsUser != 999 || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("sidecar: image %s, command %v, user %v; want the pushed image, argocd-cmp-server from var-files, user 999", sidecar.Image, sidecar.Command, sc.RunAsUser)
	}
	mounts := map[string]string{}
	for _, m := range sidecar.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	if mounts["/var/run/argocd"] != "var-files" || mounts["/home/argocd/cmp-server/plugins"] != "plugins" || mounts["/tmp"] != "routeshift-tmp" {
		t.Errorf("sidecar mounts %v: want var-files, plugins and its own /tmp", mounts)
	}
	// The repo server's /tmp is another volume.
	for _, c := range spec.Containers {
		for _, m := range c.VolumeMounts {
			if c.Name != "routeshift" && m.Name == "routeshift-tmp" {
				t.Errorf("%s mounts the sidecar's /tmp", c.Name)
			}
		}
	}
	// Argo CD's own init container is what puts argocd-cmp-server there.
	var copied bool
	for _, c := range spec.InitContainers {
		copied = copied || strings.Contains(strings.Join(c.Command, " "), "/var/run/argocd/argocd-cmp-server")
	}
	if !copied {
		t.Error("no init container copies argocd-cmp-server into var-files: the sidecar's command would not exist")
	}
}

func TestArgoCDSidecarImage(t *testing.T) {
	ce := container(t)
	image := os.Getenv("ARGOCD_SIDECAR_IMAGE")
	if image == "" {
		image = "localhost/routeshift-argocd:dev"
	}
	if r := run(t, ".", ce.env, "podman", "image", "exists", image); r.code != 0 {
		testtool.Missing(t, "the Argo CD sidecar image", "%s is not in the project's podman store: run `make argocd-image`", image)
	}
	server := tool(t, "ARGOCD_CMP_SERVER", "argocd-cmp-server", "argocd")
	client := tool(t, "ARGOCD_CMPCLIENT", "argocd-cmpclient", "argocd")
	_, d := repoServer(t)
	var sidecar podContainer
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == "routeshift" {
			sidecar = c
		}
	}

	// The pod's volumes as host directories: emptyDirs are world-writable
	// directories, var-files holds what Argo CD's init container copies.
	dir := t.TempDir()
	volumes := map[string]string{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		p := filepath.Join(dir, v.Name)
		if err := os.Mkdir(p, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o1777); err != nil {
			t.Fatal(err)
		}
		volumes[v.Name] = p
	}
	copyFile(t, server, filepath.Join(volumes["var-files"], "argocd-cmp-server"), 0o755)

	name := fmt.Sprintf("routeshift-sidecar-test-%d", os.Getpid())
	if sidecar.SecurityContext.RunAsUser == nil || len(sidecar.Command) == 0 {
		t.Fatalf("the sidecar has no runAsUser or no command: %+v", sidecar)
	}
	args := []string{"run", "-d", "--name", name, "--network", "none", "--user", fmt.Sprint(*sidecar.SecurityContext.RunAsUser)}
	if p := sidecar.SecurityContext.ReadOnlyRootFilesystem; p != nil && *p {
		args = append(args, "--read-only")
	}
	if p := sidecar.SecurityContext.AllowPrivilegeEscalation; p != nil && !*p {
		args = append(args, "--security-opt", "no-new-privileges")
	}
	for _, c := range sidecar.SecurityContext.Capabilities.Drop {
		args = append(args, "--cap-drop", c)
	}
	for _, m := range sidecar.VolumeMounts {
		host, ok := volumes[m.Name]
		if !ok {
			t.Fatalf("the sidecar mounts %s, which is no volume of the pod", m.Name)
		}
		args = append(args, "-v", host+":"+m.MountPath)
	}
	args = append(args, "--entrypoint", sidecar.Command[0], image, "--loglevel", "info", "--logformat", "text")
	mustRun(t, ".", ce.env, "podman", args...)
	logs := func() string { return run(t, ".", ce.env, "podman", "logs", name).stderr }
	t.Cleanup(func() { run(t, ".", ce.env, "podman", "rm", "--force", "--time", "0", name) })

	sock := filepath.Join(volumes["plugins"], "routeshift-v1.sock")
	for deadline := time.Now().Add(30 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sidecar did not serve %s in 30s:\n%s", sock, logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	s := cmpServer{sockets: volumes["plugins"], client: client, log: filepath.Join(dir, "none")}
	repo := t.TempDir()
	copyTree(t, "argocd", repo)
	r := s.generate(t, "argocd/application.yaml", repo)
	if r.code != 0 {
		t.Fatalf("generate in the sidecar: exit %d\n%s\nsidecar log:\n%s", r.code, r.stderr, logs())
	}
	golden.Check(t, argocdGolden, []byte(r.stdout))

	writeFile(t, filepath.Join(repo, "apps/shop/legacy.yaml"), brokenIngress)
	replaceIn(t, filepath.Join(repo, "apps/shop/kustomization.yaml"), "- shop.yaml\n", "- shop.yaml\n- legacy.yaml\n")
	checkGenerateFailed(t, s.generate(t, "argocd/application.yaml", repo), append([]string{"`routeshift-argocd` failed exit status 1: "}, brokenIngressErrors...)...)
}
