package session

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestMissingEnv(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": "name: a\nsteps:\n  - name: one\n    GET: \"{{ env.BASE_A }}/{{ env.TOKEN }}\"\n",
		"b.yaml": "name: b\nsteps:\n  - name: one\n    GET: \"{{ env.BASE_B }}/x\"\n",
	})
	s := newSession(t, Options{Paths: []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")}})
	lookup := func(name string) (string, bool) { return "set", name == "TOKEN" }
	errs := s.MissingEnv(lookup)
	if len(errs) != 2 {
		t.Fatalf("MissingEnv() = %v, want an error for each collection", errs)
	}
	if msg := errs[0].Error(); !strings.Contains(msg, "BASE_A") || strings.Contains(msg, "TOKEN") {
		t.Errorf("a.yaml: %q, want BASE_A and not TOKEN, which is set", msg)
	}
	if msg := errs[1].Error(); !strings.Contains(msg, "BASE_B") {
		t.Errorf("b.yaml: %q, want BASE_B", msg)
	}
	if errs := s.MissingEnv(func(string) (string, bool) { return "set", true }); len(errs) != 0 {
		t.Errorf("with every variable set, MissingEnv() = %v", errs)
	}
}
