// Package finding holds what the conversion has to tell its user: one
// Finding per thing that happened to an object and deserves a word (an
// annotation that could not be translated, a conflict that ingress-nginx
// resolved in its own way, input that could not be read).
//
// Findings are plain data. The function turns them into KRM results and the
// CLI into a summary; the packages that produce them never print.
package finding

import (
	"fmt"

	"github.com/routeshift/routeshift/internal/load"
)

// Severity orders findings; the function's exit code depends on the highest.
type Severity int

const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return Info, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Finding is one message about one object (or about the run when Object is nil).
type Finding struct {
	Severity Severity
	Message  string
	Object   *load.Object
	// Field is the path inside the object the message is about, in the
	// KRM results form: "metadata.annotations.nginx.ingress.kubernetes.io/rewrite-target".
	Field string
}

// List collects findings in the order they were made; that order is
// deterministic because every producer iterates in sorted order.
type List []Finding

func (l *List) Add(sev Severity, obj *load.Object, field, format string, args ...any) {
	*l = append(*l, Finding{Severity: sev, Message: fmt.Sprintf(format, args...), Object: obj, Field: field})
}

func (l *List) Errorf(obj *load.Object, field, format string, args ...any) {
	l.Add(Error, obj, field, format, args...)
}

func (l *List) Warnf(obj *load.Object, field, format string, args ...any) {
	l.Add(Warning, obj, field, format, args...)
}

func (l *List) Infof(obj *load.Object, field, format string, args ...any) {
	l.Add(Info, obj, field, format, args...)
}

// Max returns the highest severity in the list, or -1 when it is empty.
func (l List) Max() Severity {
	max := Severity(-1)
	for _, f := range l {
		if f.Severity > max {
			max = f.Severity
		}
	}
	return max
}

// Failed returns the objects named by an error finding.
func (l List) Failed() map[*load.Object]bool {
	out := map[*load.Object]bool{}
	for _, f := range l {
		if f.Severity == Error && f.Object != nil {
			out[f.Object] = true
		}
	}
	return out
}
