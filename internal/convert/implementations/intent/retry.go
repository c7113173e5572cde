package intent

import (
	"errors"
	"slices"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

// Retry is the proxy-next-upstream family: on which failures nginx tries
// the next endpoint, how many times and for how long.
type Retry struct {
	On Value[NextUpstream]
	// Tries counts the first attempt, as nginx does (1..MaxTries). Its
	// Err is ErrTriesUnlimited for 0, which nginx reads as "as many as
	// there are endpoints".
	Tries Value[int64]
	// Timeout bounds all attempts together, in seconds; 0 is no bound.
	Timeout Value[int64]
}

// Set reports whether any member of the family is set.
func (r Retry) Set() bool { return r.On.Set || r.Tries.Set || r.Timeout.Set }

// NextUpstream is a proxy-next-upstream value: off, or conditions.
type NextUpstream struct {
	Off bool
	// Conditions are error, timeout, invalid_header and non_idempotent,
	// sorted and unique; Codes the statuses of its http_<code>
	// conditions, sorted and unique.
	Conditions []string
	Codes      []int64
}

// MaxTries bounds proxy-next-upstream-tries.
const MaxTries = 20

// ErrTriesUnlimited is the error of a proxy-next-upstream-tries of 0.
var ErrTriesUnlimited = errors.New("0 means as many tries as there are endpoints")

var retryStatus = map[string]int64{"http_403": 403, "http_404": 404, "http_429": 429, "http_500": 500, "http_502": 502, "http_503": 503, "http_504": 504}

func nextUpstream(raw string) (NextUpstream, error) {
	c, err := value.Clean(raw, 256)
	if err != nil {
		return NextUpstream{}, err
	}
	fields := strings.Fields(c)
	if slices.Contains(fields, "off") {
		if len(fields) > 1 {
			return NextUpstream{}, errors.New("off cannot be combined with other conditions")
		}
		return NextUpstream{Off: true}, nil
	}
	var n NextUpstream
	for _, f := range fields {
		switch f {
		case "error", "timeout", "invalid_header", "non_idempotent":
			n.Conditions = append(n.Conditions, f)
			continue
		}
		code, ok := retryStatus[f]
		if !ok {
			return NextUpstream{}, errors.New("condition " + value.Quote(f) + " is not one of error, timeout, invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent, off")
		}
		n.Codes = append(n.Codes, code)
	}
	slices.Sort(n.Conditions)
	slices.Sort(n.Codes)
	n.Conditions, n.Codes = slices.Compact(n.Conditions), slices.Compact(n.Codes)
	return n, nil
}

func readRetry(ann map[string]string) Retry {
	return Retry{
		On: read(ann, "proxy-next-upstream", nextUpstream),
		Tries: read(ann, "proxy-next-upstream-tries", func(s string) (int64, error) {
			n, err := value.Int(s, 1, MaxTries)
			if err != nil && strings.TrimSpace(s) == "0" {
				err = ErrTriesUnlimited
			}
			return n, err
		}),
		Timeout: read(ann, "proxy-next-upstream-timeout", func(s string) (int64, error) { return value.Seconds(s, 0, MaxIO) }),
	}
}
