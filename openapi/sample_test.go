package openapi_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// flow encodes a YAML value on one line.
func flow(t *testing.T, n *yaml.Node) string {
	t.Helper()
	var set func(*yaml.Node)
	set = func(n *yaml.Node) {
		n.Style = 0
		if n.Kind != yaml.ScalarNode {
			n.Style = yaml.FlowStyle
		}
		for _, c := range n.Content {
			set(c)
		}
	}
	set(n)
	b, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestExamples(t *testing.T) {
	tests := []struct {
		file, op, param string // param "" means the request body
		want            string
		written         bool
	}{
		{petstores[0], "listPets", "X-Request-Id", "5b2c1e9e-2d4b-4f57-9a7e-1e0c6f1a9b21", true},
		{petstores[2], "listPets", "X-Request-Id", "5b2c1e9e-2d4b-4f57-9a7e-1e0c6f1a9b21", true},
		{petstores[0], "listPets", "limit", "1", false},
		{petstores[0], "listPets", "tag", "[string]", false},
		{petstores[0], "createPet", "", "{name: Rex, tag: dog, secret: s3cr3t}", true},
		{petstores[1], "createPet", "", "{name: Rex, tag: dog, secret: s3cr3t}", true},
		{petstores[2], "createPet", "", "{name: string, tag: string, secret: string, born: \"2024-01-01\"}", false},
		{petstores[1], "showPetById", "petId", "0", false},
		{procoreDescription, "token", "", "{client_id: string, client_secret: string, grant_type: authorization_code, code: string, redirect_uri: string}", false},
		{procoreDescription, "listProjects", "filters[by_status]", "Active", false},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.param, func(t *testing.T) {
			d, _ := load(t, tt.file)
			op := d.Operation(tt.op)
			var got *yaml.Node
			var written bool
			if tt.param == "" {
				got, written = d.BodyExample(op.RequestBody.Content[0])
			} else {
				for _, p := range op.Parameters {
					if p.Name == tt.param {
						got, written = d.Example(p)
					}
				}
			}
			if got == nil {
				t.Fatalf("no example for %s %s", tt.op, tt.param)
			}
			if s := flow(t, got); s != tt.want || written != tt.written {
				t.Errorf("example = %s (written %v), want %s (written %v)", s, written, tt.want, tt.written)
			}
		})
	}
}

// TestBundledDescription loads the Procore description shipped in the
// binary, which is not listed as a collection.
func TestBundledDescription(t *testing.T) {
	d, err := openapi.Load(t.Context(), collections.Bundled(), "procore/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != 4 || d.Operation("listProjects") == nil {
		t.Errorf("bundled description has %d operations, want the 4 of the first call", len(d.Operations))
	}
	if collections.IsBundled("procore/openapi") {
		t.Errorf("IsBundled(procore/openapi) = true, want false: it is a description, not a collection")
	}
}
