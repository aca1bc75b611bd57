package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
)

// ExpandPath turns one PATH into collection files: the file itself, every
// *.yaml and *.yml file of a folder in name order (not recursive) but the
// OpenAPI descriptions Arazzo documents name (isOpenAPIName), or, when
// no such file or folder exists, a bundled collection's name (or Arazzo
// document's, procore/first-call.arazzo.yaml) or every collection of a
// bundled folder (procore/) (bundled is then true).
func ExpandPath(p string) (files []string, bundled bool, err error) {
	info, statErr := os.Stat(p)
	switch {
	case statErr == nil && info.IsDir():
		entries, err := os.ReadDir(p) // sorted by name
		if err != nil {
			return nil, false, err
		}
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") && !isOpenAPIName(e.Name()) {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, false, fmt.Errorf("%s: no *.yaml or *.yml file in this folder", p)
		}
		return files, false, nil
	case statErr == nil:
		return []string{p}, false, nil
	case collections.IsBundled(p), isBundledArazzo(p):
		return []string{p}, true, nil
	case len(collections.BundledIn(p)) > 0:
		return collections.BundledIn(p), true, nil
	case errors.Is(statErr, os.ErrNotExist):
		return nil, false, fmt.Errorf("%s: no such file, folder or bundled collection", p)
	default:
		return nil, false, statErr
	}
}

// Load loads every collection paths name, in order, and validates each
// against the variables defined outside it. It returns the collections
// that loaded and, in the same order, the errors of those that did not
// (a PATH that names nothing, a collections.ErrorList): all of them, so
// that a caller shows every problem before it sends anything.
// An Arazzo document (IsArazzo) is an error: see LoadAll.
func Load(paths []string, defined []string) ([]*collections.Collection, []error) {
	cols, _, errs := load(paths, defined, nil)
	return cols, errs
}

// LoadAll is Load, taking Arazzo documents too, for `callsheet
// validate`: each gives a collection per workflow whose steps name the
// workflow's steps and send nothing (arazzo.go). vars say where source
// descriptions are (a variable named like one); those at http(s) URLs
// are not fetched but refused (arazzo_remote.go). A run loads them with
// Session.Load.
func LoadAll(paths []string, defined []string, vars map[string]any) ([]*collections.Collection, []error) {
	cols, _, errs := load(paths, defined, &arazzoLoad{vars: vars, validate: true})
	return cols, errs
}

// load is Load, with the workflows of the collections made from Arazzo
// documents as az says (nil refuses them).
func load(paths []string, defined []string, az *arazzoLoad) ([]*collections.Collection, map[*collections.Collection]*flow, []error) {
	opts := collections.Options{Defined: defined}
	var (
		cols  []*collections.Collection
		errs  []error
		flows = map[*collections.Collection]*flow{}
	)
	for _, p := range paths {
		files, bundled, err := ExpandPath(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			if IsArazzo(f) && az == nil {
				errs = append(errs, fmt.Errorf("%s is an Arazzo document, which only callsheet run and callsheet validate take", f))
				continue
			}
			if IsArazzo(f) {
				cs, fs, err := loadArazzo(f, bundled, defined, az)
				if err != nil {
					errs = append(errs, err)
				}
				for i, c := range cs {
					cols, flows[c] = append(cols, c), fs[i]
				}
				continue
			}
			var c *collections.Collection
			if bundled {
				c, err = collections.LoadBundled(f, opts)
			} else {
				c, err = collections.Load(f, opts)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			cols = append(cols, c)
		}
	}
	return cols, flows, errs
}

// filesOf lists the files a run of c reads: the collection, the files it
// includes and the files of multipart parts whose path is fixed. A bundled
// collection reads none.
func filesOf(c *collections.Collection) []string {
	var out []string
	if _, err := os.Stat(c.File); err != nil {
		return nil // bundled
	}
	out = append(out, c.File)
	for _, s := range c.Steps {
		if s.Include() != nil && s.Include().Collection != nil {
			out = append(out, filesOf(s.Include().Collection)...)
		}
		if s.Request() == nil || s.Request().Body == nil {
			continue
		}
		for _, part := range s.Request().Body.Parts {
			if part.File == nil || !part.File.IsLiteral() {
				continue
			}
			p, err := part.File.Render(eval.NewScope(nil))
			if err != nil {
				continue
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(c.File), p)
			}
			out = append(out, p)
		}
	}
	return out
}
