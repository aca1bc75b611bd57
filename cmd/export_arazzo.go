package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
)

// exportArazzoOptions are the flags of `callsheet export arazzo`.
type exportArazzoOptions struct {
	outDir, openAPI string
}

// newExportArazzoCommand is `callsheet export arazzo PATH [--openapi FILE]
// [-o DIR]`.
func newExportArazzoCommand(sys *system) *cli.Command {
	opts := &exportArazzoOptions{}
	return &cli.Command{
		Name:      "arazzo",
		Usage:     "write a collection as an Arazzo workflow, with an OpenAPI description of the operations it calls (or against --openapi FILE)",
		ArgsUsage: "PATH",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write NAME.arazzo.yaml (and NAME.openapi.yaml) into `DIR`", Destination: &opts.outDir},
			&cli.StringFlag{Name: "openapi", Usage: "refer to the OpenAPI description `FILE` instead of writing one (the document is then printed without -o)", Destination: &opts.openAPI},
		},
		OnUsageError: onUsageError("export arazzo"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{err: errors.New("export arazzo needs one PATH"), command: "export arazzo"}
			}
			if opts.outDir == "" && opts.openAPI == "" {
				return &usageError{err: errors.New("export arazzo writes the document and an OpenAPI description beside it: give -o DIR, or --openapi FILE to print the document alone"), command: "export arazzo"}
			}
			cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, false), c.Args().Slice(), nil)
			if err != nil {
				return err
			}
			if len(cols) != 1 {
				return &usageError{err: fmt.Errorf("export arazzo needs one collection file, not %d", len(cols)), command: "export arazzo"}
			}
			ex, err := convert.ExportArazzoFile(c.Context, cols[0], opts.openAPI, opts.outDir)
			if err != nil {
				return &usageError{err: err, command: "export arazzo"}
			}
			return writeArazzo(sys, opts, ex)
		},
	}
}

// writeArazzo prints the document or writes the files, and lists what was
// not exported on stderr.
func writeArazzo(sys *system, opts *exportArazzoOptions, ex *convert.Import) error {
	if opts.outDir == "" {
		sys.stdout.Write(ex.Files[0].Data)
	} else {
		written, err := ex.Write(opts.outDir)
		for _, p := range written {
			fmt.Fprintf(sys.stderr, "wrote %s\n", safetext.Line(p))
		}
		if err != nil {
			return fmt.Errorf("export arazzo: %w", err)
		}
	}
	console.NotExported(sys.stderr, ex.Notes, true)
	return nil
}
