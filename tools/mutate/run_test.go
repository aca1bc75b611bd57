package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is a module whose tests kill some mutants of m.go and not others.
var sample = map[string]string{
	"go.mod": "module example.com/m\n\ngo 1.26\n",
	"m/m.go": `package m

// Abs is |x|.
func Abs(x int) int {
	if x < 0 { // mutate:ignore "< -> <=" -0 is 0
		return -x
	}
	return x
}

// Join joins two strings.
func Join(a, b string) string {
	s := a + b
	return s
}

// Twice repeats s; only package n tests it.
func Twice(s string) string {
	t := s + s
	return t
}
`,
	"n/n_test.go": `package n

import (
	"testing"

	"example.com/m/m"
)

func TestTwice(t *testing.T) {
	if m.Twice("ab") != "abab" {
		t.Error("Twice is wrong")
	}
}
`,
	"m/m_test.go": `package m

import "testing"

func TestAbs(t *testing.T) {
	if Abs(-3) != 3 || Abs(3) != 3 {
		t.Error("Abs is wrong")
	}
}

func TestJoin(t *testing.T) {
	if Join("a", "b") != "ab" {
		t.Error("Join is wrong")
	}
}
`,
}

// TestRunSample runs the tool on a small module with real go test runs.
// Of the mutants of Abs, x < 0 -> x <= 0 changes nothing and a comment
// leaves it out; 0 -> 1 changes nothing the tests see; the others fail
// TestAbs. Join returning at once fails
// TestJoin, outside the target's -run pattern, and Twice returning at
// once fails TestTwice in package n, given with -also. String + -> - does
// not compile.
func TestRunSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test about fifteen times")
	}
	dir := t.TempDir()
	for name, text := range sample {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOWORK", "off")
	var stdout, stderr bytes.Buffer
	// The timeout is a hang guard: no mutant of the sample loops.
	code := run(t.Context(), []string{"-timeout", "5m", "-threshold", "90", "-v", "-also", "./n"}, strings.NewReader("m/m.go * ^TestAbs$\n"), &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code = %d, want 1 (score under the threshold)\nstderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"9 mutants in 1 files",
		"m/m.go       5         1          0           2        1  83.3%",
		"ignored (1):\n  m/m.go:5:7\tignored\tAbs\t< -> <=: -0 is 0\n",
		"m/m.go:5:9\tsurvived\tAbs\t0 -> 1\n",
		"m/m.go:5:5\tkilled\tAbs\tif condition negated (TestAbs)\n",
		"m/m.go:12:32\tkilled\tJoin\tfunction returns at once (return *new(string)) (TestJoin)\n",
		"m/m.go:13:9\tnot viable\tJoin\t+ -> -\n",
		"m/m.go:18:30\tkilled\tTwice\tfunction returns at once (return *new(string)) (./n TestTwice)\n",
		"score 83.3% is under the threshold of 90.0%",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", stderr.String())
	}
}
