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
// Findings are grouped into causes (cause.go): the same change, written
// relative to the request, is one cause on however many hosts. Intended
// changes are acknowledged in an accept file (ackfile.go); the converter's
// approximation results mark the causes they announced (approx.go), read
// as data: this package never imports the converter.
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
//	    "causes": [{"id": 1, "kind": "difference" | "unverifiable" | "accepted",
//	                "what": "backends shop/api:80 → shop/api-v2:80",
//	                "requests": 6, "hosts": 2, "example": Difference,
//	                "beforeRules": 1, "afterRules": 1, "converter": ["..."],
//	                "unannounced": 0}],
//	    "hosts": [{
//	      "host": "shop.example.com", "probes": 40,
//	      "differences": [{"request": Request, "text": "GET https://...",
//	                       "before": Outcome, "after": Outcome, "cause": 1}],
//	      "unverifiable": [ ...same shape... ],
//	      "accepted": [ ...same shape, with "accepted": "<what accepted it>"... ]
//	    }]
//	  }],
//	  "acceptFile": ".routeshift/accept.yaml", "stale": 0,
//	  "acceptedUnverifiable": 0,
//	  "unannounced": 0,         // with the converter's results (approx.go)
//	  "acknowledgements": [{"index": 1, "entry": {...}, "matched": 6, "added": true}]
//	}
//
// Request and Outcome are routing.Request and routing.Outcome with their
// JSON tags. Hosts without differences or unverifiable requests are left
// out. An accepted finding is a difference, or an unverifiable request
// that an accept file entry with outcome: unverifiable acknowledged
// (acceptedUnverifiable counts those). Exit codes (see Report.ExitCode): 0 equivalent, 1 differences or
// stale acknowledgements (or unverifiable requests when they are made to
// fail), 2 could not run.
package report
