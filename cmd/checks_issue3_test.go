package cmd

import (
	"strings"
	"testing"
)

// checksCollection fails one check of each kind with --continue, so that
// the golden file shows how every kind of failure renders.
const checksCollection = `name: checks
steps:
  - name: predicates
    GET: "{{ base_url }}/items"
    expect:
      status: {one_of: [201, 204]}
      json:
        count: "2"
        name: {starts_with: widget}
        missing: {is_empty: true}
        "@this": {name: gizmo, count: 2}
      assert:
        - len(res.json) >= 3
  - name: not in prod
    if: env_name == "test"
    GET: "{{ base_url }}/never"
  - name: page
    GET: "{{ base_url }}/items"
    capture:
      code: {css: "code#authorization_code"}
`

func TestRunCheckFailuresGolden(t *testing.T) {
	srv := newRecorder(t, 200, `{"name":"gadget","count":2}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"checks.yaml": checksCollection})
	args := []string{"run", "--continue", "--no-color", "--seed", "1", "--now", "2024-05-17", "--var", "base_url=" + srv.URL, "--var", "env_name=prod", dir + "/checks.yaml"}
	got := callsheet(t, nil, args...)
	if got.code != ExitFailed {
		t.Errorf("exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	golden(t, "run_check_failures", normalize("$ callsheet "+strings.Join(args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, srv.URL, "SERVER", dir, "TMP"))
}

func TestRunCheckFlagsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--seed", "x", "ok.yaml"},
		{"run", "--now", "yesterday", "ok.yaml"},
	} {
		dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": "steps:\n  - GET: http://127.0.0.1:1/\n"})
		args[len(args)-1] = dir + "/ok.yaml"
		if got := callsheet(t, nil, args...); got.code != ExitUsage {
			t.Errorf("callsheet %s = exit %d, want %d\n%s", strings.Join(args, " "), got.code, ExitUsage, got.stderr)
		}
	}
}
