package asyncapi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// FuzzParse checks that Parse returns a document or an ErrorList, and
// follows every $ref of a document without looping or panicking.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("asyncapi: 3.0.0\nchannels:\n  a: &x {$ref: '#/channels/a'}\n  b: *x\n"))
	f.Add([]byte("asyncapi: 2.6.0\nchannels:\n  c: {publish: {operationId: o, message: {oneOf: [{$ref: '#/channels'}]}}}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("f.yaml", src)
		if err == nil {
			if d == nil {
				t.Fatal("Parse returned neither a document nor an error")
			}
			return
		}
		var list collections.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %v is not a non-empty ErrorList", err)
		}
	})
}
