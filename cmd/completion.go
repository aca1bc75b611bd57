package cmd

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
)

// completeCommand is the hidden command the completion scripts call:
// `callsheet __complete --current=WORD WORDS...` prints, one a line, what
// may replace WORD after WORDS (the words typed after callsheet), each
// with a tab and what it does. The current word rides in one argument,
// so that an empty one reaches the program from every shell.
const completeCommand = "__complete"

// shells are the shells `callsheet completion` writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// newCompletionCommand is `callsheet completion SHELL`.
func newCompletionCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh, fish or powershell",
		ArgsUsage: "bash|zsh|fish|powershell",
		Description: "Prints a script that completes callsheet's commands, flags, bundled\n" +
			"collections and files. Load it once per shell:\n\n" +
			"  bash        source <(callsheet completion bash)   (in ~/.bashrc)\n" +
			"  zsh         source <(callsheet completion zsh)    (in ~/.zshrc, after compinit)\n" +
			"  fish        callsheet completion fish > ~/.config/fish/completions/callsheet.fish\n" +
			"  powershell  callsheet completion powershell | Out-String | Invoke-Expression   (in $PROFILE)",
		OnUsageError: onUsageError("completion"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{err: errors.New("want one SHELL: bash, zsh, fish or powershell"), command: "completion"}
			}
			script, ok := completionScripts[c.Args().First()]
			if !ok {
				err := &usageError{err: fmt.Errorf("unknown shell %q: want bash, zsh, fish or powershell", c.Args().First()), command: "completion"}
				if s := collections.Suggest(c.Args().First(), shells); s != "" {
					err.hint = fmt.Sprintf("did you mean %q?", s)
				}
				return err
			}
			fmt.Fprint(sys.stdout, script)
			return nil
		},
	}
}

// newCompleteCommand is the hidden `callsheet __complete`.
func newCompleteCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:            completeCommand,
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 || !strings.HasPrefix(args[0], "--current=") {
				return &usageError{err: errors.New("want --current=WORD [WORDS...]")}
			}
			current := strings.TrimPrefix(args[0], "--current=")
			for _, cand := range complete(c.App, args[1:], current) {
				fmt.Fprintln(sys.stdout, cand)
			}
			return nil
		},
	}
}

// complete returns what may replace current after words in app's command
// line: commands, flags, shells or bundled collections, each as
// "VALUE\tUSAGE" or "VALUE". Files are the scripts' to add.
func complete(app *cli.App, words []string, current string) []string {
	cmds, path := app.Commands, []string{}
	var cmd *cli.Command
	expectValue := false
	for _, w := range words {
		switch {
		case expectValue:
			expectValue = false
		case strings.HasPrefix(w, "-"):
			expectValue = cmd != nil && !strings.Contains(w, "=") && takesValue(cmd, strings.TrimLeft(w, "-"))
		case cmd == nil || len(cmd.Subcommands) > 0:
			next := findCommand(cmds, w)
			if next == nil {
				return nil
			}
			cmd, cmds, path = next, next.Subcommands, append(path, next.Name)
		}
	}
	var out []string
	add := func(value, usage string) {
		if strings.HasPrefix(value, current) {
			out = append(out, strings.TrimSpace(value+"\t"+oneLine(usage)))
		}
	}
	switch {
	case expectValue:
		if last := strings.TrimLeft(words[len(words)-1], "-"); last == "from" && slices.Equal(path, []string{"init"}) {
			bundledCandidates(add)
		}
	case strings.HasPrefix(current, "-"):
		var flags []cli.Flag
		if cmd != nil {
			flags = cmd.Flags
		} else {
			flags = app.Flags
		}
		for _, f := range flags {
			usage := ""
			if d, ok := f.(cli.DocGenerationFlag); ok {
				usage = d.GetUsage()
			}
			for _, n := range f.Names() {
				add(dashed(n), strings.ReplaceAll(usage, "`", ""))
			}
		}
	case cmd == nil || len(cmd.Subcommands) > 0:
		for _, c := range cmds {
			if !c.Hidden {
				add(c.Name, c.Usage)
			}
		}
	case cmd.Name == "completion":
		for _, s := range shells {
			add(s, "")
		}
	case slices.Contains([]string{"run", "validate", "curl"}, cmd.Name):
		bundledCandidates(add)
	}
	return out
}

