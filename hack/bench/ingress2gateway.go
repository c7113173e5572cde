package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
)

// The official tool, kubernetes-sigs/ingress2gateway, beside routeshift on
// the same estate (issue 19: "stay ahead"). The Go module proxy does not
// serve it, so make bench cannot install it: it is measured when
// INGRESS2GATEWAY (or -ingress2gateway) names a binary, built from its
// source (bench/results.md says how and from which commit); otherwise the
// section says it was not measured.
var (
	i2gBinary = flag.String("ingress2gateway", os.Getenv("INGRESS2GATEWAY"), "an ingress2gateway binary to compare with (default $INGRESS2GATEWAY); not measured when empty")
	i2gOnly   = flag.Bool("ingress2gateway-only", false, "run only that comparison and print its section")
)

// runIngress2GatewayOnly is bench -ingress2gateway-only: the comparison
// printed, the rest of the results left as the last whole run wrote them.
func runIngress2GatewayOnly() error {
	if *i2gBinary == "" {
		return errors.New("-ingress2gateway-only: name the binary with -ingress2gateway or INGRESS2GATEWAY")
	}
	dir, bin, err := workDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rows, err := compareIngress2Gateway(dir, bin, *i2gBinary)
	if err != nil {
		return err
	}
	fmt.Print(ingress2gatewaySection(rows))
	return nil
}

// i2gSize is the estates' size: both mixes at 10k, as in the issue.
const i2gSize = 10000

// compareIngress2Gateway converts each mix's 10k estate with both tools
// and returns the table's rows. ingress2gateway v1.1.0 refuses the whole
// run, printing nothing, when any Ingress of the estate hits one of its
// limits, so both tools are given the part of the estate it accepts
// (acceptedByI2G); what was left out is said in the row.
func compareIngress2Gateway(dir, bin, i2g string) ([]string, error) {
	if i2g == "" {
		return nil, nil
	}
	var rows []string
	for _, mix := range []gen.Mix{gen.Classic, gen.Realistic} {
		stream, err := gen.Generate(mix, i2gSize, namespaces(mix, i2gSize))
		if err != nil {
			return nil, err
		}
		accepted, dropped, err := acceptedByI2G(stream)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", mix, err)
		}
		file := filepath.Join(dir, fmt.Sprintf("i2g-%s-%d.yaml", mix, i2gSize))
		if err := os.WriteFile(file, accepted, 0o644); err != nil {
			return nil, err
		}
		rs, err := best(func() (measure, error) { return runProcess(os.DevNull, bin, "convert", file) })
		if err != nil {
			return nil, err
		}
		other, err := best(func() (measure, error) {
			return runProcess(os.DevNull, i2g, "print", "--providers", "ingress-nginx", "--all-namespaces", "--input-file", file)
		})
		if err != nil {
			return nil, err
		}
		what := fmt.Sprintf("%s, %d Ingresses (%s)", mix, i2gSize-dropped.total(), dropped)
		rows = append(rows,
			fmt.Sprintf("| %s | routeshift convert | %.2f s | %.2f s | %d MiB | %d | 1.0x | 1.0x |", what, rs.wall.Seconds(), rs.cpu.Seconds(), rs.rss/1024, rs.exit),
			fmt.Sprintf("| %s | ingress2gateway print | %.2f s | %.2f s | %d MiB | %d | %.1fx | %.1fx |", what, other.wall.Seconds(), other.cpu.Seconds(), other.rss/1024, other.exit,
				other.wall.Seconds()/rs.wall.Seconds(), other.cpu.Seconds()/rs.cpu.Seconds()))
	}
	return rows, nil
}

func ingress2gatewaySection(rows []string) string {
	if len(rows) == 0 {
		return `
ingress2gateway was not measured in this run: the Go module proxy does not serve it, so set INGRESS2GATEWAY to
a binary built from its source (History, 2026-12-05) to include it.
`
	}
	return `
Beside kubernetes-sigs/ingress2gateway (INGRESS2GATEWAY, ` + "`print --providers ingress-nginx --all-namespaces\n--input-file`" + ` against routeshift ` + "`convert`" + `, each the fastest of three). ingress2gateway refuses a whole
estate, printing nothing, when any Ingress hits one of its limits, so both are given the part it accepts: named
backend ports written as numbers (with ` + "`--input-file`" + ` it reads the Services from the reader it has already
read the Ingresses from, finds none, and fails every named port), no canary Ingresses, and no Ingress that
repeats a host and path an earlier one has (it refuses a rule with two non-canary backends).

| estate | run | wall | CPU (user+sys) | peak RSS | exit | wall x routeshift | CPU x routeshift |
|---|---|---|---|---|---|---|---|
` + strings.Join(rows, "\n") + "\n"
}

