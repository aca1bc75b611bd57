package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/openapi"
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
			ex, err := exportArazzo(c.Context, cols[0], opts)
			if err != nil {
				return &usageError{err: err, command: "export arazzo"}
			}
			return writeArazzo(sys, opts, ex)
		},
	}
}

// exportArazzo exports c and checks that the document it makes resolves.
func exportArazzo(ctx context.Context, c *collections.Collection, opts *exportArazzoOptions) (*convert.Import, error) {
	ao := convert.ArazzoOptions{Name: strings.TrimSuffix(path.Base(filepath.ToSlash(c.File)), ".yaml")}
	if opts.openAPI != "" {
		d, err := openapi.LoadFile(ctx, opts.openAPI)
		if err != nil {
			return nil, err
		}
		from := opts.outDir
		if from == "" {
			from = "."
		}
		abs, err := filepath.Abs(opts.openAPI)
		if err != nil {
			return nil, err
		}
		absFrom, err := filepath.Abs(from)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(absFrom, abs)
		if err != nil {
			rel = abs
		}
		ao.OpenAPI, ao.OpenAPIURL = d, filepath.ToSlash(rel)
	}
	ex, err := convert.ExportArazzo(c, ao)
	if err != nil {
		return nil, err
	}
	if err := checkArazzo(ctx, ex, opts.openAPI); err != nil {
		return nil, fmt.Errorf("the exported document does not resolve (please report this): %w", err)
	}
	return ex, nil
}

// checkArazzo loads the exported document and resolves its operations in
// the description written beside it, or in the given one.
func checkArazzo(ctx context.Context, ex *convert.Import, given string) error {
	fsys := fstest.MapFS{}
	for _, f := range ex.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	doc, err := arazzo.Parse(ex.Files[0].Name, ex.Files[0].Data)
	if err != nil {
		return err
	}
	read := func(ctx context.Context, location string) (arazzo.API, error) {
		if given != "" {
			return arazzo.ReadOpenAPI(nil)(ctx, given)
		}
		d, err := openapi.Load(ctx, fsys, filepath.Base(location))
		if err != nil {
			return nil, err
		}
		return arazzo.NewOpenAPI(d, location), nil
	}
	_, err = arazzo.Resolve(ctx, doc, arazzo.Sources{OpenAPI: read})
	return err
}

// writeArazzo prints the document or writes the files, and lists what was
// not exported on stderr.
func writeArazzo(sys *system, opts *exportArazzoOptions, ex *convert.Import) error {
	if opts.outDir == "" {
		sys.stdout.Write(ex.Files[0].Data)
	} else {
		if err := os.MkdirAll(opts.outDir, 0o755); err != nil {
			return fmt.Errorf("export arazzo: %w", err)
		}
		for _, f := range ex.Files {
			p := filepath.Join(opts.outDir, f.Name)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				return fmt.Errorf("export arazzo: %w", err)
			}
			fmt.Fprintf(sys.stderr, "wrote %s\n", safetext.Line(p))
		}
	}
	if len(ex.Notes) > 0 {
		fmt.Fprintf(sys.stderr, "not exported as it is (%d, also comments in the document):\n", len(ex.Notes))
		for _, n := range ex.Notes {
			fmt.Fprintf(sys.stderr, "  %s\n", safetext.Line(n.String()))
		}
	}
	return nil
}
