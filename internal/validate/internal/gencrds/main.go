// Command gencrds copies the Gateway API CRDs of the module version that
// go.mod pins into crds/<channel>/, because go:embed cannot reach into the
// module cache. It is run by go generate in internal/validate; files in the
// copy that the module no longer has are removed so the copy never goes
// stale.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/routeshift/routeshift/internal/validate/internal/crdsource"
)

func main() {
	out := flag.String("out", "crds", "directory that receives one subdirectory per channel")
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
