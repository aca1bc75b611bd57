package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
)

// warnImportFiles tells what the user must do for an import to run: copy
// the files the collection sends next to it when they are not there (the
// paths of curl's -F @file are read from the current directory, the
// collection's from its own folder), and pass -o to get the files an
// import makes besides the collection (the Postman environment's dotenv
// file).
func warnImportFiles(w io.Writer, outDir string, im *convert.Import, files []string) {
	if outDir == "" {
		for _, f := range im.Files {
			if !isCollectionFile(f.Name) {
				fmt.Fprintf(w, "not written: %s (pass -o DIR to write it)\n", safetext.Line(f.Name))
			}
		}
		return
	}
	for _, p := range files {
		if filepath.IsAbs(p) {
			continue
		}
		if _, err := os.Stat(filepath.Join(outDir, p)); err == nil {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			fmt.Fprintf(w, "copy %s into %s: the collection reads it relative to its own folder\n", safetext.Line(p), safetext.Line(outDir))
		} else {
			fmt.Fprintf(w, "put %s into %s: the collection sends it\n", safetext.Line(p), safetext.Line(outDir))
		}
	}
}
