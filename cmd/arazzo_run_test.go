package cmd

import (
	"encoding/base64"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// The Arazzo tests run documents through `callsheet run` against the loop
// API (loopapi_test.go): the same runner, reports and recordings as a
// collection.

// loopSecret is the client secret the loop workflow sends at login: an
// input with format: password.
const loopSecret = "cs-SECRET-9191"

// loopOpenAPI describes the loop API.
const loopOpenAPI = `openapi: 3.1.0
info: {title: loop, version: "1"}
paths:
  /login:
    post:
      operationId: login
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses: {"200": {description: the session}}
  /projects:
    get:
      operationId: listProjects
      parameters:
        - {name: owner, in: query, schema: {type: integer}}
      responses: {"200": {description: the projects}}
  /other:
    get:
      operationId: other
      responses: {"200": {description: something else}}
`

// loopFlows logs in with a secret input, keeps the token the login
// answers with as an output (secret by its name: the loop API's body is
// not a token response) and lists the projects with it; a second
// workflow calls another endpoint.
const loopFlows = `arazzo: 1.0.1
info: {title: Loop, version: "1"}
sourceDescriptions:
  - {name: base, url: openapi.yaml, type: openapi}
workflows:
  - workflowId: projects
    inputs:
      type: object
      required: [user, client_secret]
      properties:
        user: {type: string, minLength: 3}
        client_secret: {type: string, format: password}
        name: {type: string, default: Tower}
    steps:
      - stepId: login
        operationId: login
        requestBody:
          contentType: application/json
          payload: {user: $inputs.user, client_secret: $inputs.client_secret}
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          token: $response.body#/token
          user: $response.body#/user
      - stepId: list-projects
        operationId: listProjects
        parameters:
          - {name: owner, in: query, value: $steps.login.outputs.user}
          - {name: Authorization, in: header, value: "Bearer {$steps.login.outputs.token}"}
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/projects/0/name == $inputs.name
  - workflowId: other
    steps:
      - stepId: other
        operationId: other
        successCriteria:
          - condition: $statusCode == 200
`

// loopFlowsSetup writes the loop document and its description into a
// temporary folder and returns the document's path.
func loopFlowsSetup(t *testing.T) string {
	t.Helper()
	dir := writeFiles(t, t.TempDir(), map[string]string{"loop.arazzo.yaml": loopFlows, "openapi.yaml": loopOpenAPI})
	return filepath.Join(dir, "loop.arazzo.yaml")
}

// TestArazzoRunMasksSecrets runs the loop document with -vv, the reports
// and --record: every output shows the exchanges, and none the client
// secret (an input with format: password) or the token (an output).
func TestArazzoRunMasksSecrets(t *testing.T) {
	api := newLoopAPI(t)
	doc := loopFlowsSetup(t)
	dir := filepath.Dir(doc)
	in := func(name string) string { return filepath.Join(dir, name) }
	out := callsheet(t, nil, "run", doc, "-vv", "--var", "base="+api.URL, "--var", "user=alice", "--var", "client_secret="+loopSecret,
		"--report-json", in("r.json"), "--report-junit", in("r.xml"), "--har", in("r.har"), "--record")
	if out.code != ExitOK {
		t.Fatalf("run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if n := api.counts(); n["/login"] != 1 || n["/projects"] != 1 || n["/other"] != 1 {
		t.Fatalf("hits = %v, want one of each", n)
	}
	read := func(name string) string {
		data, err := os.ReadFile(in(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	recording := func() string {
		runs, err := os.ReadDir(in(".callsheet/runs"))
		if err != nil || len(runs) != 2 {
			t.Fatalf("recorded runs = %v, %v; want one per workflow", runs, err)
		}
		var all strings.Builder
		for _, r := range runs {
			files, _ := os.ReadDir(in(".callsheet/runs/" + r.Name()))
			for _, f := range files {
				all.WriteString(read(".callsheet/runs/" + r.Name() + "/" + f.Name()))
			}
		}
		return all.String()
	}
	checkShown(t, []shownCase{
		{"console -vv", out.stdout + out.stderr, []string{
			"✔ login", "✔ list-projects", `"client_secret":"***"`, `{"token":"***","user":7}`, "Authorization: Bearer ***", "3 passed",
		}},
		{"JSON report", read("r.json"), []string{`"list-projects"`, `\"client_secret\":\"***\"`, `$statusCode == 200`}},
		{"JUnit report", read("r.xml"), []string{`name="projects"`, `name="list-projects"`}},
		{"HAR file", read("r.har"), []string{`"url": "` + api.URL + `/projects?owner=7"`, `Bearer ***`}},
		{"recording", recording(), []string{
			base64.StdEncoding.EncodeToString([]byte(`{"user":"alice","client_secret":"{{secret:client_secret}}"}`)),
			`Bearer {{secret:login.token}}`,
			base64.StdEncoding.EncodeToString([]byte(`{"token":"***","user":7}`)),
		}},
	})
}

// TestArazzoFailedCriterion shows a failed success criterion as a failed
// check, with the actual and the expected value, at its position.
func TestArazzoFailedCriterion(t *testing.T) {
	api := newLoopAPI(t)
	doc := loopFlowsSetup(t)
	out := callsheet(t, nil, "run", doc, "--var", "base="+api.URL, "--var", "user=alice", "--var", "client_secret="+loopSecret,
		"--var", "name=Bridge", "--report-json", filepath.Join(filepath.Dir(doc), "r.json"))
	if out.code != ExitFailed {
		t.Fatalf("run: exit %d, want %d\n%s%s", out.code, ExitFailed, out.stdout, out.stderr)
	}
	for _, want := range []string{
		"✘ list-projects", "assert $response.body#/projects/0/name == $inputs.name (eq)", "loop.arazzo.yaml:32:24",
		`actual:   string <"Tower">`, `expected: string <"Bridge">`, "2 passed, 1 failed",
	} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, out.stdout)
		}
	}
	rep := readJSONReport(t, filepath.Join(filepath.Dir(doc), "r.json"))
	if rep.Summary.Failed != 1 {
		t.Errorf("report summary = %+v, want one failed", rep.Summary)
	}
}

// TestArazzoInputs feeds the inputs from --var, --data and the
// environment; inputs that do not match the schema stop the workflow
// before anything is sent.
func TestArazzoInputs(t *testing.T) {
	tests := []struct {
		name     string
		data     string // a --data file, when not empty
		env      map[string]string
		args     []string
		wantCode int
		want     []string
		logins   int
	}{
		{name: "var", args: []string{"--var", "user=alice", "--var", "client_secret=" + loopSecret}, wantCode: ExitOK, want: []string{"2 passed"}, logins: 1},
		{name: "environment", env: map[string]string{"CALLSHEET_VAR_user": "alice", "CALLSHEET_VAR_client_secret": loopSecret}, wantCode: ExitOK, want: []string{"2 passed"}, logins: 1},
		{
			name: "data rows", data: `[{"user":"alice","client_secret":"` + loopSecret + `"},{"user":"bob","client_secret":"` + loopSecret + `"}]`,
			wantCode: ExitOK, want: []string{"projects [row 1]", "projects [row 2]", "4 passed"}, logins: 2,
		},
		{
			name: "schema violation", args: []string{"--var", "user=al", "--var", "client_secret=" + loopSecret},
			wantCode: ExitError, want: []string{`inputs of workflow "projects"`, "minLength"}, logins: 0,
		},
		{
			name: "missing input", data: `[{"user":"alice"}]`,
			wantCode: ExitError, want: []string{"projects [row 1]", "missing property 'client_secret'"}, logins: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newLoopAPI(t)
			doc := loopFlowsSetup(t)
			args := append([]string{"run", doc, "--only", "projects", "--var", "base=" + api.URL}, tt.args...)
			if tt.data != "" {
				data := filepath.Join(filepath.Dir(doc), "rows.json")
				if err := os.WriteFile(data, []byte(tt.data), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--data", data)
			}
			for k, v := range tt.env {
				t.Setenv(k, v) // CALLSHEET_VAR_ names are read from the environment
			}
			out := callsheet(t, tt.env, args...)
			if out.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", out.code, tt.wantCode, out.stdout, out.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.stdout+out.stderr, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out.stdout, out.stderr)
				}
			}
			if strings.Contains(out.stdout+out.stderr, loopSecret) {
				t.Errorf("output shows the client secret:\n%s%s", out.stdout, out.stderr)
			}
			if got := api.counts()["/login"]; got != tt.logins {
				t.Errorf("logins = %d, want %d", got, tt.logins)
			}
		})
	}
}

