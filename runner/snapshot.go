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
	"sort"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/tidwall/gjson"
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

// diffContext is how many characters a line diff shows before the first
// difference, and diffWidth how many in all.
const (
	diffContext = 20
	diffWidth   = 60
)

// lineDiff describes line n (1-based) of two texts that differ: its column
// of the first difference and, for each side, a window of the line around
// it, so that two long lines differing far from their start do not print
// the same prefix twice:
//
//	line 1, column 52: actual   "…code id=\"authorization_code\">abc123</code>…"
//	line 1, column 52: snapshot "…code id=\"authorization_code\">xyz</code><ul…"
func lineDiff(n int, got, want string) []string {
	g, w := []rune(got), []rune(want)
	col := 0
	for col < len(g) && col < len(w) && g[col] == w[col] {
		col++
	}
	start := max(0, col-diffContext)
	return []string{
		fmt.Sprintf("line %d, column %d: actual   %s", n, col+1, window(g, start)),
		fmt.Sprintf("line %d, column %d: snapshot %s", n, col+1, window(w, start)),
	}
}

// window quotes diffWidth characters of s from start (at most its
// length), marking what is cut with ellipses.
func window(s []rune, start int) string {
	start = min(start, len(s))
	end := min(len(s), start+diffWidth)
	q := strconv.Quote(string(s[start:end]))
	if start > 0 {
		q = q[:1] + "…" + q[1:]
	}
	if end < len(s) {
		q = q[:len(q)-1] + "…" + q[len(q)-1:]
	}
	return q
}

// blankPaths returns a copy of the JSON document doc in which every value
// matched by one of the gjson paths is replaced by null, so a snapshot
// comparison ignores it. Paths take the full gjson syntax, including
// "items.#.id" (every element) and queries such as `items.#(kind=="a")#.id`.
func blankPaths(doc []byte, paths []string) []byte {
	type span struct{ from, to int }
	var spans []span
	add := func(r gjson.Result, at int) {
		if r.Raw == "" || at < 0 || at+len(r.Raw) > len(doc) || string(doc[at:at+len(r.Raw)]) != r.Raw {
			return // not a slice of doc (a modifier built it): nothing to blank
		}
		spans = append(spans, span{at, at + len(r.Raw)})
	}
	for _, p := range paths {
		r := gjson.GetBytes(doc, p)
		if !r.Exists() {
			continue
		}
		if len(r.Indexes) > 0 {
			elems := r.Array()
			for i, at := range r.Indexes {
				if i < len(elems) {
					add(elems[i], at)
				}
			}
			continue
		}
		add(r, r.Index)
	}
	if len(spans) == 0 {
		return doc
	}
	// Keep the outermost spans (a blanked value may contain another path),
	// then replace from the end so earlier offsets stay valid.
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].from != spans[j].from {
			return spans[i].from < spans[j].from
		}
		return spans[i].to > spans[j].to
	})
	outer := spans[:1]
	for _, s := range spans[1:] {
		if s.from >= outer[len(outer)-1].to {
			outer = append(outer, s)
		}
	}
	out := append([]byte(nil), doc...)
	for i := len(outer) - 1; i >= 0; i-- {
		s := outer[i]
		out = append(out[:s.from], append([]byte("null"), out[s.to:]...)...)
	}
	return out
}
