package collections

import (
	"slices"
	"strings"
	"testing"
)

// TestMappings checks the list of the format's keys: no key twice in a
// mapping, and the order fmt writes them in holds the same keys.
func TestMappings(t *testing.T) {
	for _, m := range Mappings() {
		if len(slices.Compact(slices.Sorted(slices.Values(m.Keys)))) != len(m.Keys) {
			t.Errorf("%s lists a key twice: %v", m.Name, m.Keys)
		}
		if got, want := slices.Sorted(slices.Values(m.Order())), slices.Sorted(slices.Values(m.Keys)); !slices.Equal(got, want) {
			t.Errorf("%s is written in the order %v, which holds other keys than %v", m.Name, m.Order(), m.Keys)
		}
	}
}

// TestLoaderTakesMappingKeys checks that the loader accepts every key of
// a mapping and names the mapping as Mapping.Name does: a key that is no
// key of it is refused with the list of them.
func TestLoaderTakesMappingKeys(t *testing.T) {
	_, err := Parse("probe.yaml", []byte(`zzqqxx: 1
openapi: {file: api.yaml, zzqqxx: 1}
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
`), Options{})
	list, _ := err.(ErrorList)
	refused := map[string]string{}
	for _, e := range list {
		for _, m := range Mappings() {
			if e.Msg == `unknown key "zzqqxx" in `+m.Name || e.Msg == `unknown key "zzqqxx" in `+m.Name+` "p"` {
				refused[m.Name] = e.Hint
			}
		}
	}
	for _, m := range Mappings() {
		if m.Name == "predicates" {
			continue
		}
		if hint, want := refused[m.Name], "valid keys: "+strings.Join(m.Keys, ", "); hint != want {
			t.Errorf("unknown key in %s: hint %q, want %q", m.Name, hint, want)
		}
	}
}
