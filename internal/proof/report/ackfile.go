package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// DefaultAcceptFile is where `routeshift diff` looks for acknowledgements
// when --accept-file is not given, relative to the root of the repository
// that holds the AFTER side (ReadAcceptFileIn).
const DefaultAcceptFile = ".routeshift/accept.yaml"

// An accept file lists the routing changes a team reviewed and expects,
// so that an intended change does not fail every check. It is part of the
// repository, so adding an entry is itself reviewed in the pull request
// that makes the change (the PR check lists the entries a pull request
// adds). Each entry is narrow: it says where (host, path or path prefix,
// or one request) and what (the change as the report's cause line says it,
// the after outcome, or a named class), and matches a difference only when
// every field it sets matches. An entry that matches nothing is stale and
// fails the check, so the file never keeps accepting what no longer
// happens. The format is in docs/diff.md.

// AcceptFile is a parsed accept file.
type AcceptFile struct {
	Acknowledgements []AcceptEntry `json:"acknowledgements"`
}

// AcceptEntry is one acknowledgement. Where: Host, Path, PathPrefix,
// Request; what: Change, After, Class (at least one of them), or Outcome
// "unverifiable" (with a Host or a Request: the requests diff cannot
// decide were reviewed, by hand, there).
type AcceptEntry struct {
	// Host is the request's host name, exact (lower case).
	Host string `json:"host,omitempty"`
	// Path is the request's path, exact; PathPrefix a path prefix that
	// matches whole segments (/api matches /api and /api/x, not /apix).
	Path       string `json:"path,omitempty"`
	PathPrefix string `json:"pathPrefix,omitempty"`
	// Request is one request as the reports print it
	// ("GET https://shop.example.com/api with X-Canary: always").
	Request string `json:"request,omitempty"`
	// Change is what differs, as the report's cause line says it
	// ("backends shop/api:80 → shop/api-v2:80").
	Change string `json:"change,omitempty"`
	// After is the outcome after the change, as the reports print it.
	After string `json:"after,omitempty"`
	// Class is a named acceptance (Acceptances), as --accept takes.
	Class string `json:"class,omitempty"`
	// Outcome "unverifiable" makes the entry match requests whose outcome
	// diff cannot decide (OutcomeUnverifiable), and only those; without
	// it an entry matches only differences. Change then narrows by the
	// reason, as the cause line says it.
	Outcome string `json:"outcome,omitempty"`
	// Reason says why the change is intended; the reports show it.
	Reason string `json:"reason,omitempty"`
}

// Acknowledgement is what one entry of the accept file matched.
type Acknowledgement struct {
	// Index is the entry's position in the file, from 1.
	Index   int         `json:"index"`
	Entry   AcceptEntry `json:"entry"`
	Matched int         `json:"matched"`
	// Added: the entry is not in the base revision's accept file (the
	// pull request adds it).
	Added bool `json:"added,omitempty"`
}

// Stale reports whether the entry matched nothing.
func (a Acknowledgement) Stale() bool { return a.Matched == 0 }

// ReadAcceptFile reads and checks an accept file. Unknown fields are
// errors: a misspelt field would otherwise widen the entry.
func ReadAcceptFile(path string) (*AcceptFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAccept(f, path)
}

// ReadAcceptFileIn reads the accept file rel (a slash-separated path
// relative to root) without leaving root: a symbolic link on the way that
// points outside it, or a file that is not regular (a named pipe would
// block the read), is an error. The default accept file comes from the
// tree under review, which must not make diff read another file of the
// machine into its report. A missing file is an error that
// errors.Is(err, fs.ErrNotExist).
func ReadAcceptFileIn(root, rel string) (*AcceptFile, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	name := filepath.Join(root, filepath.FromSlash(rel))
	st, err := r.Stat(rel)
	if err != nil {
		// os.Root's message names the path as given; say which tree.
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w (read only within %s)", strconv.Quote(name), err, strconv.Quote(root))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", strconv.Quote(name))
	}
	f, err := r.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", strconv.Quote(name), err)
	}
	defer f.Close()
	return readAccept(f, name)
}

// readAccept reads an accept file's contents from f.
func readAccept(f io.Reader, path string) (*AcceptFile, error) {
	// The file comes with the pull request: a reviewed list is short, and
	// a huge one must not take the runner's memory.
	data, err := io.ReadAll(io.LimitReader(f, maxAcceptFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxAcceptFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxAcceptFile)
	}
	return ParseAcceptFile(data, path)
}

// maxAcceptFile bounds the accept file read.
const maxAcceptFile = 4 << 20

// ParseAcceptFile parses the contents of an accept file named name.
func ParseAcceptFile(data []byte, name string) (*AcceptFile, error) {
	var f AcceptFile
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.UnmarshalStrict(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	for i, e := range f.Acknowledgements {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("%s: acknowledgements[%d]: %w", name, i, err)
		}
	}
	return &f, nil
}

// OutcomeUnverifiable is the Outcome of an entry that acknowledges
// unverifiable requests.
const OutcomeUnverifiable = "unverifiable"

