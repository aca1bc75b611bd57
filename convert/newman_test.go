package convert

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// newmanPath returns the newman binary: $NEWMAN (set by .ci/clients), else
// newman on the PATH; the test is skipped without one.
func newmanPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NEWMAN"); p != "" {
		return p
	}
	p, err := exec.LookPath("newman")
	if err != nil {
		t.Skip("newman is not installed (eval \"$(.ci/clients)\")")
	}
	return p
}

// runNewman runs a Postman collection with newman and returns, per
// request, whether all its tests passed, and the requests newman sent.
func runNewman(t *testing.T, newman string, collection []byte) []bool {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "c.json"), filepath.Join(dir, "report.json")
	if err := os.WriteFile(in, collection, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), newman, "run", in, "--reporters", "cli,json", "--reporter-json-export", out, "--timeout-request", "10000")
	outp, err := cmd.CombinedOutput()
	t.Logf("newman:\n%s", outp)
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("newman: %v\n%s", err, outp)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Run struct {
			Executions []struct {
				Assertions []struct {
					Assertion string          `json:"assertion"`
					Error     json.RawMessage `json:"error"`
				} `json:"assertions"`
				TestScript []struct {
					Error json.RawMessage `json:"error"`
				} `json:"testScript"`
			} `json:"executions"`
		} `json:"run"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	var passed []bool
	for _, e := range report.Run.Executions {
		ok := true
		for _, a := range e.Assertions {
			ok = ok && len(a.Error) == 0
		}
		for _, s := range e.TestScript {
			if len(s.Error) > 0 {
				t.Errorf("newman: a test script threw: %s", s.Error)
			}
		}
		passed = append(passed, ok)
	}
	return passed
}

// roundTripCollection has steps that pass and steps that fail, checks of
// every kind the export writes, and captures later steps read.
const roundTripCollection = `name: round trip
vars:
  base: BASE
  user: ann
steps:
  - name: login
    POST: "{{ base }}/login"
    json: {user: "{{ user }}", remember: true}
    expect:
      status: 200
      headers:
        Content-Type: {contains: json}
      json:
        token: {type: string, starts_with: tok-}
        roles: {contains: admin, length: 2}
        profile: {name: Ann}
        "roles.#": 2
    capture:
      token: token
      uid: profile.id
  - name: me
    GET: "{{ base }}/users/{{ uid }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      status: [200, 201]
      json:
        id: "{{ uid }}"
        email: {is_email: true, ends_with: "@example.com"}
        tags: {is_empty: true}
        missing: {exists: false}
      body: {contains: Ann}
  - name: wrong status
    GET: "{{ base }}/users/{{ uid }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      status: 404
  - name: wrong value
    GET: "{{ base }}/users/{{ uid }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      json:
        name: {one_of: [Bob, Cy]}
        id: {gt: 100}
  - name: search
    GET: "{{ base }}/search"
    query: {q: a b, page: 2}
    expect:
      status: 2xx
      json:
        "0.score": {between: [1, 10], type: integer}
        "#": {gte: 1}
  - name: unchecked
    DELETE: "{{ base }}/users/{{ uid }}"
`

// TestNewmanRunsExportedCollection exports a collection to Postman and
// checks that newman, run at the same loopback server, passes and fails
// the same requests as callsheet, and sends the same requests.
func TestNewmanRunsExportedCollection(t *testing.T) {
	newman := newmanPath(t)
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/login":
			io.WriteString(w, `{"token":"tok-1","roles":["admin","dev"],"profile":{"id":7,"name":"Ann"}}`)
		case r.URL.Path == "/users/7" && r.Method == "GET" && r.Header.Get("Authorization") == "Bearer tok-1":
			io.WriteString(w, `{"id":7,"name":"Ann","email":"ann@example.com","tags":[]}`)
		case r.URL.Path == "/search" && r.URL.RawQuery == "q=a+b&page=2":
			io.WriteString(w, `[{"score":3}]`)
		case r.Method == "DELETE":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{}`)
		}
	}))
	file := filepath.Join(t.TempDir(), "rt.yaml")
	os.WriteFile(file, []byte(strings.Replace(roundTripCollection, "BASE", srv.URL, 1)), 0o644)
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := runner.New(nil).Run(t.Context(), c, runner.Options{Continue: true})
	var want []bool
	for _, s := range res.Steps {
		want = append(want, s.Outcome == runner.Passed)
	}
	sent := srv.Take()
	data, notes, err := ExportPostman(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) > 0 {
		t.Errorf("export notes = %v, want none", notes)
	}
	got := runNewman(t, newman, data)
	if strings.Join(outcomeWords(got), ",") != strings.Join(outcomeWords(want), ",") {
		t.Errorf("newman outcomes %v, callsheet %v", outcomeWords(got), outcomeWords(want))
	}
	if n := strings.Count(strings.Join(outcomeWords(want), ","), "failed"); n != 2 {
		t.Errorf("callsheet failed %d steps, want 2 (the collection fails two on purpose)", n)
	}
	byNewman := srv.Take()
	if len(byNewman) != len(sent) {
		t.Fatalf("newman sent %d requests, callsheet %d", len(byNewman), len(sent))
	}
	for i := range sent {
		if a, b := newmanCompared(byNewman[i]), newmanCompared(sent[i]); a != b {
			t.Errorf("request %d: newman sent\n%s\ncallsheet sent\n%s", i+1, a, b)
		}
	}
}

