package main

import (
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=..." (the
// Makefile passes `git describe`). Without it the module version that `go
// install github.com/routeshift/routeshift/cmd/routeshift@vX.Y.Z` records in
// the binary is used.
var version = ""

// buildCommit is set with -X main.buildCommit=... where Go cannot stamp the VCS
// revision itself (a build in a git worktree, whose .git is a file).
var buildCommit = ""

var versionHelp = help{
	name:    "version",
	summary: "print the version, the commit it was built from and the Go version",
	usage:   "version",
	body: `Prints "routeshift VERSION" and, on the next lines, the commit and the Go
toolchain. VERSION is the release tag the binary was built from (make build,
the image) or the module version "go install ...@VERSION" recorded; a build
from a checkout says "(devel)". The commit comes from the VCS stamp Go writes
into binaries built in a git checkout, or from a pseudo-version's suffix.`,
	examples: `routeshift version`,
}

func versionCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usagef(stderr, "version", "takes no arguments, got %q", fs.Arg(0))
	}
	bi, _ := debug.ReadBuildInfo()
	v, commit := buildVersion(bi)
	fmt.Fprintf(stdout, "routeshift %s\ncommit %s\n%s %s/%s\n", v, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// pseudoRev is the commit at the end of a pseudo-version
// (v0.0.0-20260102150405-0123456789ab, vX.Y.Z-pre.0.2026...-0123456789ab).
var pseudoRev = regexp.MustCompile(`[-.]\d{14}-([0-9a-f]{12})(\+incompatible)?$`)

// buildVersion returns the version and commit to print.
func buildVersion(bi *debug.BuildInfo) (v, commit string) {
	v, commit = version, "unknown"

	if bi == nil {
		if v == "" {
			v = "(devel)"
		}
		return v, commit
	}
	if v == "" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	switch {
	case buildCommit != "":
		commit = buildCommit
	case rev != "":
		commit = rev
		if modified == "true" {
			commit += " (modified)"
		}
	default:
		if m := pseudoRev.FindStringSubmatch(bi.Main.Version); m != nil {
			commit = m[1]
		}
	}
	return v, commit
}

// versionString is the version alone, for reports that name it (the
// inventory page).
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	v, _ := buildVersion(bi)
	return v
}
