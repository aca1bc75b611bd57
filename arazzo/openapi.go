package arazzo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/callsheet/callsheet/openapi"
)

// OpenAPI is an OpenAPI description read by package openapi, as the
// engine reads it: its operations by operationId and by the JSON pointer
// of their place under paths. It implements API and OperationLister.
type OpenAPI struct {
	// Description is the description as package openapi reads it, for
	// contract checks with openapi.NewChecker.
	Description *openapi.Description
	// Location is where the description was read, a path or a URL.
	Location string

	byID  map[string]*Operation
	byPtr map[string]*Operation
	ids   []string
}

// NewOpenAPI makes the engine's view of a description read from location.
// Each operation's server URL is its first server's, with the defaults of
// its variables; a relative server URL (or none, which OpenAPI reads as
// /) is resolved against location when that is an http(s) URL, and is
// otherwise left relative, for Sources.Servers to replace.
func NewOpenAPI(d *openapi.Description, location string) *OpenAPI {
	a := &OpenAPI{Description: d, Location: location, byID: map[string]*Operation{}, byPtr: map[string]*Operation{}}
	for _, op := range d.Operations {
		o := &Operation{ID: op.ID, Method: op.Method, Path: op.Path, ServerURL: serverURL(op.Servers, location)}
		if op.RequestBody != nil && len(op.RequestBody.Content) > 0 {
			o.ContentType = op.RequestBody.Content[0].Type
		}
		for _, req := range op.Security {
			names := []string{}
			for _, r := range req {
				names = append(names, r.Scheme)
			}
			o.Security = append(o.Security, names)
		}
		a.byPtr[operationKey(op.Path, op.Method)] = o
		if op.ID != "" {
			a.byID[op.ID] = o
			a.ids = append(a.ids, op.ID)
		}
	}
	return a
}

// serverURL is the URL of the first server, with its variables' defaults,
// resolved against location when it is relative and location is remote.
func serverURL(servers []openapi.Server, location string) string {
	raw := "/"
	if len(servers) > 0 {
		s := servers[0]
		raw = openapi.ReplaceParams(s.URL, func(name string) string {
			for _, v := range s.Variables {
				if v.Name == name {
					return v.Default
				}
			}
			return "{" + name + "}"
		})
	}
	u, err := url.Parse(raw)
	if err != nil || u.IsAbs() || !isRemote(location) {
		return raw
	}
	base, err := url.Parse(location)
	if err != nil {
		return raw
	}
	return base.ResolveReference(u).String()
}

// operationKey is how operations are found by pointer: the path template
// and the method in lower case.
func operationKey(pathTemplate, method string) string {
	return strings.ToLower(method) + " " + pathTemplate
}

// OperationByID returns the operation whose operationId is id.
func (a *OpenAPI) OperationByID(id string) (*Operation, bool) {
	op, ok := a.byID[id]
	return op, ok
}

// OperationAt returns the operation at a JSON pointer such as
// /paths/~1pets~1{petId}/get, percent-encoded or not, as a URI fragment
// may write it.
func (a *OpenAPI) OperationAt(pointer string) (*Operation, bool) {
	if p, err := url.PathUnescape(pointer); err == nil {
		pointer = p
	}
	tokens, err := parsePointer(pointer)
	if err != nil || len(tokens) != 3 || tokens[0] != "paths" {
		return nil, false
	}
	op, ok := a.byPtr[operationKey(tokens[1], tokens[2])]
	if !ok || strings.ToLower(tokens[2]) != tokens[2] {
		return nil, false
	}
	return op, true
}

// OperationIDs lists the operationIds in document order.
func (a *OpenAPI) OperationIDs() []string { return a.ids }

// MaxOpenAPIFetch bounds how long ReadOpenAPI waits for a description
// fetched from a URL.
const MaxOpenAPIFetch = 30 * time.Second

// ReadOpenAPI returns a reader for Sources.OpenAPI that reads descriptions
// with package openapi: local files with openapi.LoadFile (their $refs to
// files beside them included), http(s) URLs through fetch (nil refuses
// them; such a description is read alone, and $refs to other files fail).
// The result of each read is an *OpenAPI.
func ReadOpenAPI(fetch func(ctx context.Context, location string) ([]byte, error)) func(ctx context.Context, location string) (API, error) {
	return func(ctx context.Context, location string) (API, error) {
		if !isRemote(location) {
			if _, err := os.Stat(location); err != nil {
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return nil, fmt.Errorf("cannot read %s: %w", displayPath(location), err)
			}
			d, err := openapi.LoadFile(ctx, location)
			if err != nil {
				return nil, describeLoadError(location, err)
			}
			return NewOpenAPI(d, location), nil
		}
		if fetch == nil {
			return nil, fmt.Errorf("cannot read %s: no fetcher for URLs was given", displayPath(location))
		}
		fctx, cancel := context.WithTimeout(ctx, MaxOpenAPIFetch)
		defer cancel()
		data, err := fetch(fctx, location)
		if err != nil {
			return nil, err
		}
		name := remoteName(location)
		d, err := openapi.Load(ctx, oneFile{name: name, data: data}, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", displayPath(location), err)
		}
		return NewOpenAPI(d, location), nil
	}
}

// describeLoadError says which description failed to load; openapi's
// errors already name the file and the place in it.
func describeLoadError(location string, err error) error {
	var list openapi.ErrorList
	var one *openapi.Error
	if errors.As(err, &list) || errors.As(err, &one) {
		return fmt.Errorf("the OpenAPI description does not load:\n%w", err)
	}
	return fmt.Errorf("cannot read %s: %w", displayPath(location), err)
}

// remoteName is the file name a fetched description is read under: the
// last segment of the URL's path.
func remoteName(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return "openapi.yaml"
	}
	name := path.Base(u.Path)
	if name == "." || name == "/" || !fs.ValidPath(name) {
		return "openapi.yaml"
	}
	return name
}

// oneFile is a file system of one file, a fetched description.
type oneFile struct {
	name string
	data []byte
}

func (f oneFile) Open(name string) (fs.File, error) {
	if name != f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &openFile{Reader: bytes.NewReader(f.data), name: f.name}, nil
}

// openFile is oneFile's file, opened.
type openFile struct {
	*bytes.Reader
	name string
}

func (f *openFile) Stat() (fs.FileInfo, error) { return fileInfo{f}, nil }
func (f *openFile) Close() error               { return nil }

type fileInfo struct{ f *openFile }

func (i fileInfo) Name() string       { return i.f.name }
func (i fileInfo) Size() int64        { return i.f.Size() }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }
