package gateway

// Every test binary must accept -update (see internal/golden).
import _ "github.com/routeshift/routeshift/internal/golden"
