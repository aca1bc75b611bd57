package convert

import (
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/callsheet/callsheet/collections"
)

// fileBodyRE matches a body that is one file("path") call with a literal
// path.
var fileBodyRE = regexp.MustCompile(`^\{\{\s*file\(("(?:[^"\\]|\\.)*")\)\s*\}\}$`)

// fileBodyPath returns the literal path of a body template that is one
// file("path") call, as written.
func fileBodyPath(raw string) (string, bool) {
	m := fileBodyRE.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	p, err := strconv.Unquote(m[1])
	return p, err == nil && p != ""
}

// bodyFile returns the path, as curl reads it from the current directory,
// of a body written as {{ file("path") }}, so that the command sends the
// file with --data-binary @path instead of its text.
func (e *CurlExporter) bodyFile(t *collections.Template) (string, bool) {
	if t == nil {
		return "", false
	}
	p, ok := fileBodyPath(t.Raw)
	if !ok {
		return "", false
	}
	if !filepath.IsAbs(p) && e.coll.File != "" {
		p = filepath.Join(filepath.Dir(e.coll.File), p)
	}
	return p, true
}
