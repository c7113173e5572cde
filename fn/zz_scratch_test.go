package fn

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/routeshift/routeshift/pipeline/load"
)

func TestZZScratch(t *testing.T) {
	files, _ := filepath.Glob("../testdata/bad/*.yaml")
	if f := os.Getenv("ZZ"); f != "" {
		files = []string{f}
	}
	spec, _ := ParseConfig(nil)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		objs, err := load.ReadStream(bytes.NewReader(data), filepath.Base(f))
		fmt.Printf("=== %s\n", filepath.Base(f))
		if err != nil {
			fmt.Printf("READ ERROR: %v\n", err)
			continue
		}
		out, findings, sum := Convert(objs, spec, false)
		runtime.ReadMemStats(&ms1)
		fmt.Printf("objs %d -> %d, %+v, %v, alloc %d MB\n", len(objs), len(out), sum, time.Since(start), (ms1.TotalAlloc-ms0.TotalAlloc)>>20)
		for _, fd := range findings {
			ref := "-"
			if fd.Object != nil {
				ref = fd.Object.Ref()
			}
			m := fd.Message
			if len(m) > 300 {
				m = m[:300]
			}
			fmt.Printf("  %s %s %s: %s\n", fd.Severity, ref, fd.Field, m)
		}
		var buf bytes.Buffer
		if err := load.WriteStream(&buf, out); err != nil {
			fmt.Printf("WRITE ERROR %v\n", err)
		}
		validateOutput(t, buf.Bytes())
	}
}
