package fn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// The defaults of the controller profile by ingress-nginx release
// (changelog/controller-1.12.0.md, "Enable security features by default",
// #11819; changelog/controller-1.9.0.md, "Disable user snippets per
// default", #10393; config.go NewDefault of controller-v1.9.1 and v1.12.0):
// strict-validate-path-type, --enable-annotation-validation and
// annotations-risk-level High from v1.12; annotations-risk-level Critical
// from v1.9 to v1.11 (no risk check before); allow-snippet-annotations
// false from v1.9. diff's model reads the same block on its own
// (internal/proof/nginx Profile).

// lastMinor is the last release's minor version, the default.
const lastMinor = 15

// minor is the controller's minor version (1.minor): Version as "1.15",
// "1.15.1", "v1.15.1" or "controller-v1.15.1".
func (c *Controller) minor() (int, error) {
	if c.Version == "" {
		return lastMinor, nil
	}
	v := strings.TrimPrefix(strings.TrimPrefix(c.Version, "controller-"), "v")
	parts := strings.Split(v, ".")
	bad := fmt.Errorf("version %q: want an ingress-nginx controller version such as 1.15.1", c.Version)
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "1" {
		return 0, bad
	}
	n := 0
	for i, p := range parts {
		if p == "" || len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return 0, bad
		}
		if i == 1 {
			n, _ = strconv.Atoi(p)
		}
	}
	return n, nil
}

// riskLevel is AnnotationsRiskLevel, or the version's default.
func (c *Controller) riskLevel(minor int) (annotations.Risk, error) {
	switch strings.ToLower(c.AnnotationsRiskLevel) {
	case "":
		if minor >= 12 {
			return annotations.High, nil
		}
		return annotations.Critical, nil
	case "low":
		return annotations.Low, nil
	case "medium":
		return annotations.Medium, nil
	case "high":
		return annotations.High, nil
	case "critical":
		return annotations.Critical, nil
	}
	// The controller reads an unknown level as Low; a typo here must not
	// pass for a setting.
	return 0, fmt.Errorf("annotationsRiskLevel %q: want Low, Medium, High or Critical", c.AnnotationsRiskLevel)
}

// check validates the version and the risk level.
func (c *Controller) check() error {
	minor, err := c.minor()
	if err != nil {
		return err
	}
	_, err = c.riskLevel(minor)
	return err
}

// apply sets the model's options from the profile (checked already).
func (c *Controller) apply(opt *ingressnginx.Options) {
	minor, err := c.minor()
	if err != nil {
		minor = lastMinor
	}
	or := func(b *bool, def bool) bool {
		if b == nil {
			return def
		}
		return *b
	}
	opt.LaxPathType = !or(c.StrictValidatePathType, minor >= 12)
	opt.NoSSLRedirect = !or(c.SSLRedirect, true)
	opt.AllowSnippets = or(c.AllowSnippetAnnotations, minor < 9)
	opt.NoAnnotationValidation = !or(c.EnableAnnotationValidation, minor >= 12)
	opt.MaxRisk, _ = c.riskLevel(minor)
}
