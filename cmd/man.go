package cmd

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/internal/roff"
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
			page, err := manPage(c.App)
			if err != nil {
				return err
			}
			fmt.Fprint(sys.stdout, page)
			return nil
		},
	}
}

// manPage renders app's manual page in section 1.
func manPage(app *cli.App) (string, error) {
	page, err := app.ToManWithSection(1)
	if err != nil {
		return "", fmt.Errorf("man: %w", err)
	}
	return roff.EscapeRunes(strings.TrimLeft(page, "\n")), nil
}
