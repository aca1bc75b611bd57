package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestGivenCodeMasking checks that a value given for the code variable is
// masked because an authorize step takes it as its authorization code
// (from the first step on, also when the authorize step is in an included
// file), and not because of its name: where no authorize step takes it,
// code is an ordinary variable, and status_code=200 stays as it is.
func TestGivenCodeMasking(t *testing.T) {
	base := newHTTPBin(t).URL
	const echo = `  - name: echo
    GET: "{{ base }}/anything/echo?code={{ code }}&status_code=200"
`
	const authorize = `  - name: authorize
    authorize:
      url: "{{ base }}/authorize"
      client_id: app
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
    capture:
      grant: code
  - name: token
    POST: "{{ base }}/anything/token"
    form:
      code: "{{ grant }}"
      status_code: 200
`
	tests := []struct {
		name   string
		files  map[string]string // test.yaml runs
		code   string
		masked bool
	}{
		{
			name:   "taken by an authorize step",
			files:  map[string]string{"test.yaml": "steps:\n" + echo + authorize},
			code:   testToken,
			masked: true,
		},
		{
			name: "taken by an authorize step in an included file",
			files: map[string]string{
				"test.yaml":  "steps:\n" + echo + "  - include: login.yaml\n",
				"login.yaml": "steps:\n" + authorize,
			},
			code:   testAPIKey,
			masked: true,
		},
		{
			name:  "no authorize step",
			files: map[string]string{"test.yaml": "vars:\n  code: \"1\"\nsteps:\n" + echo},
			code:  "200",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := collections.Load(filepath.Join(dir, "test.yaml"), collections.Options{Defined: []string{"base", "code"}})
			if err != nil {
				t.Fatal(err)
			}
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base, "code": tt.code}, Retention: Retention{KeepBodies: true}})
			echoed := res.Steps[0]
			if echoed.Outcome != Passed {
				t.Fatalf("echo step: %s", describe(res))
			}
			if !tt.masked {
				want := base + "/anything/echo?code=200&status_code=200"
				if echoed.Request.URL != want || !strings.Contains(string(echoed.Response.Body), "status_code=200") {
					t.Errorf("echo URL = %s, body %.200s; want %s unmasked", echoed.Request.URL, echoed.Response.Body, want)
				}
				return
			}
			assertMasked(t, res, tt.code)
			if !strings.HasSuffix(echoed.Request.URL, "?code=***&status_code=200") {
				t.Errorf("echo URL = %s, want the code masked from the first step on", echoed.Request.URL)
			}
		})
	}
}
