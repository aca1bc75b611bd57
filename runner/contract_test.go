package runner

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// contractSecret is a secret value the users server puts where the
// description wants an integer.
const contractSecret = "s3cr3t-t0ken-value"

// usersServer serves the users of testdata/contract/api.yaml under /v1,
// each user ID answering in one way that conforms or does not.
func usersServer(t *testing.T) string {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, ct, rate, body string) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if rate != "" {
			w.Header().Set("X-Rate-Limit", rate)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
	const user = `{"id": 1, "name": "Ada", "team": {"id": 7}}`
	mux.HandleFunc("GET /v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "1":
			reply(w, 200, "application/json", "10", user)
		case "2":
			reply(w, 500, "application/json", "", `{"error": "boom"}`)
		case "3":
			reply(w, 200, "application/json", "", user)
		case "4":
			reply(w, 200, "text/plain", "10", "Ada")
		case "5":
			reply(w, 200, "application/json", "10", `{"id": 5, "name": "Bo", "team": {"id": "seven"}}`)
		case "6":
			reply(w, 200, "application/json", "10", `{"id": "`+contractSecret+`", "name": "Cy", "team": {}}`)
		case "7":
			w.Header().Set("Set-Cookie", "session="+contractSecret+"; HttpOnly")
			reply(w, 200, "application/json", "10", user)
		default:
			reply(w, 404, "application/json", "", `{"error": "no such user"}`)
		}
	})
	mux.HandleFunc("GET /v1/alias/{id}", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, "application/json", "10", user)
	})
	mux.HandleFunc("GET /v1/nothing", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, "application/json", "", `{}`)
	})
	mux.HandleFunc("POST /v1/users", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(201)
	})
	return newServer(t, mux).URL + "/v1"
}

// contractDir is a temporary folder holding the descriptions of
// testdata/contract and, once the test writes it, a collection.
func contractDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"api.yaml", "broken.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "contract", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadContractCollection writes src as c.yaml in dir and loads it.
func loadContractCollection(t *testing.T, dir, src string) *collections.Collection {
	t.Helper()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{Defined: []string{"base", "id", "what"}})
	if err != nil {
		t.Fatalf("Load() error:\n%s", collections.RenderErrors(err, map[string][]byte{file: []byte(src)}))
	}
	return c
}

// contractResults are the results of the contract check of a step.
func contractResults(s *StepResult) []*CheckResult {
	var out []*CheckResult
	for _, c := range s.Checks {
		if strings.HasPrefix(c.Subject, contractSubject) {
			out = append(out, c)
		}
	}
	return out
}

