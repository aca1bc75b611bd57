package cmd

import (
	"strings"
	"testing"
)

// typesCollection fails the type-strictness and large-integer checks, so
// the golden file shows how typed values render: a 64-bit id that a float
// would round, a string that looks like a number, a float that is not an
// integer.
const typesCollection = `name: types
steps:
  - name: strict types
    GET: "{{ base_url }}/ids"
    expect:
      json:
        id: 9007199254740992
        exact: 9007199254740993
        code: 200
        count: "2"
        ratio: {type: integer}
        whole: {type: integer}
        u64: 18446744073709551614
        u64_type: {type: string}
        tenth: 0.1
`

func TestRunTypeStrictnessGolden(t *testing.T) {
	srv := newRecorder(t, 200, `{"id":9007199254740993,"exact":9007199254740993,"code":"200","count":2,"ratio":1.5,"whole":2.0,"u64":18446744073709551615,"u64_type":18446744073709551615,"tenth":0.1000000000000000055511151231257827}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"types.yaml": typesCollection})
	args := []string{"run", "--no-color", "--var", "base_url=" + srv.URL, dir + "/types.yaml"}
	got := callsheet(t, nil, args...)
	if got.code != ExitFailed {
		t.Errorf("exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	for _, want := range []string{"integer <9007199254740993>", `string <"200">`, "integer <200>", "number <1.5>",
		"actual:   integer <18446744073709551615>", "expected: integer <18446744073709551614>", "expected: type string\n",
		"actual:   number <0.1000000000000000055511151231257827>"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, got.stdout)
		}
	}
	checkGolden(t, "run_type_strictness", normalize("$ callsheet "+strings.Join(args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, srv.URL, "SERVER", dir, "TMP"))
}

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
	checkGolden(t, "run_check_failures", normalize("$ callsheet "+strings.Join(args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, srv.URL, "SERVER", dir, "TMP"))
}
