package collections

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// bundled holds the collections shipped inside the binary.
//
//go:embed procore/*.yaml
var bundled embed.FS

// Bundled returns the collections shipped inside the binary, as a read-only
// file system whose files are named like procore/first-call.yaml. Beside
// them, procore/openapi.yaml describes the API they call, and
// procore/first-call.arazzo.yaml is the first call as an Arazzo workflow.
func Bundled() fs.FS { return bundled }

// bundledFile maps a bundled collection's name, with or without the .yaml
// extension, to its file in Bundled.
func bundledFile(name string) string {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if !strings.HasSuffix(name, ".yaml") {
		name += ".yaml"
	}
	return name
}

// IsBundled reports whether name (such as procore/first-call, with or
// without .yaml) is a bundled collection.
func IsBundled(name string) bool {
	if name == "" || isDescription(bundledFile(name)) {
		return false
	}
	info, err := fs.Stat(bundled, bundledFile(name))
	return err == nil && !info.IsDir()
}

// isDescription reports whether a bundled file is the OpenAPI description
// or an Arazzo workflow shipped beside its folder's collections
// (procore/openapi.yaml, procore/first-call.arazzo.yaml) rather than a
// collection.
func isDescription(file string) bool {
	return path.Base(file) == "openapi.yaml" || strings.HasSuffix(file, ".arazzo.yaml")
}

// BundledNames lists the bundled collections' names without extension,
// sorted: procore/first-call, …
func BundledNames() []string {
	files, _ := fs.Glob(bundled, "*/*.yaml")
	var names []string
	for _, f := range files {
		if !isDescription(f) {
			names = append(names, strings.TrimSuffix(f, ".yaml"))
		}
	}
	sort.Strings(names)
	return names
}

// BundledIn lists, sorted, the names of the bundled collections in the
// bundled folder dir (such as procore or procore/), or none when dir is
// not one.
func BundledIn(dir string) []string {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	if dir == "" {
		return nil
	}
	var names []string
	for _, name := range BundledNames() {
		if path.Dir(name) == dir {
			names = append(names, name)
		}
	}
	return names
}

// LoadBundled loads the bundled collection name (such as procore/first-call,
// with or without .yaml). Positions name the file as procore/first-call.yaml;
// render errors with the source read from Bundled.
func LoadBundled(name string, opts Options) (*Collection, error) {
	if !IsBundled(name) {
		return nil, fmt.Errorf("load %s: no bundled collection of that name (bundled: %s)", name, strings.Join(BundledNames(), ", "))
	}
	return LoadFS(bundled, bundledFile(name), opts)
}
