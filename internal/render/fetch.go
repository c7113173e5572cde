package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// isRemote reports whether kustomize could treat entry as something to
// fetch: an http(s) file (its loader's IsRemoteFile) or a git repository
// (its internal/git NewRepoSpecFromURL: a scheme among ssh, https, http
// and file, optionally behind "git::", a user@host: SCP form, or a
// github.com/ shorthand). It errs on the side of remote: an entry it
// flags is refused, never fetched, so a false positive is a clear error and
// a false negative would be a fetch.
func isRemote(entry string) bool {
	s := strings.ToLower(strings.TrimSpace(entry))
	s = strings.TrimPrefix(s, "git::")
	switch {
	case strings.Contains(s, "://"),
		strings.HasPrefix(s, "github.com/"), strings.HasPrefix(s, "github.com:"),
		scpUser.MatchString(s):
		return true
	}
	return false
}

// isHTTP is kustomize's loader IsRemoteFile: an http(s) URL, which it
// fetches before looking for a file of that name.
func isHTTP(entry string) bool {
	s := strings.ToLower(entry)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// scpUser is kustomize's username pattern before an SCP-style host.
var scpUser = regexp.MustCompile(`^[a-z][a-z0-9-]*@`)

// safeRef is what a git ref, tag or commit may look like when remote bases
// are allowed: no leading "-" (git would read "--upload-pack=..." as an
// option), no spaces, quotes or shell characters.
var safeRef = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/+-]*$`)

// checkRemote vets an entry that remote fetching would fetch: git would
// receive its host, path and ref as arguments, so none may start with "-"
// or hold anything but plain URL characters; the query may only hold
// kustomize's ref, version, timeout and submodules; a timeout may not
// exceed the fetch timeout; file:// (a repository outside the tree) is
// refused. httpOnly is for file fields (patches, generator files), which
// kustomize fetches over http(s) only.
func checkRemote(entry string, httpOnly bool, fetchTimeout time.Duration) error {
	for _, r := range entry {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("\"'`\\$;|&<>(){}", r) {
			return fmt.Errorf("holds %q, which no repository URL needs", r)
		}
	}
	if strings.Contains(entry, "--") || strings.Contains(strings.ToLower(entry), "upload-pack") {
		return errors.New("could be read by git as a command-line option")
	}
	rest := entry
	if len(rest) >= 5 && strings.EqualFold(rest[:5], "git::") {
		rest = rest[5:]
	}
	lower := strings.ToLower(rest)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
	case httpOnly:
		return errors.New("only http:// and https:// files are fetched")
	case strings.HasPrefix(lower, "file://"):
		return errors.New("file:// names a repository outside the tree; it is never read")
	case strings.HasPrefix(lower, "ssh://"), strings.HasPrefix(lower, "github.com"), scpUser.MatchString(lower):
	default:
		return errors.New("is not an http(s), ssh or github.com URL")
	}
	path, query, _ := strings.Cut(rest, "?")
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
	}
	for _, seg := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == ':' || r == '@' }) {
		if strings.HasPrefix(seg, "-") {
			return fmt.Errorf("segment %q could be read by git as a command-line option", seg)
		}
	}
	if httpOnly {
		if _, err := url.ParseRequestURI(rest); err != nil {
			return err
		}
		return nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("query: %v", err)
	}
	for k, vs := range values {
		for _, v := range vs {
			switch k {
			case "ref", "version":
				if !safeRef.MatchString(v) {
					return fmt.Errorf("%s %q is not a plain branch, tag or commit (it could be read by git as an option)", k, v)
				}
			case "timeout":
				d, err := time.ParseDuration(v)
				if n, aerr := strconv.Atoi(v); aerr == nil {
					d, err = time.Duration(n)*time.Second, nil
				}
				if err != nil || d <= 0 || d > fetchTimeout {
					return fmt.Errorf("timeout %q: at most %s (--fetch-timeout)", v, fetchTimeout)
				}
			case "submodules":
			default:
				return fmt.Errorf("query parameter %q is not one kustomize reads", k)
			}
		}
	}
	return nil
}

// The guard on http.DefaultTransport, which kustomize's loader uses (its
// http.Client has no Transport): installed once, while a render runs it
// refuses every request unless that render allows remote fetches, and then
// forwards each with the render's fetch timeout and size cap. Between
// renders it passes requests through untouched, so the rest of the process
// is unaffected. renderMu serializes renders, so the policy is that of the
// one running.
var (
	renderMu    sync.Mutex
	guardOnce   sync.Once
	policyMu    sync.Mutex
	policy      fetchPolicy
	defaultNext http.RoundTripper
)

type fetchPolicy struct {
	active   bool // a render is running
	allow    bool
	timeout  time.Duration
	maxBytes int64
	refused  func(error)
}

func setPolicy(p fetchPolicy) {
	guardOnce.Do(func() {
		defaultNext = http.DefaultTransport
		http.DefaultTransport = guard{}
	})
	policyMu.Lock()
	policy = p
	policyMu.Unlock()
}

// guard is the transport installed on http.DefaultTransport.
type guard struct{}

func (guard) RoundTrip(req *http.Request) (*http.Response, error) {
	policyMu.Lock()
	p := policy
	policyMu.Unlock()
	if !p.active {
		return defaultNext.RoundTrip(req)
	}
	if !p.allow {
		err := fmt.Errorf("fetching %s: rendering makes no network request without --allow-remote", req.URL.Redacted())
		if p.refused != nil {
			p.refused(err)
		}
		return nil, err
	}
	if err := checkRemote(req.URL.String(), true, p.timeout); err != nil {
		return nil, fmt.Errorf("fetching %s: %v", req.URL.Redacted(), err)
	}
	ctx, cancel := context.WithTimeout(req.Context(), p.timeout)
	resp, err := defaultNext.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("fetching %s: no answer within %s (--fetch-timeout)", req.URL.Redacted(), p.timeout)
		}
		return nil, err
	}
	resp.Body = &cappedBody{r: resp.Body, left: p.maxBytes, max: p.maxBytes, url: req.URL.Redacted(), cancel: cancel}
	return resp, nil
}

// cappedBody fails a read past the size cap instead of truncating it.
type cappedBody struct {
	r      io.ReadCloser
	left   int64
	max    int64
	url    string
	cancel context.CancelFunc
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, fmt.Errorf("fetching %s: larger than %s (--fetch-max-bytes)", b.url, byteSize(b.max))
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, fmt.Errorf("fetching %s: larger than %s (--fetch-max-bytes)", b.url, byteSize(b.max))
	}
	return n, err
}

func (b *cappedBody) Close() error {
	defer b.cancel()
	return b.r.Close()
}
