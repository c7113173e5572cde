// Command gencrds copies the Gateway API CRDs of the module version that
// go.mod pins into crds/<channel>/, because go:embed cannot reach into the
// module cache. It is run by go generate in internal/validate; files in the
// copy that the module no longer has are removed so the copy never goes
// stale.
//
// Beside each copy it writes the CRD in protobuf (crdpb/<channel>/NAME.pb,
// the API types' own encoding): decoding the YAML took 20 ms of a
// one-Ingress run for HTTPRoute's CRD alone, the protobuf form under one.
// The YAML stays the source; internal/validate's tests hold the two equal.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/validate/internal/crdsource"
)

func main() {
	out := flag.String("out", "crds", "directory that receives one subdirectory per channel")
	pbOut := flag.String("pb", "crdpb", "directory that receives the protobuf form, one subdirectory per channel")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gencrds: ")

	modDir, err := crdsource.ModuleDir()
	if err != nil {
		log.Fatal(err)
	}
	for _, ch := range crdsource.Channels {
		n, err := syncChannel(crdsource.ChannelDir(modDir, ch), filepath.Join(*out, ch))
		if err != nil {
			log.Fatal(err)
		}
		if err := writeProto(filepath.Join(*out, ch), filepath.Join(*pbOut, ch)); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d CRD files", ch, n)
	}
}

// syncChannel makes dst hold exactly the wanted files of src.
func syncChannel(src, dst string) (int, error) {
	names, err := crdsource.List(src)
	if err != nil {
		return 0, err
	}
	if len(names) == 0 {
		return 0, fmt.Errorf("no CRD files in %s", src)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, fmt.Errorf("create %s: %w", dst, err)
	}
	keep := map[string]bool{}
	for _, name := range names {
		keep[name] = true
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return 0, fmt.Errorf("read CRD: %w", err)
		}
		// The module cache is read-only; the copy must not inherit that.
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return 0, fmt.Errorf("write CRD: %w", err)
		}
	}
	old, err := crdsource.List(dst)
	if err != nil {
		return 0, err
	}
	for _, name := range old {
		if !keep[name] {
			if err := os.Remove(filepath.Join(dst, name)); err != nil {
				return 0, fmt.Errorf("remove stale CRD: %w", err)
			}
		}
	}
	return len(names), nil
}

// pbName is the protobuf file of a CRD file.
func pbName(yamlName string) string { return strings.TrimSuffix(yamlName, ".yaml") + ".pb" }

// writeProto makes dst hold the protobuf form of every CRD file in src and
// nothing else.
func writeProto(src, dst string) error {
	names, err := crdsource.List(src)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dst); err != nil {
		return fmt.Errorf("clear %s: %w", dst, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return fmt.Errorf("read CRD: %w", err)
		}
		// Decoded as the validator decodes it, before the defaults it
		// applies after decoding either form.
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(data, crd); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pb, err := crd.Marshal()
		if err != nil {
			return fmt.Errorf("%s: protobuf: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dst, pbName(name)), pb, 0o644); err != nil {
			return fmt.Errorf("write protobuf: %w", err)
		}
	}
	return nil
}
