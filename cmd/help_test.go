package cmd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// commandPaths lists every command of the app as the words that call it:
// [run], [auth login], …
func commandPaths(cmds []*cli.Command, prefix []string) [][]string {
	var out [][]string
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		path := append(append([]string{}, prefix...), c.Name)
		out = append(out, path)
		out = append(out, commandPaths(c.Subcommands, path)...)
	}
	return out
}

// placeholder is what may follow a flag's name in help: an upper-case
// word such as FILE, NAME=VALUE, HOST:PORT or K/N.
var placeholder = regexp.MustCompile(`^[A-Z][A-Z0-9_=:./|-]*$`)

// columns separates the columns of a help line.
var columns = regexp.MustCompile(`\s{2,}`)

// helpProblems returns what reads badly in one command's help text: the
// same word twice in a row, two defaults on one line, a boolean flag's
// "(default: false)", a placeholder that is not an upper-case word, and a
// slice flag repeated in brackets.
func helpProblems(help string) []string {
	var problems []string
	for _, line := range strings.Split(help, "\n") {
		// Columns (a name, then what it does) are apart by two spaces.
		for _, cell := range columns.Split(strings.TrimSpace(line), -1) {
			words := strings.Fields(cell)
			for i := 1; i < len(words); i++ {
				if strings.EqualFold(words[i], words[i-1]) {
					problems = append(problems, "repeated word "+words[i]+": "+line)
				}
			}
		}
		if strings.Count(line, "(default:") > 1 {
			problems = append(problems, "two defaults: "+line)
		}
		if strings.Contains(line, "(default: false)") {
			problems = append(problems, "a boolean flag's default: "+line)
		}
		if strings.Contains(line, " [ -") {
			problems = append(problems, "a repeated flag in brackets: "+line)
		}
		flagPart, _, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if !ok || !strings.HasPrefix(flagPart, "-") {
			continue
		}
		for _, alt := range strings.Split(flagPart, ", ") {
			fields := strings.Fields(alt)
			if len(fields) > 2 || len(fields) == 2 && !placeholder.MatchString(fields[1]) {
				problems = append(problems, "placeholder "+strings.Join(fields[1:], " ")+": "+line)
			}
		}
	}
	return problems
}

// TestHelpReadsCleanly renders the help of the app and of every command
// and checks it for the mistakes helpProblems finds.
func TestHelpReadsCleanly(t *testing.T) {
	app := newApp(&system{})
	paths := append([][]string{nil}, commandPaths(app.Commands, nil)...)
	for _, path := range paths {
		args := append(append([]string{}, path...), "--help")
		got := callsheet(t, nil, args...)
		name := "callsheet " + strings.Join(args, " ")
		if got.code != ExitOK || got.stdout == "" {
			t.Errorf("%s = exit %d, stdout %q, stderr %q; want help and 0", name, got.code, got.stdout, got.stderr)
			continue
		}
		for _, p := range helpProblems(got.stdout) {
			t.Errorf("%s: %s", name, p)
		}
	}
}

// TestHelpProblems checks that the checker finds what the help once had.
func TestHelpProblems(t *testing.T) {
	tests := []struct {
		line string
		bad  bool
	}{
		{"   --state --state        load the variables", true},
		{"   --record callsheet replay   keep this run's exchanges (default: false)", true},
		{"   --jobs N, -j N    run up to N collections at once (default: the number of CPUs) (default: 0)", true},
		{"   --token-cache    cache tokens on disk (default: false)", true},
		{"   --var NAME=VALUE [ --var NAME=VALUE ]  set a variable", true},
		{"   --var NAME=VALUE   set variable NAME=VALUE (repeatable)", false},
		{"   --jobs N, -j N     run up to N collections at once (default: the number of CPUs)", false},
		{"   --addr HOST:PORT   listen on HOST:PORT (default: \"127.0.0.1:8443\")", false},
		{"   run       run collections of HTTP requests", false},
	}
	for _, tt := range tests {
		if got := len(helpProblems(tt.line)) > 0; got != tt.bad {
			t.Errorf("helpProblems(%q) found problems = %v, want %v", tt.line, got, tt.bad)
		}
	}
}

// TestBareCommandNamesEveryCommand runs callsheet without a command: it
// must name every command, not a few.
func TestBareCommandNamesEveryCommand(t *testing.T) {
	got := callsheet(t, nil)
	if got.code != ExitUsage {
		t.Errorf("callsheet = exit %d, want %d", got.code, ExitUsage)
	}
	for _, c := range newApp(&system{}).Commands {
		if !c.Hidden && !strings.Contains(got.stderr, "   "+c.Name+" ") {
			t.Errorf("callsheet (no command) does not name %q:\n%s", c.Name, got.stderr)
		}
	}
}
