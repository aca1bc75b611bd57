package convert

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// wireCase is one request written four ways: as curl arguments (the
// reference), as a callsheet step, as a Postman request and as a HAR
// request. {{base}} stands for the server's URL in each.
type wireCase struct {
	name      string
	curl      []string
	step      string
	postman   string
	har       string
	fileInDir bool // the case sends a.png from the working folder
}

var wireCases = []wireCase{
	{
		name: "JSON body as written",
		curl: []string{"-H", "Content-Type: application/json", "--data-raw", `{"b": 1,  "a": [ 2 ], "c":"é\u00e9"}`, "{{base}}/json"},
		step: `POST: "{{ base }}/json"
    headers: {Content-Type: application/json}
    body: '{"b": 1,  "a": [ 2 ], "c":"é\u00e9"}'`,
		postman: `{"method": "POST", "url": "{{base}}/json", "header": [{"key": "Content-Type", "value": "application/json"}],
			"body": {"mode": "raw", "raw": "{\"b\": 1,  \"a\": [ 2 ], \"c\":\"é\\u00e9\"}", "options": {"raw": {"language": "json"}}}}`,
		har: `{"method": "POST", "url": "{{base}}/json", "headers": [{"name": "Content-Type", "value": "application/json"}],
			"postData": {"mimeType": "application/json", "text": "{\"b\": 1,  \"a\": [ 2 ], \"c\":\"é\\u00e9\"}"}}`,
	},
	{
		name: "numbers as written",
		curl: []string{"-H", "Content-Type: application/json", "--data-raw", `{"price":1.50,"id":9007199254740993}`, "{{base}}/n"},
		step: `POST: "{{ base }}/n"
    json: {price: 1.50, id: 9007199254740993}`,
		postman: `{"method": "POST", "url": "{{base}}/n", "header": [{"key": "Content-Type", "value": "application/json"}],
			"body": {"mode": "raw", "raw": "{\"price\":1.50,\"id\":9007199254740993}", "options": {"raw": {"language": "json"}}}}`,
		har: `{"method": "POST", "url": "{{base}}/n", "headers": [{"name": "Content-Type", "value": "application/json"}],
			"postData": {"mimeType": "application/json", "text": "{\"price\":1.50,\"id\":9007199254740993}"}}`,
	},
	{
		name: "multipart: a file before a text part with its own type",
		curl: []string{"-F", "doc=@a.png", "-F", `meta={"x":1};type=application/json`, "{{base}}/upload"},
		step: `POST: "{{ base }}/upload"
    multipart:
      - doc: {file: a.png}
      - meta: {value: '{"x":1}', content_type: application/json}`,
		postman: `{"method": "POST", "url": "{{base}}/upload", "body": {"mode": "formdata", "formdata": [
			{"key": "doc", "type": "file", "src": "a.png"},
			{"key": "meta", "value": "{\"x\":1}", "type": "text", "contentType": "application/json"}]}}`,
		har: `{"method": "POST", "url": "{{base}}/upload", "postData": {"mimeType": "multipart/form-data; boundary=x",
			"params": [{"name": "doc", "fileName": "a.png", "contentType": "image/png"}, {"name": "meta", "value": "{\"x\":1}", "contentType": "application/json"}]}}`,
		fileInDir: true,
	},
	{
		name: "a repeated header, query field and form field",
		curl: []string{"-H", "X-R: a", "-H", "X-R: b", "--data-raw", "f=1&f=2", "{{base}}/rep?q=1&q=2"},
		step: `POST: "{{ base }}/rep"
    query: {q: [1, 2]}
    headers:
      - X-R: a
      - X-R: b
    form: {f: [1, 2]}`,
		postman: `{"method": "POST", "url": {"raw": "{{base}}/rep?q=1&q=2", "host": ["{{base}}"], "path": ["rep"],
			"query": [{"key": "q", "value": "1"}, {"key": "q", "value": "2"}]},
			"header": [{"key": "X-R", "value": "a"}, {"key": "X-R", "value": "b"}],
			"body": {"mode": "urlencoded", "urlencoded": [{"key": "f", "value": "1"}, {"key": "f", "value": "2"}]}}`,
		har: `{"method": "POST", "url": "{{base}}/rep?q=1&q=2", "headers": [{"name": "X-R", "value": "a"}, {"name": "X-R", "value": "b"}],
			"queryString": [{"name": "q", "value": "1"}, {"name": "q", "value": "2"}],
			"postData": {"mimeType": "application/x-www-form-urlencoded", "text": "f=1&f=2"}}`,
	},
}

