package convert

import (
	"path"

	"github.com/callsheet/callsheet/collections"
)

// FilesRead returns the local files the steps of c and of the files it
// includes send, as written (relative to c's folder): multipart file parts
// with a literal path, and bodies written as {{ file("path") }}. Import
// uses it to say which files must be copied next to an imported
// collection.
func FilesRead(c *collections.Collection) []string {
	var out []string
	for _, s := range c.Steps {
		if inc := s.Include(); inc != nil && inc.Collection != nil {
			for _, p := range FilesRead(inc.Collection) {
				out = append(out, path.Join(path.Dir(inc.Path), p))
			}
			continue
		}
		if s.Request() == nil || s.Request().Body == nil {
			continue
		}
		b := s.Request().Body
		for _, part := range b.Parts {
			if part.File != nil && part.File.IsLiteral() {
				out = append(out, part.File.Raw)
			}
		}
		if b.Kind == collections.BodyRaw && b.Raw != nil {
			if p, ok := fileBodyPath(b.Raw.Raw); ok {
				out = append(out, p)
			}
		}
	}
	return out
}
