package cmd

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// newManCommand is `callsheet man`: the manual page, made from the command
// definitions whenever it is asked for, so it always matches the binary.
func newManCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff), made from the commands' definitions",
		Description: "Install it with\n\n" +
			"  mkdir -p ~/.local/share/man/man1\n" +
			"  callsheet man > ~/.local/share/man/man1/callsheet.1\n\n" +
			"then read it with man callsheet.",
		OnUsageError: onUsageError("man"),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "man"}
			}
			// A fresh app: the definitions, without what running this
			// command added to c.App (its help subcommand).
			fmt.Fprint(sys.stdout, manPage(newApp(sys)))
			return nil
		},
	}
}
