package runner

import "testing"

// TestEqualJSONShapes compares values of every JSON type with values of
// the same and of other types, and arrays and objects that differ in
// length, in a key or in one nested value.
func TestEqualJSONShapes(t *testing.T) {
	obj := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"true true", true, true, true},
		{"true false", true, false, false},
		{"false false", false, false, true},
		{"bool string", true, "true", false},
		{"bool null", false, nil, false},
		{"null string", nil, "", false},
		{"strings", "a", "a", true},
		{"strings differ", "a", "b", false},
		{"string null", "", nil, false},
		{"arrays", []any{"a", nil}, []any{"a", nil}, true},
		{"array longer", []any{"a"}, []any{"a", "b"}, false},
		{"array shorter", []any{"a", "b"}, []any{"a"}, false},
		{"array element", []any{"a", "b"}, []any{"a", "c"}, false},
		{"array first element", []any{"x", "b"}, []any{"a", "b"}, false},
		{"empty arrays", []any{}, []any{}, true},
		{"array object", []any{}, map[string]any{}, false},
		{"objects", obj("a", int64(1), "b", []any{"x"}), obj("b", []any{"x"}, "a", 1.0), true},
		{"object key", obj("a", int64(1)), obj("b", int64(1)), false},
		{"object value", obj("a", obj("b", "x")), obj("a", obj("b", "y")), false},
		{"object fewer", obj("a", int64(1), "b", nil), obj("a", int64(1)), false},
		{"object null value", obj("a", nil), obj("b", nil), false},
		{"empty objects", obj(), obj(), true},
		{"object array", map[string]any{}, []any{}, false},
		{"object string", obj(), "{}", false},
		{"other type", struct{}{}, struct{}{}, false},
	}
	for _, tt := range tests {
		if got := equalJSON(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: equalJSON(%#v, %#v) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}
