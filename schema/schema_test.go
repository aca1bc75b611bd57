package schema

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// semantic are invalid test files whose problem a JSON Schema cannot see
// (names, templates, regexes, YAML limits): the loader rejects them, the
// schema need not. Every other invalid file must fail the schema.
var semantic = map[string]string{
	"alias-bomb.yaml":           "a YAML size limit",
	"bad-captures.yaml":         "capture sources that conflict",
	"bad-names.yaml":            "duplicate or reserved names",
	"bad-predicate-values.yaml": "predicate values checked by type of subject",
	"bad-regex.yaml":            "a regex that does not compile",
	"bad-markup-query.yaml":     "an XPath expression or CSS selector that does not compile",
	"bad-secret.yaml":           "a secret naming an unknown variable",
	"block-scalar.yaml":         "a template error inside a block scalar",
	"captured-later.yaml":       "a variable captured by a later step",
	"deep-nesting.yaml":         "a YAML depth limit",
	"duplicate-key.yaml":        "a duplicate key (YAML decoders keep the last)",
	"duplicate-step-name.yaml":  "duplicate step names",
	"mixed-predicates.yaml":     "predicates mixed with other keys",
	"tabs-in-line.yaml":         "an undefined variable",
	"template-syntax.yaml":      "an expression syntax error",
	"undefined-variable.yaml":   "an undefined variable",
	"unknown-predicate.yaml":    "a misspelt predicate that reads as an expected object",
	"bad-type.yaml":             "an unknown type name",
	"jsonpath.yaml":             "JSONPath where a gjson path is expected",
}

func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON))
	if err != nil {
		t.Fatalf("UnmarshalJSON(schema) error = %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("collection.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("collection.schema.json")
	if err != nil {
		t.Fatalf("Compile(schema) error = %v", err)
	}
	return s
}

// instance reads a YAML collection as the JSON value the schema checks;
// ok is false when it is not YAML at all.
func instance(src []byte) (any, bool) {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil || v == nil {
		return nil, false
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	return inst, err == nil
}

func TestSchemaAcceptsValidCollections(t *testing.T) {
	s := compile(t)
	files := map[string][]byte{}
	for _, name := range collections.BundledNames() {
		src, err := fs.ReadFile(collections.Bundled(), name+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		files["bundled "+name] = src
		if !bytes.HasPrefix(src, []byte("# yaml-language-server: $schema=")) {
			t.Errorf("bundled %s does not start with the yaml-language-server schema comment", name)
		}
	}
	valid, _ := filepath.Glob("../collections/testdata/valid/*.yaml")
	for _, p := range valid {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = src
	}
	if len(files) < 2 {
		t.Fatalf("found %d collections, want the bundled and valid ones", len(files))
	}
	for name, src := range files {
		t.Run(name, func(t *testing.T) {
			inst, ok := instance(src)
			if !ok {
				t.Fatal("not YAML")
			}
			if err := s.Validate(inst); err != nil {
				t.Errorf("Validate(%s) error = %v, want nil", name, err)
			}
		})
	}
}

func TestSchemaRejectsInvalidCollections(t *testing.T) {
	s := compile(t)
	files, _ := filepath.Glob("../collections/testdata/invalid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no invalid test files")
	}
	for _, p := range files {
		base := filepath.Base(p)
		t.Run(strings.TrimSuffix(base, ".yaml"), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			inst, ok := instance(src)
			if !ok {
				return // not YAML (or empty): nothing for a schema to check
			}
			err = s.Validate(inst)
			if why, ok := semantic[base]; ok {
				t.Logf("schema need not reject it: %s (Validate error = %v)", why, err != nil)
				return
			}
			if err == nil {
				t.Errorf("Validate(%s) = nil, want an error: the schema must reject what the loader rejects for its structure (or list the file in semantic with the reason)", base)
			}
		})
	}
}
