package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// many is n collections like an --iterations run's: one passed step each
// with its exchange and body excerpts, plus the fixture's every outcome.
func many(n int) []*runner.Result {
	out := fixture()
	for i := range n {
		out = append(out, iteration(i))
	}
	return out
}

// iteration is the result of one iteration of a one-step collection,
// holding about 1 KiB of body excerpts.
func iteration(i int) *runner.Result {
	body := bytes.Repeat([]byte("x"), 512)
	return &runner.Result{
		Name: fmt.Sprintf("chain #%d", i+1), File: "chain.yaml", Start: start.Add(time.Duration(i) * time.Millisecond), Duration: time.Millisecond,
		Steps: []*runner.StepResult{{
			Name: "me", Pos: pos(3, 5), Outcome: runner.Passed, Duration: time.Millisecond,
			Request:  &exchange.Request{Method: "POST", URL: "http://127.0.0.1/me", Header: exchange.Header{{Name: "Accept", Value: "application/json"}}, Body: body, BodySize: 512},
			Response: &exchange.Response{Status: 200, Proto: "HTTP/1.1", Header: exchange.Header{{Name: "Content-Type", Value: "application/json"}}, Body: body, Size: 512},
		}},
	}
}

var formats = []struct {
	format Format
	write  Writer
	golden string
}{
	{FormatJUnit, JUnit, "report.junit.xml"},
	{FormatJSON, JSON, "report.json"},
	{FormatTAP, TAP, "report.tap"},
	{FormatHTML, HTML, "report.html"},
}

// stream writes results through Create, each added whole, and returns
// the file's bytes.
func stream(t *testing.T, f Format, results []*runner.Result) []byte {
	t.Helper()
	return streamWith(t, f, results, func(s Stream) {
		for _, r := range results {
			if err := s.Add(r, nil); err != nil {
				t.Fatalf("Add() error = %v", err)
			}
		}
	})
}

// streamWith creates a report in f, lets add give it results, closes it
// and returns its bytes, checking that nothing else is left in its folder.
func streamWith(t *testing.T, f Format, results []*runner.Result, add func(Stream)) []byte {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "report")
	s, err := Create(f, path)
	if err != nil {
		t.Fatalf("Create(%v) error = %v", f, err)
	}
	add(s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d files after Close, want only the report", len(entries))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStreamSameBytesAsWriter checks that a streamed report has the bytes
// of the Writer given the same results, whether each result is added
// whole or its steps go through a Part first (filled out of order, the
// result then keeping only its problems), also for a collection long
// enough that its Part spills to a temporary file.
func TestStreamSameBytesAsWriter(t *testing.T) {
	inputs := []struct {
		name    string
		results []*runner.Result
	}{
		{"no collections", nil},
		{"one collection that could not start", fixture()[1:]},
		{"every outcome", fixture()},
		{"many collections", many(50)},
		{"a long collection", []*runner.Result{longCollection(3 * spillAt / 1024)}},
	}
	ways := []struct {
		name   string
		stream func(*testing.T, Format, []*runner.Result) []byte
	}{{"whole results", stream}, {"parts", streamParts}}
	for _, f := range formats {
		for _, in := range inputs {
			var want bytes.Buffer
			if err := f.write(&want, in.results); err != nil {
				t.Fatal(err)
			}
			for _, way := range ways {
				t.Run(f.format.String()+"/"+in.name+"/"+way.name, func(t *testing.T) {
					if got := way.stream(t, f.format, in.results); !bytes.Equal(got, want.Bytes()) {
						t.Errorf("streamed report differs from the Writer's:\n%.3000s\nwant\n%.3000s", got, want.Bytes())
					}
				})
			}
		}
		t.Run(f.format.String()+"/golden", func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", f.golden))
			if err != nil {
				t.Fatal(err)
			}
			if got := stream(t, f.format, fixture()); !bytes.Equal(got, want) {
				t.Errorf("streamed report differs from testdata/%s:\n%s", f.golden, got)
			}
		})
	}
}

