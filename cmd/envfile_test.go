package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingEnvAllAtOnce checks that every environment variable a run
// would read without a fallback and that is not set is named before
// anything is sent, with its place; variables given another way (--var,
// --sandbox) and reads with ?? need none.
func TestMissingEnvAllAtOnce(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"env.yaml": `vars:
  base_url: http://unused.invalid
  a: "{{ env.CS_A }}"
  b: "{{ env.CS_B }}"
  given: "{{ env.CS_GIVEN }}"
  optional: "{{ env.CS_OPTIONAL ?? 'x' }}"
steps:
  - name: one
    GET: "{{ base_url }}/one"
    headers:
      X-C: "{{ env.CS_C }}"
  - name: two
    GET: "{{ base_url }}/two?a={{ env.CS_A }}"
`,
		".env": "CS_B=from-the-file\n",
	})
	file := filepath.Join(dir, "env.yaml")
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		missing []string
	}{
		{"three missing", nil, []string{"--var", "given=1"}, ExitUsage, []string{"CS_A", "CS_B", "CS_C"}},
		{"a var given is not evaluated", nil, nil, ExitUsage, []string{"CS_A", "CS_B", "CS_C", "CS_GIVEN"}},
		{"the env file fills in", map[string]string{"CS_A": "1", "CS_C": "3"}, []string{"--var", "given=1", "--env-file", filepath.Join(dir, ".env")}, ExitOK, nil},
		{"the environment alone", map[string]string{"CS_A": "1", "CS_B": "2", "CS_C": "3", "CS_GIVEN": "4"}, nil, ExitOK, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.hits.Load()
			args := append([]string{"run", "--var", "base_url=" + srv.URL}, append(tt.args, file)...)
			got := callsheet(t, tt.env, args...)
			if got.code != tt.code {
				t.Fatalf("callsheet %v = exit %d, want %d\n%s%s", args, got.code, tt.code, got.stdout, got.stderr)
			}
			if tt.missing == nil {
				return
			}
			if n := srv.hits.Load() - before; n != 0 {
				t.Errorf("%d requests were sent, want none", n)
			}
			if n := strings.Count(got.stderr, "is not set"); n != len(tt.missing) {
				t.Errorf("stderr names %d missing variables, want %d:\n%s", n, len(tt.missing), got.stderr)
			}
			for _, name := range tt.missing {
				if !strings.Contains(got.stderr, "error: environment variable "+name+" is not set\n") {
					t.Errorf("stderr does not name %s:\n%s", name, got.stderr)
				}
			}
			if strings.Contains(got.stderr, "CS_OPTIONAL") {
				t.Errorf("stderr names CS_OPTIONAL, read with a fallback:\n%s", got.stderr)
			}
		})
	}
}

// TestEmptyCredentialWarns sends "Bearer " with an empty token: the step
// line warns, and -vv shows the header as sent rather than masked.
func TestEmptyCredentialWarns(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": `vars:
  token: "{{ env.CS_TOKEN }}"
secrets: [token]
steps:
  - name: call
    GET: "{{ base_url }}/"
    headers:
      Authorization: "Bearer {{ token }}"
`})
	file := filepath.Join(dir, "c.yaml")
	for _, tt := range []struct {
		token string
		warn  bool
	}{{"", true}, {"t0ken-value", false}} {
		got := callsheet(t, map[string]string{"CS_TOKEN": tt.token}, "run", "-vv", "--var", "base_url="+srv.URL, file)
		warned := strings.Contains(got.stdout, `warning: Authorization: "Bearer " carries no credential`)
		if warned != tt.warn {
			t.Errorf("token %q: warned = %v, want %v:\n%s", tt.token, warned, tt.warn, got.stdout)
		}
		if tt.warn && !strings.Contains(got.stdout, "> Authorization: Bearer \n") {
			t.Errorf("-vv does not show the empty credential as sent:\n%s", got.stdout)
		}
		if !tt.warn && (!strings.Contains(got.stdout, "> Authorization: Bearer ***\n") || strings.Contains(got.stdout, tt.token)) {
			t.Errorf("-vv does not mask the token:\n%s", got.stdout)
		}
	}
}
