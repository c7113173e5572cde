// Package proof is the half of routeshift that checks the converter's work:
// `routeshift diff` asks two independent models the same requests and
// reports every request whose outcome changes.
//
//   - routing is the shared vocabulary: a Request, an Outcome;
//   - source reads each side (files, a rendered kustomization, stdin) on its
//     own reading path;
//   - nginx models how ingress-nginx routes a request, gateway how a Gateway
//     API implementation does;
//   - probe derives the requests worth asking from both models' decision
//     points;
//   - report compares the answers and renders them (text, Markdown, JSON);
//   - check wires the steps together.
//
// Nothing here imports the converter (internal/convert, fn) or its reader
// (internal/load, fast parser included): if the proof reused the
// converter's understanding, a mistake would agree with itself. Manifests
// are read by internal/kube, with the API server's rules (docs/reading.md).
// A test (deps_test.go) holds that line, tests included; the one exception
// is internal/differential, which holds the two readers to the same
// objects.
package proof