// TestArazzoShard deals the workflows of one document to different
// shards: each runs in exactly one.
func TestArazzoShard(t *testing.T) {
	api := newLoopAPI(t)
	doc := loopFlowsSetup(t)
	ran := map[string]int{}
	for _, shard := range []string{"1/2", "2/2"} {
		before := api.counts()
		out := callsheet(t, nil, "run", doc, "--shard", shard, "--var", "base="+api.URL, "--var", "user=alice", "--var", "client_secret="+loopSecret)
		if out.code != ExitOK {
			t.Fatalf("--shard %s: exit %d\n%s%s", shard, out.code, out.stdout, out.stderr)
		}
		after := api.counts()
		switch {
		case after["/login"] > before["/login"] && after["/other"] == before["/other"]:
			ran["projects"]++
		case after["/other"] > before["/other"] && after["/login"] == before["/login"]:
			ran["other"]++
		default:
			t.Errorf("--shard %s ran hits %v (before %v), want one workflow:\n%s", shard, after, before, out.stdout)
		}
	}
	if ran["projects"] != 1 || ran["other"] != 1 {
		t.Errorf("workflows run per shard = %v, want each once", ran)
	}
}

// TestArazzoReplaySendsSameBytes replays a recorded run of a workflow:
// the request goes out byte for byte as the run sent it, its secrets
// restored from the state.
func TestArazzoReplaySendsSameBytes(t *testing.T) {
	api := newLoopAPI(t)
	doc := loopFlowsSetup(t)
	dir := filepath.Dir(doc)
	out := callsheet(t, nil, "run", doc, "--only", "projects", "--var", "base="+api.URL, "--var", "user=alice", "--var", "client_secret="+loopSecret,
		"--record", "--state", "--state-secrets")
	if out.code != ExitOK {
		t.Fatalf("run --record: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	runs, err := os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
	if err != nil || len(runs) != 1 {
		t.Fatalf("recorded runs = %v, %v; want one", runs, err)
	}
	runDir := filepath.Join(dir, ".callsheet", "runs", runs[0].Name())
	for _, path := range []string{"/login", "/projects"} {
		out = callsheet(t, nil, "replay", runDir)
		if out.code != ExitOK {
			t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
		}
		sent := api.rawRequests(path)
		if len(sent) < 2 || string(sent[len(sent)-1]) != string(sent[0]) {
			t.Errorf("%s: replayed request differs:\n--- run\n%q\n--- replay\n%q", path, sent[0], sent[len(sent)-1])
		}
		if strings.Contains(out.stdout+out.stderr, loopSecret) || strings.Contains(out.stdout+out.stderr, loopToken) {
			t.Errorf("replay output shows a secret:\n%s%s", out.stdout, out.stderr)
		}
	}
}

// TestArazzoValidate reports every problem of a document at its
// file:line:col with exit 2, and run sends nothing.
func TestArazzoValidate(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // the change that breaks the document
		wantCode int
		want     []string
	}{
		{"valid", "", "", ExitOK, []string{"loop.arazzo.yaml (2 steps)", "loop.arazzo.yaml (1 step)"}},
		{
			"condition", "projects/0/name == $inputs.name", "projects/0/name = $inputs.name", ExitUsage,
			[]string{"loop.arazzo.yaml:32:56", "compare with =="},
		},
		{
			"unknown operation", "operationId: other", "operationId: others", ExitUsage,
			[]string{"loop.arazzo.yaml:36:22", `no operation with operationId "others"`, `did you mean "other"?`},
		},
		{
			"unknown auth profile", "      - stepId: other\n", "      - stepId: other\n        x-callsheet-auth: api\n", ExitUsage,
			[]string{"loop.arazzo.yaml:36:27", `no auth profile "api"`},
		},
		{
			"unknown operation and auth profile", "      - stepId: other\n        operationId: other\n", "      - stepId: other\n        operationId: others\n        x-callsheet-auth: api\n", ExitUsage,
			[]string{"loop.arazzo.yaml:36:22", `"others"`, "loop.arazzo.yaml:37:27", `no auth profile "api"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newLoopAPI(t)
			dir := writeFiles(t, t.TempDir(), map[string]string{"loop.arazzo.yaml": strings.Replace(loopFlows, tt.old, tt.new, 1), "openapi.yaml": loopOpenAPI})
			doc := filepath.Join(dir, "loop.arazzo.yaml")
			out := callsheet(t, nil, "validate", doc, "--var", "base="+api.URL)
			if out.code != tt.wantCode {
				t.Fatalf("validate: exit %d, want %d\n%s%s", out.code, tt.wantCode, out.stdout, out.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.stdout+out.stderr, w) {
					t.Errorf("validate output lacks %q:\n%s%s", w, out.stdout, out.stderr)
				}
			}
			if tt.wantCode == ExitOK {
				return
			}
			if out := callsheet(t, nil, "run", doc, "--var", "base="+api.URL); out.code != ExitUsage {
				t.Errorf("run: exit %d, want %d\n%s%s", out.code, ExitUsage, out.stdout, out.stderr)
			}
			if len(api.counts()) > 0 {
				t.Errorf("a broken document sent requests: %v", api.counts())
			}
		})
	}
}

// TestArazzoProcoreSandbox runs the bundled Procore workflow with
// --sandbox, as the README says: every step passes, and neither the
// client secret nor a token shows.
func TestArazzoProcoreSandbox(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "r.json")
	out := callsheet(t, nil, "run", "--sandbox", "procore/first-call.arazzo.yaml", "-vv", "--report-json", report)
	if out.code != ExitOK {
		t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	for _, want := range []string{"✔ authorize", "✔ token", "✔ me", "✔ projects", "4 passed, 0 failed"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, out.stdout)
		}
	}
	rep := readJSONReport(t, report)
	if len(rep.Collections) != 1 || rep.Collections[0].Name != "first-call" || rep.Summary.Passed != 4 {
		t.Fatalf("report = %+v; want the first-call workflow with 4 steps passed", rep)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.stdout+out.stderr+string(data), sandbox.DemoClientSecret) {
		t.Errorf("output or report shows the client secret")
	}
	if !strings.Contains(out.stdout, `"access_token":"***"`) || !strings.Contains(out.stdout, "client_secret=***") {
		t.Errorf("-vv does not show the masked token response and client secret:\n%s", out.stdout)
	}
}

// TestArazzoAuthProfile gives a step the token of an auth profile, named
// by x-callsheet-auth or by its operation's security scheme: the token the
// API refuses with 401 invalid_token is replaced once, no output shows a
// token or the client secret, and a replay gets a token of its own.
func TestArazzoAuthProfile(t *testing.T) {
	tests := []struct {
		name, stepAuth, security string
	}{
		{name: "x-callsheet-auth", stepAuth: "        x-callsheet-auth: api\n"},
		{name: "security scheme", security: "      security: [{api: []}]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newProfileAPI(t)
			dir := writeFiles(t, t.TempDir(), map[string]string{
				"call.arazzo.yaml": `arazzo: 1.0.1
info: {title: Profile, version: "1"}
x-callsheet-auth: profiles.yaml
sourceDescriptions:
  - {name: base, url: openapi.yaml, type: openapi}
workflows:
  - workflowId: call
    steps:
      - stepId: call
        operationId: call
` + tt.stepAuth + `        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/ok == true
`,
				"profiles.yaml": profilesFile,
				"openapi.yaml": `openapi: 3.1.0
info: {title: api, version: "1"}
paths:
  /api:
    get:
      operationId: call
` + tt.security + `      responses: {"200": {description: ok}}
components:
  securitySchemes:
    api: {type: http, scheme: bearer}
`,
			})
			api.checkRun(t, dir)
		})
	}
}

// profileAPI grants client-credentials tokens tok-N-abcdef at /token and
// refuses the first at /api with 401 invalid_token.
type profileAPI struct {
	*httptest.Server
	mu     sync.Mutex
	grants int
	seen   []string
}

func newProfileAPI(t *testing.T) *profileAPI {
	a := &profileAPI{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/token":
			a.grants++
			io.WriteString(w, `{"access_token":"tok-`+itoa(a.grants)+`-abcdef","token_type":"bearer","expires_in":3600}`)
		case "/api":
			a.seen = append(a.seen, r.Header.Get("Authorization"))
			if r.Header.Get("Authorization") == "Bearer tok-1-abcdef" {
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

// checkRun runs, records and replays call.arazzo.yaml of dir against a.
func (a *profileAPI) checkRun(t *testing.T, dir string) {
	t.Helper()
	out := callsheet(t, nil, "run", filepath.Join(dir, "call.arazzo.yaml"), "-vv", "--var", "base="+a.URL, "--no-token-cache", "--record", "--state")
	if out.code != ExitOK {
		t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	a.mu.Lock()
	if a.grants != 2 || len(a.seen) != 2 || a.seen[1] != "Bearer tok-2-abcdef" {
		t.Errorf("grants = %d, API saw %q; want a second grant after the 401 and the call again with it", a.grants, a.seen)
	}
	a.mu.Unlock()
	runs, _ := os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
	if len(runs) != 1 {
		t.Fatalf("recorded runs = %v, want one", runs)
	}
	rec, err := os.ReadFile(filepath.Join(dir, ".callsheet", "runs", runs[0].Name(), "01-call.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"output": out.stdout + out.stderr, "recording": string(rec)} {
		if strings.Contains(text, "tok-") || strings.Contains(text, "very-secret-value") {
			t.Errorf("%s shows a token or the client secret:\n%s", name, text)
		}
	}
	if !strings.Contains(out.stdout, "Authorization: Bearer ***") || !strings.Contains(string(rec), "Bearer {{auth:api}}") {
		t.Errorf("the request does not carry the profile's token:\n%s\n%s", out.stdout, rec)
	}

	replay := callsheet(t, map[string]string{"CALLSHEET_CACHE_DIR": filepath.Join(dir, "cache")}, "replay", filepath.Join(dir, ".callsheet", "runs", runs[0].Name()))
	if replay.code != ExitOK || strings.Contains(replay.stdout+replay.stderr, "tok-") {
		t.Fatalf("replay: exit %d\n%s%s", replay.code, replay.stdout, replay.stderr)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.seen) != 3 || a.seen[2] != "Bearer tok-3-abcdef" {
		t.Errorf("API saw %q; want the replay with a token granted for it", a.seen)
	}
}

// TestArazzoSandboxAuthorizationCode gives a workflow's steps the token of
// the bundled procore/with-profile.yaml's authorization-code profile
// (PKCE), which --sandbox approves at once.
func TestArazzoSandboxAuthorizationCode(t *testing.T) {
	bundled := func(name string) string {
		data, err := fs.ReadFile(collections.Bundled(), name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"me.arazzo.yaml": `arazzo: 1.0.1
info: {title: Me, version: "1"}
x-callsheet-auth: with-profile.yaml
sourceDescriptions:
  - {name: base_url, url: openapi.yaml, type: openapi}
workflows:
  - workflowId: me
    x-callsheet-auth: procore
    inputs:
      type: object
      properties:
        company_id: {type: integer}
    steps:
      - stepId: me
        operationId: me
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/id > 0
      - stepId: projects
        operationId: listProjects
        parameters:
          - {name: company_id, in: query, value: $inputs.company_id}
          - {name: Procore-Company-Id, in: header, value: $inputs.company_id}
        successCriteria:
          - condition: $statusCode == 200
`,
		"with-profile.yaml": bundled("procore/with-profile.yaml"),
		"openapi.yaml":      bundled("procore/openapi.yaml"),
	})
	out := callsheet(t, nil, "run", "--sandbox", filepath.Join(dir, "me.arazzo.yaml"), "-vv")
	if out.code != ExitOK {
		t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if !strings.Contains(out.stdout, "2 passed") || strings.Count(out.stdout, "Authorization: Bearer ***") != 2 {
		t.Errorf("the steps do not pass with the profile's token:\n%s", out.stdout)
	}
	if strings.Contains(out.stdout+out.stderr, sandbox.DemoClientSecret) {
		t.Errorf("output shows the client secret:\n%s", out.stdout)
	}
}

// TestArazzoOtherCommands refuses an Arazzo document where a command
// takes collections only, saying which commands take it.
func TestArazzoOtherCommands(t *testing.T) {
	doc := loopFlowsSetup(t)
	for _, args := range [][]string{
		{"export", "postman", doc},
		{"export", "curl", doc},
		{"load", doc, "--vus", "1", "--iterations", "1"},
	} {
		t.Run(args[0]+" "+args[1], func(t *testing.T) {
			out := callsheet(t, nil, args...)
			if out.code != ExitUsage || !strings.Contains(out.stderr, "is an Arazzo document, which only callsheet run and callsheet validate take") {
				t.Errorf("exit %d, want %d and the commands that take it\n%s%s", out.code, ExitUsage, out.stdout, out.stderr)
			}
		})
	}
}

// shownCase is one output of a run: what it shows must hold each of want
// (so the test sees the exchange there) and none of the run's secrets.
type shownCase struct {
	name, text string
	want       []string
}

// checkShown checks each output against its case and the loopback API's
// secrets.
func checkShown(t *testing.T, cases []shownCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			for _, secret := range []string{loopSecret, loopToken} {
				if strings.Contains(tt.text, secret) {
					t.Errorf("shows the secret %q:\n%s", secret, tt.text)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(tt.text, w) {
					t.Errorf("lacks %q:\n%s", w, tt.text)
				}
			}
		})
	}
}

// profilesFile is the collection of auth profiles the Arazzo tests name
// with x-callsheet-auth: a client-credentials profile, api.
const profilesFile = `name: profiles
auth:
  api:
    grant: client_credentials
    token_url: "{{ base }}/token"
    client_id: c
    client_secret: very-secret-value
steps:
  - name: call
    GET: "{{ base }}/api"
    auth: api
`
