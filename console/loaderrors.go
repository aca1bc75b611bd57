package console

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/callsheet/callsheet/collections"
)

// LoadErrors renders on w the errors of collections that did not load, a
// blank line between two: every collection error with its source excerpt,
// or the plain error (an unreadable file).
func LoadErrors(w io.Writer, st Style, errs []error) {
	for i, err := range errs {
		if i > 0 {
			fmt.Fprintln(w) // a blank line between collections
		}
		loadError(w, st, err)
	}
}

// loadError shows why a collection did not load: every collection
// error with its source excerpt, or the plain error (an unreadable file).
func loadError(w io.Writer, st Style, err error) {
	sources := make(map[string][]byte)
	var list collections.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			if _, ok := sources[e.Pos.File]; !ok {
				sources[e.Pos.File] = sourceOf(e.Pos.File)
			}
		}
	}
	fmt.Fprint(w, st.Errors(collections.RenderErrors(err, sources)))
}

// sourceOf reads a collection file again to quote it in an error: from disk,
// else from the bundled collections. It is only called when a collection
// failed to load; nil means no excerpt.
func sourceOf(file string) []byte {
	if src, err := os.ReadFile(file); err == nil {
		return src
	}
	if src, err := fs.ReadFile(collections.Bundled(), file); err == nil {
		return src
	}
	return nil
}
