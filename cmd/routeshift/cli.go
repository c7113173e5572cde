package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The conventions every subcommand follows, kept here so that they cannot
// drift apart:
//
//   - -h, -help and --help print the command's help (description,
//     arguments, flags, an example) to stdout and exit 0: help that was
//     asked for is output, not an error.
//   - A mistake in the command line (unknown flag or command, bad value,
//     missing argument) exits 2 with one line naming it, the nearest known
//     name when there is one, and a pointer to --help, on stderr.
//   - Exit codes: 0 ok, 1 the command ran and found something (differences,
//     invalid objects, error results, files that would change), 2 it could
//     not run (usage, a file that cannot be read, malformed input).

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// help is what `routeshift CMD --help` prints.
type help struct {
	name     string // the subcommand
	summary  string // one line, also in the command overview
	usage    string // the synopsis after "routeshift "
	body     string // what it does, its arguments and exit codes
	examples string // shell lines, each with a comment saying what it does
}

// commands lists every subcommand's help in the order the overview shows
// them; a command's flags come from its own flag set (newFlags).
var commands = []help{convertHelp, helmHelp, inventoryHelp, diffHelp, renderHelp, checkHelp, validateHelp, versionHelp}

func commandNames() []string {
	names := make([]string, 0, len(commands)+1)
	for _, c := range commands {
		names = append(names, c.name)
	}
	return append(names, "help")
}

func lookupHelp(name string) help {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return help{name: name}
}

// newFlags returns a flag set for a subcommand that prints nothing by
// itself: parseFlags decides where help and errors go.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs. ok is false when the command must stop:
// with exitOK after printing the help that was asked for, or exitError
// after a usage error.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	err := parseInterspersed(fs, args)
	if err == nil {
		return 0, true
	}
	if errors.Is(err, flag.ErrHelp) {
		writeHelp(stdout, lookupHelp(fs.Name()), fs)
		return exitOK, false
	}
	return usageError(stderr, fs, err.Error()), false
}

// parseInterspersed parses flags wherever they are among the arguments
// (`convert dir -w`, and Helm appending --post-renderer-args after the
// KEY=VALUE ones), as people and tools write them; "--" ends the flags.
// The flag package alone stops at the first argument that is not a flag.
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// usageError reports a command-line mistake and returns exitError. The flag
// package's messages name an unknown flag as "-name"; the nearest defined
// flag is suggested.
func usageError(stderr io.Writer, fs *flag.FlagSet, msg string) int {
	name := fs.Name()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		bad := strings.TrimLeft(rest, "-")
		msg = "unknown flag " + flagName(bad)
		var defined []string
		fs.VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
		if s := nearest(bad, defined); s != "" {
			msg += "; did you mean " + flagName(s) + "?"
		}
	}
	fmt.Fprintf(stderr, "routeshift %s: %s\nRun 'routeshift %s --help' for usage.\n", name, msg, name)
	return exitError
}

// usagef reports a mistake in a command's arguments (not its flags).
func usagef(stderr io.Writer, name, format string, args ...any) int {
	fmt.Fprintf(stderr, "routeshift %s: %s\nRun 'routeshift %s --help' for usage.\n", name, fmt.Sprintf(format, args...), name)
	return exitError
}

// writeHelp prints a command's help with its flags as users type them
// (--name, which the flag package accepts as well as -name).
func writeHelp(w io.Writer, h help, fs *flag.FlagSet) {
	fmt.Fprintf(w, "routeshift %s: %s\n\nUsage:\n  routeshift %s\n\n%s\n", h.name, h.summary, h.usage, strings.TrimSpace(h.body))
	if fs != nil {
		// A flag whose usage is "same as -x" is printed on x's line.
		var flags []*flag.Flag
		alias := map[string]string{}
		fs.VisitAll(func(f *flag.Flag) {
			if of, ok := strings.CutPrefix(f.Usage, "same as -"); ok {
				alias[of] = f.Name
				return
			}
			flags = append(flags, f)
		})
		if len(flags) > 0 {
			fmt.Fprint(w, "\nFlags:\n")
			for _, f := range flags {
				arg, usage := flag.UnquoteUsage(f)
				line := "  " + flagName(f.Name)
				if a := alias[f.Name]; a != "" {
					line += ", " + flagName(a)
				}
				if arg != "" {
					line += " " + strings.ToUpper(arg)
				}
				if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
					usage += fmt.Sprintf(" (default %s)", f.DefValue)
				}
				fmt.Fprintf(w, "%s\n      %s\n", line, usage)
			}
		}
	}
	fmt.Fprint(w, "  -h, --help\n      print this help\n")
	if h.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", indentLines(strings.TrimSpace(h.examples), "  "))
	}
}

// flagName is how help spells a flag: -w, --write.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// nearest returns the candidate closest to s in edit distance, when it is
// close enough to be what was meant (a typo, a transposition, a missing
// or extra letter, or a prefix of it), else "".
func nearest(s string, candidates []string) string {
	best, bestDist := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // ties go to the first in lexical order
	for _, c := range sorted {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if len(s) >= 3 && strings.HasPrefix(c, s) {
			d = min(d, 1)
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(2, len(s)/3) {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent letters cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
