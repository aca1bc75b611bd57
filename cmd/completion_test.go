package cmd

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/completion"
	"github.com/callsheet/callsheet/schema"
)

func TestVersionFlag(t *testing.T) {
	flag, command := callsheet(t, nil, "--version"), callsheet(t, nil, "version")
	if flag.code != ExitOK || flag.stdout != command.stdout || !strings.HasPrefix(flag.stdout, "callsheet ") {
		t.Errorf("callsheet --version = exit %d, %q; want 0 and what callsheet version prints, %q", flag.code, flag.stdout, command.stdout)
	}
}

// TestComplete checks what the completion scripts are offered.
func TestComplete(t *testing.T) {
	tests := []struct {
		name    string
		args    []string // after __complete
		want    []string // values offered, in order
		without []string
	}{
		{"commands", []string{"--current=r"}, []string{"run", "runs", "replay", "report"}, nil},
		{"every command", []string{"--current="}, []string{"run", "validate", "sandbox", "list", "schema", "completion", "man"}, []string{"__complete"}},
		{"flags of run", []string{"--current=--sa", "run"}, []string{"--sandbox"}, nil},
		{"flags after a value", []string{"--current=--no-c", "run", "--var", "a=1"}, []string{"--no-color"}, nil},
		{"bundled collections", []string{"--current=procore/f", "run"}, []string{"procore/first-call"}, []string{"procore/errors"}},
		{"a bundled folder", []string{"--current=pro", "validate"}, []string{"procore/", "procore/errors"}, nil},
		{"subcommands", []string{"--current=", "auth"}, []string{"login", "status", "logout"}, []string{"help"}},
		{"shells", []string{"--current=", "completion"}, []string{"bash", "zsh", "fish", "powershell"}, nil},
		{"init --from", []string{"--current=procore/w", "init", "--from"}, []string{"procore/with-profile"}, nil},
		{"a flag's value is the shell's", []string{"--current=", "run", "--cacert"}, nil, []string{"procore/"}},
		{"no such command", []string{"--current=", "nope"}, nil, []string{"run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callsheet(t, nil, append([]string{"__complete"}, tt.args...)...)
			if got.code != ExitOK {
				t.Fatalf("__complete %v = exit %d, stderr %q", tt.args, got.code, got.stderr)
			}
			var values []string
			for _, line := range strings.Split(strings.TrimSpace(got.stdout), "\n") {
				if v, _, _ := strings.Cut(line, "\t"); v != "" {
					values = append(values, v)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(values, w) {
					t.Errorf("__complete %v offers %q, want %q among them", tt.args, values, w)
				}
			}
			for _, w := range tt.without {
				if slices.Contains(values, w) {
					t.Errorf("__complete %v offers %q, want no %q", tt.args, values, w)
				}
			}
			if len(tt.want) == 0 && tt.without == nil && len(values) > 0 {
				t.Errorf("__complete %v offers %q, want nothing", tt.args, values)
			}
		})
	}
}

// syntaxCheck is the command that parses a script without running it, per
// shell.
var syntaxCheck = map[string][]string{
	"bash":       {"bash", "-n"},
	"zsh":        {"zsh", "-n"},
	"fish":       {"fish", "--no-execute"},
	"powershell": {"pwsh", "-NoProfile", "-NonInteractive", "-Command", "$e = $null; [System.Management.Automation.Language.Parser]::ParseFile($args[0], [ref]$null, [ref]$e) | Out-Null; if ($e.Count) { $e; exit 1 }"},
}

// TestCompletionScriptsParse writes each shell's script and has the shell
// parse it, where the shell is installed (CI installs bash, zsh and fish).
func TestCompletionScriptsParse(t *testing.T) {
	for _, sh := range completion.Shells {
		t.Run(sh, func(t *testing.T) {
			got := callsheet(t, nil, "completion", sh)
			if got.code != ExitOK || !strings.Contains(got.stdout, "__complete") {
				t.Fatalf("callsheet completion %s = exit %d, %q", sh, got.code, got.stdout)
			}
			check := syntaxCheck[sh]
			if _, err := exec.LookPath(check[0]); err != nil {
				t.Skipf("%s is not installed", check[0])
			}
			file := filepath.Join(t.TempDir(), "callsheet."+sh)
			if err := os.WriteFile(file, []byte(got.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
			defer cancel()
			if out, err := exec.CommandContext(ctx, check[0], append(check[1:], file)...).CombinedOutput(); err != nil {
				t.Errorf("%s rejects the script: %v\n%s", check[0], err, out)
			}
		})
	}
	if got := callsheet(t, nil, "completion", "bsh"); got.code != ExitUsage || !strings.Contains(got.stderr, `did you mean "bash"?`) {
		t.Errorf("callsheet completion bsh = exit %d, %q; want 2 with a suggestion", got.code, got.stderr)
	}
}

// TestCompletionInShells completes `callsheet ru` and `callsheet run
// procore/fi` in a real bash and fish with the built binary on PATH.
func TestCompletionInShells(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Dir(bin)
	path := dir + string(os.PathListSeparator) + os.Getenv("PATH")
	tests := []struct {
		shell  string
		script func(file string) string
	}{
		{"bash", func(file string) string {
			return `source "` + file + `"
for line in "callsheet ru" "callsheet run procore/fi" "callsheet run --no-c"; do
  read -ra COMP_WORDS <<< "$line"
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  _callsheet
  printf '%s\n' "${COMPREPLY[@]}"
done`
		}},
		{"fish", func(file string) string {
			return `source "` + file + `"
complete --do-complete "callsheet ru"
complete --do-complete "callsheet run procore/fi"
complete --do-complete "callsheet run --no-c"`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			if _, err := exec.LookPath(tt.shell); err != nil {
				t.Skipf("%s is not installed", tt.shell)
			}
			file := filepath.Join(t.TempDir(), "completion")
			if err := os.WriteFile(file, []byte(callsheet(t, nil, "completion", tt.shell).stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
			defer cancel()
			cmd := exec.CommandContext(ctx, tt.shell, "-c", tt.script(file))
			cmd.Dir = t.TempDir() // no files to offer
			cmd.Env = append(os.Environ(), "PATH="+path, "HOME="+t.TempDir())
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.shell, err, out)
			}
			for _, want := range []string{"run", "runs", "procore/first-call", "--no-color"} {
				if !slices.ContainsFunc(strings.Split(string(out), "\n"), func(l string) bool { v, _, _ := strings.Cut(l, "\t"); return v == want }) {
					t.Errorf("%s completions:\n%s\nwant %q among them", tt.shell, out, want)
				}
			}
		})
	}
}

func TestSchemaCommand(t *testing.T) {
	got := callsheet(t, nil, "schema")
	if got.code != ExitOK || got.stdout != string(schema.JSON) || !json.Valid([]byte(got.stdout)) {
		t.Errorf("callsheet schema = exit %d, %d bytes; want 0 and the embedded schema (%d bytes)", got.code, len(got.stdout), len(schema.JSON))
	}
}

func TestListBundled(t *testing.T) {
	got := callsheet(t, nil, "list")
	if got.code != ExitOK {
		t.Fatalf("callsheet list = exit %d, %q", got.code, got.stderr)
	}
	for _, want := range []string{"procore/first-call  ", "Procore first call", "4 steps", "procore/with-profile", "callsheet run --sandbox procore/"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("callsheet list:\n%s\nwant %q in it", got.stdout, want)
		}
	}
	if strings.Contains(got.stdout, "openapi") {
		t.Errorf("callsheet list names the OpenAPI description:\n%s", got.stdout)
	}
}
