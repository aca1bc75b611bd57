package cmd

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// repeatableFlag is a slice flag whose help shows it once (--var NAME=VALUE),
// its usage saying that it repeats, instead of urfave/cli's
// "--var NAME=VALUE [ --var NAME=VALUE ]".
type repeatableFlag struct{ *cli.StringSliceFlag }

// IsSliceFlag reports false, so that help does not repeat the flag.
func (f repeatableFlag) IsSliceFlag() bool { return false }

// tidyHelp makes the help of cmds and their subcommands read cleanly: a
// boolean flag shows no "(default: false)" (not giving it is the default,
// whatever it does), a slice flag shows once, and a command with
// subcommands says COMMAND in its usage and lists no help command.
func tidyHelp(cmds []*cli.Command, parent string) {
	for _, c := range cmds {
		for i, f := range c.Flags {
			switch f := f.(type) {
			case *cli.BoolFlag:
				f.DisableDefaultText = true
			case *cli.StringSliceFlag:
				c.Flags[i] = repeatableFlag{f}
			}
		}
		if len(c.Subcommands) > 0 {
			c.HideHelpCommand = true
			if c.UsageText == "" {
				c.UsageText = fmt.Sprintf("%s %s COMMAND [flags] [ARGS...]", parent, c.Name)
			}
			tidyHelp(c.Subcommands, parent+" "+c.Name)
		}
	}
}

// String renders the flag's help line with this type's methods: urfave/cli
// calls String, which the embedded flag would render with its own.
func (f repeatableFlag) String() string { return cli.FlagStringer(f) }