// TestStreamManyComplete feeds many results and reads each report back:
// every collection is there and the document is valid.
func TestStreamManyComplete(t *testing.T) {
	const n = 1000
	results := many(n)
	steps := 0
	for _, r := range results {
		steps += len(r.Steps)
		if r.Err != nil {
			steps++
		}
	}
	t.Run("JSON", func(t *testing.T) {
		rep, err := ReadJSON(bytes.NewReader(stream(t, FormatJSON, results)))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Collections) != len(results) {
			t.Errorf("collections = %d, want %d", len(rep.Collections), len(results))
		}
		if got := rep.Summary.Passed; got != n+1 {
			t.Errorf("summary passed = %d, want %d", got, n+1)
		}
	})
	t.Run("TAP", func(t *testing.T) {
		b := stream(t, FormatTAP, results)
		if !bytes.HasPrefix(b, fmt.Appendf(nil, "TAP version 14\n1..%d\n", steps)) {
			t.Errorf("plan wrong: %q", b[:40])
		}
		last := fmt.Sprintf("ok %d - chain \\#%d / me\n", steps, n) // tapName escapes #
		if !bytes.HasSuffix(b, []byte(last)) {
			t.Errorf("report does not end with %q", last)
		}
	})
	t.Run("HTML", func(t *testing.T) {
		b := string(stream(t, FormatHTML, results))
		if got := strings.Count(b, "<section class=\"collection\""); got != len(results) {
			t.Errorf("sections = %d, want %d", got, len(results))
		}
		if !strings.HasSuffix(b, "</body>\n</html>\n") {
			t.Errorf("page does not end with </html>")
		}
	})
	t.Run("JUnit against the XSD", func(t *testing.T) {
		lint := xmllint(t)
		b := stream(t, FormatJUnit, results)
		if got := bytes.Count(b, []byte("<testsuite ")); got != len(results) {
			t.Errorf("testsuites = %d, want %d", got, len(results))
		}
		file := filepath.Join(t.TempDir(), "junit.xml")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, lint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), file).CombinedOutput()
		if err != nil {
			t.Errorf("xmllint --schema junit.xsd: %v\n%s", err, out)
		}
	})
}

func TestStreamFailures(t *testing.T) {
	t.Run("missing folder fails at Create", func(t *testing.T) {
		_, err := Create(FormatJSON, filepath.Join(t.TempDir(), "nope", "r.json"))
		if err == nil || !strings.Contains(err.Error(), "r.json") || strings.Contains(err.Error(), ".part") {
			t.Errorf("Create() error = %v, want one naming the report, not its temporary file", err)
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		if _, err := Create(Format(99), filepath.Join(t.TempDir(), "r")); err == nil {
			t.Errorf("Create(Format(99)) error = nil")
		}
	})
	t.Run("discard leaves nothing and keeps the old report", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "r.xml")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Create(FormatJUnit, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Add(fixture()[0], nil); err != nil {
			t.Fatal(err)
		}
		s.Discard()
		s.Discard() // twice is harmless
		if err := s.Add(fixture()[0], nil); err == nil {
			t.Errorf("Add after Discard error = nil")
		}
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Errorf("report = %q, want the old one", b)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("folder holds %d files, want only the old report", len(entries))
		}
	})
}

// TestStreamMemoryFlat shows that a streamed report holds nothing per
// result: the heap in use after adding 2,000 results of about 1 KiB each
// is within a few bytes per result of the heap after 200. (A report that
// kept the results would grow by over 1 KiB per result.)
func TestStreamMemoryFlat(t *testing.T) {
	assertHeapFlat(t, "results", 200, 2000, 64, func(s Stream, n int) func() {
		for i := range n {
			if err := s.Add(iteration(i), nil); err != nil {
				t.Fatal(err)
			}
		}
		return func() {}
	})
}

// assertHeapFlat checks, for every format, that the heap in use after
// add has given a report small items is within perItem bytes an item of
// the heap after it gave large ones; what names the items. The heap is
// measured before the function add returns is called and the report
// closed.
func assertHeapFlat(t *testing.T, what string, small, large, perItem int, add func(s Stream, n int) (finish func())) {
	t.Helper()
	if testing.Short() {
		t.Skip("measures the heap")
	}
	heapAfter := func(f Format, n int) uint64 {
		s, err := Create(f, filepath.Join(t.TempDir(), "r"))
		if err != nil {
			t.Fatal(err)
		}
		finish := add(s, n)
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		finish()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return m.HeapInuse
	}
	for _, f := range formats {
		t.Run(f.format.String(), func(t *testing.T) {
			before := heapAfter(f.format, small)
			after := heapAfter(f.format, large)
			growth := int64(after) - int64(before)
			if limit := int64(perItem * (large - small)); growth > limit {
				t.Errorf("heap in use grew %d bytes from %d to %d %s, want at most %d (%d bytes each)", growth, small, large, what, limit, perItem)
			}
			t.Logf("heap in use: %d %s %d B, %d %s %d B", small, what, before, large, what, after)
		})
	}
}

// BenchmarkStreamJSON adds results to a streamed JSON report; allocations
// per result stay constant however many were added before.
func BenchmarkStreamJSON(b *testing.B) {
	s, err := Create(FormatJSON, filepath.Join(b.TempDir(), "r.json"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Discard()
	r := iteration(0)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Add(r, nil); err != nil {
			b.Fatal(err)
		}
	}
}
