package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"time"
)

// startRuns is how many times each start-up figure is measured.
const startRuns = 21

// oneIngress is a typical application's Ingress: TLS, one host, two paths.
const oneIngress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 8080
`

// startup measures what a one-application render pays: function mode on
// an empty ResourceList, convert on an empty file and on one Ingress with
// and without output validation. It returns the table's rows and the
// phases of the validated one-Ingress convert.
func startup(dir, bin string) ([]string, []string, error) {
	files := map[string]string{
		"empty-rl.yaml": "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n",
		"empty.yaml":    "",
		"one.yaml":      oneIngress,
		"never.yaml":    "apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata:\n  name: bench\nspec:\n  validateOutput: never\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return nil, nil, err
		}
	}
	f := func(name string) string { return filepath.Join(dir, name) }
	type startRun struct {
		what, stdin string
		args        []string
		bin         string // routeshift when empty
	}
	runs := []startRun{
		{"function mode, empty ResourceList", f("empty-rl.yaml"), nil, ""},
		{"convert, empty file", os.DevNull, []string{"convert", f("empty.yaml")}, ""},
		{"convert, one Ingress, output validated", os.DevNull, []string{"convert", f("one.yaml")}, ""},
		{"convert, one Ingress, validateOutput: never", os.DevNull, []string{"convert", "--config", f("never.yaml"), f("one.yaml")}, ""},
	}
	if *i2gBinary != "" {
		// The official tool on the same file; it validates nothing.
		runs = append(runs, startRun{"ingress2gateway print, one Ingress (validates nothing)", os.DevNull,
			[]string{"print", "--providers", "ingress-nginx", "--all-namespaces", "--input-file", f("one.yaml")}, *i2gBinary})
	}
	var rows []string
	for _, r := range runs {
		var ms []measure
		runBin := bin
		if r.bin != "" {
			runBin = r.bin
		}
		for i := 0; i < startRuns; i++ {
			m, err := runProcess(r.stdin, runBin, r.args...)
			if err != nil {
				return nil, nil, err
			}
			if m.exit != 0 {
				return nil, nil, fmt.Errorf("%s: exit %d", r.what, m.exit)
			}
			ms = append(ms, m)
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].cpu < ms[j].cpu })
		walls := make([]time.Duration, len(ms))
		for i, m := range ms {
			walls[i] = m.wall
		}
		slices.Sort(walls)
		ms2 := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %d MiB |", r.what, ms2(ms[0].cpu), ms2(ms[0].wall),
			ms2(ms[len(ms)/2].cpu), ms2(walls[len(walls)/2]), ms[0].rss/1024))
	}
	ph, err := phases(os.DevNull, bin, "convert", f("one.yaml"))
	return rows, ph, err
}

// phases runs the binary once with ROUTESHIFT_PHASES=1 and returns its
// phase marks as table cells: phase, CPU, live heap, peak RSS so far.
func phases(stdin, bin string, args ...string) ([]string, error) {
	var errw bytes.Buffer
	if _, err := runProcessWith([]string{"ROUTESHIFT_PHASES=1"}, &errw, false, stdin, bin, args...); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range phaseLine.FindAllStringSubmatch(errw.String(), -1) {
		cpu, err := time.ParseDuration(m[2])
		if err != nil {
			return nil, fmt.Errorf("phase %s: cpu %q: %w", m[1], m[2], err)
		}
		out = append(out, fmt.Sprintf("%s | %.3f s | %s MiB | %s MiB", m[1], cpu.Seconds(), m[3], m[4]))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s %v: no phase marks on stderr", bin, args)
	}
	return out, nil
}

// phaseLine is internal/phase's line.
var phaseLine = regexp.MustCompile(`(?m)^routeshift phase (\S+) wall=\S+ cpu=(\S+) heap=([0-9.]+)MiB hwm=([0-9.]+)MiB rss=[0-9.]+MiB$`)
