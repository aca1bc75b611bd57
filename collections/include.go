package collections

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// MaxIncludeDepth bounds how deeply include: steps may nest.
const MaxIncludeDepth = 32

// Include is an include: step: it runs the steps of another collection
// inline, in a scope of its own seeded from Vars, and returns the
// captures of those steps to the including collection.
//
//   - name: login
//     include: login.yaml
//     vars:
//     user: "{{ admin_user }}"
type Include struct {
	// Pos is the position of the path.
	Pos Pos
	// Path is the path as written, relative to the including file's folder.
	Path string
	// File is the included file as the loader read it: Path joined to the
	// including file's folder.
	File string
	// Vars seed the included collection's scope. Their values are
	// templates evaluated in the including collection's scope; they win
	// over the included collection's own vars.
	Vars []*Var
	// Collection is the included collection, loaded and validated with the
	// including one.
	Collection *Collection
}

// includeFrame is one include: on the way to the file being loaded: file
// includes the next file at pos.
type includeFrame struct {
	file string
	pos  Pos
}

// includeChain is what a loader knows about the includes above it.
type includeChain struct {
	// fsys, when set, is the file system the files come from (LoadFS);
	// nil reads the disk.
	fsys fs.FS
	// frames are the includes that led to this file, outermost first.
	frames []includeFrame
}

// parseIn is Parse for a file of fsys: its includes are read from fsys
// (from the disk when fsys is nil).
func parseIn(fsys fs.FS, file string, src []byte, opts Options) (*Collection, error) {
	l := &loader{file: file, src: src, lines: splitLines(src), opts: opts, inc: includeChain{fsys: fsys}, bundled: fsys == bundled}
	c := l.parse()
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// includeStep parses an include: step: the path, the vars: beside it, then
// loads the included file with its own loader, whose errors join this
// one's. The captures of the included steps become the step's Captures (no
// source: the runner copies them back from the included run), so later
// steps may use them and they are secret when captured as secret.
func (l *loader) includeStep(s *Step, kind pair, ps []pair) {
	inc := &Include{Pos: l.pos(kind.value)}
	s.Action = inc
	for _, p := range ps {
		if p.key == "vars" {
			inc.Vars = l.vars(p.value)
		}
	}
	p, ok := l.str(kind.value, "include")
	if !ok {
		return
	}
	if strings.TrimSpace(p) == "" {
		l.errorAt(kind.value, "write the path of a collection file, relative to this file's folder", "include needs a file path")
		return
	}
	if strings.Contains(p, "{{") {
		l.errorAt(kind.value, "the included file is loaded with this one, before any variable exists", "include path must be plain text, not a template")
		return
	}
	inc.Path = p
	src, file, err := l.readInclude(p)
	if err != nil {
		l.errorAt(kind.value, "an included file must be inside the including file's folder or below it", "include %s: %v", p, err)
		return
	}
	inc.File = file
	if cycle := l.inc.cycle(l.file, file); cycle != nil {
		chain := append(cycle, fmt.Sprintf("%s includes %s (%s)", l.file, file, inc.Pos))
		l.errorAt(kind.value, "remove one of these include: steps", "include cycle: %s", strings.Join(chain, ", "))
		return
	}
	if len(l.inc.frames) >= MaxIncludeDepth {
		l.errorAt(kind.value, "", "includes nest deeper than %d files", MaxIncludeDepth)
		return
	}
	defined := append([]string{}, l.opts.Defined...)
	for _, v := range inc.Vars {
		defined = append(defined, v.Name)
	}
	child := &loader{
		file:  file,
		src:   src,
		lines: splitLines(src),
		opts:  Options{Defined: defined},
		inc:   includeChain{fsys: l.inc.fsys, frames: append(append([]includeFrame{}, l.inc.frames...), includeFrame{file: l.file, pos: inc.Pos})},
	}
	inc.Collection = child.parse()
	l.errs = append(l.errs, child.errs...)
	if inc.Collection == nil || len(child.errs) > 0 {
		return
	}
	for _, cp := range inc.Collection.exportedCaptures() {
		s.Captures = append(s.Captures, &Capture{Pos: inc.Pos, Name: cp.Name, Secret: cp.Secret})
	}
}

// exportedCaptures are the captures an include: of c returns: those of its
// steps (included ones too), the last of each name, in first-capture order.
func (c *Collection) exportedCaptures() []*Capture {
	var out []*Capture
	at := map[string]int{}
	for _, s := range c.Steps {
		for _, cp := range s.Captures {
			if i, ok := at[cp.Name]; ok {
				if out[i].Secret && !cp.Secret {
					c := *cp
					c.Secret = true
					cp = &c
				}
				out[i] = cp
				continue
			}
			at[cp.Name] = len(out)
			out = append(out, cp)
		}
	}
	return out
}

// cycle returns the chain of includes, as text, when file is one of the
// files being loaded (from, or a file including it); nil otherwise.
func (ic includeChain) cycle(from, file string) []string {
	same := func(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }
	files := make([]string, 0, len(ic.frames)+1)
	for _, f := range ic.frames {
		files = append(files, f.file)
	}
	files = append(files, from)
	for i, f := range files {
		if !same(f, file) {
			continue
		}
		chain := []string{}
		for j := i; j < len(ic.frames); j++ {
			next := from
			if j+1 < len(ic.frames) {
				next = ic.frames[j+1].file
			}
			chain = append(chain, fmt.Sprintf("%s includes %s (%s)", ic.frames[j].file, next, ic.frames[j].pos))
		}
		return chain
	}
	return nil
}

// errOutside is the error of an include path that leaves the including
// file's folder.
var errOutside = errors.New("the path leads out of the including file's folder")

// readInclude reads the file an include: names, relative to the folder of
// the file being loaded, with os.Root (or, for LoadFS, within fsys):
// neither "..", an absolute path nor a symbolic link can lead out of that
// folder's tree. It returns the content and the file's path as the
// loader names it.
func (l *loader) readInclude(p string) ([]byte, string, error) {
	if l.inc.fsys != nil {
		rel := path.Clean(p)
		if path.IsAbs(p) || !fs.ValidPath(rel) {
			return nil, "", errOutside
		}
		name := path.Join(path.Dir(l.file), rel)
		src, err := readFSFile(l.inc.fsys, name)
		if err != nil {
			return nil, "", unwrapPath(err)
		}
		return src, name, nil
	}
	dir := filepath.Dir(l.file)
	rel := filepath.FromSlash(p)
	if filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		return nil, "", errOutside
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", unwrapPath(err)
	}
	defer root.Close()
	f, err := root.Open(rel)
	if err != nil {
		return nil, "", unwrapPath(err)
	}
	defer f.Close()
	src, err := readCapped(f)
	if err != nil {
		return nil, "", unwrapPath(err)
	}
	return src, filepath.Join(dir, rel), nil
}

