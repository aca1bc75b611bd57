package runner

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSeedAndNowOptions(t *testing.T) {
	var got []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RawQuery)
	}))
	src := fmt.Sprintf("steps:\n  - GET: %s\n    query: {id: \"{{ uuid() }}\", n: \"{{ random_int(1, 1000000) }}\", day: \"{{ now() | format('2006-01-02') }}\"}\n", srv.URL)
	c := parse(t, src)
	frozen := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := Options{Templates: TemplateOptions{Seed: 99, Seeded: true, Now: func() time.Time { return frozen }}}
	runColl(t, nil, c, opts)
	runColl(t, nil, c, opts)
	if len(got) != 2 || got[0] != got[1] || !strings.Contains(got[0], "day=2030-01-02") {
		t.Errorf("queries = %q, want two equal queries with day=2030-01-02", got)
	}
}
