package report

import (
	"fmt"
	"io"

	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/runner"
)

// Writer is the signature of every report writer.
type Writer func(io.Writer, []*runner.Result) error

// WriteFile writes the report write produces for results to path
// atomically: into a temporary file in the same folder, synced, then
// renamed over path. A reader sees the old file or the whole new one,
// never a part; on error path is left as it was.
func WriteFile(path string, write Writer, results []*runner.Result) error {
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error { return write(w, results) })
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
