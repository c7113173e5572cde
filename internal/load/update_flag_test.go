package load

// Imported so that `go test ./... -update` passes a flag this test binary knows.
import _ "github.com/routeshift/routeshift/internal/golden"
