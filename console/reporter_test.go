package console

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWriteBody(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		size int64
		want string
	}{
		{"text", []byte("a\nb\n"), 4, ">\n> a\n> b\n"},
		{"crlf and blank line", []byte("a\r\n\r\nb"), 6, ">\n> a\n>\n> b\n"},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0}, 5, ">\n> <5 bytes binary>\n"},
		{"empty", nil, 0, ""},
		{"truncated", bytes.Repeat([]byte("é"), BodyLimit/2), BodyLimit + 10, ">\n> " + strings.Repeat("é", BodyLimit/2) + "\n> … 10 more bytes not shown\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		writeBody(&b, "> ", tt.body, tt.size, Style{})
		if b.String() != tt.want {
			t.Errorf("writeBody(%s) = %q, want %q", tt.name, b.String(), tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                          "0ms",
		400 * time.Microsecond:     "0ms",
		12400 * time.Microsecond:   "12ms",
		1234567 * time.Microsecond: "1.235s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestStyleErrors(t *testing.T) {
	rendered := "error: assert json login (matches)\n" +
		"  --> a.yaml:3:9\n" +
		"   |\n" +
		" 3 |  login: '^a|b'\n" +
		"   |        ^^^^^^^\n"
	got := Style{Color: true}.Errors(rendered)
	want := "\x1b[1;31merror:\x1b[0m\x1b[1m assert json login (matches)\x1b[0m\n" +
		"  --> a.yaml:3:9\n" +
		"   |\n" +
		" 3 |  login: '^a|b'\n" +
		"   |        \x1b[31m^^^^^^^\x1b[0m\n"
	if got != want {
		t.Errorf("style.errors =\n%q\nwant\n%q", got, want)
	}
	if got := (Style{}).Errors(rendered); got != rendered {
		t.Errorf("Style{}.errors changed the text without colour:\n%q", got)
	}
}
