package console

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// token is the secret the collection below sends; no output may hold it.
const token = "s3cr3t-token-value"

// ordersCollection passes one step, fails a check on the second and
// sends the secret token in a header and a query.
const ordersCollection = `name: orders
vars:
  token: ` + token + `
secrets: [token]
steps:
  - name: list
    GET: "{{ base }}/orders?key={{ token }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      status: 200
  - name: count
    GET: "{{ base }}/orders"
    expect:
      json:
        count: 3
`

// runConsole runs ordersCollection against a loopback server with a
// Console of opts printing to a buffer, and returns what it printed.
func runConsole(t *testing.T, opts Options) string {
	t.Helper()
	return runCollection(t, ordersCollection, opts)
}

// runCollection runs the collection src against a loopback server that
// answers {"count": 2} with a Console of opts, and returns what it printed.
func runCollection(t *testing.T, src string, opts Options) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"count": 2}`))
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	file := filepath.Join(dir, "orders.yaml")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var vars session.Vars
	vars.Set(session.LayerVar, map[string]any{"base": srv.URL})
	s, err := session.New(session.Options{Paths: []string{file}, Vars: vars, Runner: runner.Options{Limits: runner.Limits{Timeout: 30 * time.Second, BodyLimit: BodyLimit}}})
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Load(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := s.Plan(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	opts.Out, opts.Workers, opts.Start = &out, 1, time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard only
	defer cancel()
	if _, err := s.Run(ctx, runner.New(srv.Client()), New(opts)); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestConsolePrintsRun(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		want    []string
		notWant []string
	}{
		{"plain", Options{}, []string{
			"orders (", "  ✔ list  GET ", "?key=***  200  ",
			"  ✘ count  GET ", "error: assert json count (eq)", "actual:   integer <2>", "expected: integer <3>",
			"1 passed, 1 failed, 0 skipped in ",
		}, []string{"> GET", "\x1b["}},
		{"quiet", Options{Quiet: true}, []string{"  ✘ count", "1 passed, 1 failed"}, []string{"  ✔ list"}},
		{"-v", Options{Verbose: 1}, []string{"    > GET ", "    < 200 OK  12 bytes  "}, []string{"> Authorization"}},
		{"-vv", Options{Verbose: 2}, []string{"    > Authorization: Bearer ***", "    < Content-Type: application/json", `    < {"count": 2}`, "    $ curl "}, nil},
		{"colour", Options{Style: Style{Color: true}}, []string{"\x1b[32m✔\x1b[0m", "\x1b[31m✘\x1b[0m", "\x1b[1;31merror:\x1b[0m"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runConsole(t, tt.opts)
			if strings.Contains(out, token) {
				t.Errorf("the output holds the secret token:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output holds %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestConsoleMasksLiteralSecrets fails a check whose source line holds
// the literal value of a secret variable: the excerpt masks it.
func TestConsoleMasksLiteralSecrets(t *testing.T) {
	const src = `name: literal
vars:
  token: s3cr3t-literal
secrets: [token]
steps:
  - name: count
    GET: "{{ base }}/orders"
    expect:
      json:
        count: s3cr3t-literal
`
	out := runCollection(t, src, Options{})
	if strings.Contains(out, "s3cr3t-literal") {
		t.Errorf("the output shows the secret:\n%s", out)
	}
	if !strings.Contains(out, "count: ***") {
		t.Errorf("the excerpt is not masked:\n%s", out)
	}
}