// TestSendsWhatCurlSends checks, at a server that records raw bytes, that
// callsheet sends exactly what curl sends for each case: written as a
// step, and imported from the curl command, from Postman and from HAR.
func TestSendsWhatCurlSends(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	for _, tt := range wireCases {
		t.Run(tt.name, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			if tt.fileInDir {
				os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\nbytes"), 0o644)
			}
			want := curlSends(t, srv, dir, tt.curl)
			sources := map[string]string{"written": "name: wire\nsteps:\n  - name: s\n    " + tt.step + "\n"}
			sources["imported from curl"] = importedCurl(t, tt.curl)
			sources["imported from Postman"] = importedPostman(t, tt.postman)
			sources["imported from HAR"] = importedHAR(t, tt.har)
			for how, src := range sources {
				got := callsheetSends(t, srv, dir, src)
				if got != want {
					t.Errorf("%s: callsheet sent\n%s\nwant (curl)\n%s\ncollection:\n%s", how, got, want, src)
				}
			}
		})
	}
}

// curlSends runs curl with args in dir and returns what it sent.
func curlSends(t *testing.T, srv *wiretest.Server, dir string, args []string) string {
	t.Helper()
	args = withBase(args, srv.URL)
	sh(t, dir, "curl -sS -o /dev/null "+shellWords(args))
	return only(t, srv.Take())
}

// callsheetSends runs the one-step collection src in dir against srv and
// returns what it sent.
func callsheetSends(t *testing.T, srv *wiretest.Server, dir, src string) string {
	t.Helper()
	file := filepath.Join(dir, "wire.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
	if err != nil {
		t.Fatalf("Load error = %v\n%s", err, src)
	}
	res := runner.New(nil).Run(t.Context(), c, runner.Options{Vars: map[string]any{"base": srv.URL}})
	if n := res.Counts()[runner.Errored]; n > 0 || res.Err != nil {
		t.Fatalf("run errored: %v %v", res.Err, res.Steps)
	}
	return only(t, srv.Take())
}

// only returns the one request recorded, as compared.
func only(t *testing.T, reqs []wiretest.Request) string {
	t.Helper()
	if len(reqs) != 1 {
		t.Fatalf("the server got %d requests, want 1", len(reqs))
	}
	return reqs[0].Compared()
}

func importedCurl(t *testing.T, args []string) string {
	t.Helper()
	im, err := ImportCurl("wire", "curl "+shellWords(withBase(args, "{{base}}")))
	if err != nil {
		t.Fatalf("ImportCurl error = %v", err)
	}
	return string(im.Files[0].Data)
}

func importedPostman(t *testing.T, request string) string {
	t.Helper()
	coll := `{"info": {"name": "wire", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
		"item": [{"name": "s", "request": ` + request + `}]}`
	im, err := ImportPostman([]byte(coll), nil)
	if err != nil {
		t.Fatalf("ImportPostman error = %v", err)
	}
	return string(im.Files[0].Data)
}

func importedHAR(t *testing.T, request string) string {
	t.Helper()
	var req map[string]any
	if err := json.Unmarshal([]byte(request), &req); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"headers", "queryString", "cookies"} {
		if req[k] == nil {
			req[k] = []any{}
		}
	}
	req["httpVersion"] = "HTTP/1.1"
	entry := map[string]any{"startedDateTime": "2026-01-01T00:00:00Z", "time": 1, "request": req,
		"response": map[string]any{"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": []any{}, "cookies": []any{},
			"content": map[string]any{"size": 2, "mimeType": "application/json", "text": "{}"}, "redirectURL": ""}}
	data, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "t", "version": "1"}, "entries": []any{entry}}})
	im, err := ImportHAR("wire", data, HAROptions{})
	if err != nil {
		t.Fatalf("ImportHAR error = %v", err)
	}
	return string(im.Files[0].Data)
}

// withBase puts url in place of {{base}}.
func withBase(args []string, url string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strings.ReplaceAll(a, "{{base}}", url)
	}
	return out
}

// shellWords quotes args for sh.
func shellWords(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
