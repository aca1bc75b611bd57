package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/atomicfile"
)

// snapshotCheck compares the body with the stored snapshot file. The file
// is written, masked, when it does not exist yet or when
// Options.UpdateSnapshots is set; the check then passes. JSON bodies are
// compared as values after removing the ignored paths, with a structural
// diff on a mismatch; other bodies as text, showing the first line that
// differs.
func (c *checker) snapshotCheck(sn *collections.Snapshot, s *subject) (*CheckResult, error) {
	res := &CheckResult{Pos: sn.Pos, Subject: "snapshot", Expected: Typed{Value: sn.Path}}
	path := sn.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(c.file), path)
	}
	body := c.mask.Bytes(s.body)
	stored, err := readCollectionFile(c.file, sn.Path) // inside the collection's folder (files.go)
	switch {
	case errors.Is(err, ErrOutsideCollection):
		return nil, fmt.Errorf("snapshot: %w", err)
	case c.updateSnapshots || errors.Is(err, fs.ErrNotExist):
		if err := writeSnapshot(path, body); err != nil {
			return nil, err
		}
		res.Passed = true
		res.Message = "snapshot written to " + sn.Path
		return res, nil
	case err != nil:
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	got, errGot := eval.DecodeJSON(blankPaths(body, sn.Ignore))
	want, errWant := eval.DecodeJSON(blankPaths(stored, sn.Ignore))
	if errGot == nil && errWant == nil {
		res.Details = fullDiff(got, want)
		res.Passed = len(res.Details) == 0
		if !res.Passed {
			res.Message = "the body differs from the snapshot (run with --update-snapshots to accept it)"
		}
		return res, nil
	}
	if bytes.Equal(bytes.TrimSpace(body), bytes.TrimSpace(stored)) {
		res.Passed = true
		return res, nil
	}
	res.Message = "the body differs from the snapshot (run with --update-snapshots to accept it)"
	res.Details = textDiff(string(body), string(stored))
	return res, nil
}

// writeSnapshot stores body, indented when it is JSON, creating folders.
func writeSnapshot(path string, body []byte) error {
	var out bytes.Buffer
	if json.Indent(&out, body, "", "  ") != nil {
		out.Reset()
		out.Write(body)
	}
	if !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
		out.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		_, err := out.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}

// textDiff shows the first line that differs between two texts.
func textDiff(got, want string) []string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return lineDiff(i+1, gl, wl)
		}
	}
	return nil
}
