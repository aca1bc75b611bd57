package convert

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/internal/wiretest"
)

// httpFileCases are .http requests; {{base}} is the server, defined by a
// file variable.
var httpFileCases = []struct{ name, text string }{
	{"JSON body on several lines", "POST {{base}}/j?q=a b\nContent-Type: application/json\nX-A: 1\n\n{\n  \"a\": 1,\n  \"b\": \"é\"\n}\n"},
	{"query on continuation lines", "GET {{base}}/items\n    ?limit=2\n    &sort=name\nAccept: application/json\n"},
	{"form body with a variable", "@user = ann\n\nPOST {{base}}/login\nContent-Type: application/x-www-form-urlencoded\n\nuser={{user}}&remember=1\n"},
	{"body from a file", "PUT {{base}}/doc\nContent-Type: application/json\n\n< ./a.json\n"},
}

// TestSendsWhatHttpyacSends runs each request with httpyac (a client of
// both .http dialects) and, imported, with callsheet at the same raw-byte
// server: the bytes match but for the fields each client adds itself.
func TestSendsWhatHttpyacSends(t *testing.T) {
	httpyac := os.Getenv("HTTPYAC")
	if httpyac == "" {
		var err error
		if httpyac, err = exec.LookPath("httpyac"); err != nil {
			t.Skip("httpyac is not installed")
		}
	}
	for _, tt := range httpFileCases {
		t.Run(tt.name, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.json"), []byte("{\"x\": [1, 2]}\n"), 0o644)
			text := "@base = " + srv.URL + "\n\n" + tt.text
			file := filepath.Join(dir, "t.http")
			os.WriteFile(file, []byte(text), 0o644)
			cmd := exec.CommandContext(t.Context(), httpyac, "send", file, "--all")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("httpyac: %v\n%s", err, out)
			}
			want := dropFields(only(t, srv.Take()), "connection")
			im, err := ImportHTTPFile("wire", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			if got := callsheetSends(t, srv, dir, string(im.Files[0].Data)); got != want {
				t.Errorf("callsheet sent\n%s\nhttpyac sent\n%s\ncollection:\n%s", got, want, im.Files[0].Data)
			}
		})
	}
}

// TestHTTPFileErrors checks that a malformed file is refused with its
// line.
func TestHTTPFileErrors(t *testing.T) {
	for text, want := range map[string]string{
		"GET https://x.example/\nnot a header\n":  "line 2",
		"FETCH me\n":                              "line 1",
		"### only a separator\n":                  "no request found",
		"GET https://x.example/\n\n> {% client.x": "without %}",
	} {
		if _, err := ImportHTTPFile("bad", []byte(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ImportHTTPFile(%q) error = %v, want one with %q", text, err, want)
		}
	}
}
