package runner

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLineDiff(t *testing.T) {
	long := strings.Repeat("x", 70)
	tests := []struct {
		name      string
		got, want string
		lines     []string
	}{
		{"short lines", "abc", "abd", []string{
			`line 3, column 3: actual   "abc"`,
			`line 3, column 3: snapshot "abd"`}},
		{"difference far into a long line", long + "AB" + long, long + "CD" + long, []string{
			`line 3, column 71: actual   "…xxxxxxxxxxxxxxxxxxxxABxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"`,
			`line 3, column 71: snapshot "…xxxxxxxxxxxxxxxxxxxxCDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"`}},
		{"actual line ends early", "abc", "abcdef", []string{
			`line 3, column 4: actual   "abc"`,
			`line 3, column 4: snapshot "abcdef"`}},
		{"actual line ends early, far in", long, long + "def", []string{
			`line 3, column 71: actual   "…xxxxxxxxxxxxxxxxxxxx"`,
			`line 3, column 71: snapshot "…xxxxxxxxxxxxxxxxxxxxdef"`}},
		{"missing line", "", "abc", []string{
			`line 3, column 1: actual   ""`,
			`line 3, column 1: snapshot "abc"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lineDiff(3, tt.got, tt.want)
			if strings.Join(got, "\n") != strings.Join(tt.lines, "\n") {
				t.Errorf("lineDiff(3, %q, %q) =\n%s\nwant\n%s", tt.got, tt.want, strings.Join(got, "\n"), strings.Join(tt.lines, "\n"))
			}
		})
	}
}

// TestSnapshotText compares a non-JSON body as text: the diff points at
// the first differing column, so two long lines that differ late are told
// apart.
func TestSnapshotText(t *testing.T) {
	page := `<html><body><h1> Your code </h1><code id="authorization_code">abc123</code></body></html>`
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	src := fmt.Sprintf("steps:\n  - GET: %s\n    expect:\n      snapshot: page.html\n", srv.URL)
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c := loadFile(t, file)
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")

	page = strings.Replace(page, "abc123", "xyz", 1)
	res := runColl(t, nil, c, Options{})
	wantOutcomes(t, res, "failed")
	want := []string{
		`line 1, column 63: actual   "…authorization_code\">xyz</code></body></html>"`,
		`line 1, column 63: snapshot "…authorization_code\">abc123</code></body></html>"`,
	}
	if got := res.Steps[0].Checks[0].Details; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("snapshot diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	wantOutcomes(t, runColl(t, nil, c, Options{UpdateSnapshots: true}), "passed")
	if b, err := os.ReadFile(filepath.Join(dir, "page.html")); err != nil || strings.TrimSuffix(string(b), "\n") != page {
		t.Errorf("snapshot after update = %q, %v, want %q", b, err, page)
	}
}
