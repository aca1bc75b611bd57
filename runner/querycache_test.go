package runner

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestMarkupQueriesSharedByRuns runs one collection many times at once
// with one Runner: each XPath expression and CSS selector is compiled once
// and evaluated concurrently (run with -race).
func TestMarkupQueriesSharedByRuns(t *testing.T) {
	base := contentServer(t)
	c := parse(t, fmt.Sprintf(`steps:
  - GET: %s/html
    expect:
      xpath:
        "//code[@id='authorization_code']": abc123
        "count(//li)": 2
      css:
        "code#authorization_code": abc123
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      items: {xpath: "count(//li)"}
      by_css: {css: "code#authorization_code"}
`, base))
	r := New(&http.Client{Timeout: testTimeout})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
				res := r.Run(ctx, c, Options{})
				cancel()
				if got := res.Steps[0].Outcome.String(); got != "passed" {
					t.Errorf("outcome %s, want passed\n%s", got, describe(res))
					return
				}
			}
		})
	}
	wg.Wait()
	for _, tt := range []struct {
		name string
		m    *sync.Map
		want int
	}{
		{"xpaths", &r.caches.xpaths.m, 2},
		{"selectors", &r.caches.selectors.m, 1},
	} {
		n := 0
		tt.m.Range(func(any, any) bool { n++; return true })
		if n != tt.want {
			t.Errorf("Runner caches %d %s, want %d", n, tt.name, tt.want)
		}
	}
}

// TestQueryCacheInvalid checks that a query the loader did not see (a
// collection built in code) still fails at run time, and is not cached.
func TestQueryCacheInvalid(t *testing.T) {
	var c caches
	if _, err := c.xpaths.get("count(//li"); err == nil {
		t.Error(`xpaths.get("count(//li") error = nil, want an error`)
	}
	if _, err := c.selectors.get("div["); err == nil {
		t.Error(`selectors.get("div[") error = nil, want an error`)
	}
	rn := &run{caches: &c}
	if _, problem := rn.xpathValue(&subject{}, "//a["); problem == "" {
		t.Error(`xpathValue("//a[") problem = "", want invalid XPath`)
	}
	c.xpaths.m.Range(func(k, _ any) bool { t.Errorf("invalid query %q cached", k); return true })
	c.selectors.m.Range(func(k, _ any) bool { t.Errorf("invalid selector %q cached", k); return true })
}
