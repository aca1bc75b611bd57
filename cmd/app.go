package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/argv"
	"github.com/callsheet/callsheet/internal/safetext"
)

// system is the part of the process a command may touch: its streams, its
// environment and whether a stream is a terminal.
type system struct {
	// args is the command line, args[0] the program, as reports show it.
	args      []string
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
	lookupEnv func(string) (string, bool)
	// isTerminal reports whether a stream is an interactive terminal; tests
	// replace it to see colour and prompts.
	isTerminal func(stream any) bool
}

// Main runs the callsheet command line args (args[0] is the program name)
// and returns the process exit code (see ExitOK and the others). It never
// calls os.Exit and writes only to stdout and stderr. Cancelling ctx stops a
// run between requests and stops the sandbox command.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	return execute(ctx, args, &system{
		stdin:      stdin,
		stdout:     stdout,
		stderr:     stderr,
		lookupEnv:  lookupEnv,
		isTerminal: isTerminalFile,
	})
}

// execute is Main with the process facts gathered in sys.
func execute(ctx context.Context, args []string, sys *system) int {
	sys.args = args
	app := newApp(sys)
	err := app.RunContext(ctx, permuteArgs(app, helpArgs(args)))
	printError(sys.stderr, err)
	return exitCode(err)
}

// helpArgs reads `callsheet help COMMAND [SUBCOMMAND]`, as many CLIs
// allow, as `callsheet COMMAND [SUBCOMMAND] --help`.
func helpArgs(args []string) []string {
	if len(args) < 3 || args[1] != "help" {
		return args
	}
	return append(slices.Clone(args[:1]), append(slices.Clone(args[2:]), "--help")...)
}

// isTerminalFile reports whether stream is an *os.File attached to a
// terminal.
func isTerminalFile(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newApp builds the command tree. Each invocation gets fresh flag values, so
// nothing is shared between calls of Main.
func newApp(sys *system) *cli.App {
	app := &cli.App{
		Name:            "callsheet",
		Usage:           "run YAML collections of HTTP requests",
		UsageText:       "callsheet COMMAND [flags] [PATH...]",
		Reader:          sys.stdin,
		Writer:          sys.stdout,
		ErrWriter:       sys.stderr,
		HideVersion:     true,
		HideHelpCommand: true,
		// --var a=1,2 is one value, not two.
		DisableSliceFlagSeparator: true,
		// urfave/cli must never exit the process: Main maps errors to codes.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError(""),
		Action:         unknownCommand,
		Commands: []*cli.Command{
			newRunCommand(sys),
			newValidateCommand(sys),
			newSandboxCommand(sys),
			newRunsCommand(sys),
			newReplayCommand(sys),
			newVersionCommand(sys),
			newAuthCommand(sys),
			newImportCommand(sys),
			newExportCommand(sys),
			newInitCommand(sys),
			newFmtCommand(sys),
			newReportCommand(sys),
			newLoadCommand(sys),
			newListCommand(sys),
			newSchemaCommand(sys),
			newCompletionCommand(sys),
			newManCommand(sys),
			newCompleteCommand(sys),
		},
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Usage: "print the version of callsheet and of Go it was built with", DisableDefaultText: true},
		},
	}
	tidyHelp(app.Commands, app.Name)
	return app
}

// unknownCommand is the root action: no command, or one that does not exist.
func unknownCommand(c *cli.Context) error {
	if c.NArg() == 0 && c.Bool("version") {
		printVersion(c.App.Writer)
		return nil
	}
	if c.NArg() == 0 {
		// The whole help, on stderr: every command with what it does.
		cli.HelpPrinter(c.App.ErrWriter, cli.AppHelpTemplate, c.App)
		fmt.Fprintln(c.App.ErrWriter, "error: missing command")
		return &reportedError{code: ExitUsage}
	}
	name := c.Args().First()
	if name == "help" && c.NArg() == 1 { // `callsheet help COMMAND` is helpArgs'
		return cli.ShowAppHelp(c)
	}
	var names []string
	for _, cmd := range c.App.Commands {
		names = append(names, cmd.Names()...)
	}
	err := &usageError{err: fmt.Errorf("unknown command %q", name)}
	if s := collections.Suggest(name, names); s != "" {
		err.hint = fmt.Sprintf("did you mean %q?", s)
	}
	return err
}

// optionalArg returns the one optional argument of c, or def when there is
// none. More than one is a usage error of command saying tooMany.
func optionalArg(c *cli.Context, def, command, tooMany string) (string, error) {
	if c.NArg() > 1 {
		return "", &usageError{err: errors.New(tooMany), command: command}
	}
	if c.NArg() == 1 {
		return c.Args().First(), nil
	}
	return def, nil
}

// onUsageError turns a flag-parsing error of command into a usageError, so
// that urfave/cli prints nothing and Main reports it once.
func onUsageError(command string) cli.OnUsageErrorFunc {
	return func(c *cli.Context, err error, _ bool) error {
		ue := &usageError{err: err, command: command}
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
			name = "-" + strings.TrimLeft(name, "-")
			if len(name) > 2 {
				name = "-" + name
			}
			ue.err = fmt.Errorf("unknown flag %s", name)
			if s := collections.Suggest(strings.TrimLeft(name, "-"), flagNames(c.Command.Flags)); s != "" {
				ue.hint = fmt.Sprintf("did you mean %s?", dashed(s))
			}
		}
		return ue
	}
}

// flagNames lists every name and alias of flags.
func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
}

// dashed writes a flag name the way a user types it: -v, --timeout.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// optionalValue is a flag whose value is optional (--state or --state
// FILE.json): it takes the next argument only when it accepts it.
type optionalValue interface {
	acceptsValue(next string) bool
}

// permuteArgs moves a command's flags in front of its paths
// (argv.FlagsFirst), so that `callsheet run a.yaml --sandbox` works like
// `callsheet run --sandbox a.yaml` (the flag package stops at the first
// argument that is not a flag). Everything after "--" stays a path.
func permuteArgs(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil || cmd.SkipFlagParsing {
		return args
	}
	// A subcommand (auth login) permutes its own arguments.
	prefix := 2
	if sub := cmd.Command(args[2]); sub != nil {
		cmd, prefix = sub, 3
	}
	flags := map[string]argv.Flag{}
	for _, f := range cmd.Flags {
		var af argv.Flag
		if v, ok := f.(cli.DocGenerationFlag); ok {
			af.TakesValue = v.TakesValue()
		}
		if o, ok := f.(optionalValue); ok {
			af.Accepts = o.acceptsValue
		}
		for _, n := range f.Names() {
			flags[n] = af
		}
	}
	return slices.Concat(args[:prefix], argv.FlagsFirst(args[prefix:], flags))
}

// printError reports err on w, unless the command already reported it.
func printError(w io.Writer, err error) {
	var reported *reportedError
	if err == nil || errors.As(err, &reported) {
		return
	}
	var ue *usageError
	if errors.As(err, &ue) {
		msg := "error: " + safetext.Text(ue.Error())
		if ue.hint != "" {
			msg += " (" + ue.hint + ")"
		}
		help := "callsheet --help"
		if ue.command != "" {
			help = "callsheet " + ue.command + " --help"
		}
		fmt.Fprintf(w, "%s\nRun '%s' for usage.\n", msg, help)
		return
	}
	fmt.Fprintf(w, "error: %s\n", safetext.Text(err.Error()))
}

// newStyle decides whether output on stream is coloured
// (console.StyleFor).
func newStyle(sys *system, stream io.Writer, noColor bool) console.Style {
	return console.StyleFor(noColor, sys.lookupEnv, sys.isTerminal(stream))
}
