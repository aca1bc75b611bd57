package runner

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

// testTimeout bounds every run made by a test: a hang guard, wider than
// any timeout a test's steps set.
const testTimeout = 2 * time.Minute

// newServer serves h on loopback and closes it when the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// newHTTPBin serves go-httpbin on loopback.
func newHTTPBin(t *testing.T) *httptest.Server {
	t.Helper()
	return newServer(t, httpbin.New())
}

// jsonServer answers every request with status 200 and body as JSON.
func jsonServer(t *testing.T, body string) *httptest.Server {
	t.Helper()
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
}

// parse writes src to a temporary collection file and loads it, so that
// relative multipart paths resolve next to it. defined names the variables
// the test passes in Options.Vars.
func parse(t *testing.T, src string, defined ...string) *collections.Collection {
	t.Helper()
	file := filepath.Join(t.TempDir(), "test.yaml")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{Defined: defined})
	if err != nil {
		t.Fatalf("Load(%q) error:\n%s", src, collections.RenderErrors(err, map[string][]byte{file: []byte(src)}))
	}
	return c
}

// runColl runs c with a client bounded in time.
func runColl(t *testing.T, client *http.Client, c *collections.Collection, opts Options) *Result {
	t.Helper()
	if client == nil {
		client = &http.Client{Timeout: testTimeout}
	}
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	return New(client).Run(ctx, c, opts)
}

// runYAML parses src and runs it with vars, which the loader is told about.
func runYAML(t *testing.T, src string, vars map[string]any) *Result {
	t.Helper()
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	return runColl(t, nil, parse(t, src, names...), Options{Vars: vars})
}

// outcomes lists the outcomes of the steps, as "passed,failed,not run".
func outcomes(res *Result) string {
	out := make([]string, len(res.Steps))
	for i, s := range res.Steps {
		out[i] = s.Outcome.String()
	}
	return strings.Join(out, ",")
}

// wantOutcomes fails the test when the steps did not end as want.
func wantOutcomes(t *testing.T, res *Result, want string) {
	t.Helper()
	if res.Err != nil {
		t.Fatalf("Run() Err = %v, want nil", res.Err)
	}
	if got := outcomes(res); got != want {
		t.Fatalf("Run() outcomes = %s, want %s\n%s", got, want, describe(res))
	}
}

// describe formats what went wrong in a result, for failure messages.
func describe(res *Result) string {
	var b strings.Builder
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "step %q: %s", s.Name, s.Outcome)
		if s.Err != nil {
			fmt.Fprintf(&b, ": %v", s.Err)
		}
		b.WriteString("\n")
		for _, c := range s.Checks {
			if !c.Passed {
				fmt.Fprintf(&b, "  %s %s: actual %s, expected %s %s\n", c.Subject, c.Op, c.Actual, c.Expected, c.Message)
			}
		}
		if s.Response != nil && s.Outcome != Passed {
			fmt.Fprintf(&b, "  response %d: %.300s\n", s.Response.Status, s.Response.Body)
		}
	}
	return b.String()
}

// captured returns the value a step captured under name.
func captured(t *testing.T, s *StepResult, name string) Typed {
	t.Helper()
	for _, c := range s.Captures {
		if c.Name == name {
			return c.Value
		}
	}
	t.Fatalf("step %q captured no %q", s.Name, name)
	return Typed{}
}

// contentJSON and contentHTML are the bodies contentServer serves: every
// JSON type, a large integer, nested objects; a code page and a list.
const contentJSON = `{"id": 9007199254740993, "name": "Ada", "tags": ["a", "b"], "email": "ada@example.com",
"uuid": "0b7e8f5e-9a53-4c1e-8a49-1f3c0d2b6f7a", "created": "2024-05-17T10:30:00Z", "site": "https://example.com/x",
"empty": [], "user": {"name": "Ada", "role": "admin", "team": {"id": 7}}, "code": "200"}`

const contentHTML = `<html><body><h1> Your code </h1><code id="authorization_code">abc123</code><ul><li>1</li><li>2</li></ul></body></html>`

// contentServer serves contentJSON (with a cookie) at /json, contentHTML at
// /html, a small XML document at /xml and a redirect to /json at /redirect.
func contentServer(t *testing.T) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s-42"})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, contentJSON)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, contentHTML)
	})
	mux.HandleFunc("/xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><user><name>Ada</name><id>7</id></user>`)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/json", http.StatusFound)
	})
	return newServer(t, mux).URL
}

// loadFile loads a collection file written by the test.
func loadFile(t *testing.T, file string) *collections.Collection {
	t.Helper()
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatalf("Load(%s) error = %v", file, err)
	}
	return c
}
