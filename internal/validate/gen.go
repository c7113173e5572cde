package validate

// The CRDs are copied, not referenced, because go:embed cannot read the
// module cache; TestEmbeddedCRDsMatchModule fails when the copies drift from
// the version go.mod pins.
//go:generate go run ./internal/gencrds -out crds -pb crdpb
