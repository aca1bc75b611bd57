package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mutatedLines describes each mutant of src as "LINE:COL DESC | the
// mutated line".
func mutatedLines(t *testing.T, src string, funcs []string) []string {
	t.Helper()
	ms, err := findMutants("x.go", []byte(src), funcs)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		line := strings.Split(string(m.apply([]byte(src))), "\n")[m.line-1]
		out = append(out, fmt.Sprintf("%d:%d %s | %s", m.line, m.col, m.desc, strings.TrimSpace(line)))
	}
	return out
}

func TestFindMutants(t *testing.T) {
	tests := []struct {
		name  string
		src   string // the file after "package p\n\n"
		funcs []string
		want  []string
	}{
		{
			name: "comparisons, logic, constants, conditions",
			src:  "func f(a, b int) bool {\n\tif a < b && a != 0 {\n\t\treturn true\n\t}\n\treturn a >= b\n}\n",
			want: []string{
				`3:24 function returns at once (return *new(bool)) | func f(a, b int) bool { return *new(bool);`,
				`4:5 if condition negated | if !(a < b && a != 0) {`,
				`4:7 < -> <= | if a <= b && a != 0 {`,
				`4:11 && -> || | if a < b || a != 0 {`,
				`4:16 != -> == | if a < b && a == 0 {`,
				`4:19 0 -> 1 | if a < b && a != 1 {`,
				`5:10 true -> false | return false`,
				`7:9 returned bool negated | return !(a >= b)`,
				`7:11 >= -> > | return a > b`,
			},
		},
		{
			name: "statements, errors, strings, unary",
			src: "func g(xs []int, ch chan int) (int, error) {\n\tn := 0\n\tfor _, x := range xs {\n\t\tif !ok(x) {\n\t\t\tcontinue\n\t\t}\n" +
				"\t\tn += -x\n\t\tch <- x\n\t}\n\treturn n, fmt.Errorf(\"bad\")\n}\n",
			funcs: []string{"g"},
			want: []string{
				`3:45 function returns at once (return *new(int), *new(error)) | func g(xs []int, ch chan int) (int, error) { return *new(int), *new(error);`,
				`4:7 0 -> 1 | n := 1`,
				`6:6 removed unary ! | if ok(x) {`,
				`7:4 removed continue: continue | ` + "",
				`9:3 removed assignment: n += -x | ` + "",
				`9:8 removed unary - | n += x`,
				`10:3 removed send: ch <- x | ` + "",
				`12:12 returned error replaced by nil | return n, nil`,
				`12:23 "bad" -> "" | return n, fmt.Errorf("")`,
			},
		},
		{
			name:  "methods by type, named results, empty strings, loops",
			src:   "type T struct{ s string `json:\"s\"` }\n\nfunc (t *T) m() (ok bool) {\n\tfor i := 0; i < 3; i++ {\n\t\tok = t.s == \"\"\n\t}\n\treturn\n}\n\nfunc other() { println(1) }\n",
			funcs: []string{"T.m"},
			want: []string{
				`5:28 function returns at once (return) | func (t *T) m() (ok bool) { return;`,
				`6:11 0 -> 1 | for i := 1; i < 3; i++ {`,
				`6:14 loop condition negated | for i := 0; !(i < 3); i++ {`,
				`6:16 < -> <= | for i := 0; i <= 3; i++ {`,
				`6:18 3 -> 4 | for i := 0; i < 4; i++ {`,
				`6:22 ++ -> -- | for i := 0; i < 3; i-- {`,
				`7:3 removed assignment: ok = t.s == "" | ` + "",
				`7:12 == -> != | ok = t.s != ""`,
				`7:15 "" -> "mutated" | ok = t.s == "mutated"`,
			},
		},
		{
			name: "package level, without functions named",
			src:  "import \"fmt\"\n\nconst mode = 0o600\n\nvar greeting = \"hi \" + fmt.Sprint(2)\n",
			want: []string{
				`5:14 0o600 -> 0o601 | const mode = 0o601`,
				`7:16 "hi " -> "" | var greeting = "" + fmt.Sprint(2)`,
				`7:35 2 -> 3 | var greeting = "hi " + fmt.Sprint(3)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mutatedLines(t, "package p\n\n"+tt.src, tt.funcs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("mutants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFindMutantsUnknownFunction(t *testing.T) {
	_, err := findMutants("x.go", []byte("package p\n\nfunc f() {}\n"), []string{"f", "g"})
	if err == nil || err.Error() != "x.go: no function g" {
		t.Errorf("findMutants() error = %v, want x.go: no function g", err)
	}
}

// TestMutantsParse applies every mutant of this tool's own sources: each
// must still parse, so that a mutant that does not compile fails for its
// types, never for its syntax.
func TestMutantsParse(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := findMutants(file, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			n++
			if _, err := parser.ParseFile(token.NewFileSet(), file, m.apply(src), 0); err != nil {
				t.Errorf("%s:%d:%d %s: the mutant does not parse: %v", file, m.line, m.col, m.desc, err)
			}
		}
	}
	if n < 100 {
		t.Errorf("%d mutants in the tool's sources, want at least 100", n)
	}
}

func TestReadTargets(t *testing.T) {
	tests := []struct {
		name, in string
		want     []target
		wantErr  string
	}{
		{
			name: "files, functions and patterns",
			in:   "# comment\nrunner/mask.go * Mask|Secret\n\nrunner/limits.go checkRedirect,T.m  # why\nauth/./cache.go *\n",
			want: []target{
				{file: "runner/mask.go", run: "Mask|Secret"},
				{file: "runner/limits.go", funcs: []string{"checkRedirect", "T.m"}},
				{file: "auth/cache.go"},
			},
		},
		{name: "no functions", in: "a.go\n", wantErr: `targets:1: want FILE FUNCS [RUN], got "a.go"`},
		{name: "too many fields", in: "\na.go * X Y\n", wantErr: `targets:2: want FILE FUNCS [RUN]`},
		{name: "bad pattern", in: "a.go * (\n", wantErr: `targets:1: RUN: error parsing regexp`},
		{name: "empty", in: "# nothing\n", wantErr: `targets: no targets`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readTargets("targets", strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("readTargets() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("readTargets() = %+v, %v, want %+v", got, err, tt.want)
			}
		})
	}
}

// TestSurvivorsOnly keeps the mutants an earlier report lists as survived.
func TestSurvivorsOnly(t *testing.T) {
	src := []byte("package p\n\nfunc f(a int) bool { return a < 3 }\n")
	ms, err := findMutants("p/x.go", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var plan []job
	for _, m := range ms {
		plan = append(plan, job{m: m, src: src})
	}
	report := filepath.Join(t.TempDir(), "report.txt")
	text := "survivors (2):\n" +
		"  p/x.go:3:31\tsurvived\tf\t< -> <=\n" +
		"  p/x.go:3:33\tkilled\tf\t3 -> 4 (TestF)\n" +
		"  p/x.go:3:33\tsurvived\tf\t3 -> 5\n"
	if err := os.WriteFile(report, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := survivorsOnly(report, plan)
	if err != nil || len(got) != 1 || got[0].m.desc != "< -> <=" {
		t.Errorf("survivorsOnly() = %v, %v, want the < -> <= mutant alone", got, err)
	}
}

func TestIgnores(t *testing.T) {
	src := "package p\n\nfunc f(a, b int) int {\n" +
		"\tif a < b { // mutate:ignore \"< -> <=\" equal values give the same result\n" +
		"\t\treturn b - 1 // mutate:ignore \"- -> +\" \"1 -> 0\" two changes\n\t}\n" +
		"\t// Print it.\n" +
		"\t// mutate:ignore \"removed call\" only a hint\n" +
		"\t// mutate:ignore \"1 -> 0\" never reached\n" +
		"\tprintln(a + 1)\n" +
		"\treturn a\n}\n"
	ms, err := findMutants("x.go", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		if m.ignore != "" {
			got = append(got, fmt.Sprintf("%d:%d %s: %s", m.line, m.col, m.desc, m.ignore))
		}
	}
	want := []string{
		"4:7 < -> <=: equal values give the same result",
		"5:12 - -> +: two changes",
		"5:14 1 -> 0: two changes",
		"10:2 removed call: println(a + 1): only a hint",
		"10:14 1 -> 0: never reached",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ignored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestIgnoresErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no reason", "\treturn a + 1 // mutate:ignore\n", "x.go:4:15: mutate:ignore needs a reason"},
		{"no reason after change", "\treturn a + 1 // mutate:ignore \"+ -> -\"\n", "x.go:4:15: mutate:ignore needs a reason"},
		{"bad change", "\treturn a + 1 // mutate:ignore \"+ -> - why\n", "x.go:4:15: mutate:ignore: bad change"},
		{"nothing left out", "\treturn a + 1 // mutate:ignore \"* -> /\" no such change\n", "x.go:4:15: mutate:ignore leaves out no mutant"},
		{"stale, on the line before", "\t// mutate:ignore the line moved\n\n\treturn a + 1\n", "x.go:4:2: mutate:ignore leaves out no mutant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "package p\n\nfunc f(a int) int {\n" + tt.body + "}\n"
			_, err := findMutants("x.go", []byte(src), nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("findMutants() error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestIgnoresOutsideTheFunctions leaves alone a comment in a function
// not mutated.
func TestIgnoresOutsideTheFunctions(t *testing.T) {
	src := "package p\n\nfunc f(a int) int { return a + 1 }\n\nfunc g() {\n\t// mutate:ignore stale, but g is not mutated\n}\n"
	if _, err := findMutants("x.go", []byte(src), []string{"f"}); err != nil {
		t.Errorf("findMutants() error = %v, want none", err)
	}
}
