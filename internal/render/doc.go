// Package render builds a kustomization in-process with
// sigs.k8s.io/kustomize/api (the library the kustomize CLI is built on),
// safely enough to run on the head of an untrusted pull request.
//
// By default rendering starts no process, makes no network request and
// reads nothing outside the directory tree it is given (Options.Root):
//
//   - krusty runs with plugins restricted to kustomize's builtins, exec
//     functions off and Helm off (krusty.Options.PluginConfig), and load
//     restrictions root-only;
//   - before krusty runs, every kustomization reachable from the root is
//     scanned (scan.go): a remote base, a git URL, an http(s) resource,
//     patch or generator file, an exec or container KRM function and a
//     Helm chart are each an error naming the kustomization file, the field
//     and the entry. This scan is what keeps kustomize's loader from running
//     `git fetch` (sigs.k8s.io/kustomize/api internal/git, v0.21.2), which
//     cannot be switched off through krusty's options, and which an
//     option-like ref turns into command execution;
//   - krusty reads through a filesys.FileSystem (fs.go) that refuses any
//     path resolving, through symbolic links or "..", outside the root,
//     refuses files that are not regular (FIFOs, devices) and charges every
//     byte read to a budget;
//   - while krusty runs, http.DefaultTransport (which kustomize's loader
//     uses for http(s) files) refuses every request unless remote fetches
//     are allowed (fetch.go), a second line behind the scan;
//   - the expansion of the kustomization graph (a base included twice by
//     each of thirty overlays is 2^30 builds) is counted before building,
//     and the build has a wall-clock timeout, a budget of live heap growth
//     and an output size cap.
//
// Options.AllowRemote allows remote bases and http(s) files; even then an
// entry whose ref, host or path could be read by git as a command-line
// option is refused, each http fetch has a timeout and a size cap, and
// git's own timeout may not be raised past Limits.FetchTimeout.
// Options.EnableExec allows exec and container KRM functions, as
// kustomize's --enable-alpha-plugins --enable-exec. Options.AllowExec
// allows only exec functions whose path is one of the bare program names
// it lists (routeshift's own transformer, say), checked by the scan before
// the build. Helm is never run.
//
// Not bounded: the disk a git clone takes (with AllowRemote; kustomize
// clones with --depth=1 and the build's reads of it count against the read
// budget). The memory budget is approximate (runtime/metrics, sampled). A
// render that outlives its time or memory budget is abandoned, not
// stopped: the error returns at once and krusty runs on in the background
// until it returns, which in the CLI means until the process exits.
package render
