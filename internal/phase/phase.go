// Package phase reports where a run's time and memory go, phase by phase,
// when ROUTESHIFT_PHASES=1 is set: one line on stderr at the end of each
// phase (read, model, emit, encode, validate, write) with the CPU time
// and wall time the phase took, the heap in use at its end and the
// process's peak RSS so far (VmHWM). make bench (hack/bench) runs the function with
// it to report peak memory per phase in bench/results.md.
//
// Unset, Mark costs one load of a bool. Set, it costs a getrusage, a read
// of runtime/metrics and of /proc/self/status per phase, a few dozen
// microseconds: never measured by a timed run, which leaves it unset.
package phase

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Env is the variable that turns the marks on.
const Env = "ROUTESHIFT_PHASES"

var (
	enabled = os.Getenv(Env) == "1"

	mu       sync.Mutex
	out      io.Writer = os.Stderr
	lastWall           = initTime
	lastCPU  time.Duration
)

// Enabled reports whether marks are written.
func Enabled() bool { return enabled }

// Mark ends the phase called name: it writes
//
//	routeshift phase NAME wall=… cpu=… heap=…MiB hwm=…MiB rss=…MiB
//
// to stderr. wall and cpu are since the previous mark; the first mark's
// cpu counts from the process's start (package initialisation included),
// its wall from this package's initialisation. heap is the heap in use
// at the mark (runtime/metrics /memory/classes/heap/objects:bytes: live
// objects and garbage not yet collected), hwm the
// process's peak resident set so far and rss its resident set now.
func Mark(name string) {
	if !enabled {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	now, cpu := time.Now(), cpuTime()
	wall := now.Sub(lastWall)
	hwm, rss := procStatus()
	fmt.Fprintf(out, "routeshift phase %s wall=%s cpu=%s heap=%.1fMiB hwm=%.1fMiB rss=%.1fMiB\n", name,
		wall.Round(time.Microsecond), (cpu - lastCPU).Round(time.Microsecond), mib(heapLive()), mib(hwm), mib(rss))
	lastWall, lastCPU = now, cpu
}

// setOutput redirects the marks (nil: stderr again), for tests.
func setOutput(w io.Writer) {
	mu.Lock()
	defer mu.Unlock()
	if w == nil {
		w = os.Stderr
	}
	out = w
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// cpuTime is the process's user plus system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// procStatus reads VmHWM and VmRSS (bytes) from /proc/self/status; zero
// where there is no /proc.
func procStatus() (hwm, rss uint64) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for line := range bytes.Lines(data) {
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		var dst *uint64
		switch string(key) {
		case "VmHWM":
			dst = &hwm
		case "VmRSS":
			dst = &rss
		default:
			continue
		}
		f := bytes.Fields(val)
		if len(f) == 2 && string(f[1]) == "kB" {
			if n, err := strconv.ParseUint(string(f[0]), 10, 64); err == nil {
				*dst = n << 10
			}
		}
	}
	return hwm, rss
}

// initTime is the first mark's starting point: package initialisation
// runs before main, so this is close to the process's start.
var initTime = time.Now()