// bundledCandidates offers the bundled collections and their folders.
func bundledCandidates(add func(value, usage string)) {
	folders := map[string]bool{}
	for _, name := range collections.BundledNames() {
		dir, _, _ := strings.Cut(name, "/")
		if !folders[dir] {
			folders[dir] = true
			add(dir+"/", "every bundled collection in "+dir+"/")
		}
		add(name, "bundled collection")
	}
}

// findCommand returns the command of cmds called name (or an alias).
func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if slices.Contains(c.Names(), name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether cmd's flag name takes the next word.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		if slices.Contains(f.Names(), name) {
			d, ok := f.(cli.DocGenerationFlag)
			return ok && d.TakesValue()
		}
	}
	return false
}

// oneLine makes usage text fit one completion line: no tabs or newlines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// completionScripts are what `callsheet completion SHELL` prints. Each asks
// `callsheet __complete` for commands, flags and bundled collections, and
// adds files for words that are not flags.
var completionScripts = map[string]string{
	"bash": `# bash completion for callsheet. Load it with
#   source <(callsheet completion bash)
# in ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/callsheet.
_callsheet() {
    local cur=${COMP_WORDS[COMP_CWORD]} line
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line ]] && COMPREPLY+=("${line%%$'\t'*}")
    done < <("${COMP_WORDS[0]}" __complete "--current=$cur" "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)
    if [[ $cur != -* && $COMP_CWORD -gt 1 ]]; then
        while IFS= read -r line; do
            COMPREPLY+=("$line")
        done < <(compgen -f -- "$cur")
    fi
}
complete -o filenames -o bashdefault -F _callsheet callsheet
`,
	"zsh": `#compdef callsheet
# zsh completion for callsheet. Load it with
#   source <(callsheet completion zsh)
# in ~/.zshrc after compinit, or save it as _callsheet in a folder of $fpath.
_callsheet() {
  local -a candidates
  local line value description
  for line in "${(@f)$(${words[1]} __complete "--current=${words[CURRENT]}" "${(@)words[2,CURRENT-1]}" 2>/dev/null)}"; do
    [[ -z $line ]] && continue
    value=${line%%$'\t'*}
    description=${line#*$'\t'}
    [[ $description == $line ]] && description=
    candidates+=("${value//:/\\:}:$description")
  done
  (( ${#candidates} )) && _describe -t callsheet 'callsheet' candidates
  if [[ ${words[CURRENT]} != -* ]] && (( CURRENT > 2 )); then
    _files
  fi
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _callsheet "$@"
else
  compdef _callsheet callsheet
fi
`,
	"fish": `# fish completion for callsheet. Save it with
#   callsheet completion fish > ~/.config/fish/completions/callsheet.fish
function __callsheet_complete
    set -l words (commandline -opc)
    set -e words[1]
    callsheet __complete --current=(commandline -ct) $words 2>/dev/null
end
complete -c callsheet -f -n '__fish_use_subcommand' -a '(__callsheet_complete)'
complete -c callsheet -n 'not __fish_use_subcommand' -a '(__callsheet_complete)'
`,
	"powershell": `# PowerShell completion for callsheet. Load it with
#   callsheet completion powershell | Out-String | Invoke-Expression
# in your $PROFILE.
Register-ArgumentCompleter -Native -CommandName callsheet -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } |
        Select-Object -Skip 1 |
        ForEach-Object { $_.ToString() })
    $found = @(& callsheet __complete "--current=$wordToComplete" @words 2>$null | ForEach-Object {
        $value, $description = $_ -split "` + "`" + `t", 2
        if (-not $description) { $description = $value }
        [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $description)
    })
    if ($found.Count -eq 0 -and -not $wordToComplete.StartsWith('-')) {
        Get-ChildItem -Path "$wordToComplete*" -ErrorAction SilentlyContinue | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ProviderItem', $_.Name)
        }
    } else {
        $found
    }
}
`,
}