// unwrapPath shortens a *fs.PathError to its cause (the path is already
// in the message), naming an escape through a symbolic link.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil {
		if pe.Err.Error() == "path escapes from parent" {
			return errOutside
		}
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return errors.New("no such file")
		}
		return pe.Err
	}
	return err
}

// SourceOf returns the source of file: c's own, or that of a collection c
// includes (at any depth); nil when none is file. Errors and failures of
// included steps point into the included files.
func (c *Collection) SourceOf(file string) []byte {
	if c == nil {
		return nil
	}
	if file == "" || file == c.File {
		return c.Source
	}
	for _, s := range slices.Concat(c.Steps, c.Finally) {
		if inc := s.Include(); inc != nil && inc.Collection != nil {
			if src := inc.Collection.SourceOf(file); src != nil {
				return src
			}
		}
	}
	return nil
}

// IncludedProfile returns the auth profile called name that a file
// included by one of the first n steps of c declares, directly or through
// its own includes (which win over it), and the collection declaring it; nil when none does.
// When several includes declare the name, the last one wins, as at run
// time. Pass len(c.Steps) for n to search every include.
func (c *Collection) IncludedProfile(name string, n int) (*AuthProfile, *Collection) {
	for i := min(n, len(c.Steps)) - 1; i >= 0; i-- {
		inc := c.Steps[i].Include()
		if inc == nil || inc.Collection == nil {
			continue
		}
		// A nested include registers its profiles after the file that
		// includes it, so at run time it wins.
		if p, owner := inc.Collection.IncludedProfile(name, len(inc.Collection.Steps)); p != nil {
			return p, owner
		}
		if p := inc.Collection.Profile(name); p != nil {
			return p, inc.Collection
		}
	}
	return nil, nil
}

// includedProfileNames lists the names of the auth profiles declared by
// the files included by the first n steps of c.
func (c *Collection) includedProfileNames(n int) []string {
	var out []string
	for _, s := range c.Steps[:min(n, len(c.Steps))] {
		if inc := s.Include(); inc != nil && inc.Collection != nil {
			for _, p := range inc.Collection.Auth {
				out = append(out, p.Name)
			}
			out = append(out, inc.Collection.includedProfileNames(len(inc.Collection.Steps))...)
		}
	}
	return out
}
