package collections

import "testing"

// TestCompiledAtLoad checks that the loader keeps in the tree what it
// compiled: the XPath and CSS queries of checks and captures, the pattern
// of a regex capture and of a matches written as it is (not one that is a
// template).
func TestCompiledAtLoad(t *testing.T) {
	c := mustParse(t, `vars:
  p: "^a"
steps:
  - GET: https://example.com
    expect:
      xpath: {"count(//li)": 2}
      css: {"code#c": x}
      json:
        a: {matches: '^x+$'}
        b: {not_matches: '^y'}
        c: {matches: "{{ p }}"}
    capture:
      code: {xpath: "//code"}
      item: {css: "li"}
      word: {regex: 'w=(\w+)'}
`, Options{})
	s := c.Steps[0]
	e := s.Expect
	if q := e.XPath[0].Query; q == nil || !q.IsXPath() || q.Source != "count(//li)" {
		t.Errorf("xpath check query = %+v, want count(//li) compiled", q)
	}
	if q := e.CSS[0].Query; q == nil || q.IsXPath() {
		t.Errorf("css check query = %+v, want a selector", q)
	}
	if p := e.JSON[0].Predicates[0].Pattern; p == nil || !p.MatchString("xx") {
		t.Errorf("matches pattern = %v, want ^x+$", p)
	}
	if p := e.JSON[1].Predicates[0].Pattern; p == nil || p.String() != "^y" {
		t.Errorf("not_matches pattern = %v, want ^y", p)
	}
	if p := e.JSON[2].Predicates[0].Pattern; p != nil {
		t.Errorf("templated matches pattern = %v, want nil (compiled when evaluated)", p)
	}
	if c := s.Captures[0]; c.Markup == nil || !c.Markup.IsXPath() {
		t.Errorf("xpath capture = %+v, want a compiled query", c)
	}
	if c := s.Captures[1]; c.Markup == nil || c.Markup.IsXPath() {
		t.Errorf("css capture = %+v, want a compiled selector", c)
	}
	if c := s.Captures[2]; c.Pattern == nil || c.Pattern.NumSubexp() != 1 {
		t.Errorf("regex capture = %+v, want a compiled pattern", c)
	}
}
