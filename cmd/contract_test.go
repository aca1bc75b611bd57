package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contractAPI is a description of one operation, GET /users/{id}, whose
// 200 response is a user with an integer id and a team.
const contractAPI = `openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        "200":
          description: a user
          content:
            application/json:
              schema:
                type: object
                required: [id, team]
                properties:
                  id: {type: integer}
                  team: {type: object, properties: {id: {type: integer}}}
`

// contractToken is the secret the server answers where the description
// wants an integer.
const contractToken = "tok-5f1e9a7c3b"

// TestRunContract runs a collection whose response breaks its
// description, with a secret in the offending value: the console shows
// the failures and the request's warning, and no output shows the
// secret.
func TestRunContract(t *testing.T) {
	srv := newRecorder(t, 200, `{"id": "`+contractToken+`", "team": {"id": "seven"}}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"api.yaml": contractAPI,
		"c.yaml": `name: contract
openapi: {file: api.yaml, requests: warn}
secrets: [token]
vars:
  token: "{{ env.TOKEN }}"
steps:
  - name: user
    GET: "{{ base_url }}/users/1?verbose=maybe"
    headers:
      Authorization: "Bearer {{ token }}"
`,
	})
	in := func(name string) string { return filepath.Join(dir, name) }
	args := []string{"run", "--no-color", "--var", "base_url=" + srv.URL, "--report-json", in("r.json"),
		"--report-junit", in("r.xml"), "--report-html", in("r.html"), in("c.yaml")}
	got := callsheet(t, map[string]string{"TOKEN": contractToken}, args...)
	if got.code != ExitFailed {
		t.Errorf("exit %d, want %d (failed)", got.code, ExitFailed)
	}
	checkGolden(t, "run_contract", normalize("--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, dir, "TMP", srv.URL, "http://SERVER"))
	outputs := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
	for _, name := range []string{"r.json", "r.xml", "r.html"} {
		data, err := os.ReadFile(in(name))
		if err != nil {
			t.Fatal(err)
		}
		outputs[name] = string(data)
	}
	for name, text := range outputs {
		if strings.Contains(text, contractToken) {
			t.Errorf("%s shows the secret", name)
		}
	}
	var rep struct {
		Collections []struct {
			Steps []struct {
				Checks []struct {
					Subject  string
					Op       string
					Passed   bool
					Warning  bool
					Expected struct{ Value any }
					Actual   struct{ Value any }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(outputs["r.json"]), &rep); err != nil {
		t.Fatal(err)
	}
	checks := rep.Collections[0].Steps[0].Checks
	var lines []string
	for _, c := range checks {
		lines = append(lines, strings.Join([]string{c.Subject, c.Op, jsonText(c.Expected.Value), jsonText(c.Actual.Value),
			map[bool]string{true: "passed", false: "failed"}[c.Passed], map[bool]string{true: "warning"}[c.Warning]}, " | "))
	}
	want := []string{
		`openapi request parameter query verbose | conforms | "api.yaml#/paths/~1users~1{id}/get/parameters/1/schema/type" | "maybe" | failed | warning`,
		`openapi body id | conforms | "api.yaml#/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/id/type" | "***" | failed | `,
		`openapi body team.id | conforms | "api.yaml#/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/team/properties/id/type" | "seven" | failed | `,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("JSON report checks =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// jsonText is v as JSON.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestValidateContract checks that validate lists the steps that match no
// operation as warnings (exit 0) and refuses a description that does not
// load (exit 2).
func TestValidateContract(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"api.yaml":    contractAPI,
		"broken.yaml": "openapi: 3.0.3\ninfo: {title: B, version: \"1\"}\npaths:\n  /x:\n    get:\n      responses: {\"200\": {$ref: \"#/nope\"}}\n",
		"c.yaml": `name: contract
openapi: api.yaml
steps:
  - name: user
    GET: "{{ base_url }}/users/{{ base_url }}"
  - name: delete user
    DELETE: "{{ base_url }}/users/1"
  - name: teams
    GET: "{{ base_url }}/teams"
`,
		"broken-api.yaml": "openapi: broken.yaml\nsteps:\n  - GET: https://example.test/x\n",
	})
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"validate_contract", []string{"validate", "--var", "base_url=x", filepath.Join(dir, "c.yaml")}, ExitOK},
		{"validate_contract_broken", []string{"validate", filepath.Join(dir, "broken-api.yaml")}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callsheet(t, nil, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("callsheet %s = exit %d, want %d", strings.Join(tt.args, " "), got.code, tt.wantCode)
			}
			checkGolden(t, tt.name, normalize("$ callsheet "+strings.Join(tt.args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, dir, "TMP"))
		})
	}
}
