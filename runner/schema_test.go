package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchema(t *testing.T) {
	base := contentServer(t)
	dir := t.TempDir()
	schema := `{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["id", "missing"],
"properties": {"name": {"type": "integer"}, "id": {"type": "integer"}}}`
	if err := os.WriteFile(filepath.Join(dir, "user.json"), []byte(schema), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, expect string
		pass         bool
		details      []string
	}{
		{"inline passes", "schema: {type: object, required: [id], properties: {id: {type: integer}}}", true, nil},
		{"inline fails", "schema: {type: object, properties: {tags: {type: array, maxItems: 1}}}", false,
			[]string{"at /tags: maxItems: got 2, want 1"}},
		{"draft 6 by $schema", `schema: {$schema: "http://json-schema.org/draft-06/schema#", properties: {name: {const: Bob}}}`, false,
			[]string{"at /name: const: value must be 'Bob'"}},
		{"draft 7 by $schema", `schema: {$schema: "http://json-schema.org/draft-07/schema#", properties: {tags: {items: {minLength: 2}}}}`, false,
			[]string{"at /tags/0: minLength: got 1, want 2", "at /tags/1: minLength: got 1, want 2"}},
		{"draft 2019-09 by $schema", `schema: {$schema: "https://json-schema.org/draft/2019-09/schema", required: [nope], dependentRequired: {name: [zip]}}`, false,
			[]string{"at /: dependentRequired/name: properties 'zip' required, if 'name' exists", "at /: required: missing property 'nope'"}},
		{"file draft 4 fails", "schema: user.json", false,
			[]string{"at /: required: missing property 'missing'", "at /name: type: got string, want integer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, "c.yaml")
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      %s\n", base, tt.expect)
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			c := loadFile(t, file)
			res := runColl(t, nil, c, Options{})
			if got := res.Steps[0].Outcome == Passed; got != tt.pass {
				t.Fatalf("passed = %v, want %v\n%s", got, tt.pass, describe(res))
			}
			if !tt.pass {
				got := strings.Join(res.Steps[0].Checks[0].Details, "\n")
				if got != strings.Join(tt.details, "\n") {
					t.Errorf("details =\n%s\nwant\n%s", got, strings.Join(tt.details, "\n"))
				}
			}
		})
	}
}
