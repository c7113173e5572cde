package main

import (
	"flag"
	"fmt"
	"io"

	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/validate"
)

// validateCmd checks manifests against the pinned Gateway API CRDs the way
// the API server does on create (schema, defaults, unknown fields, CEL
// rules), offline: exit 1 with every error when something is invalid.
func validateCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	channel := fs.String("channel", "standard", "Gateway API CRD channel: standard or experimental")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "routeshift validate: name at least one file, directory or - (stdin)")
		return 2
	}
	if *channel != "standard" && *channel != "experimental" {
		fmt.Fprintf(stderr, "routeshift validate: channel %q: want standard or experimental\n", *channel)
		return 2
	}
	v, err := validate.New(validate.Channel(*channel))
	if err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 2
	}
	objs, err := load.ReadPaths(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 2
	}
	checked, invalid := 0, 0
	for _, o := range objs {
		if o.Node == nil || !v.Knows(o.APIVersion(), o.Kind()) {
			continue
		}
		checked++
		var errs []error
		data, err := load.JSON(o.Node)
		if err == nil {
			var obj map[string]any
			if err = utiljson.Unmarshal(data, &obj); err == nil {
				errs = v.Validate(obj)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			invalid++
		}
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s: %v\n", o.Ref(), e)
		}
	}
	fmt.Fprintf(stderr, "routeshift validate: %d Gateway API objects checked against the %s channel, %d invalid\n", checked, *channel, invalid)
	if invalid > 0 {
		return 1
	}
	return 0
}
