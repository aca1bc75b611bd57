package openapi_test

import (
	"errors"
	"net/url"
	"os"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

// FuzzLoad loads arbitrary bytes as a description: it never panics, every
// error it returns is located in the file, and what loads can be checked
// against.
func FuzzLoad(f *testing.F) {
	for _, file := range append(petstores, procoreDescription) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("openapi: 3.1.0\npaths: {/a: {get: {responses: {default: {$ref: '#/x'}}}}}\nx: {$ref: '#/x'}\n"))
	f.Add([]byte("swagger: \"2.0\"\npaths: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := openapi.Load(t.Context(), memFS(map[string]string{"api.yaml": string(data)}), "api.yaml")
		if err != nil {
			var list openapi.ErrorList
			var one *openapi.Error
			if !errors.As(err, &list) && !errors.As(err, &one) {
				t.Fatalf("Load() error %T %v: want an Error or ErrorList", err, err)
			}
			return
		}
		c, err := openapi.NewChecker(d)
		if err != nil {
			return
		}
		for _, op := range d.Operations {
			m, err := d.Find(op.Method, &url.URL{Path: "/" + op.Path})
			if err != nil {
				continue
			}
			c.CheckResponse(m, 200, nil, []byte(`{"a":[1,null,"x"]}`))
			c.CheckRequest(m, &url.URL{Path: op.Path, RawQuery: "a=1"}, nil, []byte(`[]`))
		}
	})
}
