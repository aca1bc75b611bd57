package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// loadServer answers /ok with 200, /fail with 500 and echoes the key it
// was sent in the body, so that an unmasked secret would show.
func loadServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		fmt.Fprintf(w, `{"echo": %q}`, r.Header.Get("X-Key"))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

const loadCollection = `name: api
vars:
  key: sk-live-0123456789
  want: "{{ key }}"
secrets: [key]
load:
  vus: 2
  iterations: 3
  thresholds:
    - p99 < 30s
    - ok: checks == 100%
steps:
  - name: ok
    GET: "{{ base }}/ok"
    headers: { X-Key: "{{ key }}" }
    expect: { status: 200 }
  - name: maybe
    GET: "{{ base }}/{{ path }}"
    headers: { X-Key: "{{ key }}" }
    expect:
      status: 200
      json: { echo: "{{ want }}" }
`

func TestLoadCommand(t *testing.T) {
	srv, hits := loadServer(t)
	dir := writeFiles(t, t.TempDir(), map[string]string{"api.yaml": loadCollection})
	file := filepath.Join(dir, "api.yaml")
	base := "base=" + srv.URL
	tests := []struct {
		name string
		args []string
		code int
		out  []string
		hits int64
	}{
		{"the collection's scenario passes", []string{"--var", base, "--var", "path=ok", "--threshold", "checks < 100%"}, ExitThreshold,
			[]string{"per-vu-iterations", "6 iterations", "✔ p99 < 30s", "✔ ok: checks == 100%", "✘ checks < 100%  (100%)"}, 12},
		{"flags override it", []string{"--var", base, "--var", "path=ok", "--vus", "1", "--iterations", "2"}, ExitOK,
			[]string{"2 iterations", "✔ p99 < 30s"}, 4},
		{"a failed check without a checks threshold fails the run", []string{"--var", base, "--var", "path=fail", "--iterations", "1"}, ExitFailed,
			[]string{"maybe: 2×", "✔ ok: checks == 100%"}, 4},
		{"a threshold on checks tolerates them", []string{"--var", base, "--var", "path=fail", "--iterations", "1", "--threshold", "checks > 10%"}, ExitOK,
			[]string{"✔ checks > 10%"}, 4},
		{"a failure that shows a secret shows it masked", []string{"--var", base, "--var", "path=ok", "--var", "want=nope", "--iterations", "1"}, ExitFailed,
			[]string{`maybe: 2× json echo: string <"***">`}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hits.Load()
			out := callsheet(t, nil, append([]string{"load", "-q", file}, tt.args...)...)
			if out.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", out.code, tt.code, out.stdout, out.stderr)
			}
			for _, want := range tt.out {
				if !strings.Contains(out.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out.stdout)
				}
			}
			if got := hits.Load() - before; got != tt.hits {
				t.Errorf("server saw %d requests, want %d", got, tt.hits)
			}
			if strings.Contains(out.stdout+out.stderr, "sk-live") {
				t.Errorf("output shows the secret key:\n%s", out.stdout)
			}
		})
	}
}

func TestLoadCommandUsage(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"plain.yaml": "steps:\n  - GET: http://127.0.0.1:1/\n",
		"bad.yaml":   "load:\n  thresholds: [\"p95 < 200\"]\nsteps:\n  - GET: http://127.0.0.1:1/\n",
	})
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"load"}, "want one PATH"},
		{[]string{"load", filepath.Join(dir, "plain.yaml")}, "constant-vus needs a duration"},
		{[]string{"load", filepath.Join(dir, "plain.yaml"), "--vus", "2", "--duration", "1s", "--threshold", "p95 < fast"}, `"fast" is not a duration`},
		{[]string{"load", filepath.Join(dir, "plain.yaml"), "--duration", "1s", "--segment", "5/4"}, "want K/N"},
		{[]string{"load", filepath.Join(dir, "plain.yaml"), "--stages", "10s"}, "DURATION:TARGET"},
		{[]string{"load", filepath.Join(dir, "bad.yaml")}, "bad.yaml:2:16"},
		{[]string{"load", "merge"}, "missing SUMMARY.json"},
	} {
		out := callsheet(t, nil, tt.args...)
		if out.code != ExitUsage || !strings.Contains(out.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tt.args, out.code, out.stderr, tt.want)
		}
	}
}

