package session

import (
	"errors"
	"strings"
	"testing"
)

func TestTypedValue(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"42", int64(42)},
		{"-7", int64(-7)},
		{"1.5", 1.5},
		{"1e3", 1000.0},
		{"true", true},
		{"false", false},
		{"null", nil},
		{`"42"`, "42"},
		{`"a \"b\""`, `a "b"`},
		{"hello", "hello"},
		{"", ""},
		{" 42", " 42"},
		{"42 ", "42 "},
		{"042", "042"},
		{"1 2", "1 2"},
		{`{"a":1}`, `{"a":1}`},
		{"[1]", "[1]"},
		{"True", "True"},
		{"123456789012345678901234", "123456789012345678901234"},
		{"https://x/?a=b", "https://x/?a=b"},
	}
	for _, tt := range tests {
		if got := TypedValue(tt.in); got != tt.want {
			t.Errorf("TypedValue(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

// TestVarsPrecedence sets one name in every layer but those the test
// leaves out, and checks that the highest layer left wins: the order of
// the layers is the documented precedence.
func TestVarsPrecedence(t *testing.T) {
	order := []Layer{LayerEnv, LayerProcess, LayerEnvFile, LayerRow, LayerSandbox, LayerVar}
	for top := range order {
		t.Run(order[top].String(), func(t *testing.T) {
			var v Vars
			for _, l := range order[:top+1] {
				v.Set(l, map[string]any{"x": l.String()})
			}
			if got := v.Merge()["x"]; got != order[top].String() {
				t.Errorf("Merge()[x] with layers up to %v = %v, want %v", order[top], got, order[top])
			}
		})
	}
	var v Vars
	v.Set(LayerVar, map[string]any{"b": 1})
	v.Set(LayerEnv, map[string]any{"a": 1, "b": 0})
	if got := v.Names(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("Names() = %v, want [a b]", got)
	}
}

func TestProcessVars(t *testing.T) {
	env := map[string]string{"CALLSHEET_VAR_n": "7", "CALLSHEET_VAR_s": "text", "CALLSHEET_VAR_1bad": "x", "OTHER": "y"}
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	got := ProcessVars(environ, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if len(got) != 2 || got["n"] != int64(7) || got["s"] != "text" {
		t.Errorf("ProcessVars() = %#v, want n=7 (typed) and s=text only", got)
	}
}

func TestReadEnvFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{".env": "A=1\nB=\"two ${A}\"\n"})
	got, err := ReadEnvFile(dir + "/.env")
	if err != nil || got["A"] != "1" || got["B"] != "two 1" {
		t.Errorf("ReadEnvFile() = %#v, %v; want strings A=1, B=two 1", got, err)
	}
	_, err = ReadEnvFile(dir + "/missing.env")
	var ie *InputError
	if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), "--env-file: ") {
		t.Errorf("ReadEnvFile(missing) error = %v, want an *InputError naming --env-file", err)
	}
}

func TestEnvLookup(t *testing.T) {
	process := map[string]string{"HOME": "/home/me", "EMPTY": ""}
	lookup := EnvLookup(func(name string) (string, bool) { v, ok := process[name]; return v, ok },
		map[string]any{"HOME": "/elsewhere", "EMPTY": "filled", "TOKEN": "t-1", "PORT": 8080})
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"HOME", "/home/me", true},
		{"EMPTY", "", true},
		{"TOKEN", "t-1", true},
		{"PORT", "8080", true},
		{"NONE", "", false},
	}
	for _, tt := range tests {
		if got, ok := lookup(tt.name); got != tt.want || ok != tt.ok {
			t.Errorf("lookup(%s) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := EnvLookup(func(string) (string, bool) { return "", false }, nil)("HOME"); ok {
		t.Error("a lookup without an env file finds HOME")
	}
}
