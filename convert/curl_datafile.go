package convert

import (
	"fmt"
	"strings"
)

// curlDataFile sets the body of -d @FILE or --data-binary @FILE: the
// file's text through the file() template function, read relative to the
// collection's folder. Curl's default content type is kept. Several files,
// stdin (@-) or files mixed with other data are reported instead.
func (b *builder) curlDataFile(r *reqSpec, c *curlCommand, contentType string) {
	if len(c.dataFiles) > 1 || len(c.data) > 0 || c.dataFiles[0] == "-" || c.dataFiles[0] == "" {
		c.notes = append(c.notes, fmt.Sprintf("curl -d @%s: a body joined from files, stdin or other -d values is not supported; write it into body:",
			strings.Join(c.dataFiles, " @")))
		return
	}
	text := fmt.Sprintf("{{ file(%q) }}", c.dataFiles[0])
	r.raw = &text
	if contentType == "" {
		r.headers = append(r.headers, kv{"Content-Type", str("application/x-www-form-urlencoded")})
	}
	c.notes = append(c.notes, fmt.Sprintf("the body is read from %s, relative to the collection's folder", c.dataFiles[0]))
}