// droppedForI2G counts what acceptedByI2G left out, by reason.
type droppedForI2G struct{ canary, repeated int }

func (d droppedForI2G) total() int { return d.canary + d.repeated }

func (d droppedForI2G) String() string {
	return fmt.Sprintf("%d canaries and %d repeating a host and path left out", d.canary, d.repeated)
}

// acceptedByI2G rewrites a generated stream into what ingress2gateway
// v1.1.0 converts without refusing the run: every Service kept, named
// Service ports in Ingress backends replaced by the port's number, canary
// Ingresses and Ingresses repeating an earlier host and path left out.
// The estates are generated here, so a document that is not what the
// generator writes is an error rather than something to tolerate.
func acceptedByI2G(stream []byte) ([]byte, droppedForI2G, error) {
	var docs []*yaml.Node
	ports := map[string]int{} // namespace/service/port-name -> port
	dec := yaml.NewDecoder(bytes.NewReader(stream))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, droppedForI2G{}, err
		}
		docs = append(docs, &doc)
		var svc struct {
			Kind     string
			Metadata struct{ Name, Namespace string }
			Spec     struct {
				Ports []struct {
					Name string
					Port int
				}
			}
		}
		if err := doc.Decode(&svc); err != nil {
			return nil, droppedForI2G{}, err
		}
		if svc.Kind == "Service" {
			for _, p := range svc.Spec.Ports {
				ports[svc.Metadata.Namespace+"/"+svc.Metadata.Name+"/"+p.Name] = p.Port
			}
		}
	}
	var dropped droppedForI2G
	seen := map[string]bool{} // host + path
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	for _, doc := range docs {
		root := doc.Content[0]
		if scalar(root, "kind") == "Ingress" {
			ns := scalar(root, "metadata", "namespace")
			if scalar(root, "metadata", "annotations", "nginx.ingress.kubernetes.io/canary") == "true" {
				dropped.canary++
				continue
			}
			keys, err := numberPorts(load.Lookup(root, "spec"), ns, ports)
			if err != nil {
				return nil, dropped, fmt.Errorf("the Ingress %s/%s: %w", ns, scalar(root, "metadata", "name"), err)
			}
			repeats := false
			for _, k := range keys {
				repeats = repeats || seen[k]
			}
			if repeats {
				dropped.repeated++
				continue
			}
			for _, k := range keys {
				seen[k] = true
			}
		}
		if err := enc.Encode(doc); err != nil {
			return nil, dropped, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, dropped, err
	}
	return out.Bytes(), dropped, nil
}

// numberPorts replaces each named backend port of an Ingress spec with
// its number and returns the spec's host+path keys.
func numberPorts(spec *yaml.Node, ns string, ports map[string]int) ([]string, error) {
	var backends []*yaml.Node
	if b := load.Lookup(spec, "defaultBackend"); b != nil {
		backends = append(backends, b)
	}
	var keys []string
	for _, rule := range items(load.Lookup(spec, "rules")) {
		host := scalar(rule, "host")
		for _, path := range items(load.Lookup(rule, "http", "paths")) {
			keys = append(keys, host+" "+scalar(path, "path"))
			if b := load.Lookup(path, "backend"); b != nil {
				backends = append(backends, b)
			}
		}
	}
	for _, b := range backends {
		svc := load.Lookup(b, "service")
		port := load.Lookup(svc, "port")
		name := scalar(port, "name")
		if name == "" {
			continue
		}
		number, ok := ports[ns+"/"+scalar(svc, "name")+"/"+name]
		if !ok {
			return nil, fmt.Errorf("backend port %q of Service %s: no such port in the estate", name, scalar(svc, "name"))
		}
		port.Content = []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "number"},
			{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(number)},
		}
	}
	return keys, nil
}

// scalar is the text of the scalar at the end of keys, or "".
func scalar(n *yaml.Node, keys ...string) string {
	if v := load.Lookup(n, keys...); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}
