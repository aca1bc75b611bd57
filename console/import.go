package console

import (
	"fmt"
	"io"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
)

// ImportNotes prints on w, after an import into outDir ("" when it was
// printed), what the user must do for it to run and what it did not
// translate: the files not written, the files its collections send (sent)
// that are not beside them, how many script statements were translated,
// and the notes.
func ImportNotes(w io.Writer, outDir string, im *convert.Import, sent []string) {
	missingFiles(w, outDir, im, sent)
	if sc := im.Scripts; sc.Statements > 0 {
		fmt.Fprintf(w, "script statements translated: %d of %d (%d%%); steps with the rest fail until they are translated by hand\n",
			sc.Translated, sc.Statements, sc.Translated*100/sc.Statements)
	}
	if len(im.Notes) > 0 {
		fmt.Fprintf(w, "not translated (%d, kept as comments):\n", len(im.Notes))
		for _, n := range im.Notes {
			fmt.Fprintf(w, "  %s\n", safetext.Line(n.String()))
		}
	}
}

// missingFiles tells what the user must do for an import to run: copy
// the files the collection sends next to it when they are not there, and
// pass -o to get the files an import makes besides the collection (the
// Postman environment's dotenv file).
func missingFiles(w io.Writer, outDir string, im *convert.Import, sent []string) {
	if outDir == "" {
		for _, f := range im.Files {
			if !f.IsCollection() {
				fmt.Fprintf(w, "not written: %s (pass -o DIR to write it)\n", safetext.Line(f.Name))
			}
		}
		return
	}
	for _, m := range convert.MissingFiles(outDir, sent) {
		if m.Here {
			fmt.Fprintf(w, "copy %s into %s: the collection reads it relative to its own folder\n", safetext.Line(m.Path), safetext.Line(outDir))
		} else {
			fmt.Fprintf(w, "put %s into %s: the collection sends it\n", safetext.Line(m.Path), safetext.Line(outDir))
		}
	}
}

// NotExported prints on w what an export left out, when it left anything:
// the notes, with inDocument saying that they are also comments in the
// document written (an Arazzo export).
func NotExported(w io.Writer, notes []convert.Note, inDocument bool) {
	if len(notes) == 0 {
		return
	}
	if inDocument {
		fmt.Fprintf(w, "not exported as it is (%d, also comments in the document):\n", len(notes))
	} else {
		fmt.Fprintf(w, "not exported (%d):\n", len(notes))
	}
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", safetext.Line(n.String()))
	}
}
