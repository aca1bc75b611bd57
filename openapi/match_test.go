package openapi_test

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

func TestFind(t *testing.T) {
	tests := []struct {
		method, url string
		want        string // operationId and parameters, or the error
	}{
		{"GET", "https://petstore.example.com/v1/pets", "listPets map[]"},
		{"get", "http://127.0.0.1:4321/v1/pets?limit=3", "listPets map[]"},
		{"GET", "/v1/pets/mine", "listMyPets map[]"},
		{"GET", "/v1/pets/42", "showPetById map[petId:42]"},
		{"DELETE", "/v1/pets/42", "deletePet map[petId:42]"},
		{"GET", "/v1/files/a%2Fb.json", "getFile map[name:a/b]"},
		{"GET", "/v1/files/.json", "no operation GET /v1/files/.json in the description (no path matches)"},
		{"PUT", "/v1/pets/42", "no operation PUT /v1/pets/42 in the description (the path has GET, DELETE)"},
		{"GET", "/pets", "no operation GET /pets in the description (no path matches)"},
		{"GET", "/v1/pets/42/toys", "no operation GET /v1/pets/42/toys in the description (no path matches)"},
	}
	for _, file := range petstores {
		d, _ := load(t, file)
		for _, tt := range tests {
			t.Run(filepath.Base(file)+"/"+tt.method+" "+tt.url, func(t *testing.T) {
				u, err := url.Parse(tt.url)
				if err != nil {
					t.Fatal(err)
				}
				m, err := d.Find(tt.method, u)
				got := ""
				if err != nil {
					var nf *openapi.NotFoundError
					if !errors.As(err, &nf) {
						t.Fatalf("Find() error = %T, want *NotFoundError", err)
					}
					got = err.Error()
				} else {
					got = fmt.Sprintf("%s %v", m.Operation.ID, m.Params)
				}
				if got != tt.want {
					t.Errorf("Find(%s %s) = %s, want %s", tt.method, tt.url, got, tt.want)
				}
			})
		}
	}
}

// TestFindServerVariables matches paths under a server URL whose path
// has variables, and under a relative server URL.
func TestFindServerVariables(t *testing.T) {
	fsys := memFS(map[string]string{"api.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: https://{region}.example.com/{version}/api
    variables:
      region: {default: eu}
      version: {default: v2}
  - url: /relative
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
`})
	d, err := openapi.Load(t.Context(), fsys, "api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v2/api/items/7", "/v3/api/items/7", "/relative/items/7"} {
		m, err := d.Find("GET", &url.URL{Path: p})
		if err != nil || m.Operation.ID != "getItem" || m.Params["id"] != "7" {
			t.Errorf("Find(GET %s) = %v, %v; want getItem with id 7", p, m, err)
		}
	}
	if _, err := d.Find("GET", &url.URL{Path: "/items/7"}); err == nil {
		t.Errorf("Find(GET /items/7) matched without a base path")
	}
}

func TestOperationByID(t *testing.T) {
	d, _ := load(t, petstores[0])
	if op := d.Operation("createPet"); op == nil || op.Method != "POST" || op.Path != "/pets" {
		t.Errorf("Operation(createPet) = %+v, want POST /pets", op)
	}
	if op := d.Operation("nope"); op != nil {
		t.Errorf("Operation(nope) = %+v, want nil", op)
	}
}
