package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/callsheet/callsheet/runner"
)

// streamJSON writes the report of results with the same bytes as encoding
// the whole JSONReport with json.Encoder and a two-space indent, but holds
// only one collection's document at a time: the head (version, span,
// summary) first, then each collection at its place in the array.
func streamJSON(w io.Writer, results []*runner.Result) error {
	head, err := json.MarshalIndent(jsonHead(results), "", "  ")
	if err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	// The head ends with its empty collections array.
	const empty = "[]\n}"
	open, ok := bytes.CutSuffix(head, []byte(empty))
	if !ok {
		return fmt.Errorf("write JSON report: unexpected head %q", head[max(0, len(head)-20):])
	}
	if len(results) == 0 {
		_, err := w.Write(append(head, '\n'))
		return wrapJSON(err)
	}
	if _, err := w.Write(append(open, '[')); err != nil {
		return wrapJSON(err)
	}
	for i, r := range results {
		b, err := json.MarshalIndent(jsonCollection(r), "    ", "  ")
		if err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return wrapJSON(err)
		}
		if _, err := w.Write(b); err != nil {
			return wrapJSON(err)
		}
	}
	_, err = io.WriteString(w, "\n  ]\n}\n")
	return wrapJSON(err)
}

// wrapJSON adds the report's context to a write error.
func wrapJSON(err error) error {
	if err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}
