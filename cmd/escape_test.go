package cmd

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callsheet/callsheet/runner"
)

func TestSafeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is unchanged", "GET /items?a=1  200\n\tok", "GET /items?a=1  200\n\tok"},
		{"utf-8 text is unchanged", "café — ünïcödé ✔", "café — ünïcödé ✔"},
		{"escape sequences", "\x1b[31mred\x1b[0m \x1b]0;title\x07", `\x1b[31mred\x1b[0m \x1b]0;title\x07`},
		{"carriage return and backspace", "secret\rfake\bX", `secret\x0dfake\x08X`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 control", "a\u009b31mb", `a\x9b31mb`},
		{"bidi override", "abc\u202edcba\u2066", `abc\u202edcba\u2066`},
		{"invalid UTF-8 and Latin-1", "caf\xe9 \xff\xfe", `caf\xe9 \xff\xfe`},
		{"GitHub command at line start", "::set-output name=x::1", `:\x3aset-output name=x::1`},
		{"GitHub command after spaces", "ok\n   ::add-mask::x", "ok\n   :\\x3aadd-mask::x"},
		{"colons inside a line are kept", "a::b http://x", "a::b http://x"},
		{"legacy GitHub command", "x ##[set-env name=A]1", `x #\x23[set-env name=A]1`},
		{"Azure command", "##vso[task.setvariable variable=A]1", `#\x23vso[task.setvariable variable=A]1`},
		{"TeamCity command", "x##teamcity[message text='a']", `x#\x23teamcity[message text='a']`},
		{"hashes that are no command", "## Heading #1", "## Heading #1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeText(tt.in); got != tt.want {
				t.Errorf("safeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got, want := safeLine("a\nb\r"), `a\nb\x0d`; got != want {
		t.Errorf("safeLine(%q) = %q, want %q", "a\nb\r", got, want)
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "::x", " \t::x", "##vso[", "\xff", "\u202e", "a\nb::c\n::d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeLine(s)
		if !utf8.ValidString(got) {
			t.Fatalf("safeLine(%q) = %q, not UTF-8", s, got)
		}
		for _, r := range got {
			if (needsEscape(r) && r != '\t') || r == '\n' {
				t.Fatalf("safeLine(%q) = %q holds %U", s, got, r)
			}
		}
		for _, line := range strings.Split(safeText(s), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
				t.Fatalf("safeText(%q) has a line starting with \"::\": %q", s, line)
			}
			for _, cmd := range []string{"##[", "##vso[", "##teamcity["} {
				if strings.Contains(line, cmd) {
					t.Fatalf("safeText(%q) holds %q: %q", s, cmd, line)
				}
			}
		}
		if isPlain(s) && safeText(s) != s {
			t.Fatalf("safeText(%q) changed plain text to %q", s, safeText(s))
		}
	})
}

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
			if needsEscape(r) && r != '\t' {
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

func TestWriteDetailsEscapes(t *testing.T) {
	// Details quote the response (a snapshot's text lines, schema
	// violations, an expression's operands): they are escaped like it.
	hostile := "\x1b[2J\n::add-mask::x"
	for _, subject := range []string{"expression `res.body == \"\"`", "body snapshot"} {
		var b strings.Builder
		writeDetails(&b, &runner.CheckResult{Subject: subject, Details: []string{hostile, "plain"}})
		got := b.String()
		if strings.Contains(got, "\x1b") || strings.Contains(got, "\n::") || !strings.Contains(got, `\x1b[2J\n:\x3aadd-mask::x`) {
			t.Errorf("writeDetails(Subject: %q, Details: %q) = %q, want the details escaped", subject, hostile, got)
		}
		if !strings.Contains(got, "plain") {
			t.Errorf("writeDetails(Subject: %q) = %q, want it to hold the detail \"plain\"", subject, got)
		}
	}
}
