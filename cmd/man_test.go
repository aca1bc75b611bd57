package cmd

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/internal/golden"
	"github.com/callsheet/callsheet/internal/roff"
)

// manSubsections splits a manual page at its .SS lines, by title.
func manSubsections(page string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(page, "\n.SS ")
	for _, part := range parts[1:] {
		title, body, _ := strings.Cut(part, "\n")
		out[strings.Trim(title, `"`)] = body
	}
	return out
}

// TestManPage checks that the manual page has a subsection for every
// command, naming each of its flags and their aliases, and none for the
// hidden one; that it is the golden page (testdata/callsheet.1); and that
// groff reads it without a warning where groff is installed.
func TestManPage(t *testing.T) {
	got := callsheet(t, nil, "man")
	if got.code != ExitOK || !strings.HasPrefix(got.stdout, ".TH callsheet 1 ") {
		t.Fatalf("callsheet man = exit %d, starts %.40q; want a roff page in section 1", got.code, got.stdout)
	}
	golden.Check(t, filepath.Join("testdata", "callsheet.1"), []byte(got.stdout), *update)
	sections := manSubsections(got.stdout)
	app := newApp(&system{})
	for _, path := range commandPaths(app.Commands, nil) {
		c := app.Command(path[0])
		for _, sub := range path[1:] {
			c = c.Command(sub)
		}
		title := strings.Join(path, " ")
		body, ok := sections[title]
		if !ok {
			t.Errorf("the manual page has no subsection for the command %q", title)
			continue
		}
		for _, f := range c.Flags {
			for _, name := range f.Names() {
				if !strings.Contains(body, string(roff.Bold(dashed(name)))) {
					t.Errorf("the manual page's %s does not name its flag %s", title, dashed(name))
				}
			}
		}
	}
	if strings.Contains(got.stdout, completeCommand) {
		t.Errorf("the manual page names the hidden %s command", completeCommand)
	}
	groffCheck(t, got.stdout)
}

// groffCheck has groff read page, where it is installed, and fails t if
// it warns.
func groffCheck(t *testing.T, page string) {
	t.Helper()
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
	defer cancel()
	cmd := exec.CommandContext(ctx, "groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
}

// TestManPageParts builds the page of a small app and checks how each
// kind of command and flag appears in it, and that hidden ones do not.
func TestManPageParts(t *testing.T) {
	app := &cli.App{
		Name:        "tool",
		Usage:       "do things",
		UsageText:   "tool COMMAND [flags]",
		Description: "Does `things`.\n\n  tool go --fast\n\nThat's all.",
		Commands: []*cli.Command{
			{Name: "go", Aliases: []string{"g"}, Usage: "go somewhere", ArgsUsage: "PLACE", Flags: []cli.Flag{
				&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "go to `PLACE` first", Value: "home", EnvVars: []string{"TOOL_TO"}},
				&cli.IntFlag{Name: "times", Usage: "repeat"},
				&cli.BoolFlag{Name: "fast", Usage: ".fast, with a \\ backslash", DisableDefaultText: true},
				&cli.BoolFlag{Name: "secret-flag", Usage: "never listed", Hidden: true},
			}, Subcommands: []*cli.Command{
				{Name: "back", Usage: "come back"},
				{Name: "hidden-sub", Usage: "never listed", Hidden: true},
			}},
			{Name: "hidden-command", Usage: "never listed", Hidden: true},
		},
	}
	page := manPage(app)
	tests := []struct{ name, want string }{
		{"name", ".SH NAME\ntool \\- do things\n"},
		{"synopsis", ".SH SYNOPSIS\n\\fBtool\\fR COMMAND [flags]\n"},
		{"description", ".SH DESCRIPTION\nDoes \\fBthings\\fR.\n.PP\n.RS 4\n.EX\ntool go \\-\\-fast\n.EE\n"},
		{"help once, under OPTIONS", ".SH OPTIONS\n.TP\n\\fB\\-\\-help\\fR, \\fB\\-h\\fR\nshow help\n.SH COMMANDS\n"},
		{"command synopsis", ".SS go\n\\fBtool go\\fR [flags] PLACE\n.PP\nAlso called g.\n.PP\nGo somewhere.\n"},
		{"placeholder, alias, default, environment",
			".TP\n\\fB\\-\\-to\\fR \\fIPLACE\\fR, \\fB\\-t\\fR \\fIPLACE\\fR\ngo to \\fIPLACE\\fR first (default: \"home\"; environment: $TOOL_TO)\n"},
		{"a value without a placeholder", ".TP\n\\fB\\-\\-times\\fR \\fIvalue\\fR\nrepeat (default: 0)\n"},
		{"hostile usage", ".TP\n\\fB\\-\\-fast\\fR\n\\&.fast, with a \\e backslash\n"},
		{"subcommand", ".SS \"go back\"\n\\fBtool go back\\fR\n.PP\nCome back.\n"},
	}
	for _, tt := range tests {
		if !strings.Contains(page, tt.want) {
			t.Errorf("%s: the page has no\n%s\nin\n%s", tt.name, tt.want, page)
		}
	}
	for _, hidden := range []string{"secret", "hidden", "never listed"} {
		if strings.Contains(page, hidden) {
			t.Errorf("the page names what is hidden, %q:\n%s", hidden, page)
		}
	}
	if n := strings.Count(page, ".TP\n\\fB\\-\\-help\\fR"); n != 1 {
		t.Errorf("the page lists --help %d times, want once:\n%s", n, page)
	}
	groffCheck(t, page)
}

