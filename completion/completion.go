package completion

import (
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// Command describes a command to complete: its names, what it does, its
// flags and its subcommands.
type Command struct {
	Name        string
	Aliases     []string
	Usage       string
	Hidden      bool
	Flags       []Flag
	Subcommands []*Command
}

// Flag describes a flag: its names (without dashes), what it does and
// whether it takes the next word as its value.
type Flag struct {
	Names      []string
	Usage      string
	TakesValue bool
}

// Shells are the shells Script writes scripts for.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// Script is the completion script of shell, false for a shell not in
// Shells. Each asks `callsheet __complete` for commands, flags and bundled
// collections, and adds files for words that are not flags.
func Script(shell string) (string, bool) {
	s, ok := scripts[shell]
	return s, ok
}

// Complete returns what may replace current after words (the words typed
// after the program) in the command line of root: commands, flags, shells
// or bundled collections, each as "VALUE\tUSAGE" or "VALUE". Files are the
// scripts' to add.
func Complete(root *Command, words []string, current string) []string {
	cmd, path, expectValue, ok := walk(root, words)
	if !ok {
		return nil
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
		for _, f := range cmd.Flags {
			for _, n := range f.Names {
				add(dashed(n), strings.ReplaceAll(f.Usage, "`", ""))
			}
		}
	case cmd == root || len(cmd.Subcommands) > 0:
		for _, c := range cmd.Subcommands {
			if !c.Hidden {
				add(c.Name, c.Usage)
			}
		}
	case cmd.Name == "completion":
		for _, s := range Shells {
			add(s, "")
		}
	case slices.Contains([]string{"run", "validate", "curl"}, cmd.Name):
		bundledCandidates(add)
	}
	return out
}

// walk follows words down from root: the command they reach, its path of
// names, whether the next word is a flag's value, and false when a word
// names no command.
func walk(root *Command, words []string) (cmd *Command, path []string, expectValue, ok bool) {
	cmd, path = root, []string{}
	for _, w := range words {
		switch {
		case expectValue:
			expectValue = false
		case strings.HasPrefix(w, "-"):
			expectValue = cmd != root && !strings.Contains(w, "=") && takesValue(cmd, strings.TrimLeft(w, "-"))
		case cmd == root || len(cmd.Subcommands) > 0:
			next := findCommand(cmd.Subcommands, w)
			if next == nil {
				return nil, nil, false, false
			}
			cmd, path = next, append(path, next.Name)
		}
	}
	return cmd, path, expectValue, true
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
func findCommand(cmds []*Command, name string) *Command {
	for _, c := range cmds {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether cmd's flag name takes the next word.
func takesValue(cmd *Command, name string) bool {
	for _, f := range cmd.Flags {
		if slices.Contains(f.Names, name) {
			return f.TakesValue
		}
	}
	return false
}

// oneLine makes usage text fit one completion line: no tabs or newlines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// dashed writes a flag name the way a user types it: -v, --timeout.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// scripts are what `callsheet completion SHELL` prints. Each asks
// `callsheet __complete` for commands, flags and bundled collections, and
// adds files for words that are not flags.
var scripts = map[string]string{
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
