package status

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as one JSON document: the Report fields
// under an apiVersion and kind, indented, keys in the order of the Go
// structs, every list present (empty rather than null). The form is
// stable: fields are only ever added.
func (r Report) WriteJSON(w io.Writer) error {
	out := struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Report
	}{DeclaredAPIVersion, "CheckReport", r}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// WriteTable writes the report for a terminal or a pull-request comment:
// a table of Gateways and listeners, a table of route parents, then every
// condition that needs a reader's attention with its message, the
// warnings, the errors, and a summary line.
func (r Report) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	if len(r.Gateways) > 0 {
		fmt.Fprintln(tw, "GATEWAY / LISTENER\tPROTOCOL\tPORT\tHOSTNAME\tACCEPTED\tRESOLVEDREFS\tPROGRAMMED\tROUTES")
		for _, g := range r.Gateways {
			// The last cell is "-" rather than empty so that the line
			// keeps the column block aligned without trailing spaces.
			fmt.Fprintf(tw, "%s/%s\t\t\t\t%s\t%s\t%s\t-\n", g.Namespace, g.Name,
				short(g.Conditions, condAccepted), short(g.Conditions, condResolvedRefs), short(g.Conditions, condProgrammed))
			for _, l := range g.Listeners {
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", l.Name, l.Protocol, l.Port, hostCell(l.Hostname),
					short(l.Conditions, condAccepted), short(l.Conditions, condResolvedRefs), short(l.Conditions, condProgrammed), l.AttachedRoutes)
			}
		}
		fmt.Fprintln(tw)
	}
	if len(r.ListenerSets) > 0 {
		fmt.Fprintln(tw, "LISTENERSET / LISTENER\tPROTOCOL\tPORT\tHOSTNAME\tACCEPTED\tRESOLVEDREFS\tPROGRAMMED\tROUTES")
		for _, ls := range r.ListenerSets {
			fmt.Fprintf(tw, "%s/%s -> Gateway %s\t\t\t\t%s\t-\t-\t-\n", ls.Namespace, ls.Name, ls.Parent, short(ls.Conditions, condAccepted))
			for _, l := range ls.Listeners {
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", l.Name, l.Protocol, l.Port, hostCell(l.Hostname),
					short(l.Conditions, condAccepted), short(l.Conditions, condResolvedRefs), short(l.Conditions, condProgrammed), l.AttachedRoutes)
			}
		}
		fmt.Fprintln(tw)
	}
	if len(r.Routes) > 0 {
		fmt.Fprintln(tw, "ROUTE\tPARENT\tACCEPTED\tRESOLVEDREFS\tLISTENERS")
		for _, rt := range r.Routes {
			name := fmt.Sprintf("%s %s/%s", rt.Kind, rt.Namespace, rt.Name)
			if len(rt.Parents) == 0 {
				fmt.Fprintf(tw, "%s\t(no parentRefs)\t-\t-\t-\n", name)
			}
			for _, p := range rt.Parents {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, p.describe(),
					short(p.Conditions, condAccepted), short(p.Conditions, condResolvedRefs), joinOrDash(p.Listeners))
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	var details []string
	for _, g := range r.Gateways {
		obj := fmt.Sprintf("Gateway %s/%s (%s)", g.Namespace, g.Name, g.Source)
		details = appendNotable(details, obj, g.Conditions)
		for _, l := range g.Listeners {
			details = appendNotable(details, fmt.Sprintf("Gateway %s/%s listener %s (%s)", g.Namespace, g.Name, l.Name, g.Source), l.Conditions)
		}
	}
	for _, ls := range r.ListenerSets {
		details = appendNotable(details, fmt.Sprintf("ListenerSet %s/%s (%s)", ls.Namespace, ls.Name, ls.Source), ls.Conditions)
		for _, l := range ls.Listeners {
			details = appendNotable(details, fmt.Sprintf("ListenerSet %s/%s listener %s (%s)", ls.Namespace, ls.Name, l.Name, ls.Source), l.Conditions)
		}
	}
	for _, rt := range r.Routes {
		for _, p := range rt.Parents {
			details = appendNotable(details, fmt.Sprintf("%s %s/%s -> %s (%s)", rt.Kind, rt.Namespace, rt.Name, p.describe(), rt.Source), p.Conditions)
		}
	}
	var certs []string
	for _, g := range r.Gateways {
		for _, l := range g.Listeners {
			if len(l.CertificateSources) > 0 {
				certs = append(certs, fmt.Sprintf("Gateway %s/%s listener %s\n    %s", g.Namespace, g.Name, l.Name, strings.Join(l.CertificateSources, "\n    ")))
			}
		}
	}
	section(bw, "Certificates:", certs)
	section(bw, "Conditions to look at:", details)
	var warns []string
	for _, wn := range r.Warnings {
		where := wn.Object + " (" + wn.Source + ")"
		if wn.Field != "" {
			where += " " + wn.Field
		}
		warns = append(warns, where+"\n    "+wn.Message)
	}
	section(bw, "Warnings:", warns)
	section(bw, "Errors (objects not checked):", r.Errors)
	s := r.Summary
	fmt.Fprintf(bw, "%s, %s, %s; Accepted/ResolvedRefs: %d False, %d Unknown; %s, %s\n",
		count(s.Gateways, "Gateway"), count(s.Listeners, "listener"), count(s.Parents, "route parent"),
		s.Failed, s.Unknown, count(s.Warnings, "warning"), count(s.Errors, "error"))
	return bw.Flush()
}

// short renders a condition for a table cell: the status, and the reason
// when it adds something ("True" for True/Accepted, "False RefNotPermitted",
// "Unknown" for Unknown/Pending).
func short(cs []Condition, typ string) string {
	c := get(cs, typ)
	if c == nil {
		return "-"
	}
	if (c.Status == True && c.Reason == typ) || (c.Status == Unknown && c.Reason == reasonPending) {
		return string(c.Status)
	}
	return string(c.Status) + " " + c.Reason
}

// notable reports whether a condition deserves its message in the
// details: a gate that is not True, a True gate with a remark, a False
// Programmed, or a negative-polarity condition that is not False.
func notable(c Condition) bool {
	switch c.Type {
	case condAccepted, condResolvedRefs:
		return c.Status != True || c.Message != ""
	case condProgrammed:
		return c.Status == False
	case condConflicted, condOverlapping:
		return c.Status != False
	}
	return false
}

func appendNotable(out []string, obj string, cs []Condition) []string {
	for _, c := range cs {
		if notable(c) {
			line := fmt.Sprintf("%s\n    %s %s %s", obj, c.Type, c.Status, c.Reason)
			if c.Message != "" {
				line += ": " + c.Message
			}
			out = append(out, line)
		}
	}
	return out
}

func section(w io.Writer, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w, title)
	for _, l := range lines {
		fmt.Fprintln(w, "  "+l)
	}
	fmt.Fprintln(w)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// hostCell shows a listener without hostname as "*": it matches all hosts.
func hostCell(h string) string {
	if h == "" {
		return "*"
	}
	return h
}

func joinOrDash(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	s := list[0]
	for _, v := range list[1:] {
		s += "," + v
	}
	return s
}
