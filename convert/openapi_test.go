package convert

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// TestImportOpenAPI imports descriptions of every version and checks the
// collections against goldens: each loads and validates, and is already
// in canonical form (fmt --check passes).
func TestImportOpenAPI(t *testing.T) {
	tests := []struct {
		name, file string
		opts       OpenAPIOptions
		golden     string
	}{
		{"a collection per tag", "testdata/openapi/shop.yaml", OpenAPIOptions{}, "openapi/shop.golden"},
		{"one collection", "testdata/openapi/shop.yaml", OpenAPIOptions{Single: true, Name: "Shop API"}, "openapi/shop-single.golden"},
		{"Swagger 2.0", "../openapi/testdata/petstore/swagger-2.0.yaml", OpenAPIOptions{}, "openapi/petstore-2.0.golden"},
		{"OpenAPI 3.1 JSON", "../openapi/testdata/petstore/openapi-3.1.json", OpenAPIOptions{Single: true}, "openapi/petstore-3.1.golden"},
		{"Procore", "../collections/procore/openapi.yaml", OpenAPIOptions{Single: true}, "openapi/procore.golden"},
		{"Twilio, large", "testdata/openapi/twilio_api_v2010.yaml", OpenAPIOptions{}, "openapi/twilio.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := openapi.LoadFile(context.Background(), tt.file)
			if err != nil {
				t.Fatalf("LoadFile(%s) error = %v", tt.file, err)
			}
			im, err := ImportOpenAPI(d, tt.opts)
			if err != nil {
				t.Fatalf("ImportOpenAPI() error = %v", err)
			}
			checkGolden(t, tt.golden, importText(t, im))
		})
	}
}

// importText lists the files of an import and its notes, checking that
// each collection loads and is in canonical form.
func importText(t *testing.T, im *Import) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, f := range im.Files {
		out.WriteString("-- " + f.Name + " --\n")
		out.Write(f.Data)
		if _, err := collections.Parse(f.Name, f.Data, collections.Options{}); err != nil {
			t.Errorf("collections.Parse(%s) error = %v", f.Name, err)
		}
		formatted, err := Format(f.Data)
		if err != nil {
			t.Errorf("Format(%s) error = %v", f.Name, err)
		} else if !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s is not in canonical form; Format gives:\n%s", f.Name, formatted)
		}
	}
	out.WriteString("-- notes --\n")
	for _, n := range im.Notes {
		out.WriteString(n.String() + "\n")
	}
	return out.Bytes()
}

func TestImportOpenAPIEscapesTemplates(t *testing.T) {
	for _, in := range []string{"{{not a template}}", "a {{ b }} c", "}}{{"} {
		if got := escapeTemplate(in); strings.Count(got, `{{ "{{" }}`) != strings.Count(in, "{{") {
			t.Errorf("escapeTemplate(%q) = %q", in, got)
		}
	}
}
