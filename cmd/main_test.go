package cmd

import (
	"bytes"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// outcome is what one invocation of the CLI produced.
type outcome struct {
	stdout, stderr string
	code           int
}

// callsheet runs the command line args through Main with buffers, an empty
// stdin and env as the environment.
func callsheet(t *testing.T, env map[string]string, args ...string) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := Main(t.Context(), append([]string{"callsheet"}, args...), strings.NewReader(""), &stdout, &stderr, lookup)
	return outcome{stdout.String(), stderr.String(), code}
}

// normalizers replace what changes from run to run: ports, OAuth states,
// durations.
var normalizers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(https?://127\.0\.0\.1):\d+`), "$1:PORT"},
	{regexp.MustCompile(`(tcp 127\.0\.0\.1):\d+`), "$1:PORT"},
	{regexp.MustCompile(`state=[A-Za-z0-9_-]+`), "state=STATE"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ms|s)\b`), "DUR"},
}

// normalize makes output comparable with a golden file. oldnew are pairs of
// strings to replace first, such as a temporary folder and its stand-in.
func normalize(s string, oldnew ...string) string {
	s = strings.NewReplacer(oldnew...).Replace(s)
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	return s
}

// checkGolden compares got with testdata/name.golden, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name+".golden"), []byte(got), *update)
}

// writeFiles writes name → content into dir and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// recorder is an httptest server that answers every request with a fixed
// JSON body and records the requests it saw.
type recorder struct {
	*httptest.Server
	hits  atomic.Int64
	mu    sync.Mutex
	paths []string
	query []string
	body  []string
}

func newRecorder(t *testing.T, status int, body string) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.paths = append(r.paths, req.URL.Path)
		r.query = append(r.query, req.URL.RawQuery)
		r.body = append(r.body, string(b))
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(r.Close)
	return r
}

// seen returns copies of the recorded paths, queries and bodies.
func (r *recorder) seen() (paths, query, body []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.paths), slices.Clone(r.query), slices.Clone(r.body)
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// terminalSystem is a system whose streams all count as terminals, to see
// colour.
func terminalSystem(stdout, stderr io.Writer, env map[string]string) *system {
	return &system{
		stdin:      strings.NewReader(""),
		stdout:     stdout,
		stderr:     stderr,
		lookupEnv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		isTerminal: func(any) bool { return true },
	}
}
