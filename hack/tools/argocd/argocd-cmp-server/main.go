// Command argocd-cmp-server is Argo CD's config management plugin server,
// built from Argo CD's own command package. Argo CD ships it inside its
// multi-call binary (cmd/main.go picks the command by the binary's name);
// this main does what that one does for the name "argocd-cmp-server",
// without linking the API server, controllers and CLI, which makes the
// cold build several times shorter.
package main

import (
	"fmt"
	"os"

	"k8s.io/klog/v2"

	cmpserver "github.com/argoproj/argo-cd/v3/cmd/argocd-cmp-server/commands"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func init() {
	// As Argo CD's main: klog uses the configured log level and format.
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
}

func main() {
	command := cmpserver.NewCommand()
	// Argo CD's main silences cobra for this command and prints nothing
	// itself; an error exits 1.
	command.SilenceErrors = true
	command.SilenceUsage = true
	if err := command.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "argocd-cmp-server:", err)
		os.Exit(1)
	}
}
