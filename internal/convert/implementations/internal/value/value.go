package value

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLen bounds an ordinary annotation value. The longest legitimate values
// (URLs, header lists) are far shorter; longer input is refused, not
// truncated, because a truncated value would mean something else.
const MaxLen = 4096

// Clean returns s without surrounding spaces and tabs, or an error when it
// is empty, longer than max bytes, not UTF-8, or holds any other control
// character (CR, LF and NUL included: header and config injection).
func Clean(s string, max int) (string, error) {
	if len(s) > max {
		return "", fmt.Errorf("longer than %d bytes", max)
	}
	if !utf8.ValidString(s) {
		return "", errors.New("not valid UTF-8")
	}
	s = strings.Trim(s, " \t")
	if s == "" {
		return "", errors.New("empty")
	}
	for _, r := range s {
		// C0 and C1 controls (tab, CR, LF and NUL among them), DEL, and
		// the Unicode line separators that some YAML and log readers
		// treat as newlines.
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 {
			return "", fmt.Errorf("contains the control character %U", r)
		}
	}
	return s, nil
}

// Int parses a plain decimal integer (no sign, no spaces inside, at most ten
// digits) within [min, max]. ingress-nginx reads these annotations with
// strconv.Atoi; signs and exponents are refused here because no legitimate
// value needs them.
func Int(s string, min, max int64) (int64, error) {
	s, err := Clean(s, 32)
	if err != nil {
		return 0, err
	}
	if len(s) > 10 || !isDigits(s) {
		return 0, errors.New("not a non-negative decimal integer")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("not a non-negative decimal integer")
	}
	if n < min || n > max {
		return 0, fmt.Errorf("%d is outside %d..%d", n, min, max)
	}
	return n, nil
}

// isDigits reports whether s is one or more ASCII digits and nothing else.
func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// Seconds parses a timeout as ingress-nginx writes it, "60", or with the
// unit spelled out, "60s", within [min, max] seconds.
func Seconds(s string, min, max int64) (int64, error) {
	c, err := Clean(s, 32)
	if err != nil {
		return 0, err
	}
	digits := strings.TrimSuffix(c, "s")
	if !isDigits(digits) {
		return 0, errors.New("not a number of seconds (like 60 or 60s)")
	}
	n, err := Int(digits, min, max)
	if err != nil {
		return 0, fmt.Errorf("not a number of seconds (like 60 or 60s): %w", err)
	}
	return n, nil
}

// Bool parses what strconv.ParseBool accepts, as ingress-nginx does.
func Bool(s string) (bool, error) {
	c, err := Clean(s, 8)
	if err != nil {
		return false, err
	}
	b, err := strconv.ParseBool(c)
	if err != nil {
		return false, errors.New("not a boolean (true or false)")
	}
	return b, nil
}

// MaxSize bounds a body size: 1 TiB, far above any request a proxy should
// take whole.
const MaxSize = 1 << 40

// Size parses an nginx size: bytes, or a number with k, m or g (either
// case), which nginx counts in powers of 1024. "0" is returned as 0 and
// means "no limit" to nginx; callers decide what that becomes.
func Size(s string) (int64, error) {
	c, err := Clean(s, 32)
	if err != nil {
		return 0, err
	}
	mult := int64(1)
	switch c[len(c)-1] {
	case 'k', 'K':
		mult = 1 << 10
	case 'm', 'M':
		mult = 1 << 20
	case 'g', 'G':
		mult = 1 << 30
	}
	digits := c
	if mult != 1 {
		digits = c[:len(c)-1]
	}
	n, err := Int(digits, 0, MaxSize)
	if err != nil || !isDigits(digits) {
		return 0, errors.New("not an nginx size (like 1m, 512k, 8m, 1g or a number of bytes)")
	}
	if n > MaxSize/mult {
		return 0, fmt.Errorf("larger than %s", Quantity(MaxSize))
	}
	return n * mult, nil
}

// Quantity writes bytes as a Kubernetes quantity in the largest binary unit
// that divides it exactly ("8Mi", "1536Ki", "100"), so the value means the
// same number of bytes nginx counted.
func Quantity(bytes int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if bytes >= u.size && bytes%u.size == 0 {
			return strconv.FormatInt(bytes/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(bytes, 10)
}

// Duration writes seconds in the Go/Gateway API duration form ("1h30m",
// "45s", "0s"), which also matches the vendor CRD patterns
// ^([0-9]{1,5}(h|m|s|ms)){1,4}$ for anything below 100000 hours.
func Duration(seconds int64) string {
	if seconds <= 0 {
		return "0s"
	}
	h, m, s := seconds/3600, seconds%3600/60, seconds%60
	var b strings.Builder
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + "h")
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(m, 10) + "m")
	}
	if s > 0 {
		b.WriteString(strconv.FormatInt(s, 10) + "s")
	}
	return b.String()
}

// Quote shows an untrusted value in a message: Go-quoted, so control
// characters are escaped, and shortened, so a 10 kB value does not become a
// 10 kB message.
func Quote(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}