// TestManPageExitStatuses checks that the page lists every exit code
// that package exitcode declares.
func TestManPageExitStatuses(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "exitcode", "exitcode.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	page := manPage(newApp(&system{}))
	_, exits, _ := strings.Cut(page, ".SH \"EXIT STATUS\"\n")
	found := 0
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || len(spec.Values) != 1 {
			return true
		}
		if lit, ok := spec.Values[0].(*ast.BasicLit); ok && lit.Kind == token.INT {
			found++
			if !strings.Contains(exits, ".TP\n\\fB"+lit.Value+"\\fR\n") {
				t.Errorf("the page's EXIT STATUS does not list %s (exitcode.%s)", lit.Value, spec.Names[0])
			}
		}
		return true
	})
	if found == 0 {
		t.Fatal("no exit code found in exitcode/exitcode.go")
	}
}

// TestManWithoutDocs checks that a build with the tag urfave_cli_no_docs,
// which leaves out urfave/cli's documentation generator, links neither
// blackfriday nor go-md2man, and that its `callsheet man` prints the page
// this build prints.
func TestManWithoutDocs(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go tool is not on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute) // hang guard
	defer cancel()
	deps, err := exec.CommandContext(ctx, "go", "list", "-deps", "-tags", "urfave_cli_no_docs", "./callsheet").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if !strings.Contains(string(deps), "github.com/urfave/cli/v2\n") {
		t.Fatalf("go list -deps does not list urfave/cli:\n%s", deps)
	}
	for _, pkg := range []string{"github.com/russross/blackfriday", "github.com/cpuguy83/go-md2man"} {
		if strings.Contains(string(deps), pkg) {
			t.Errorf("built with -tags urfave_cli_no_docs, callsheet still links %s", pkg)
		}
	}
	bin := filepath.Join(t.TempDir(), "callsheet")
	if out, err := exec.CommandContext(ctx, "go", "build", "-tags", "urfave_cli_no_docs", "-o", bin, "./callsheet").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags urfave_cli_no_docs: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin, "man")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	page, err := cmd.Output()
	if err != nil {
		t.Fatalf("callsheet man: %v", err)
	}
	if want := callsheet(t, nil, "man").stdout; string(page) != want {
		t.Errorf("built with -tags urfave_cli_no_docs, callsheet man prints another page:\n%s", page)
	}
}