func TestContractCheck(t *testing.T) {
	base := usersServer(t)
	dir := contractDir(t)
	const ref = "api.yaml#/paths/~1users~1{id}/get"
	tests := []struct {
		name string
		// step is the step's keys after its method line, `GET: {{ base }}PATH`.
		path, step string
		outcome    Outcome
		// subject, message, expected and actual are those of the one
		// contract result.
		subject, message, expected, actual string
		passed                             bool
	}{
		{name: "conforming", path: "/users/1", outcome: Passed, passed: true,
			subject: "openapi response", expected: ref, actual: "integer <200>"},
		{name: "undocumented status", path: "/users/2", outcome: Failed,
			subject: "openapi status", message: "status 500 is not documented (documented: 200, 404)",
			expected: ref + "/responses", actual: "integer <500>"},
		{name: "missing required header", path: "/users/3", outcome: Failed,
			subject: "openapi header X-Rate-Limit", message: "required but missing",
			expected: ref + "/responses/200/headers/X-Rate-Limit", actual: "none"},
		{name: "wrong content type", path: "/users/4", outcome: Failed,
			subject: "openapi content type", message: "Content-Type text/plain is not documented for status 200 (documented: application/json)",
			expected: ref + "/responses/200", actual: `string <"text/plain">`},
		{name: "header breaking its schema, its credential masked", path: "/users/7", outcome: Failed,
			subject: "openapi header Set-Cookie", message: "pattern: '***' does not match pattern '^theme='",
			expected: ref + "/responses/200/headers/Set-Cookie/schema/pattern", actual: `string <"***">`},
		{name: "nested body violation", path: "/users/5", outcome: Failed,
			subject: "openapi body team.id", message: "type: got string, want integer",
			expected: "api.yaml#/components/schemas/User/properties/team/properties/id/type", actual: `string <"seven">`},
		{name: "undocumented path", path: "/nothing", outcome: Failed,
			subject: "openapi operation", message: "no operation GET /v1/nothing in the description (no path matches)",
			expected: "api.yaml", actual: `string <"GET /v1/nothing">`},
		{name: "operation_id selects an operation the path does not match", path: "/alias/1", step: "operation_id: getUser",
			outcome: Passed, passed: true, subject: "openapi response", expected: ref, actual: "integer <200>"},
		{name: "operation_id overrides the matching operation", path: "/users/1", step: "operation_id: createUser",
			outcome: Failed, subject: "openapi status", message: "status 200 is not documented (documented: 201)",
			expected: "api.yaml#/paths/~1users/post/responses", actual: "integer <200>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("openapi: api.yaml\nsteps:\n  - name: call\n    GET: \"{{ base }}%s\"\n    %s\n", tt.path, tt.step)
			c := loadContractCollection(t, dir, src)
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
			if res.Err != nil {
				t.Fatalf("Run() Err = %v", res.Err)
			}
			s := res.Steps[0]
			if s.Outcome != tt.outcome {
				t.Errorf("outcome = %s, want %s\n%s", s.Outcome, tt.outcome, describe(res))
			}
			got := contractResults(s)
			if len(got) != 1 {
				t.Fatalf("contract results = %d, want 1\n%s", len(got), describe(res))
			}
			r := got[0]
			if r.Subject != tt.subject || r.Message != tt.message || r.Passed != tt.passed || r.Op != OpConforms {
				t.Errorf("result = %s %s %q passed %v, want %s conforms %q passed %v", r.Subject, r.Op, r.Message, r.Passed, tt.subject, tt.message, tt.passed)
			}
			if r.Expected.Value != tt.expected || r.Actual.String() != tt.actual {
				t.Errorf("expected %v, actual %s; want %s, %s", r.Expected.Value, r.Actual, tt.expected, tt.actual)
			}
			if want := (collections.Pos{File: c.File, Line: 4, Col: 5}); r.Pos != want {
				t.Errorf("Pos = %v, want the step's method at %v", r.Pos, want)
			}
		})
	}
}

// TestContractDetails checks that a body violation names the schema's
// place in the description, with its line, and the value's JSON pointer.
func TestContractDetails(t *testing.T) {
	base := usersServer(t)
	c := loadContractCollection(t, contractDir(t), "openapi: api.yaml\nsteps:\n  - GET: \"{{ base }}/users/5\"\n")
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
	got := contractResults(res.Steps[0])
	if len(got) != 1 {
		t.Fatalf("contract results = %d, want 1\n%s", len(got), describe(res))
	}
	want := "described at api.yaml:60:18\nJSON pointer /team/id"
	if d := strings.Join(got[0].Details, "\n"); d != want {
		t.Errorf("Details =\n%s\nwant\n%s", d, want)
	}
}

// TestContractMasksSecrets checks that a secret the response holds where
// the description wants something else is masked in the result.
func TestContractMasksSecrets(t *testing.T) {
	base := usersServer(t)
	src := "openapi: api.yaml\nsecrets: [token]\nvars:\n  token: " + contractSecret + "\nsteps:\n  - GET: \"{{ base }}/users/6\"\n"
	c := loadContractCollection(t, contractDir(t), src)
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
	got := contractResults(res.Steps[0])
	if len(got) != 1 || got[0].Subject != "openapi body id" {
		t.Fatalf("contract results = %v, want one about the body's id\n%s", got, describe(res))
	}
	if got[0].Actual.Value != Mask {
		t.Errorf("Actual = %s, want the secret masked as %s", got[0].Actual, Mask)
	}
	for _, text := range append([]string{got[0].Message, fmt.Sprint(got[0].Expected.Value)}, got[0].Details...) {
		if strings.Contains(text, contractSecret) {
			t.Errorf("a contract result shows the secret: %q", text)
		}
	}
}