func (e AcceptEntry) check() error {
	switch e.Outcome {
	case "":
		if e.Change == "" && e.After == "" && e.Class == "" {
			return fmt.Errorf("say what is expected: change, after, class, or outcome: %s", OutcomeUnverifiable)
		}
	case OutcomeUnverifiable:
		// Requests are unverifiable where diff cannot tell what happens
		// (a raw nginx snippet, an external auth service): acknowledging
		// them says someone checked those by hand. That is a claim about
		// a place, never about the whole estate: no entry may cover every
		// unverifiable request at once.
		if e.Host == "" && e.Request == "" {
			return fmt.Errorf("outcome: %s needs a host or a request: an entry may not acknowledge every unverifiable request at once", OutcomeUnverifiable)
		}
		if e.After != "" || e.Class != "" {
			return fmt.Errorf("outcome: %s takes no after or class (change may narrow it by the reason)", OutcomeUnverifiable)
		}
	default:
		return fmt.Errorf("outcome %q: the only outcome an entry acknowledges is %q", e.Outcome, OutcomeUnverifiable)
	}
	if e.Path != "" && e.PathPrefix != "" {
		return fmt.Errorf("path and pathPrefix are exclusive")
	}
	for f, v := range map[string]string{"path": e.Path, "pathPrefix": e.PathPrefix} {
		if v != "" && !strings.HasPrefix(v, "/") {
			return fmt.Errorf("%s %q: want an absolute path", f, v)
		}
	}
	if e.Class != "" {
		if _, ok := acceptances[e.Class]; !ok {
			return fmt.Errorf("unknown class %q (known: %s)", e.Class, strings.Join(Acceptances(), ", "))
		}
	}
	return nil
}

// matches reports whether every field e sets matches d, a difference or
// (unverifiable) an unverifiable request; what is d's description
// (describe), computed once by the caller.
func (e AcceptEntry) matches(d *Difference, unverifiable bool, what func() string) bool {
	r := &d.Request
	switch {
	case unverifiable != (e.Outcome == OutcomeUnverifiable):
		return false
	case e.Host != "" && !strings.EqualFold(e.Host, r.Hostname()),
		e.Path != "" && e.Path != r.Path,
		e.PathPrefix != "" && !underPrefix(r.Path, e.PathPrefix),
		e.Request != "" && e.Request != d.Text,
		e.Change != "" && e.Change != what(),
		e.After != "" && e.After != d.After.String():
		return false
	case e.Class != "":
		return acceptances[e.Class](d.Before, d.After)
	}
	return true
}

func underPrefix(path, prefix string) bool {
	if !strings.HasPrefix(path, prefix) {
		return false
	}
	return len(path) == len(prefix) || strings.HasSuffix(prefix, "/") || path[len(prefix)] == '/'
}

// label is how reports name what accepted a difference.
func (e AcceptEntry) label(index int) string {
	s := fmt.Sprintf("acknowledgement %d", index)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// identity is the entry as data, to compare with the base's entries.
func (e AcceptEntry) identity() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// acknowledge moves the findings of ds (unverifiable ones or differences)
// that an entry of f matches to accepted, counting each match in acks; it
// returns the findings kept and how many moved.
func acknowledge(f *AcceptFile, acks []Acknowledgement, ds []Difference, unverifiable bool, accepted *[]Difference) ([]Difference, int) {
	kept := ds[:0]
	moved := 0
	for _, d := range ds {
		matched := -1
		what := ""
		describeOnce := func() string {
			if what == "" {
				what = describe(&d)
			}
			return what
		}
		for i, e := range f.Acknowledgements {
			if e.matches(&d, unverifiable, describeOnce) {
				matched = i
				break
			}
		}
		if matched < 0 {
			kept = append(kept, d)
			continue
		}
		acks[matched].Matched++
		d.Accepted = f.Acknowledgements[matched].label(matched + 1)
		*accepted = append(*accepted, d)
		moved++
	}
	return kept, moved
}

// Acknowledge moves the differences an entry of f matches, and the
// unverifiable requests an entry with outcome: unverifiable matches, into
// the accepted findings (the first matching entry names them), records what
// every entry matched, and counts the stale ones, which fail the check.
// Entries that base (the accept file of the revision the change is made
// against; nil when it has none) does not hold are marked Added. name is
// how reports call the file.
func (r *Report) Acknowledge(f, base *AcceptFile, name string) {
	if f == nil {
		return
	}
	known := map[string]bool{}
	if base != nil {
		for _, e := range base.Acknowledgements {
			known[e.identity()] = true
		}
	}
	acks := make([]Acknowledgement, len(f.Acknowledgements))
	for i, e := range f.Acknowledgements {
		acks[i] = Acknowledgement{Index: i + 1, Entry: e, Added: base != nil && !known[e.identity()]}
	}
	for ci := range r.Comparisons {
		c := &r.Comparisons[ci]
		for hi := range c.Hosts {
			h := &c.Hosts[hi]
			// Accepted findings are appended in host order: differences,
			// then unverifiable requests.
			var moved int
			h.Differences, moved = acknowledge(f, acks, h.Differences, false, &h.Accepted)
			c.Differences -= moved
			c.Accepted += moved
			h.Unverifiable, moved = acknowledge(f, acks, h.Unverifiable, true, &h.Accepted)
			c.Unverifiable -= moved
			c.Accepted += moved
		}
	}
	r.AcceptFile = name
	r.Acknowledgements = acks
	r.Stale = 0
	for _, a := range acks {
		if a.Stale() {
			r.Stale++
		}
	}
	r.finish()
}
