package inventory

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as one indented JSON document: the Report
// fields under apiVersion and kind, keys in the order of the Go structs,
// every list present. docs/inventory.md documents it; fields are only
// ever added.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		*Report
	}{APIVersion, Kind, r}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
