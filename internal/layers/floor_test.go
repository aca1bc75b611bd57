package layers

import (
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite bench/deps/main.go")

// floorFile is the program bench/run.sh times as the floor of start-up:
// it imports what the callsheet binary's own packages import from
// outside the module, and does nothing.
const floorFile = "bench/deps/main.go"

// TestStartupFloorImports checks that the floor program imports exactly
// the packages outside the module that the binary's packages import, so
// that its start-up is what the libraries cost, and callsheet's own code
// is the rest. Refresh it with -update.
func TestStartupFloorImports(t *testing.T) {
	root := filepath.Join("..", "..")
	want := externalImports(t, root)
	path := filepath.Join(root, floorFile)
	if *update {
		if err := os.WriteFile(path, floorProgram(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := fileImports(t, path)
	if !slices.Equal(got, want) {
		t.Errorf("%s imports %d packages, the binary's packages %d from outside the module; run go test ./internal/layers -run TestStartupFloorImports -update\nonly in %s: %v\nonly in the binary: %v",
			floorFile, len(got), len(want), floorFile, minus(got, want), minus(want, got))
	}
}

// externalImports lists, sorted, the packages outside the module that
// the packages of ./cmd/callsheet's module import (tests aside).
func externalImports(t *testing.T, root string) []string {
	t.Helper()
	module := modulePath(t, root)
	out := goList(t, root, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{range .Imports}} {{.}}{{end}}{{end}}", "./cmd/callsheet")
	set := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module+"/") {
			continue
		}
		for _, imp := range fields[1:] {
			if imp != module && !strings.HasPrefix(imp, module+"/") && importable(imp) {
				set[imp] = true
			}
		}
	}
	list := make([]string, 0, len(set))
	for imp := range set {
		list = append(list, imp)
	}
	slices.Sort(list)
	if len(list) < 20 {
		t.Fatalf("go list found %d outside imports: %v", len(list), list)
	}
	return list
}

// importable reports whether a package outside the module may be imported
// by another module: it is not internal nor vendored.
func importable(path string) bool {
	return !slices.Contains(strings.Split(path, "/"), "internal") && !strings.HasPrefix(path, "vendor/")
}

// goList runs go list with args in root.
func goList(t *testing.T, root string, args ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command lists the binary's packages: %v", err)
	}
	cmd := exec.Command(goTool, append([]string{"list"}, args...)...)
	cmd.Dir = root
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// fileImports lists, sorted, the imports of a Go file.
func fileImports(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	slices.Sort(list)
	return list
}

// floorProgram is the source of the floor program importing imports.
func floorProgram(imports []string) []byte {
	var b bytes.Buffer
	b.WriteString(`// Command deps is the floor of callsheet's start-up: it imports, for their
// initialisation alone, every package outside the module that callsheet's
// own packages import, and does nothing. bench/run.sh times it beside
// callsheet version and a hello-world program; the difference from
// callsheet is callsheet's own code. internal/layers' test
// TestStartupFloorImports keeps the list in step (-update writes it).
package main

import (
`)
	for _, imp := range imports {
		fmt.Fprintf(&b, "\t_ %q\n", imp)
	}
	b.WriteString(")\n\nfunc main() {}\n")
	return b.Bytes()
}

// minus lists the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
