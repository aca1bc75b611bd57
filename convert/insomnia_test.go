package convert

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// insomniaCases are Insomnia v4 request resources with the curl command
// that sends the same request (Insomnia sends through libcurl); {{base}}
// is the server.
var insomniaCases = []struct {
	name, resource string
	curl           []string
}{
	{"JSON body as written",
		`{"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "j", "method": "POST", "url": "{{base}}/j",
		 "body": {"mimeType": "application/json", "text": "{\n  \"b\": 1,\n  \"a\": [2]\n}"}, "headers": [{"name": "Content-Type", "value": "application/json"}]}`,
		[]string{"-H", "Content-Type: application/json", "--data-raw", "{\n  \"b\": 1,\n  \"a\": [2]\n}", "{{base}}/j"}},
	{"query parameters and a header",
		`{"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "q", "method": "GET", "url": "{{base}}/items",
		 "parameters": [{"name": "limit", "value": "2"}, {"name": "q", "value": "a b"}], "headers": [{"name": "X-Trace", "value": "abc"}]}`,
		[]string{"-H", "X-Trace: abc", "{{base}}/items?limit=2&q=a+b"}},
	{"form body",
		`{"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "f", "method": "POST", "url": "{{base}}/login",
		 "body": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "user", "value": "ann"}, {"name": "note", "value": "a b&c"}]},
		 "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}]}`,
		[]string{"--data-urlencode", "user=ann", "--data-urlencode", "note=a b&c", "{{base}}/login"}},
}

// TestInsomniaSendsWhatCurlSends checks at a raw-byte server that each
// imported Insomnia request sends what curl (the library Insomnia sends
// with) sends for it.
func TestInsomniaSendsWhatCurlSends(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	for _, tt := range insomniaCases {
		t.Run(tt.name, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			want := curlSends(t, srv, dir, tt.curl)
			export := `{"_type": "export", "__export_format": 4, "resources": [{"_id": "wrk_1", "_type": "workspace", "name": "wire"}, ` +
				strings.ReplaceAll(tt.resource, "{{base}}", srv.URL) + `]}`
			im, err := ImportInsomnia("wire", []byte(export))
			if err != nil {
				t.Fatal(err)
			}
			if got := callsheetSends(t, srv, dir, string(im.Files[0].Data)); got != want {
				t.Errorf("callsheet sent\n%s\ncurl sent\n%s\ncollection:\n%s", got, want, im.Files[0].Data)
			}
		})
	}
}

// TestInsomniaImportRuns runs the imported v4 and v5 fixtures with the
// Local environment at a loopback server: the {% response %} tag (v4) and
// the after-response script (v5) carry the token to the later requests.
func TestInsomniaImportRuns(t *testing.T) {
	for _, fixture := range []string{"insomnia-v4.json", "insomnia-v4.yaml", "insomnia-v5.yaml"} {
		t.Run(fixture, func(t *testing.T) {
			srv := shopServer(t)
			im, err := ImportInsomnia("shop", read(t, fixture))
			if err != nil {
				t.Fatal(err)
			}
			got := runImported(t, im, nil, map[string]any{"base_url": srv.URL + "/api", "password": "pw-1"}, nil)
			for _, name := range []string{"Log in", "Orders / Items", "Orders / Create order"} {
				if got[name] != runner.Passed {
					t.Errorf("step %q = %v, want passed", name, got[name])
				}
			}
		})
	}
}
