package cmd

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// remoteAPI is an HTTPS loopback server, and Plain an HTTP one with the
// same handler and hits, that serve the loop API's
// description at /openapi.yaml and /v2/openapi.yaml, a JSON body that is
// no description at /notes.json, and answers /other.
type remoteAPI struct {
	*httptest.Server
	Plain *httptest.Server
	mu    sync.Mutex
	hits  map[string]int
}

func newRemoteAPI(t *testing.T) *remoteAPI {
	t.Helper()
	api := &remoteAPI{hits: map[string]int{}}
	api.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		api.hits[r.URL.Path]++
		api.mu.Unlock()
		switch r.URL.Path {
		case "/openapi.yaml", "/v2/openapi.yaml":
			io.WriteString(w, loopOpenAPI)
		case "/notes.json":
			io.WriteString(w, `{"notes":[]}`)
		case "/other", "/v2/other":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{}`)
		default:
			http.NotFound(w, r)
		}
	}))
	api.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	api.StartTLS()
	t.Cleanup(api.Close)
	api.Plain = httptest.NewServer(api.Config.Handler)
	t.Cleanup(api.Plain.Close)
	return api
}

// taken returns the hits per path and forgets them.
func (a *remoteAPI) taken() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.hits
	a.hits = map[string]int{}
	return out
}

// remoteDoc is a document whose one source description is at url (line
// 4, the url at column 37), with two workflows calling its operation
// other.
func remoteDoc(url string) string {
	return `arazzo: 1.0.1
info: {title: remote, version: "1"}
sourceDescriptions:
  - {name: api, type: openapi, url: "` + url + `"}
workflows:
  - workflowId: first
    steps:
      - {stepId: other, operationId: other, successCriteria: [{condition: $statusCode == 200}]}
  - workflowId: second
    steps:
      - {stepId: other, operationId: other, successCriteria: [{condition: $statusCode == 200}]}
`
}

// TestArazzoRemoteSources runs and validates documents whose source
// description is at an HTTPS URL: fetched once through the run's client
// (trusting --cacert), refused when it cannot be fetched or is not a
// description (exit 2 at the url's line and column, nothing sent), and
// replaced by --var api=URL or --var api=FILE.
func TestArazzoRemoteSources(t *testing.T) {
	api := newRemoteAPI(t)
	dir := t.TempDir()
	cert := filepath.Join(dir, "cert.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw})
	local := "servers: [{url: \"" + api.URL + "/v2\"}]\n" + loopOpenAPI
	writeFiles(t, dir, map[string]string{
		"cert.pem":            string(pemBytes),
		"local.openapi.yaml":  local,
		"ok.arazzo.yaml":      remoteDoc(api.URL + "/openapi.yaml"),
		"plain.arazzo.yaml":   remoteDoc(api.Plain.URL + "/openapi.yaml"),
		"404.arazzo.yaml":     remoteDoc(api.URL + "/missing.yaml"),
		"notes.arazzo.yaml":   remoteDoc(api.URL + "/notes.json"),
		"refused.arazzo.yaml": remoteDoc("https://127.0.0.1:1/openapi.yaml"),
	})
	in := func(name string) string { return filepath.Join(dir, name) }
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string // in stdout and stderr
		hits map[string]int
	}{
		{"fetched once, with --cacert", []string{"run", "--cacert", cert, "--iterations", "2", in("ok.arazzo.yaml")}, ExitOK,
			[]string{"4 passed"}, map[string]int{"/openapi.yaml": 1, "/other": 4}},
		{"plain HTTP", []string{"run", in("plain.arazzo.yaml")}, ExitOK,
			[]string{"2 passed"}, map[string]int{"/openapi.yaml": 1, "/other": 2}},
		{"untrusted certificate", []string{"run", in("ok.arazzo.yaml")}, ExitUsage,
			[]string{"ok.arazzo.yaml:4:", `source description "api"`, "certificate"}, map[string]int{}},
		{"not found", []string{"run", "--cacert", cert, in("404.arazzo.yaml")}, ExitUsage,
			[]string{"--> " + in("404.arazzo.yaml") + ":4:37", "404 Not Found", "^^^"}, map[string]int{"/missing.yaml": 1}},
		{"not a description", []string{"run", "--cacert", cert, in("notes.arazzo.yaml")}, ExitUsage,
			[]string{"notes.arazzo.yaml:4:37", "notes.json"}, map[string]int{"/notes.json": 1}},
		{"no server", []string{"run", "--cacert", cert, in("refused.arazzo.yaml")}, ExitUsage,
			[]string{"refused.arazzo.yaml:4:37", "127.0.0.1:1"}, map[string]int{}},
		{"--var URL", []string{"run", "--cacert", cert, "--var", "api=" + api.URL + "/v2/openapi.yaml", in("404.arazzo.yaml")}, ExitOK,
			[]string{"2 passed"}, map[string]int{"/v2/openapi.yaml": 1, "/other": 2}}, // its server / is the host's root
		{"--var FILE", []string{"run", "--cacert", cert, "--var", "api=" + in("local.openapi.yaml"), in("404.arazzo.yaml")}, ExitOK,
			[]string{"2 passed"}, map[string]int{"/v2/other": 2}},
		{"validate refuses to fetch", []string{"validate", in("ok.arazzo.yaml")}, ExitUsage,
			[]string{"ok.arazzo.yaml:4:37", "validate sends nothing", "--var NAME=FILE"}, map[string]int{}},
		{"validate --var FILE", []string{"validate", "--var", "api=" + in("local.openapi.yaml"), in("ok.arazzo.yaml")}, ExitOK,
			[]string{"ok  " + in("ok.arazzo.yaml")}, map[string]int{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := callsheet(t, nil, append(tt.args, "--no-color")...)
			all := out.stdout + out.stderr
			if out.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", out.code, tt.code, all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			got := api.taken()
			for path, n := range tt.hits {
				if got[path] != n {
					t.Errorf("hits = %v, want %v", got, tt.hits)
				}
			}
			if len(got) != len(tt.hits) {
				t.Errorf("hits = %v, want %v", got, tt.hits)
			}
		})
	}
}

// TestArazzoRemoteSecurityProfile gives a step the auth profile that the
// security scheme of its operation names, in a description fetched from
// a URL: known only once the run has fetched it.
func TestArazzoRemoteSecurityProfile(t *testing.T) {
	api := newProfileAPI(t)
	spec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `openapi: 3.1.0
info: {title: api, version: "1"}
servers: [{url: "`+api.URL+`"}]
paths:
  /api:
    get:
      operationId: call
      security: [{api: []}]
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    api: {type: http, scheme: bearer}
`)
	}))
	t.Cleanup(spec.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"call.arazzo.yaml": `arazzo: 1.0.1
info: {title: Profile, version: "1"}
x-callsheet-auth: profiles.yaml
sourceDescriptions:
  - {name: spec, url: "` + spec.URL + `/openapi.yaml", type: openapi}
workflows:
  - workflowId: call
    steps:
      - stepId: call
        operationId: call
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/ok == true
`,
		"profiles.yaml": profilesFile,
	})
	api.checkRun(t, dir)
}
