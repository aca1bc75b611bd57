package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
)

// newFmtCommand is `callsheet fmt [--check] FILE...`.
func newFmtCommand(sys *system) *cli.Command {
	var check bool
	return &cli.Command{
		Name:      "fmt",
		Usage:     "rewrite collections in canonical form (key order, quoting), keeping comments",
		ArgsUsage: "FILE...",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "check", Usage: "change nothing; list the files that are not formatted and exit 1", Destination: &check},
		},
		OnUsageError: onUsageError("fmt"),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return &usageError{err: errors.New("missing FILE"), command: "fmt"}
			}
			code := ExitOK
			for _, path := range c.Args().Slice() {
				src, err := os.ReadFile(path)
				if err != nil {
					return &usageError{err: err, command: "fmt"}
				}
				out, err := convert.Format(src)
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if bytes.Equal(src, out) {
					continue
				}
				if check {
					fmt.Fprintln(sys.stdout, safetext.Line(path))
					code = ExitFailed
					continue
				}
				info, err := os.Stat(path)
				if err != nil {
					return fmt.Errorf("fmt: %w", err)
				}
				if err := os.WriteFile(path, out, info.Mode().Perm()); err != nil {
					return fmt.Errorf("fmt: %w", err)
				}
				fmt.Fprintf(sys.stderr, "formatted %s\n", safetext.Line(path))
			}
			return codeError(code)
		},
	}
}
