// Package carryover moves what other controllers read from the converted
// Ingresses to the objects that replace them, so that certificates keep
// renewing, DNS records stay, and canaries keep shifting traffic after
// cutover (docs/what-else-moves.md).
//
// Run takes the converted Ingresses, the Gateway API objects generated for
// them and the rest of the input, and returns:
//
//   - annotations to put on generated objects: cert-manager's gateway-shim
//     annotations and ExternalDNS's target on created Gateways, ExternalDNS's
//     route annotations and other tools' copyable ones (Argo CD sync waves,
//     Flux options) on the Ingress's routes;
//   - new objects: cert-manager Certificates standing for those ingress-shim
//     made, where gateway-shim cannot make the same one;
//   - rewritten input objects: Issuers and ClusterIssuers with a Gateway API
//     HTTP-01 solver, Rollouts with the Gateway API plugin, Flagger Canaries
//     on gatewayapi:v1;
//   - generated routes to leave out (a Flagger Canary's, which Flagger owns);
//   - findings, and each foreign annotation's fate noted on its Ingress.
//
// Every decision reads only the input and the generated objects, in input
// order, so a second run over the same input, or over the output, decides
// the same. With spec.ingress remove, whatever the output cannot carry is
// an error on the Ingress, which keeps it.
package carryover
