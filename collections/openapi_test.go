package collections

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenAPIKeys checks what openapi: and operation_id: load into, and
// which description applies to each step.
func TestOpenAPIKeys(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"api.yaml", "other.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("openapi: 3.0.3\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "c.yaml")
	src := `openapi: {file: api.yaml, requests: warn}
steps:
  - name: inherits
    GET: https://example.test/a
    operation_id: getA
  - name: own
    GET: https://example.test/b
    openapi: other.yaml
  - name: none
    GET: https://example.test/c
    openapi: false
`
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := c.OpenAPI; o == nil || o.File != "api.yaml" || o.Requests != RequestsWarn || o.FilePos.Line != 1 || o.FilePos.Col != 17 {
		t.Fatalf("collection openapi = %+v, want api.yaml, warn, at 1:17", o)
	}
	tests := []struct {
		step     int
		file, op string
		requests string
	}{
		{0, "api.yaml", "getA", RequestsWarn},
		{1, "other.yaml", "", RequestsOff},
		{2, "", "", ""},
	}
	for _, tt := range tests {
		s := c.Steps[tt.step]
		o := c.OpenAPIFor(s)
		switch {
		case tt.file == "" && o != nil:
			t.Errorf("step %q: OpenAPIFor = %+v, want none", s.Name, o)
		case tt.file != "" && (o == nil || o.File != tt.file || o.Requests != tt.requests):
			t.Errorf("step %q: OpenAPIFor = %+v, want %s (requests %s)", s.Name, o, tt.file, tt.requests)
		}
		if s.OperationID != tt.op {
			t.Errorf("step %q: OperationID = %q, want %q", s.Name, s.OperationID, tt.op)
		}
	}
	if p := c.Steps[0].OperationIDPos; p.Line != 5 || p.Col != 19 {
		t.Errorf("OperationIDPos = %v, want 5:19", p)
	}
}
