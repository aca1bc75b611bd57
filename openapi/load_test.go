package openapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

// head is the start of a valid OpenAPI 3.0 description.
const head = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"YAML syntax", map[string]string{"api.yaml": head + "paths: {/a: [}\n"}, "api.yaml:3: not valid YAML or JSON: did not find expected node content"},
		{"not a description", map[string]string{"api.yaml": "name: a collection\nsteps: []\n"}, "api.yaml:1:1: not an OpenAPI 3 or Swagger 2.0 description: want openapi: 3.x or swagger: \"2.0\" (got \"\")"},
		{"unknown version", map[string]string{"api.yaml": "swagger: \"1.2\"\n"}, "api.yaml:1:1: not an OpenAPI 3 or Swagger 2.0 description: want openapi: 3.x or swagger: \"2.0\" (got \"1.2\")"},
		{"local $ref to nothing", map[string]string{"api.yaml": head + `paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pett"}
components:
  schemas:
    Pet: {type: object}
`}, "api.yaml:11:30: $ref \"#/components/schemas/Pett\": api.yaml#/components/schemas has no \"Pett\""},
		{"$ref to a missing file", map[string]string{"api.yaml": head + "paths:\n  /a: {$ref: \"paths/a.yaml\"}\n"}, "api.yaml:4:14: $ref \"paths/a.yaml\": no file paths/a.yaml: file does not exist"},
		{"$ref out of the folder", map[string]string{"api.yaml": head + "paths:\n  /a: {$ref: \"../a.yaml\"}\n"}, "api.yaml:4:14: $ref \"../a.yaml\": the file is outside the description's folder"},
		{"remote $ref", map[string]string{"api.yaml": head + "paths:\n  /a: {$ref: \"https://example.com/a.yaml\"}\n"}, "api.yaml:4:14: $ref \"https://example.com/a.yaml\": only files next to the description are read: remote references are not supported"},
		{"syntax error in a referenced file", map[string]string{"api.yaml": head + "paths:\n  /a: {$ref: \"a.yaml\"}\n", "a.yaml": "get: {\n"}, "a.yaml:1: not valid YAML or JSON: did not find expected node content"},
		{"structure", map[string]string{"api.yaml": head + "paths:\n  /a/{id}:\n    get:\n      responses: {}\n"}, "api.yaml:5:5: invalid paths: operation GET /a/{id} must define exactly all path parameters (missing: [id])\napi.yaml:5:5: invalid paths: invalid path /a/{id}: invalid operation GET: the responses object MUST contain at least one response code"},
		{"$ref through a $ref at the root", map[string]string{"api.yaml": head + `$ref: "#/components/schemas/Pet"
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet: {type: object}
`}, "api.yaml:3:7: $ref \"#/components/schemas/Pet\": more than 64 references in a row (a cycle?)\n" +
			"api.yaml:12:30: $ref \"#/components/schemas/Pet\": more than 64 references in a row (a cycle?)"},
		{"duplicate operationId", map[string]string{"api.yaml": head + `paths:
  /a:
    get: {operationId: x, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: x, responses: {"200": {description: ok}}}
`}, "api.yaml:7:11: invalid paths: operations \"GET /a\" and \"GET /b\" have the same operation id \"x\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openapi.Load(t.Context(), memFS(tt.files), "api.yaml")
			if err == nil {
				t.Fatalf("Load() error = nil, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Load() error =\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

// TestCheckerErrors checks that schemas the compiler refuses are errors
// at the failing keyword.
func TestCheckerErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"keyword of the wrong type", `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  n: {type: object, dependentRequired: {a: [1]}}
`, "api.yaml:14:61: not a valid schema: type: got number, want string"},
		{"keyword the loader cannot read", `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string, minLength: -1}}
      responses: {"204": {description: ok}}
`, "api.yaml:7:55: failed to unmarshal data: yaml error: yaml: construct errors: line 7: cannot construct !!int `-1` into uint64 in /paths/~1a/get/parameters/0/schema/minLength"},
		{"invalid regular expression", `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string, pattern: "a(b"}}
      responses: {"204": {description: ok}}
`, "api.yaml:5:5: invalid paths: invalid path /a: invalid operation GET: parameter \"q\" schema is invalid: error parsing regexp: missing closing ): `a(b`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := openapi.Load(t.Context(), memFS(map[string]string{"api.yaml": tt.doc}), "api.yaml")
			if err == nil {
				_, err = openapi.NewChecker(d)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("Load and NewChecker error =\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

// TestAliasBomb loads a description whose example expands aliases
// exponentially: it is refused at its position, in bounded time.
func TestAliasBomb(t *testing.T) {
	bomb := "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
	for i, prev := 'b', 'a'; i <= 'i'; i, prev = i+1, i {
		bomb += fmt.Sprintf("x-%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	doc := head + bomb + `paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            example: *i
      responses: {"204": {description: ok}}
`
	_, err := openapi.Load(t.Context(), memFS(map[string]string{"api.yaml": doc}), "api.yaml")
	if err == nil || !strings.Contains(err.Error(), "api.yaml:17:11: ") || !strings.Contains(err.Error(), "excessive aliasing") {
		t.Errorf("Load() error = %v, want excessive aliasing at api.yaml:17:11", err)
	}
}
