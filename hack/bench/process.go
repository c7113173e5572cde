package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Running the measured commands: each under this program (bench exec),
// which reports its wall time, CPU time, peak RSS and exit status.

// measure is what one run of a command cost.
type measure struct {
	wall time.Duration
	// cpu is user plus system time: on a shared machine it says more
	// than wall time about the work done.
	cpu  time.Duration
	rss  int64 // KiB
	exit int
	// first is diff's summary line (see summaryLine).
	first string
}

func runProcess(stdin string, name string, args ...string) (measure, error) {
	return runProcessWith(nil, io.Discard, false, stdin, name, args...)
}

// runSummarized is runProcess keeping the command's summary line (see
// summaryLine) in the measure's first: diff's counts. Only diff's output
// goes through this process; the others write to /dev/null, since a
// process reading tens of MB from a pipe takes a core from the command
// measured (function mode's wall time was 0.45 s longer at 10k).
func runSummarized(stdin string, name string, args ...string) (measure, error) {
	return runProcessWith(nil, io.Discard, true, stdin, name, args...)
}

// wrapper is this program, built, which runProcessWith runs each command
// under (`bench exec`): on Linux a child's peak RSS (ru_maxrss) includes
// what its parent had resident when it forked, and this process holds the
// generated inputs (the realistic 50k run showed the parent's 261 MiB for
// every command after it), while the wrapper holds a few MiB.
var wrapper string

// runProcessWith is runProcess with extra environment variables and
// stderr kept in errw.
func runProcessWith(env []string, errw io.Writer, summarize bool, stdin string, name string, args ...string) (measure, error) {
	in, err := os.Open(stdin)
	if err != nil {
		return measure{}, err
	}
	defer in.Close()
	report, w, err := os.Pipe()
	if err != nil {
		return measure{}, err
	}
	defer report.Close()
	cmd := exec.Command(wrapper, append([]string{"exec", name}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	first := &summaryLine{}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, first, errw
	if !summarize {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return measure{}, err
		}
		defer null.Close()
		cmd.Stdout = null
	}
	cmd.ExtraFiles = []*os.File{w}
	err = cmd.Run()
	w.Close()
	if err != nil {
		return measure{}, fmt.Errorf("%s %v: %w", name, args, err)
	}
	var m measure
	var wall, cpu int64
	text, _ := io.ReadAll(report)
	if _, err := fmt.Sscan(string(text), &wall, &cpu, &m.rss, &m.exit); err != nil {
		return m, fmt.Errorf("%s %v: the wrapper's report %q: %w", name, args, text, err)
	}
	m.wall, m.cpu, m.first = time.Duration(wall), time.Duration(cpu), first.String()
	return m, nil
}

// execChild is `bench exec CMD ARGS...`: it runs the command on its own
// stdin, stdout and stderr and writes "wall-ns cpu-ns maxrss-KiB exit" to
// file descriptor 3.
func execChild(args []string) error {
	if len(args) == 0 {
		return errors.New("exec: no command")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	exit := 0
	if ee, ok := err.(*exec.ExitError); ok {
		exit = ee.ExitCode()
	} else if err != nil {
		return err
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	_, err = fmt.Fprintf(os.NewFile(3, "report"), "%d %d %d %d\n", wall.Nanoseconds(), cpu.Nanoseconds(), rss, exit)
	return err
}

// summaryLine keeps the first line written to it that counts requests
// (diff's summary; notes about what was read come before it), else the
// first line.
type summaryLine struct {
	partial []byte
	first   string
	found   string
	lines   int
}

func (f *summaryLine) Write(p []byte) (int, error) {
	for _, c := range p {
		if f.found != "" {
			break
		}
		if c != '\n' {
			if len(f.partial) < 4096 {
				f.partial = append(f.partial, c)
			}
			continue
		}
		line := string(f.partial)
		f.partial = f.partial[:0]
		if f.lines == 0 {
			f.first = line
		}
		f.lines++
		if counts.MatchString(line) {
			f.found = line
		}
	}
	return len(p), nil
}

func (f *summaryLine) String() string {
	if f.found != "" {
		return f.found
	}
	if f.lines == 0 {
		return string(f.partial)
	}
	return f.first
}

// best runs a measurement three times and keeps the fastest, so one
// noisy run does not decide the figure.
func best(f func() (measure, error)) (measure, error) {
	var b measure
	for i := 0; i < 3; i++ {
		m, err := f()
		if err != nil {
			return m, err
		}
		if i == 0 || m.wall < b.wall {
			b = m
		}
	}
	return b, nil
}

// buildBinaries builds routeshift and this program into dir, makes the
// latter the wrapper every measured command runs under, and returns the
// former.
func buildBinaries(dir string) (string, error) {
	bin := filepath.Join(dir, "routeshift")
	self := filepath.Join(dir, "bench")
	for _, b := range [][]string{{bin, "./cmd/routeshift"}, {self, "./hack/bench"}} {
		build := exec.Command("go", "build", "-trimpath", "-o", b[0], b[1])
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return "", fmt.Errorf("building %s: %w", b[1], err)
		}
	}
	wrapper = self
	return bin, nil
}

// workDir makes the directory a run works in, with routeshift and this
// program built into it (buildBinaries); the caller removes it.
func workDir() (dir, bin string, err error) {
	dir, err = os.MkdirTemp("", "routeshift-bench")
	if err != nil {
		return "", "", err
	}
	bin, err = buildBinaries(dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, bin, nil
}
