// Package crdsource knows where the Gateway API CRDs come from and which of
// the module's files are CRDs, so that the generator that copies them and the
// test that checks the copies agree on one rule.
package crdsource

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Module is the module whose CRDs are embedded; its version is the one go.mod
// pins, so the embedded copies change only when go.mod does.
const Module = "sigs.k8s.io/gateway-api"

// Channels are the release channels the module ships, each a directory under
// config/crd.
var Channels = []string{"standard", "experimental"}

// ModuleDir asks the go command where the pinned module lives. It runs in
// the current directory, which must be inside this repository's module.
func ModuleDir() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find go command: %w", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(goBin, "list", "-m", "-f", "{{.Dir}}", Module)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w: %s", Module, err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		// go list prints an empty Dir when the module is required but not
		// downloaded yet.
		return "", fmt.Errorf("module %s is not in the module cache (run go mod download %s)", Module, Module)
	}
	return dir, nil
}

// ChannelDir is where a channel's CRDs live inside the module.
func ChannelDir(moduleDir, channel string) string {
	return filepath.Join(moduleDir, "config", "crd", channel)
}

// Wanted says whether a file of a channel directory is a CRD to embed.
// The ValidatingAdmissionPolicy files are not CRDs (and guard upgrades, not
// objects), and kustomization.yaml only lists the others.
func Wanted(name string) bool {
	return strings.HasSuffix(name, ".yaml") &&
		!strings.Contains(name, "_vap_") &&
		name != "kustomization.yaml"
}

// List returns the sorted names of the wanted files in dir. A missing dir
// is an empty list, so that a channel dropped upstream empties its copy.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && Wanted(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
