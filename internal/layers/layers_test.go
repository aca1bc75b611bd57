package layers

import (
	"bufio"
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// allowed says, for every package of the module (by its path in the
// module; "x/..." is x and every package under it), which packages of the
// module it may import. The standard library is open to all; the
// libraries in owned are not.
//
//	cmd -> session -> runner -> auth, collections -> eval; exchange and mask
//
// collections is the format's syntax tree and eval evaluates its
// expressions; exchange, mask and exitcode are leaves. report and console render
// results and are consumers of sessions, which run Arazzo workflows
// through the runner; convert reads and writes other formats;
// sandbox stands apart; openapi and arazzo read descriptions and never run
// anything (runner checks responses with openapi's Checker); asyncapi
// reads AsyncAPI descriptions for arazzo; messaging (a leaf) carries the
// messages of AsyncAPI steps for session; internal
// packages are leaves; nothing imports cmd but the callsheet binary.
var allowed = map[string][]string{
	"internal/...": nil,
	"exchange":     nil,
	"mask":         nil,
	"exitcode":     nil,
	"eval":         {"internal/..."},
	"collections":  {"eval", "mask", "internal/..."},
	"auth":         {"internal/..."},
	"sandbox":      {"internal/..."},
	"runner":       {"auth", "collections", "eval", "exchange", "mask", "openapi", "internal/..."},
	"session":      {"runner", "arazzo/...", "openapi/...", "asyncapi", "messaging", "auth", "collections", "eval", "exchange", "exitcode", "internal/..."},
	"report":       {"session", "runner", "convert", "collections", "eval", "exchange", "internal/..."},
	"console":      {"session", "report", "load", "runner", "auth", "convert", "collections", "eval", "exchange", "mask", "internal/..."},
	"openapi/...":  {"openapi/...", "collections", "exchange", "internal/..."},
	"asyncapi":     {"collections"},
	"messaging":    nil,
	"arazzo/...":   {"arazzo/...", "openapi/...", "asyncapi", "collections", "exchange", "internal/..."},
	"convert":      {"openapi/...", "arazzo/...", "collections", "eval", "exchange", "mask", "internal/..."},
	"schema":       {"collections"},
	"scaffold":     {"collections", "schema", "session", "internal/..."},
	"completion":   {"collections"},
	"load/...":     {"load/...", "session", "runner", "auth", "collections", "exchange", "exitcode", "mask", "internal/..."},
	"cmd": {"session", "console", "scaffold", "completion", "report", "runner", "convert", "openapi/...", "arazzo/...",
		"auth", "collections", "eval", "exchange", "exitcode", "mask", "sandbox", "schema", "load/...", "internal/..."},
	"cmd/callsheet": {"cmd"},
	"bench/...":     {"bench/...", "runner", "collections", "sandbox", "load/...", "arazzo/...", "openapi/...", "internal/..."},
	"tools/...":     {"tools/...", "internal/..."},
}

// owned are the libraries that only some packages may import (by module
// path prefix, the longest naming an import deciding): the CLI's, the
// watcher's, the runner's JSON paths, the OAuth client, the OpenAPI
// loader. Those with no package are for tests alone: the Prometheus and
// OpenTelemetry libraries, gRPC and the protobuf module (protowire
// included) check the load exporters' wire formats, whose encoders are the
// exporters' own.
var owned = map[string][]string{
	"github.com/urfave/cli":                   {"cmd"},
	"golang.org/x/term":                       {"cmd"},
	"github.com/fsnotify/fsnotify":            {"session"},
	"github.com/joho/godotenv":                {"session"},
	"github.com/tidwall/gjson":                {"runner"},
	"golang.org/x/oauth2":                     {"auth", "runner"},
	"github.com/getkin/kin-openapi":           {"openapi/..."},
	"github.com/HdrHistogram/hdrhistogram-go": {"load/hist"},
	"github.com/prometheus":                   nil,
	"go.opentelemetry.io":                     nil,
	"google.golang.org/grpc":                  nil,
	"google.golang.org/protobuf":              nil,
	"github.com/chromedp/chromedp":            {"internal/browsertest"},
	"github.com/coder/websocket":              {"messaging", "internal/arazzotest"},
	"github.com/twmb/franz-go":                {"messaging"},
}

// startupFloor may import any library: it is bench/deps, the floor of
// start-up, which imports what the binary's packages import
// (TestStartupFloorImports) and calls nothing.
const startupFloor = "bench/deps"

// match reports whether the package path p is named by pattern.
func match(pattern, p string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

// rule returns the allow-list of package p: that of the longest pattern
// naming it.
func rule(p string) ([]string, bool) {
	best, found := "", false
	for pattern := range allowed {
		if match(pattern, p) && len(pattern) >= len(best) {
			best, found = pattern, true
		}
	}
	return allowed[best], found
}

// pkg is one package of the module: its path in the module and its
// imports, those of its tests apart.
type pkg struct {
	rel              string
	imports, testing []string
}

// modulePackages reads the module at root: its path and every package in
// it (testdata, hidden folders and nested modules such as third_party's
// aside).
func modulePackages(t *testing.T, root string) (string, []pkg) {
	t.Helper()
	module := modulePath(t, root)
	var pkgs []pkg
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); dir != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); dir != root && err == nil {
			return filepath.SkipDir
		}
		bp, err := build.ImportDir(dir, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, dir)
		pkgs = append(pkgs, pkg{rel: filepath.ToSlash(rel), imports: bp.Imports, testing: append(bp.TestImports, bp.XTestImports...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return module, pkgs
}

// modulePath reads the module line of root/go.mod.
func modulePath(t *testing.T, root string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(sc.Text(), "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod has no module line")
	return ""
}

// problems lists what breaks the layering in pkgs of module.
func problems(module string, pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		deps, ok := rule(p.rel)
		if !ok {
			out = append(out, "package "+p.rel+" has no entry in the layering table: add one saying what it may import")
			continue
		}
		for _, imp := range p.imports {
			if msg := check(module, p.rel, imp, deps); msg != "" {
				out = append(out, msg)
			}
		}
		for _, imp := range p.testing {
			if p.rel != "cmd" && match(module+"/cmd", imp) {
				out = append(out, "the tests of package "+p.rel+" import "+imp+": nothing imports the CLI")
			}
		}
	}
	return out
}

// check says what is wrong with package rel importing imp, "" when
// nothing is.
func check(module, rel, imp string, deps []string) string {
	if dep, ok := strings.CutPrefix(imp, module+"/"); ok {
		if slices.ContainsFunc(deps, func(d string) bool { return match(d, dep) }) {
			return ""
		}
		may := "nothing of the module"
		if len(deps) > 0 {
			may = strings.Join(deps, ", ")
		}
		return "package " + rel + " imports " + imp + ", which its layer may not (it may import " + may + ")"
	}
	if rel == startupFloor {
		return "" // it links every library the binary links, and runs none
	}
	lib := ""
	for l := range owned {
		if (imp == l || strings.HasPrefix(imp, l+"/")) && len(l) > len(lib) {
			lib = l
		}
	}
	if users := owned[lib]; lib != "" && !slices.ContainsFunc(users, func(u string) bool { return match(u, rel) }) {
		if len(users) == 0 {
			return "package " + rel + " imports " + imp + ", which only tests may import"
		}
		return "package " + rel + " imports " + imp + ", which only " + strings.Join(users, ", ") + " may import"
	}
	return ""
}

// TestLayering checks every package of the module against the table.
func TestLayering(t *testing.T) {
	module, pkgs := modulePackages(t, filepath.Join("..", ".."))
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages in the module, want them all", len(pkgs))
	}
	for _, msg := range problems(module, pkgs) {
		t.Error(msg + " (see the table in internal/layers/layers_test.go)")
	}
}

// TestLayeringCatches feeds the check imports it must refuse.
func TestLayeringCatches(t *testing.T) {
	const m = "example.com/m"
	tests := []struct {
		name string
		p    pkg
		want string
	}{
		{"runner reaching up", pkg{rel: "runner", imports: []string{m + "/session"}}, "package runner imports example.com/m/session, which its layer may not"},
		{"sandbox reaching over", pkg{rel: "sandbox", imports: []string{m + "/runner"}}, "package sandbox imports example.com/m/runner"},
		{"a leaf importing", pkg{rel: "internal/golden", imports: []string{m + "/collections"}}, "(it may import nothing of the module)"},
		{"session importing the CLI", pkg{rel: "session", imports: []string{m + "/cmd"}}, "package session imports example.com/m/cmd"},
		{"openapi running", pkg{rel: "openapi/x", imports: []string{m + "/runner"}}, "package openapi/x imports example.com/m/runner"},
		{"a test importing the CLI", pkg{rel: "report", testing: []string{m + "/cmd"}}, "the tests of package report import example.com/m/cmd"},
		{"an owned library", pkg{rel: "collections", imports: []string{"github.com/tidwall/gjson"}}, "only runner may import"},
		{"a library for tests", pkg{rel: "load/stream/prom", imports: []string{"github.com/prometheus/client_golang/prometheus"}}, "which only tests may import"},
		{"a library's part for tests", pkg{rel: "load/stream/otlp", imports: []string{"google.golang.org/protobuf/proto"}}, "which only tests may import"},
		{"protowire", pkg{rel: "load/stream/otlp", imports: []string{"google.golang.org/protobuf/encoding/protowire"}}, "which only tests may import"},
		{"a library in tests", pkg{rel: "load/stream/prom", testing: []string{"github.com/prometheus/common/expfmt"}}, ""},
		{"a package with no entry", pkg{rel: "newthing"}, "package newthing has no entry"},
		{"allowed", pkg{rel: "arazzo/expr", imports: []string{m + "/openapi", m + "/arazzo", "gopkg.in/yaml.v3", "strings"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(problems(m, []pkg{tt.p}), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("problems(%+v) = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
	if !match("openapi/...", "openapi") || match("openapi/...", "openapix") || !match("bench/...", "bench/steps") {
		t.Error("match() does not read x/... as x and the packages under it")
	}
}