// TestContractSteps checks which steps are checked: openapi: false on a
// step, a step's own description, and a collection that names none.
func TestContractSteps(t *testing.T) {
	base := usersServer(t)
	dir := contractDir(t)
	tests := []struct {
		name, src string
		want      int // contract results of the step
		outcome   Outcome
	}{
		{"openapi: false", "openapi: api.yaml\nsteps:\n  - GET: \"{{ base }}/nothing\"\n    openapi: false\n", 0, Passed},
		{"the step's own", "steps:\n  - GET: \"{{ base }}/nothing\"\n    openapi: api.yaml\n", 1, Failed},
		{"none", "steps:\n  - GET: \"{{ base }}/nothing\"\n", 0, Passed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadContractCollection(t, dir, tt.src)
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
			if got := len(contractResults(res.Steps[0])); got != tt.want || res.Steps[0].Outcome != tt.outcome {
				t.Errorf("contract results = %d, outcome %s; want %d, %s\n%s", got, res.Steps[0].Outcome, tt.want, tt.outcome, describe(res))
			}
		})
	}
}

// TestContractRequestWarnings checks requests: warn: a request that
// differs from its description gives warnings that do not fail the step.
func TestContractRequestWarnings(t *testing.T) {
	base := usersServer(t)
	dir := contractDir(t)
	tests := []struct {
		name, requests, step string
		subjects             []string // of the warnings
		message              string   // of the first
	}{
		{"body misses a required property", "warn", "POST: \"{{ base }}/users\"\n    json: {nick: ada}",
			[]string{"openapi request body"}, "required: missing property 'name'"},
		{"query parameter of the wrong type", "warn", "GET: \"{{ base }}/users/1?verbose=maybe\"",
			[]string{"openapi request parameter query verbose"}, "type: got string, want boolean"},
		{"cookie parameter breaking its schema, its value masked", "warn",
			"GET: \"{{ base }}/users/1\"\n    headers: {Cookie: session=" + contractSecret + "}",
			[]string{"openapi request parameter cookie session"}, "pattern: '***' does not match pattern '^s-'"},
		{"conforming request", "warn", "GET: \"{{ base }}/users/1?verbose=true\"", nil, ""},
		{"requests off", "off", "POST: \"{{ base }}/users\"\n    json: {nick: ada}", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("openapi: {file: api.yaml, requests: %s}\nsteps:\n  - %s\n", tt.requests, tt.step)
			c := loadContractCollection(t, dir, src)
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
			s := res.Steps[0]
			if s.Outcome != Passed {
				t.Fatalf("outcome = %s, want passed: warnings do not fail a step\n%s", s.Outcome, describe(res))
			}
			var subjects []string
			var first *CheckResult
			for _, r := range contractResults(s) {
				if r.Warning {
					subjects = append(subjects, r.Subject)
					if first == nil {
						first = r
					}
					if r.Passed {
						t.Errorf("warning %s is marked passed", r.Subject)
					}
				}
			}
			if strings.Join(subjects, ",") != strings.Join(tt.subjects, ",") {
				t.Fatalf("warnings = %v, want %v", subjects, tt.subjects)
			}
			if first != nil && first.Message != tt.message {
				t.Errorf("warning message = %q, want %q", first.Message, tt.message)
			}
		})
	}
}

// TestContractLoadErrors checks that a run does not start when a
// description does not load or an operation_id names nothing, with the
// error at the collection's key.
func TestContractLoadErrors(t *testing.T) {
	dir := contractDir(t)
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"invalid description", "openapi: broken.yaml\nsteps:\n  - GET: \"{{ base }}/users/1\"\n", 1, 10,
			"the OpenAPI description broken.yaml does not load:\n  " + filepath.Join(dir, "broken.yaml") + ":7:23: $ref \"#/components/responses/Nope\": broken.yaml# has no \"components\""},
		{"unknown operation_id", "openapi: api.yaml\nsteps:\n  - GET: \"{{ base }}/users/1\"\n    operation_id: getUsr\n", 4, 19,
			`api.yaml has no operation with operationId "getUsr"`},
		{"operation_id without a description", "steps:\n  - GET: \"{{ base }}/users/1\"\n    operation_id: getUser\n", 3, 19,
			"operation_id needs an OpenAPI description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadContractCollection(t, dir, tt.src)
			var sent bool
			srv := newServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent = true }))
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": srv.URL}})
			var ce *collections.Error
			if !errors.As(res.Err, &ce) {
				t.Fatalf("Run() Err = %v, want a *collections.Error", res.Err)
			}
			if ce.Pos.Line != tt.line || ce.Pos.Col != tt.col || !strings.HasPrefix(ce.Msg, tt.msg) {
				t.Errorf("Err at %d:%d %q, want %d:%d %q…", ce.Pos.Line, ce.Pos.Col, ce.Msg, tt.line, tt.col, tt.msg)
			}
			if sent || res.Steps[0].Outcome != NotRun {
				t.Errorf("a request was sent (outcome %s), want none", res.Steps[0].Outcome)
			}
		})
	}
}

