package convert

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// FileOptions are the options of ImportFile.
type FileOptions struct {
	// Name names the collection; the default is the file's base name
	// without its extension (curl and httpie: "imported curl", "imported
	// httpie"; OpenAPI: the description's title).
	Name string
	// Environment is a Postman environment file to convert too.
	Environment string
	// HAR are the options of a HAR import.
	HAR HAROptions
	// Single makes one collection of an OpenAPI description.
	Single bool
}

// ImportFile imports the file (a folder for bruno) at path in format:
// postman, insomnia, bruno, http, har or openapi.
func ImportFile(ctx context.Context, format, path string, opts FileOptions) (*Import, error) {
	name := opts.Name
	if name == "" {
		name = baseName(path)
	}
	switch format {
	case "bruno":
		if st, err := os.Stat(path); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("import bruno: %s is not a folder (give the collection's folder, which holds bruno.json)", path)
		}
		return ImportBruno(name, os.DirFS(path))
	case "openapi":
		d, err := openapi.LoadFile(ctx, path)
		if err != nil {
			return nil, err
		}
		return ImportOpenAPI(d, OpenAPIOptions{Single: opts.Single, Name: opts.Name})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch format {
	case "postman":
		return importPostmanFiles(data, opts.Environment)
	case "insomnia":
		return ImportInsomnia(name, data)
	case "http":
		return ImportHTTPFile(name, data)
	case "har":
		return ImportHAR(name, data, opts.HAR)
	}
	return nil, fmt.Errorf("no import of format %q from a file", format)
}

// importPostmanFiles imports a Postman collection and the environment
// file env, when it is not "".
func importPostmanFiles(data []byte, env string) (*Import, error) {
	var envData []byte
	if env != "" {
		var err error
		if envData, err = os.ReadFile(env); err != nil {
			return nil, err
		}
	}
	return ImportPostman(data, envData)
}

// ImportCommands imports the shell text of curl or httpie commands.
func ImportCommands(format, name, text string) (*Import, error) {
	if name == "" {
		name = "imported " + format
	}
	switch format {
	case "curl":
		return ImportCurl(name, text)
	case "httpie":
		return ImportHTTPie(name, text)
	}
	return nil, fmt.Errorf("no import of format %q from commands", format)
}

// baseName is the base name of path without its extension.
func baseName(path string) string {
	p := filepath.Base(strings.TrimRight(path, `/\`))
	return strings.TrimSuffix(p, filepath.Ext(p))
}

// IsCollection reports whether an imported file is a collection: a YAML
// file, but for the environments under env/.
func (f File) IsCollection() bool {
	return strings.HasSuffix(f.Name, ".yaml") && !strings.HasPrefix(f.Name, "env/")
}

// Check loads each collection im made from the files it made, so that a
// collection finds the files beside it, and returns the local files their
// steps send.
func (im *Import) Check() ([]string, error) {
	fsys := fstest.MapFS{}
	for _, f := range im.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	var sent []string
	for _, f := range im.Files {
		if !f.IsCollection() {
			continue
		}
		c, err := collections.LoadFS(fs.FS(fsys), f.Name, collections.Options{})
		if err != nil {
			return nil, fmt.Errorf("the imported collection does not load (please report this): %w", err)
		}
		sent = append(sent, FilesRead(c)...)
	}
	return sent, nil
}

// Write writes im's files into dir, the environments readable by the
// owner only, and returns the paths written, up to an error (unwrapped:
// it names the path).
func (im *Import) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range im.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(f.Name, ".env") || strings.HasPrefix(f.Name, "env/") {
			mode = 0o600
		}
		if err := os.WriteFile(p, f.Data, mode); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// Missing is a file an imported collection sends that is not in its
// folder.
type Missing struct {
	// Path is the file as the collection names it.
	Path string
	// Here says it is in the current folder, to copy beside the
	// collection.
	Here bool
}

// MissingFiles returns the relative paths of sent (Check) that are not in
// dir, the folder the collection was written to: curl's -F @file reads
// them from the current folder, a collection from its own.
func MissingFiles(dir string, sent []string) []Missing {
	var out []Missing
	for _, p := range sent {
		if filepath.IsAbs(p) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			continue
		}
		_, err := os.Stat(p)
		out = append(out, Missing{Path: p, Here: err == nil})
	}
	return out
}
