//go:build linux

package cmd

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// gzipBomb returns about 200 KiB of gzip that expands to 200 MiB of
// zeros: one member of 1 MiB of zeros repeated, since gzip readers read
// concatenated members as one stream.
func gzipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(make([]byte, 1<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(buf.Bytes(), 200)
}

// peakRSS runs the binary on a collection of one step and returns its
// output and its peak resident set size in bytes; the run must end with
// exit code want.
func peakRSS(t *testing.T, bin, baseURL, step string, want int) (string, int64) {
	t.Helper()
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"one.yaml": "name: one\nsteps:\n  - name: one\n    " + step + "\n",
	})
	// A hang guard only: every run ends once its body is read or over
	// the limit.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--var", "base_url="+baseURL, filepath.Join(dir, "one.yaml"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("exit code = %d, want %d\n%s", code, want, out.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatalf("SysUsage() = %T, want *syscall.Rusage", cmd.ProcessState.SysUsage())
	}
	return out.String(), ru.Maxrss << 10 // KiB on Linux
}

// TestPeakMemoryAtBodyLimit runs the binary with the default --max-body
// (50 MiB) against bodies that never fit: a gzip bomb, decompressed by the
// transport or by the runner, and a chunked body without end. Each run
// must fail with the body limit, and its peak RSS exceed that of a run
// reading a small body by at most the limit and bodyOverhead: the body
// is held once, in the pieces it was read into, and never copied.
//
// The peak RSS of a run of a small body (the binary's pages, the heap
// its packages' init leaves) is about 20 MiB, so these runs peak near
// 70 MiB.
func TestPeakMemoryAtBodyLimit(t *testing.T) {
	const (
		limit        = 50 << 20
		bodyOverhead = 5 << 20
	)
	bin := buildBinary(t)
	bomb := gzipBomb(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/small", func(w http.ResponseWriter, _ *http.Request) {
		w.Write(bytes.Repeat([]byte("s"), 1000))
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bomb)
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("e"), 32<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	_, base := peakRSS(t, bin, srv.URL, "GET: \"{{ base_url }}/small\"", ExitOK)
	t.Logf("peak RSS reading a small body: %.1f MiB", mib(base))
	tests := []struct{ name, step string }{
		{"gzip bomb decompressed by the transport", "GET: \"{{ base_url }}/bomb\""},
		{"gzip bomb decompressed by the runner", "GET: \"{{ base_url }}/bomb\"\n    headers:\n      Accept-Encoding: gzip"},
		{"endless chunked body", "GET: \"{{ base_url }}/endless\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, peak := peakRSS(t, bin, srv.URL, tt.step, ExitError)
			if !strings.Contains(out, "body exceeds limit of 50 MiB") {
				t.Errorf("output does not name the body limit:\n%s", out)
			}
			t.Logf("peak RSS %.1f MiB, %.1f MiB over the small body's", mib(peak), mib(peak-base))
			if peak-base > limit+bodyOverhead {
				t.Errorf("peak RSS = %.1f MiB, %.1f MiB over a run of a small body; want at most the 50 MiB limit + %d MiB over it",
					mib(peak), mib(peak-base), bodyOverhead>>20)
			}
		})
	}
}

// mib converts bytes to MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }
