package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

func TestGitHubAnnotations(t *testing.T) {
	var b bytes.Buffer
	if err := GitHubAnnotations(&b, fixture()); err != nil {
		t.Fatalf("GitHubAnnotations: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// 4 failed checks, 1 runtime error, 1 collection that could not start.
	if len(lines) != 6 {
		t.Fatalf("got %d annotations, want 6:\n%s", len(lines), b.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error file=") {
			t.Errorf("annotation %q does not start with ::error file=", l)
		}
	}
	if want := "::error file=api/users.yaml,line=15,col=15,title="; !strings.HasPrefix(lines[0], want) {
		t.Errorf("first annotation = %q, want prefix %q", lines[0], want)
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"a%b", "a%25b", "a%25b"},
		{"l1\r\nl2", "l1%0D%0Al2", "l1%0D%0Al2"},
		{"x: y, z", "x: y, z", "x%3A y%2C z"},
		{"::stop-commands::t", "::stop-commands::t", "%3A%3Astop-commands%3A%3At"},
	}
	for _, tt := range tests {
		if got := ghData(tt.in); got != tt.data {
			t.Errorf("ghData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := ghProperty(tt.in); got != tt.prop {
			t.Errorf("ghProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
	// A message cannot start a new command: it has no newline left.
	var b bytes.Buffer
	res := []*runner.Result{{Name: "c", File: "c.yaml", Err: errTest("boom\n::add-mask::x")}}
	if err := GitHubAnnotations(&b, res); err != nil {
		t.Fatal(err)
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("annotation spans lines: %q", b.String())
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
