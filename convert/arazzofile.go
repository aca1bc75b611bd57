package convert

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// ExportArazzoFile exports the collection c as an Arazzo document named
// after its file, with an OpenAPI description beside it or, when openAPI
// is not "", referring to the description in the file openAPI, relative
// to dir, the folder the document goes to ("" for the current one). It
// checks that the document made resolves.
func ExportArazzoFile(ctx context.Context, c *collections.Collection, openAPI, dir string) (*Import, error) {
	ao := ArazzoOptions{Name: strings.TrimSuffix(path.Base(filepath.ToSlash(c.File)), ".yaml")}
	if openAPI != "" {
		d, err := openapi.LoadFile(ctx, openAPI)
		if err != nil {
			return nil, err
		}
		from := dir
		if from == "" {
			from = "."
		}
		abs, err := filepath.Abs(openAPI)
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
	ex, err := ExportArazzo(c, ao)
	if err != nil {
		return nil, err
	}
	if err := checkArazzo(ctx, ex, openAPI); err != nil {
		return nil, fmt.Errorf("the exported document does not resolve (please report this): %w", err)
	}
	return ex, nil
}

// checkArazzo loads the exported document and resolves its operations in
// the description written beside it, or in the given one.
func checkArazzo(ctx context.Context, ex *Import, given string) error {
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
