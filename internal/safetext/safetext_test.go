package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, text, report string
	}{
		{"plain text is unchanged", "GET /items?a=1  200\n\tok", "GET /items?a=1  200\n\tok", "GET /items?a=1  200\n\tok"},
		{"utf-8 text is unchanged", "café — ünïcödé ✔", "café — ünïcödé ✔", "café — ünïcödé ✔"},
		{"escape sequences", "\x1b[31mred\x1b[0m \x1b]0;title\x07", `\x1b[31mred\x1b[0m \x1b]0;title\x07`, `\x1b[31mred\x1b[0m \x1b]0;title\x07`},
		{"carriage return and backspace", "secret\rfake\bX", `secret\x0dfake\x08X`, "secret\rfake\\x08X"},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`, `a\x00b\x7f`},
		{"C1 control", "a\u009b31mb", `a\x9b31mb`, `a\x9b31mb`},
		{"bidi override", "abc\u202edcba\u2066", `abc\u202edcba\u2066`, `abc\u202edcba\u2066`},
		{"separators, BOM and non-characters", "a\u2028b\u2029\ufeff\ufffe\uffff", `a\u2028b\u2029\ufeff\ufffe\uffff`, `a\u2028b\u2029\ufeff\ufffe\uffff`},
		{"invalid UTF-8 and Latin-1", "caf\xe9 \xff\xfe", `caf\xe9 \xff\xfe`, `caf\xe9 \xff\xfe`},
		{"GitHub command at line start", "::set-output name=x::1", `:\x3aset-output name=x::1`, "::set-output name=x::1"},
		{"GitHub command after spaces", "ok\n   ::add-mask::x", "ok\n   :\\x3aadd-mask::x", "ok\n   ::add-mask::x"},
		{"GitHub error command", "::error::boom", `:\x3aerror::boom`, "::error::boom"},
		{"colons inside a line are kept", "a::b http://x", "a::b http://x", "a::b http://x"},
		{"legacy GitHub command", "x ##[set-env name=A]1", `x #\x23[set-env name=A]1`, "x ##[set-env name=A]1"},
		{"Azure command", "##vso[task.setvariable variable=A]1", `#\x23vso[task.setvariable variable=A]1`, "##vso[task.setvariable variable=A]1"},
		{"TeamCity command", "x##teamcity[message text='a']", `x#\x23teamcity[message text='a']`, "x##teamcity[message text='a']"},
		{"hashes that are no command", "## Heading #1", "## Heading #1", "## Heading #1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			if got, want := Line(tt.in), strings.ReplaceAll(tt.text, "\n", `\n`); got != want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, want)
			}
			if got := Report(tt.in); got != tt.report {
				t.Errorf("Report(%q) = %q, want %q", tt.in, got, tt.report)
			}
		})
	}
}

// TestLineStartsAfterNewline checks that Line escapes a command at the
// start of a line it joins to the one before.
func TestLineStartsAfterNewline(t *testing.T) {
	if got, want := Line("a\n::error::x\r"), `a\n:\x3aerror::x\x0d`; got != want {
		t.Errorf("Line(%q) = %q, want %q", "a\n::error::x\r", got, want)
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "::x", " \t::x", "##vso[", "###vso[", "\xff", "\u202e", "a\nb::c\n::d", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []struct {
			name   string
			escape func(string) string
		}{{"Text", Text}, {"Line", Line}, {"Report", Report}} {
			got := c.escape(s)
			if !utf8.ValidString(got) {
				t.Fatalf("%s(%q) = %q, not UTF-8", c.name, s, got)
			}
			for _, r := range got {
				if Unsafe(r) && r != '\t' && r != '\n' && (r != '\r' || c.name != "Report") {
					t.Fatalf("%s(%q) = %q holds %U", c.name, s, got, r)
				}
			}
			if again := c.escape(got); again != got {
				t.Fatalf("%s is not idempotent: %q gives %q, then %q", c.name, s, got, again)
			}
		}
		if strings.Contains(Line(s), "\n") {
			t.Fatalf("Line(%q) = %q holds a newline", s, Line(s))
		}
		for _, line := range strings.Split(Text(s), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
				t.Fatalf("Text(%q) has a line starting with \"::\": %q", s, line)
			}
			for _, cmd := range []string{"##[", "##vso[", "##teamcity["} {
				if strings.Contains(line, cmd) {
					t.Fatalf("Text(%q) holds %q: %q", s, cmd, line)
				}
			}
		}
		if isPlain(s, forLog) && Text(s) != s {
			t.Fatalf("Text(%q) changed plain text to %q", s, Text(s))
		}
	})
}
