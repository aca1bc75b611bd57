package convert

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

func TestExportCurlHidesSecretsEverywhere(t *testing.T) {
	const src = `name: sec
vars:
  base: http://api.example
  password: hunter2
secrets: [password, token]
steps:
  - name: literal in path
    GET: "{{ base }}/basic-auth/ann/hunter2"
  - name: from --var
    GET: "{{ base }}/t/tok-123456"
  - name: computed
    POST: "{{ base }}/raw"
    body: "pw={{ upper(password) }}"
  - name: plain
    GET: "{{ base }}/me"
    headers: {Authorization: "Basic {{ toBase64('ann:' + password) }}"}
`
	c, err := collections.Parse("sec.yaml", []byte(src), collections.Options{Defined: []string{"token"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exportCurl(c, map[string]any{"token": "tok-123456"}), error(nil)
	if err != nil {
		t.Fatalf("ExportCurl error = %v", err)
	}
	for _, secret := range []string{"hunter2", "HUNTER2", "tok-123456", "~~"} {
		if strings.Contains(out, secret) {
			t.Errorf("ExportCurl shows %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		`curl -L "http://api.example/basic-auth/ann/$PASSWORD"`,
		`curl -L "http://api.example/t/$TOKEN"`,
		`--data-binary 'pw=<computed from PASSWORD>' -b "$COOKIES" -c "$COOKIES" # edit: a value computed from $PASSWORD cannot be written for curl`,
		`curl -L http://api.example/me -u "ann:$PASSWORD"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ExportCurl lacks %q:\n%s", want, out)
		}
	}
}

func TestExportCurlHidesLiteralCredentials(t *testing.T) {
	const src = `name: literal
steps:
  - name: bearer
    GET: http://api.example/me
    headers:
      Authorization: Bearer abc123literal
      Cookie: session=s3cr3tcookie
      Proxy-Authorization: Basic dXNlcjpwYXNz
      X-Trace: visible
`
	c, err := collections.Parse("literal.yaml", []byte(src), collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exportCurl(c, nil), error(nil)
	if err != nil {
		t.Fatalf("ExportCurl error = %v", err)
	}
	for _, secret := range []string{"abc123literal", "s3cr3tcookie", "dXNlcjpwYXNz"} {
		if strings.Contains(out, secret) {
			t.Errorf("ExportCurl shows %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"Authorization: Bearer $AUTHORIZATION", "Cookie: $COOKIE", "Proxy-Authorization: Basic $PROXY_AUTHORIZATION", "X-Trace: visible"} {
		if !strings.Contains(out, want) {
			t.Errorf("ExportCurl lacks %q:\n%s", want, out)
		}
	}
}

// exportCurl writes the steps of c as curl commands, rendered by the
// runner's preview with vars, as `callsheet export curl` does.
func exportCurl(c *collections.Collection, vars map[string]any) string {
	var steps []CurlStep
	for _, p := range runner.New(nil).Preview(c, runner.Options{Vars: vars}) {
		steps = append(steps, CurlStep{Step: p.Step, Request: p.Request, Err: p.Err})
	}
	return CurlScript(steps, filepath.Dir(c.File))
}
