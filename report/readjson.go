package report

import (
	"fmt"
	"os"

	"github.com/callsheet/callsheet/session"
)

// ReadJSONFile reads the JSON report in the file path (ReadJSON). A file
// that does not open gives os.Open's error; one that does not decode, an
// error naming the file.
func ReadJSONFile(path string) (*JSONReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// FileRuns are the runs of the report's collections as the session reads
// an earlier run (--rerun-failed, --shard-timings): file, name, outcome
// and duration.
func (r *JSONReport) FileRuns() []session.FileRun {
	runs := make([]session.FileRun, len(r.Collections))
	for i, c := range r.Collections {
		runs[i] = session.FileRun{File: c.File, Name: c.Name, Outcome: c.Outcome, DurationMS: c.DurationMS}
	}
	return runs
}
