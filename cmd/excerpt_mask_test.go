package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExcerptMasksLiteralSecrets checks that a secret written literally
// in the collection, as the value of a variable named in secrets: or as
// the credential of an Authorization header, is masked in the source
// excerpts under failed checks and errored steps, as everywhere else,
// with the carets under the masked line.
func TestExcerptMasksLiteralSecrets(t *testing.T) {
	srv := newRecorder(t, 200, `{"secret":"other","token":"other"}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"c.yaml": `name: literal secrets
vars:
  client_secret: s3cr3t-literal
secrets: [client_secret]
steps:
  - name: secret var
    GET: "{{ base_url }}/a"
    expect:
      json:
        secret: s3cr3t-literal
  - name: header
    GET: "{{ base_url }}/b"
    headers:
      Authorization: Bearer tok-literal-123456
    expect:
      json:
        token: { eq: tok-literal-123456 }
  - name: url
    GET: "{{ base_url }}/c?key=s3cr3t-literal&n={{ int('x') }}"
`,
	})
	got := callsheet(t, nil, "run", "--continue", "--no-color", "--var", "base_url="+srv.URL, filepath.Join(dir, "c.yaml"))
	if got.code != ExitError {
		t.Errorf("exit %d, want %d", got.code, ExitError)
	}
	out := got.stdout + got.stderr
	for _, secret := range []string{"s3cr3t-literal", "tok-literal-123456"} {
		if strings.Contains(out, secret) {
			t.Errorf("output shows the secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		"10 |         secret: ***\n       |                 ^^^\n",
		"17 |         token: { eq: *** }\n       |                      ^^^\n",
		"19 |     GET: \"{{ base_url }}/c?key=***&n={{ int('x') }}\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the masked excerpt\n%s\nin\n%s", want, out)
		}
	}
}

// TestNotRunStepLinesMaskLiteralSecrets checks that the step lines of a
// collection --bail never started, which show each URL as written with
// the values given filled in, mask the literal value of a secret variable.
func TestNotRunStepLinesMaskLiteralSecrets(t *testing.T) {
	srv := newRecorder(t, 500, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "name: a\nsteps:\n  - name: fails\n    GET: \"{{ base_url }}/a\"\n    expect: { status: 200 }\n",
		"b.yaml": "name: b\nvars:\n  api_key: k3y-literal-value\nsecrets: [api_key]\nsteps:\n  - name: later\n    GET: \"{{ base_url }}/b?key=k3y-literal-value\"\n",
	})
	got := callsheet(t, nil, "run", "--bail", "--jobs", "1", "--var", "base_url="+srv.URL, dir)
	if got.code != ExitFailed {
		t.Errorf("exit %d, want %d\n%s", got.code, ExitFailed, got.stdout)
	}
	if strings.Contains(got.stdout, "k3y-literal-value") || !strings.Contains(got.stdout, "- later  GET "+srv.URL+"/b?key=***\n") {
		t.Errorf("the not-run step line does not mask the literal secret:\n%s", got.stdout)
	}
}
