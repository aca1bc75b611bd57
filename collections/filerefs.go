package collections

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// The files a collection names (multipart file parts, file() arguments,
// include: paths, schema: and snapshot: files) are read and written inside
// the folder of the file naming them, through os.Root. A file part, a
// file() argument or an include: path written literally that leads out of
// that folder is an error here, at load, so that nothing is sent; a path
// computed at run time, and a schema: or snapshot: file, is refused when
// its step runs.

// outsideHint is the hint of every error about such a path.
const outsideHint = "a collection reads and writes files only inside its folder and the folders below it"

// fileOutside reports whether p, a path the file being loaded names
// relative to its folder, leads out of that folder: through "..", as an
// absolute path (one inside the folder is accepted when absoluteOK), or,
// on disk, through a symbolic link to a file that exists.
func (l *loader) fileOutside(p string, absoluteOK bool) bool {
	dir := filepath.Dir(l.file)
	rel := filepath.FromSlash(p)
	if filepath.IsAbs(rel) {
		if !absoluteOK {
			return true
		}
		absDir, err := filepath.Abs(dir)
		if err != nil {
			return false
		}
		if rel, err = filepath.Rel(absDir, rel); err != nil || !filepath.IsLocal(rel) {
			return true
		}
	} else if !filepath.IsLocal(rel) {
		return true
	}
	if l.inc.fsys != nil {
		return false
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return false
	}
	defer root.Close()
	_, err = root.Stat(rel)
	return err != nil && unwrapPath(err) == errOutside
}

// checkFilePath reports an error at the string scalar written for p, a
// file the collection reads (what names it), when p leads out of the
// collection's folder.
func (l *loader) checkFilePath(n *yaml.Node, p, what string) {
	if l.fileOutside(p, true) {
		l.errorAt(n, outsideHint, "%s %q is outside the collection's folder", what, p)
	}
}

// checkFileTemplate is checkFilePath for a template, when it has no
// expression.
func (l *loader) checkFileTemplate(n *yaml.Node, t *Template, what string) {
	if t == nil || !t.IsLiteral() {
		return
	}
	var b strings.Builder
	for _, part := range t.Parts {
		b.WriteString(part.Literal)
	}
	l.checkFilePath(n, b.String(), what)
}

// compile compiles the expression src at pos, reporting the literal
// arguments of its file() calls that lead out of the collection's folder
// (file() takes no absolute path).
func (l *loader) compile(src string, pos Pos) (*Expr, error) {
	e, err := l.exprs.compile(src, pos)
	if err != nil {
		return nil, err
	}
	for _, f := range e.program.Files {
		if l.fileOutside(f.Path, false) {
			runes := []rune(src)
			at := advance(pos, src, len(string(runes[:min(f.From, len(runes))])))
			l.errorf(at, f.To-f.From, outsideHint, "file(%q) is outside the collection's folder", f.Path)
		}
	}
	return e, nil
}
