package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ErrOutsideCollection is matched (with errors.Is) by the error of a file
// reference that leads out of the collection's folder: through "..", an
// absolute path elsewhere, or a symbolic link pointing outside.
var ErrOutsideCollection = errors.New("file is outside the collection's folder")

// collectionPath turns name, a path a collection refers to, into a path
// relative to the collection's folder, for an os.Root opened on that
// folder. An absolute name is accepted only inside the folder.
func collectionPath(collFile, name string) (dir, rel string, err error) {
	dir = filepath.Dir(collFile)
	if !filepath.IsAbs(name) {
		return dir, name, nil
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	rel, err = filepath.Rel(absDir, name)
	if err != nil || !filepath.IsLocal(rel) {
		return "", "", fmt.Errorf("%s: %w", name, ErrOutsideCollection)
	}
	return dir, rel, nil
}

// readCollectionFile reads name relative to the folder of the collection
// file collFile, with os.Root: neither "..", an absolute path elsewhere
// nor a symbolic link can lead out of that folder's tree.
func readCollectionFile(collFile, name string) ([]byte, error) {
	dir, rel, err := collectionPath(collFile, name)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	data, err := root.ReadFile(rel)
	if err != nil {
		return nil, outside(name, err)
	}
	return data, nil
}

// outside adds ErrOutsideCollection to the error of an os.Root that
// refused a path escaping it.
func outside(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent" {
		return fmt.Errorf("%s: %w", name, ErrOutsideCollection)
	}
	return err
}

// schemaLoader loads the schema files of a collection, and the files
// their $ref point to, with readCollectionFile: only file URLs inside the
// collection's folder tree (no http, no ../, no symbolic link out).
type schemaLoader struct{ collFile string }

// Load reads and decodes the schema at a file URL.
func (l schemaLoader) Load(url string) (any, error) {
	path, err := jsonschema.FileLoader{}.ToFile(url)
	if err != nil {
		return nil, err
	}
	data, err := readCollectionFile(l.collFile, path)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}
