package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/completion"
)

// completeCommand is the hidden command the completion scripts call:
// `callsheet __complete --current=WORD WORDS...` prints, one a line, what
// may replace WORD after WORDS (the words typed after callsheet), each
// with a tab and what it does. The current word rides in one argument,
// so that an empty one reaches the program from every shell.
const completeCommand = "__complete"

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
			script, ok := completion.Script(c.Args().First())
			if !ok {
				err := &usageError{err: fmt.Errorf("unknown shell %q: want bash, zsh, fish or powershell", c.Args().First()), command: "completion"}
				if s := collections.Suggest(c.Args().First(), completion.Shells); s != "" {
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
			for _, cand := range completion.Complete(describeApp(c.App), args[1:], current) {
				fmt.Fprintln(sys.stdout, cand)
			}
			return nil
		},
	}
}

// describeApp describes app's command tree for completion: the root has
// app's flags and commands.
func describeApp(app *cli.App) *completion.Command {
	return &completion.Command{Flags: describeFlags(app.Flags), Subcommands: describeCommands(app.Commands)}
}

// describeCommands describes cmds and their subcommands.
func describeCommands(cmds []*cli.Command) []*completion.Command {
	out := make([]*completion.Command, len(cmds))
	for i, c := range cmds {
		out[i] = &completion.Command{
			Name: c.Name, Aliases: c.Aliases, Usage: c.Usage, Hidden: c.Hidden,
			Flags: describeFlags(c.Flags), Subcommands: describeCommands(c.Subcommands),
		}
	}
	return out
}

// describeFlags describes flags: names, usage and whether they take a
// value.
func describeFlags(flags []cli.Flag) []completion.Flag {
	out := make([]completion.Flag, len(flags))
	for i, f := range flags {
		out[i].Names = f.Names()
		if d, ok := f.(cli.DocGenerationFlag); ok {
			out[i].Usage, out[i].TakesValue = d.GetUsage(), d.TakesValue()
		}
	}
	return out
}
