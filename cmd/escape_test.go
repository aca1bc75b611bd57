package cmd

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callsheet/callsheet/internal/safetext"
)

// TestHostileOutput runs -vv against a server whose headers, bodies and
// values carry terminal escapes, CI commands, Latin-1 and binary, and
// checks that every byte printed is safe.
func TestHostileOutput(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/text", func(w http.ResponseWriter, _ *http.Request) {
		// net/http refuses C0 controls in headers; C1 ones and bidi
		// overrides get through.
		w.Header().Set("X-Evil", "\u009b2J \u202eabc")
		w.Header().Set("Content-Type", "text/plain")
		// Text with a lone CR is shown as text, escaped; with other
		// control characters, as binary.
		w.Write([]byte("line one\n::set-output name=token::x\n  ::add-mask::y\n##vso[task.setvariable variable=A]1\r\nhalf\rway\n"))
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
		w.Write([]byte("caf\xe9 cr\xe8me\n"))
	})
	mux.HandleFunc("/binary", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0x1b, '[', '2', 'J'})
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"name":"\u001b[31m::warning::x\n##[error]y"}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"hostile.yaml": `name: hostile
steps:
  - name: text
    GET: "{{ base_url }}/text"
  - name: latin1
    GET: "{{ base_url }}/latin1"
  - name: binary
    GET: "{{ base_url }}/binary"
  - name: json
    GET: "{{ base_url }}/json"
    expect:
      json:
        name: plain
`,
	})
	got := callsheet(t, nil, "run", "-vv", "--continue", "--var", "base_url="+srv.URL, filepath.Join(dir, "hostile.yaml"))
	if got.code != ExitFailed {
		t.Errorf("exit %d, want %d", got.code, ExitFailed)
	}
	out := got.stdout + got.stderr
	if !utf8.ValidString(out) {
		t.Errorf("output is not valid UTF-8:\n%q", out)
	}
	for i, line := range strings.Split(out, "\n") {
		for _, r := range line {
			if safetext.Unsafe(r) && r != '\t' {
				t.Errorf("output line %d holds %U: %q", i+1, r, line)
			}
		}
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
			t.Errorf("output line %d would be a GitHub Actions command: %q", i+1, line)
		}
		for _, cmd := range []string{"##[", "##vso[", "##teamcity["} {
			if strings.Contains(line, cmd) {
				t.Errorf("output line %d holds %q: %q", i+1, cmd, line)
			}
		}
	}
	for _, want := range []string{
		`X-Evil: \x9b2J \u202eabc`,
		`:\x3aset-output name=token::x`,
		`#\x23vso[task.setvariable`,
		`half\x0dway`,
		"<11 bytes binary>",
		"< HTTP/1.1 200 OK  11 bytes", // Latin-1, shown as binary since it is not UTF-8
		`actual:   string <"\x1b[31m::warning::x\n#\x23[error]y">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
}

// assertSafeOutput fails t when out holds a character that acts on a
// terminal or hides text, or a line a CI would read as a command.
func assertSafeOutput(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s is not valid UTF-8:\n%q", what, out)
	}
	for i, line := range strings.Split(out, "\n") {
		for _, r := range line {
			if safetext.Unsafe(r) && r != '\t' {
				t.Errorf("%s line %d holds %U: %q", what, i+1, r, line)
			}
		}
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
			t.Errorf("%s line %d would be a GitHub Actions command: %q", what, i+1, line)
		}
		for _, cmd := range []string{"##[", "##vso[", "##teamcity["} {
			if strings.Contains(line, cmd) {
				t.Errorf("%s line %d holds %q: %q", what, i+1, cmd, line)
			}
		}
	}
}

// TestCollectionTextEscaped runs and validates a collection whose name,
// file name, step names, if: condition and data-row values carry terminal
// escapes, a carriage return, bidirectional overrides and CI commands,
// and checks that every byte printed is safe, the heading included.
func TestCollectionTextEscaped(t *testing.T) {
	srv := newRecorder(t, 200, `{"v":"ok"}`)
	dir := t.TempDir()
	file := "::error::x\x1b[31m.yaml"
	writeFiles(t, dir, map[string]string{
		file: `name: "evil\e[2J\r::error::name\n##vso[task.setvariable variable=A]1 \u202Eabc"
description: "\e]0;title\a"
tags: [smoke]
steps:
  - name: "step \e[31m"
    GET: "{{ base_url }}/x"
    expect:
      json:
        v: "{{ v }}"
  - name: skipped
    if: "v == '\e[1m##vso[x]'"
    GET: "{{ base_url }}/y"
`,
		"rows.json": `[{"v": "\u001b[31m\r::warning::row\n##[error]y"}]`,
	})
	got := callsheet(t, nil, "run", "--continue", "--tag", "smoke", "--data", filepath.Join(dir, "rows.json"), "--var", "base_url="+srv.URL, filepath.Join(dir, file))
	if got.code != ExitFailed {
		t.Errorf("run: exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	out := got.stdout + got.stderr
	assertSafeOutput(t, "run output", out)
	for _, want := range []string{
		`evil\x1b[2J\x0d::error::name\n#\x23vso[task.setvariable variable=A]1 \u202eabc [row 1] (`,
		`/::error::x\x1b[31m.yaml)`,
		`expected: string <"\x1b[31m\r::warning::row\n#\x23[error]y">`,
		`skipped (if: v == '\x1b[1m#\x23vso[x]' is false)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}

	got = callsheet(t, nil, "validate", "--var", "base_url=http://h", "--var", "v=1", filepath.Join(dir, file))
	assertSafeOutput(t, "validate output", got.stdout+got.stderr)
	if !strings.Contains(got.stdout, `ok  `+filepath.Join(dir, `::error::x\x1b[31m.yaml`)) {
		t.Errorf("validate output lacks the escaped file name:\n%s%s", got.stdout, got.stderr)
	}
}

// TestLoadErrorExcerptEscaped checks that a load error's excerpt shows
// the collection's line, and its message the names it quotes, escaped.
func TestLoadErrorExcerptEscaped(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"bad.yaml": "name: b\nsteps:\n  - GET: https://example.com/\u202e##vso[task.complete]\n    expcet: {status: 200}\n    \"::error::k\u202e\": 1\n",
	})
	got := callsheet(t, nil, "validate", "--no-color", filepath.Join(dir, "bad.yaml"))
	if got.code != ExitUsage {
		t.Errorf("validate: exit %d, want %d", got.code, ExitUsage)
	}
	out := got.stdout + got.stderr
	assertSafeOutput(t, "validate output", out)
	if !strings.Contains(out, `unknown key "expcet"`) || !strings.Contains(out, `\u202e`) {
		t.Errorf("validate output lacks the errors:\n%s", out)
	}
}

// TestImportSummaryEscaped checks that what an import lists on stderr
// (steps and script lines not translated) is escaped.
func TestImportSummaryEscaped(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"p.json": `{"info": {"name": "P", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
"item": [{"name": "get \u001b[2J\r::error::n", "request": {"method": "GET", "url": "https://example.com/"},
  "event": [{"listen": "test", "script": {"exec": ["console.log('\u001b]0;t\u0007');", "::error::script", "x = '##vso[task.complete]'"]}}]}]}`,
	})
	got := callsheet(t, nil, "import", "postman", "-o", filepath.Join(dir, "out"), filepath.Join(dir, "p.json"))
	if got.code != ExitOK {
		t.Fatalf("import: exit %d\n%s", got.code, got.stderr)
	}
	assertSafeOutput(t, "import summary", got.stderr)
	if !strings.Contains(got.stderr, "not translated (3") || !strings.Contains(got.stderr, `: test: ::error::script`) {
		t.Errorf("import summary lacks the notes:\n%s", got.stderr)
	}
}