// TestCheckContracts checks the listing of steps whose method and path
// match no operation, without sending anything.
func TestCheckContracts(t *testing.T) {
	dir := contractDir(t)
	src := `openapi: api.yaml
steps:
  - name: templated id
    GET: "{{ base }}/users/{{ id }}"
  - name: literal id
    GET: http://api.test/v1/users/42?verbose=true
  - name: post users
    POST: "{{ base }}/users"
  - name: wrong method
    DELETE: "{{ base }}/users/1"
  - name: unknown path
    GET: "{{ base }}/v1/teams"
  - name: operation named
    GET: "{{ base }}/anything"
    operation_id: getUser
  - name: all computed
    GET: "{{ base }}/{{ what }}"
  - name: not checked
    GET: "{{ base }}/nothing"
    openapi: false
`
	c := loadContractCollection(t, dir, src)
	got, err := CheckContracts(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, u := range got {
		lines = append(lines, strings.TrimPrefix(u.String(), dir+string(filepath.Separator)))
	}
	want := []string{
		`c.yaml:10:5: step "wrong method": DELETE /users/1 matches no operation of api.yaml`,
		`c.yaml:12:5: step "unknown path": GET /v1/teams matches no operation of api.yaml`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("CheckContracts() =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestProcoreFirstCallContract runs the bundled first call against the
// sandbox: every response is checked against collections/procore/openapi.yaml,
// and conforms.
func TestProcoreFirstCallContract(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	c := loadFirstCall(t, vars)
	if c.OpenAPI == nil || c.OpenAPI.File != "openapi.yaml" {
		t.Fatalf("first-call's openapi: = %+v, want openapi.yaml", c.OpenAPI)
	}
	res := runColl(t, sandboxClient(srv), c, Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true}})
	wantOutcomes(t, res, "passed,passed,passed,passed")
	for _, s := range res.Steps {
		if s.Response == nil {
			continue
		}
		got := contractResults(s)
		if len(got) != 1 || !got[0].Passed || got[0].Subject != "openapi response" {
			t.Errorf("step %q: contract results %v, want one passed openapi response", s.Name, got)
		}
	}
	if n := len(contractResults(res.Steps[0])); n != 0 {
		t.Errorf("the authorize step has %d contract results, want none (it receives no response)", n)
	}
}

// TestContractLoadedOncePerRunner checks that a Runner loads a
// collection's description once, however often it runs the collection:
// a description broken after the first run is not read again, while a new
// Runner reads it and refuses it.
func TestContractLoadedOncePerRunner(t *testing.T) {
	base := usersServer(t)
	dir := contractDir(t)
	c := loadContractCollection(t, dir, "openapi: api.yaml\nsteps:\n  - GET: \"{{ base }}/users/1\"\n")
	opts := Options{Vars: map[string]any{"base": base}}
	r := New(&http.Client{Timeout: testTimeout})
	if res := r.Run(t.Context(), c, opts); res.Err != nil || res.Steps[0].Outcome != Passed {
		t.Fatalf("first run: %v\n%s", res.Err, describe(res))
	}
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte("not: a description\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if res := r.Run(t.Context(), c, opts); res.Err != nil || len(contractResults(res.Steps[0])) != 1 {
			t.Fatalf("run %d of the same Runner: %v\n%s", i+2, res.Err, describe(res))
		}
	}
	if res := New(&http.Client{Timeout: testTimeout}).Run(t.Context(), c, opts); res.Err == nil {
		t.Errorf("a new Runner ran with the broken description, want it refused")
	}
}
