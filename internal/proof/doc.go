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
// Nothing here imports the converter (internal/convert, fn) or its fast
// parser: if the proof reused the converter's understanding, a mistake would
// agree with itself. A test (deps_test.go) holds that line.
package proof