func TestLoadSegmentsMerge(t *testing.T) {
	srv, hits := loadServer(t)
	dir := writeFiles(t, t.TempDir(), map[string]string{"api.yaml": loadCollection})
	file := filepath.Join(dir, "api.yaml")
	var parts []string
	for k := 1; k <= 2; k++ {
		part := filepath.Join(dir, fmt.Sprintf("seg-%d.json", k))
		// rps > 1e9 fails on every segment; only the merge decides.
		out := callsheet(t, nil, "load", "-q", file, "--var", "base="+srv.URL, "--var", "path=ok",
			"--vus", "4", "--segment", fmt.Sprintf("%d/2", k), "--json", part, "--threshold", "rps < 1")
		if out.code != ExitOK {
			t.Fatalf("segment %d: exit %d\n%s%s", k, out.code, out.stdout, out.stderr)
		}
		parts = append(parts, part)
	}
	merged := filepath.Join(dir, "merged.json")
	out := callsheet(t, nil, append([]string{"load", "merge", "--json", merged, "--threshold", "iterations == 12"}, parts...)...)
	if out.code != ExitThreshold || !strings.Contains(out.stdout, "12 iterations, segments 1/2,2/2") ||
		!strings.Contains(out.stdout, "✔ iterations == 12") || !strings.Contains(out.stdout, "✘ rps < 1") {
		t.Fatalf("merge: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if hits.Load() != 24 {
		t.Errorf("server saw %d requests, want 2 segments × 2 users × 3 iterations × 2 steps = 24", hits.Load())
	}
	b, err := os.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Total struct {
			Requests int `json:"requests"`
		} `json:"total"`
		Thresholds []struct {
			Threshold string `json:"threshold"`
		} `json:"thresholds"`
	}
	if err := json.Unmarshal(b, &s); err != nil || s.Total.Requests != 24 || len(s.Thresholds) != 4 {
		t.Errorf("merged summary: %+v, %v; want 24 requests and the 3 thresholds of the parts plus --threshold", s, err)
	}
	if out := callsheet(t, nil, "load", "merge", parts[0], parts[0]); out.code != ExitUsage || !strings.Contains(out.stderr, "comes twice") {
		t.Errorf("merging a segment twice: exit %d, %s", out.code, out.stderr)
	}
}

func TestLoadStreams(t *testing.T) {
	srv, _ := loadServer(t)
	var pushes atomic.Int64
	otlpSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); r.URL.Path == "/v1/metrics" && len(b) > 0 && r.Header.Get("X-Key") == "k3y" {
			pushes.Add(1)
		}
	}))
	defer otlpSrv.Close()
	dir := writeFiles(t, t.TempDir(), map[string]string{"api.yaml": loadCollection})
	out := callsheet(t, map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "X-Key=k3y"}, "load", "-q", filepath.Join(dir, "api.yaml"), "--var", "base="+srv.URL, "--var", "path=ok",
		"--prometheus", "127.0.0.1:0", "--otlp", otlpSrv.URL)
	if out.code != ExitOK {
		t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if !regexp.MustCompile(`prometheus: serving http://127\.0\.0\.1:\d+/metrics`).MatchString(out.stderr) {
		t.Errorf("stderr %q does not say where Prometheus scrapes", out.stderr)
	}
	if pushes.Load() == 0 {
		t.Error("the OTLP collector got no metrics with the header of OTEL_EXPORTER_OTLP_HEADERS; the last figures are pushed at the end")
	}
}
