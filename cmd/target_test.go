package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestStepLinesRenderKnownValues checks the URL of steps that sent
// nothing: the values the run knew are filled in, captures it never made
// and secrets stay as written.
func TestStepLinesRenderKnownValues(t *testing.T) {
	srv := newRecorder(t, 500, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": `name: c
vars:
  base_url: http://unused.invalid
  api: "{{ base_url }}/api"
  key: k-123456
secrets: [key]
steps:
  - name: authorize
    authorize:
      url: "{{ base_url }}/oauth/authorize"
      client_id: c
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
  - name: first
    GET: "{{ api }}/first"
    expect:
      status: 200
    capture:
      id: id
  - name: second
    GET: "{{ api }}/items/{{ id }}?key={{ key }}"
`})
	got := callsheet(t, nil, "run", "--var", "base_url="+srv.URL, "--var", "code=c0de", filepath.Join(dir, "c.yaml"))
	for _, want := range []string{
		"✔ authorize  " + srv.URL + "/oauth/authorize  ",
		"- second  GET " + srv.URL + "/api/items/{{ id }}?key={{ key }}\n",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("stdout:\n%s\nwant a line with %q", got.stdout, want)
		}
	}
	if strings.Contains(got.stdout, "k-123456") {
		t.Errorf("stdout shows the secret:\n%s", got.stdout)
	}
}
