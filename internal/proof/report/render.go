package report

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as indented JSON (shape in the package
// documentation). It is always whole: it is the report a Markdown comment
// cut to fit points to.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
