package routing

// Point is one decision a configuration makes: a host, a path, and the
// request attributes a rule tests there. Package probe turns points into
// requests on both sides of every boundary.
type Point struct {
	// Host is a server name or route hostname: exact, "*.suffix", or ""
	// for the catch-all.
	Host string
	// Path is a literal path the rule matches (for a regular expression,
	// its literal beginning).
	Path string
	// PathRegex is set when the rule matches the path with a regular
	// expression (Go syntax); probes then include a path it matches.
	PathRegex string
	Method    string
	// Headers, Query and Cookies are tested values that satisfy the rule.
	Headers []KV
	Query   []KV
	Cookies []KV
	// GRPC marks a gRPC method: probes are POSTs with a gRPC content type.
	GRPC bool
}

// Evaluator is a model of a data plane.
type Evaluator interface {
	// Evaluate returns what the data plane does with a normalized request.
	Evaluate(Request) Outcome
	// Points returns the decisions the configuration makes, for probes.
	Points() []Point
}
