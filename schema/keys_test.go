package schema

import (
	"bytes"
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestSchemaKnowsLoaderKeys checks that the schema describes exactly the
// keys the loader accepts in every mapping (collections.Mappings), so
// that an editor completes every key and flags none that callsheet
// accepts.
func TestSchemaKnowsLoaderKeys(t *testing.T) {
	var doc struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(JSON, &doc); err != nil {
		t.Fatal(err)
	}
	props := func(raw json.RawMessage) []string {
		var obj struct {
			Properties map[string]json.RawMessage `json:"properties"`
			AnyOf      []json.RawMessage          `json:"anyOf"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatal(err)
		}
		for _, alt := range obj.AnyOf { // the mapping form of a key that also takes a scalar
			var o struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if json.Unmarshal(alt, &o) == nil && len(o.Properties) > 0 {
				obj.Properties = o.Properties
			}
		}
		var names []string
		for k := range obj.Properties {
			names = append(names, k)
		}
		slices.Sort(names)
		return names
	}
	var step, expect struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(doc.Defs["step"], &step); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Defs["expect"], &expect); err != nil {
		t.Fatal(err)
	}
	schemaKeys := map[string][]string{
		"collection":     props(JSON),
		"defaults":       props(doc.Properties["defaults"]),
		"step":           props(doc.Defs["step"]),
		"multipart part": props(doc.Defs["part"]),
		"retry":          props(step.Properties["retry"]),
		"expect":         props(doc.Defs["expect"]),
		"snapshot":       props(expect.Properties["snapshot"]),
		"openapi":        props(doc.Defs["openapi"]),
		"capture":        props(doc.Defs["capture"]),
		"authorize":      props(doc.Defs["authorize"]),
		"auth profile":   props(doc.Defs["authProfile"]),
		"load":           props(doc.Defs["loadTest"]),
		"stage":          props(doc.Defs["loadStage"]),
	}
	for _, m := range collections.Mappings() {
		if m.Name == "predicates" {
			continue // a check is an expected value or a predicate set: the schema does not list them
		}
		t.Run(m.Name, func(t *testing.T) {
			got, ok := schemaKeys[m.Name]
			if !ok {
				t.Fatalf("the format has %q mappings; add them to schemaKeys in this test", m.Name)
			}
			if want := slices.Sorted(slices.Values(m.Keys)); !slices.Equal(got, want) {
				t.Errorf("schema keys of %s = %v\nloader accepts %v", m.Name, got, want)
			}
		})
	}
	for name := range schemaKeys {
		if !slices.ContainsFunc(collections.Mappings(), func(m collections.Mapping) bool { return m.Name == name }) {
			t.Errorf("schemaKeys names %q, which is no mapping of collections.Mappings", name)
		}
	}
}

// TestDocsKnowKeys checks that the reference documents every key of
// every mapping of the format, written in backticks: docs/format.md, and
// docs/load.md for the load test's mappings.
func TestDocsKnowKeys(t *testing.T) {
	docFor := map[string]string{"load": "load.md", "stage": "load.md"}
	for _, m := range collections.Mappings() {
		name := cmp.Or(docFor[m.Name], "format.md")
		doc, err := os.ReadFile(filepath.Join("..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range m.Keys {
			if !bytes.Contains(doc, []byte("`"+k+"`")) && !bytes.Contains(doc, []byte("`"+k+":")) {
				t.Errorf("docs/%s does not document the key %s of %s (as `%s` or `%s: …`)", name, k, m.Name, k, k)
			}
		}
	}
}

// TestSchemaAcceptsEverySubject validates a collection that uses every
// check subject and capture source: the loader accepts it, so the schema
// must too.
func TestSchemaAcceptsEverySubject(t *testing.T) {
	src := []byte(`x-owner: team
name: every subject
tags: [smoke]
defaults: {timeout: 5s, headers: {Accept: application/json}}
steps:
  - name: all
    GET: http://example.test/
    retry: {count: 2, interval: 10ms, backoff: 2}
    expect:
      status: [200, 3xx]
      headers: {Content-Type: {contains: json}}
      json: {id: {gt: 0}}
      body: {contains: id}
      cookies: {session: {exists: true}}
      duration: {lt: 500}
      xpath: {"count(//li)": 3}
      css: {"code#c": {matches: '^[0-9a-f]+$'}}
      schema: {type: object}
      snapshot: {file: snapshots/all.json, ignore: [id]}
      assert: [res.status == 200]
    capture:
      session: {cookie: session}
      took: {duration: true}
      final: {url: true}
      hops: {redirects: true}
      code: {xpath: "//code"}
      code2: {css: "code#c"}
      page: {json: next_page, default: null}
  - name: snapshot as a path
    GET: http://example.test/2
    expect:
      snapshot: snapshots/two.json
      schema: schemas/two.json
      assert: res.status == 200
`)
	if _, err := collections.Parse("every.yaml", src, collections.Options{}); err != nil {
		t.Fatalf("Parse(every.yaml) error = %v", err)
	}
	inst, ok := instance(src)
	if !ok {
		t.Fatal("not YAML")
	}
	if err := compile(t).Validate(inst); err != nil {
		t.Errorf("Validate(every.yaml) error = %v, want nil", err)
	}
}
