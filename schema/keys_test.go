package schema

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// loaderKeys returns the keys the loader accepts in each kind of mapping,
// read from its "unknown key" errors (whose hint lists the valid keys when
// no key is close to the one written), keyed by the mapping's name in
// those errors ("collection", "step", "expect", …).
func loaderKeys(t *testing.T) map[string][]string {
	t.Helper()
	const probe = `zzqqxx: 1
defaults: {zzqqxx: 1}
auth:
  p: {grant: bearer, token: t, zzqqxx: 1}
steps:
  - GET: http://example.test/
    zzqqxx: 1
    multipart:
      f: {file: a.txt, zzqqxx: 1}
    retry: {count: 2, zzqqxx: 1}
    expect:
      zzqqxx: 1
      snapshot: {file: s.json, zzqqxx: 1}
    capture:
      a: {json: a, zzqqxx: 1}
  - authorize: {url: http://example.test/a, client_id: c, redirect_uri: http://example.test/r, zzqqxx: 1}
load:
  zzqqxx: 1
  stages: [{duration: 1s, target: 1, zzqqxx: 1}]
`
	_, err := collections.Parse("probe.yaml", []byte(probe), collections.Options{})
	var list collections.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Parse(probe) error = %v, want a collections.ErrorList", err)
	}
	keys := map[string][]string{}
	for _, e := range list {
		what, ok := strings.CutPrefix(e.Msg, `unknown key "zzqqxx" in `)
		what, _, _ = strings.Cut(what, ` "`) // auth profile "p"
		valid, ok2 := strings.CutPrefix(e.Hint, "valid keys: ")
		if !ok || !ok2 {
			t.Fatalf("Parse(probe) error %q, want an unknown key with the list of valid keys", e)
		}
		keys[what] = strings.Split(valid, ", ")
	}
	return keys
}

// TestSchemaKnowsLoaderKeys checks that the schema describes exactly the
// keys the loader accepts in every mapping, so that an editor completes
// every key and flags none that callsheet accepts.
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
		"capture":        props(doc.Defs["capture"]),
		"authorize":      props(doc.Defs["authorize"]),
		"auth profile":   props(doc.Defs["authProfile"]),
		"load":           props(doc.Defs["loadTest"]),
		"stage":          props(doc.Defs["loadStage"]),
	}
	loader := loaderKeys(t)
	for what, want := range loader {
		t.Run(what, func(t *testing.T) {
			got, ok := schemaKeys[what]
			if !ok {
				t.Fatalf("the loader checks the keys of %q mappings; add them to schemaKeys in this test", what)
			}
			want = slices.Sorted(slices.Values(want))
			if !slices.Equal(got, want) {
				t.Errorf("schema keys of %s = %v\nloader accepts %v", what, got, want)
			}
		})
	}
	for what := range schemaKeys {
		if _, ok := loader[what]; !ok {
			t.Errorf("the probe collection did not report the keys of %q (did the loader's message change?)", what)
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