func outcomeWords(passed []bool) []string {
	out := make([]string, len(passed))
	for i, p := range passed {
		out[i] = map[bool]string{true: "passed", false: "failed"}[p]
	}
	return out
}

// newmanFields are the fields newman adds to every request of its own
// accord.
var newmanFields = []string{"postman-token", "cache-control", "connection"}

// newmanCompared is Compared without the fields newman adds itself.
func newmanCompared(r wiretest.Request) string {
	var lines []string
	for _, l := range strings.Split(r.Compared(), "\n") {
		drop := false
		for _, f := range newmanFields {
			drop = drop || strings.HasPrefix(l, f+":")
		}
		if !drop {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// TestExportPostmanGolden pins the exported collection.
func TestExportPostmanGolden(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rt.yaml")
	os.WriteFile(file, []byte(strings.Replace(roundTripCollection, "BASE", "http://127.0.0.1:8080", 1)), 0o644)
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := ExportPostman(c)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "export-postman.golden", data)
}

// TestExportPostmanHidesSecrets checks that the value of a secret
// variable is never written.
func TestExportPostmanHidesSecrets(t *testing.T) {
	c, err := collections.Parse("s.yaml", []byte("vars:\n  api_key: sk-live-123456\n  plain: visible\nsecrets: [api_key]\nsteps:\n  - GET: \"https://x.example/?k={{ api_key }}\"\n"), collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, notes, err := ExportPostman(c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "sk-live-123456") || !strings.Contains(string(data), "visible") {
		t.Errorf("export shows the secret or hides the plain value:\n%s", data)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "api_key") {
		t.Errorf("notes = %v, want one naming api_key", notes)
	}
}

// newmanCases are Postman requests beyond the shared wire cases: values
// Postman sends as written (encoded query values, an unquoted variable in
// raw JSON). {{base}} is the server; the collection defines n = 3 and
// q = café.
var newmanCases = []struct{ name, request string }{
	{"an encoded query value is not encoded again", `{"method": "GET", "url": {"raw": "{{base}}/s?q=caf%C3%A9&sp=a b&plus=a+b", "host": ["{{base}}"], "path": ["s"], "query": [{"key": "q", "value": "caf%C3%A9"}, {"key": "sp", "value": "a b"}, {"key": "plus", "value": "a+b"}]}}`},
	{"a query of plain values becomes query fields", `{"method": "GET", "url": {"raw": "{{base}}/s?page=2&sort=name", "host": ["{{base}}"], "path": ["s"], "query": [{"key": "page", "value": "2"}, {"key": "sort", "value": "name"}]}}`},
	{"an unquoted variable in raw JSON keeps its type", `{"method": "POST", "url": "{{base}}/j", "header": [{"key": "Content-Type", "value": "application/json"}],
		"body": {"mode": "raw", "raw": "{\"count\": {{n}}, \"name\": \"{{q}}\"}", "options": {"raw": {"language": "json"}}}}`},
}

// TestSendsWhatNewmanSends checks, at a server that records raw bytes,
// that each Postman request imported into a collection sends what newman
// sends for it, but for the fields newman adds of its own accord.
func TestSendsWhatNewmanSends(t *testing.T) {
	newman := newmanPath(t)
	cases := map[string]string{}
	for _, c := range wireCases {
		cases[c.name] = c.postman
	}
	for _, c := range newmanCases {
		cases[c.name] = c.request
	}
	for name, request := range cases {
		t.Run(name, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\nbytes"), 0o644)
			coll := `{"info": {"name": "wire", "schema": "` + postmanSchema + `"},
				"variable": [{"key": "base", "value": "` + srv.URL + `"}, {"key": "n", "value": "3"}, {"key": "q", "value": "café"}],
				"item": [{"name": "s", "request": ` + request + `}]}`
			in := filepath.Join(dir, "c.json")
			os.WriteFile(in, []byte(coll), 0o644)
			cmd := exec.CommandContext(t.Context(), newman, "run", in, "--working-dir", dir, "--reporters", "cli")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("newman: %v\n%s", err, out)
			}
			want := srv.Take()
			im, err := ImportPostman([]byte(coll), nil)
			if err != nil {
				t.Fatal(err)
			}
			src := string(im.Files[0].Data)
			got := callsheetSends(t, srv, dir, strings.Replace(src, "base: "+srv.URL, "base: "+srv.URL, 1))
			if len(want) != 1 {
				t.Fatalf("newman sent %d requests", len(want))
			}
			if w := newmanCompared(want[0]); got != w {
				t.Errorf("callsheet sent\n%s\nnewman sent\n%s\ncollection:\n%s", got, w, src)
			}
		})
	}
}
