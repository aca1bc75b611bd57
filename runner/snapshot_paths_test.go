package runner

import "testing"

func TestBlankPaths(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		paths []string
		want  string
	}{
		{"no paths", `{"a":1}`, nil, `{"a":1}`},
		{"top-level key", `{"id":7,"name":"x"}`, []string{"id"}, `{"id":null,"name":"x"}`},
		{"nested key", `{"a":{"b":"t","c":2}}`, []string{"a.b"}, `{"a":{"b":null,"c":2}}`},
		{"every element", `{"items":[{"id":1,"n":"a"},{"id":2,"n":"b"}]}`, []string{"items.#.id"},
			`{"items":[{"id":null,"n":"a"},{"id":null,"n":"b"}]}`},
		{"query", `[{"k":"a","t":1},{"k":"b","t":2}]`, []string{`#(k=="b")#.t`},
			`[{"k":"a","t":1},{"k":"b","t":null}]`},
		{"array index", `[{"t":1},{"t":2}]`, []string{"1.t"}, `[{"t":1},{"t":null}]`},
		{"missing path", `{"a":1}`, []string{"b"}, `{"a":1}`},
		{"nested in blanked", `{"a":{"b":1}}`, []string{"a", "a.b"}, `{"a":null}`},
		{"indented", "{\n  \"id\": 7,\n  \"x\": [1, 2]\n}", []string{"id", "x"}, "{\n  \"id\": null,\n  \"x\": null\n}"},
		{"escaped dot key", `{"a.b":1,"c":2}`, []string{`a\.b`}, `{"a.b":null,"c":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(blankPaths([]byte(tt.doc), tt.paths))
			if got != tt.want {
				t.Errorf("blankPaths(%s, %q) = %s, want %s", tt.doc, tt.paths, got, tt.want)
			}
		})
	}
}
