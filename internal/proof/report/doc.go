// Package report compares two data planes' answers to the same probes and
// renders the result for a terminal (text), a pull request comment
// (Markdown) or a machine (JSON).
//
// A request is the same when both outcomes are equal in routing's sense
// (backends as proportions, the path and Host the backend sees, header
// changes, redirect status and Location, status code). It is unverifiable
// when either side's outcome is Unverifiable; unverifiable requests are
// listed apart and never hide a difference, because a request counts as
// unverifiable only when no verifiable outcome could be compared.
//
// # JSON
//
// The JSON form is stable: fields are only ever added. Its shape:
//
//	{
//	  "verdict": "equivalent" | "different" | "unverifiable",
//	  "summary": "<the one-line verdict>",
//	  "probes": 120,            // requests asked, over all comparisons
//	  "differences": 2,
//	  "unverifiable": 1,
//	  "comparisons": [{
//	    "before": "before.yaml (Ingress)", "after": "after/ (Gateway API)",
//	    "probes": 120, "differences": 2, "unverifiable": 1,
//	    "hosts": [{
//	      "host": "shop.example.com", "probes": 40,
//	      "differences": [{"request": Request, "text": "GET https://...",
//	                       "before": Outcome, "after": Outcome}],
//	      "unverifiable": [ ...same shape... ]
//	    }]
//	  }]
//	}
//
// Request and Outcome are routing.Request and routing.Outcome with their
// JSON tags. Hosts without differences or unverifiable requests are left
// out. Exit codes (see Report.ExitCode): 0 equivalent, 1 differences (or
// unverifiable requests when they are made to fail), 2 could not run.
package report
