package load

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTimeCorpus(t *testing.T) {
	dir := os.Getenv("CORPUS")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		lines := strings.SplitN(string(b), "\n", 2)
		s := strings.TrimSpace(lines[1])
		s = strings.TrimSuffix(strings.TrimPrefix(s, "[]byte("), ")")
		v, err := strconv.Unquote(s)
		if err != nil { t.Log(err); continue }
		start := time.Now()
		objs, err := ReadStream(strings.NewReader(v), "x")
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Logf("%s %v len=%d objs=%d err=%v", e.Name(), d, len(v), len(objs), err)
		}
	}
}
