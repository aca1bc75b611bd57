package openapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// LoadFile loads the description in the file at path. The files its
// $refs name are read relative to it, and must lie in its folder tree:
// the folder is opened with os.OpenRoot, so neither ../ nor a symbolic
// link leads out of it.
func LoadFile(ctx context.Context, file string) (*Description, error) {
	dir := filepath.Dir(file)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", file, err)
	}
	defer root.Close()
	return load(ctx, root.FS(), filepath.ToSlash(filepath.Base(file)), filepath.ToSlash(dir))
}

// Load loads the description in the file name of fsys; its $refs name
// other files of fsys, relative to it. Positions name files as fsys does.
func Load(ctx context.Context, fsys fs.FS, name string) (*Description, error) {
	return load(ctx, fsys, name, "")
}

// load reads the files, checks their references and structure with
// kin-openapi, then reads the model from the source.
func load(ctx context.Context, fsys fs.FS, name, display string) (*Description, error) {
	src := &source{fsys: fsys, display: display, files: map[string]*file{}}
	f, err := src.open(name)
	if err != nil {
		return nil, err
	}
	root := src.root(f)
	d := &Description{File: src.displayName(name), src: src}
	v3, v2 := root.str("openapi"), root.str("swagger")
	switch {
	case strings.HasPrefix(v3, "3."):
		d.Version = v3
	case v2 == "2.0":
		d.Version = v2
	default:
		return nil, &Error{Location: Location{File: d.File, Line: 1, Col: 1},
			Msg: fmt.Sprintf("not an OpenAPI 3 or Swagger 2.0 description: want openapi: 3.x or swagger: \"2.0\" (got %q)", v3+v2)}
	}
	if errs := src.checkRefs(); len(errs) > 0 {
		return nil, errs.err()
	}
	if err := validate(ctx, src, f, d.Version); err != nil {
		return nil, err
	}
	b := &builder{src: src, d: d}
	if d.Version == "2.0" {
		b.build2(root)
	} else {
		b.build3(root)
	}
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	if err := d.index(); err != nil {
		return nil, err
	}
	src.sealed = true
	return d, nil
}

// validate loads the description with kin-openapi, which resolves every
// reference, and checks its structure against the specification. Examples
// are not checked against their schemas: that is the API's business, and
// many published descriptions have a few that do not match.
func validate(ctx context.Context, src *source, f *file, version string) error {
	loader := &openapi3.Loader{Context: ctx, IsExternalRefsAllowed: true}
	loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" || u.Host != "" {
			return nil, errRemoteRef
		}
		g, err := src.open(strings.TrimPrefix(path.Clean(u.Path), "/"))
		if err != nil {
			return nil, err
		}
		return g.data, nil
	}
	location := &url.URL{Path: f.name}
	var doc *openapi3.T
	var err error
	if version == "2.0" {
		var doc2 openapi2.T
		if err = openapi2.UnmarshalFromData(f.data, &doc2); err == nil {
			doc, err = openapi2conv.ToV3WithLoader(&doc2, loader, location)
		}
	} else {
		doc, err = loader.LoadFromDataWithPath(f.data, location)
	}
	if err != nil {
		return &Error{Location: loadErrorLocation(src, f, err), Msg: err.Error()}
	}
	err = doc.Validate(ctx, openapi3.DisableExamplesValidation(), openapi3.EnableMultiError())
	if err == nil {
		return nil
	}
	var errs ErrorList
	for _, e := range multiErrors(err) {
		errs = append(errs, &Error{Location: src.locate(ref{file: f.name, ptr: validationPointer(e, version)}), Msg: e.Error()})
	}
	return errs.err()
}

// loadErrorLocation places a kin-openapi loading error: at the JSON
// pointer its message ends with, if any.
func loadErrorLocation(src *source, f *file, err error) Location {
	if m := regexp.MustCompile(` in (/\S*)$`).FindStringSubmatch(err.Error()); m != nil {
		return src.locate(ref{file: f.name, ptr: m[1]})
	}
	return Location{File: src.displayName(f.name)}
}

// multiErrors flattens kin-openapi's MultiError.
func multiErrors(err error) []error {
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		return []error{err}
	}
	var out []error
	for _, e := range me {
		out = append(out, multiErrors(e)...)
	}
	return out
}

// componentKeys maps kin-openapi's component sections to their keys in
// OpenAPI 3 and Swagger 2.0.
var componentKeys = map[string][2]string{
	"schema":          {"/components/schemas/", "/definitions/"},
	"parameter":       {"/components/parameters/", "/parameters/"},
	"response":        {"/components/responses/", "/responses/"},
	"security scheme": {"/components/securitySchemes/", "/securityDefinitions/"},
	"header":          {"/components/headers/", ""},
	"request body":    {"/components/requestBodies/", ""},
	"example":         {"/components/examples/", ""},
	"link":            {"/components/links/", ""},
	"callback":        {"/components/callbacks/", ""},
}

// validationPointer returns the JSON pointer of the element a kin-openapi
// validation error is about, from the context its error chain carries.
func validationPointer(err error, version string) string {
	ptr := ""
	v := 0
	if version == "2.0" {
		v = 1
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch c := e.(type) {
		case *openapi3.SectionValidationError:
			if c.Section != "components" && c.Section != "paths" {
				ptr = "/" + c.Section
			}
		case *openapi3.PathValidationError:
			ptr = "/paths/" + escapeToken(c.Path)
		case *openapi3.OperationValidationError:
			ptr += "/" + strings.ToLower(c.Method)
		case *openapi3.PathParametersError:
			ptr = "/paths/" + escapeToken(c.Path) + "/" + strings.ToLower(c.Method)
		case *openapi3.DuplicateOperationIDError:
			if method, p, ok := strings.Cut(c.Endpoint2, " "); ok {
				ptr = "/paths/" + escapeToken(p) + "/" + strings.ToLower(method) + "/operationId"
			}
		case *openapi3.ComponentValidationError:
			if keys, ok := componentKeys[c.Section]; ok && keys[v] != "" {
				ptr = keys[v] + escapeToken(c.Name)
			}
		}
	}
	return ptr
}
