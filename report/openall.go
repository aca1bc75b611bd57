package report

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/callsheet/callsheet/internal/atomicfile"
)

// Target is a report to write as a run goes: its format and file; no
// file means none.
type Target struct {
	Format Format
	File   string
}

// OpenAll starts the reports of targets that name a file; info is what an
// HTML report says about the run. Their folders are created now, so that
// a run fails before it starts rather than after. On an error, the
// reports started are discarded.
func OpenAll(targets []Target, info RunInfo) ([]*Output, error) {
	var outs []*Output
	for _, t := range targets {
		if t.File == "" {
			continue
		}
		var out *Output
		err := MakeFolder(t.File)
		if err != nil {
			DiscardAll(outs)
			return nil, fmt.Errorf("write %v report %s: %w", t.Format, t.File, err)
		}
		if t.Format == FormatHTML {
			out, err = OpenHTML(t.File, info)
		} else {
			out, err = Open(t.Format, t.File)
		}
		if err != nil {
			DiscardAll(outs)
			return nil, err
		}
		outs = append(outs, out)
	}
	return outs, nil
}

// DiscardAll removes the temporary files of reports not written.
func DiscardAll(outs []*Output) {
	for _, o := range outs {
		o.Discard()
	}
}

// MakeFolder creates the folder of the file an output is written to.
func MakeFolder(file string) error {
	return atomicfile.WithoutPath(os.MkdirAll(filepath.Dir(file), 0o755))
}
