package session

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

const contractAPI = `openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: the user}
`

const brokenAPI = `openapi: 3.0.3
info: {title: Broken, version: "1"}
paths:
  /users:
    get:
      responses:
        "200": {$ref: "#/components/responses/Nope"}
`

func TestCheckContracts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"api.yaml":    contractAPI,
		"broken.yaml": brokenAPI,
		"good.yaml":   "openapi: api.yaml\nsteps:\n  - name: user\n    GET: http://api.test/users/1\n  - name: teams\n    GET: http://api.test/teams\n",
		"bad.yaml":    "openapi: broken.yaml\nsteps:\n  - name: users\n    GET: http://api.test/users\n",
		"plain.yaml":  "steps:\n  - name: anything\n    GET: http://api.test/anything\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var cols []*collections.Collection
	for _, name := range []string{"good.yaml", "bad.yaml", "plain.yaml"} {
		c, err := collections.Load(filepath.Join(dir, name), collections.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	ok, unmatched, errs := CheckContracts(t.Context(), cols)
	if len(ok) != 2 || ok[0] != cols[0] || ok[1] != cols[2] {
		t.Errorf("ok = %d collections, want good.yaml and plain.yaml", len(ok))
	}
	if len(unmatched) != 1 || !strings.Contains(unmatched[0].String(), `step "teams": GET /teams matches no operation of api.yaml`) {
		t.Errorf("unmatched = %v, want the step teams", unmatched)
	}
	var list collections.ErrorList
	if len(errs) != 1 || !errors.As(errs[0], &list) || !strings.Contains(errs[0].Error(), "broken.yaml") {
		t.Errorf("errs = %v, want one ErrorList about broken.yaml", errs)
	}
}
