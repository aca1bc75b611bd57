package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/session"
)

// Files are what a run writes besides the console: the reports written
// as it goes, the GitHub annotations and the HAR file. An empty file
// name, or no Annotations writer, writes none.
type Files struct {
	JUnit, JSON, TAP, HTML string
	// Annotations is where the GitHub workflow commands go: stdout under
	// GitHub Actions.
	Annotations io.Writer
	HAR         string
}

// Open starts the consumers of f, in the order of what they print at the
// end: the reports (OpenAll; info is what an HTML report says about the
// run), the annotations, the HAR file (naming callsheet version as its
// creator). discard removes the reports not written. On an error,
// nothing is left started.
func (f Files) Open(info RunInfo, version string) (cs []session.Consumer, discard func(), err error) {
	outs, err := OpenAll([]Target{{FormatJUnit, f.JUnit}, {FormatJSON, f.JSON}, {FormatTAP, f.TAP}, {FormatHTML, f.HTML}}, info)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range outs {
		cs = append(cs, o)
	}
	if f.Annotations != nil {
		cs = append(cs, NewAnnotations(f.Annotations))
	}
	if f.HAR != "" {
		if err := MakeFolder(f.HAR); err != nil {
			DiscardAll(outs)
			return nil, nil, fmt.Errorf("write HAR file %s: %w", f.HAR, err)
		}
		cs = append(cs, NewHAR(f.HAR, version))
	}
	return cs, func() { DiscardAll(outs) }, nil
}

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
