package runner

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectLimits follows at most the limit of redirects, for the
// smallest limits too: 1 follows one, a negative limit none.
func TestRedirectLimits(t *testing.T) {
	var hits atomic.Int64
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		var n int
		fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
		if n == 0 {
			fmt.Fprint(w, "end")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})).URL
	tests := []struct {
		path  string
		limit int
		hits  int64
		want  string // the start of the error; "" means passed
	}{
		{"/chain/1", 1, 2, ""},
		{"/chain/2", 1, 2, "stopped after 1 redirects"},
		{"/chain/2", 2, 3, ""},
		{"/chain/1", -1, 1, "stopped after 0 redirects"},
		{"/chain/0", -1, 1, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s limit %d", tt.path, tt.limit), func(t *testing.T) {
			hits.Store(0)
			c := parse(t, "steps:\n  - name: s\n    GET: \"{{ base }}"+tt.path+"\"\n", "base")
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{MaxRedirects: tt.limit}})
			if got := hits.Load(); got != tt.hits {
				t.Errorf("the server saw %d requests, want %d", got, tt.hits)
			}
			if tt.want == "" {
				wantOutcomes(t, res, "passed")
				return
			}
			wantOutcomes(t, res, "error")
			if err := res.Steps[0].Err; !strings.Contains(err.Error(), tt.want) {
				t.Errorf("step Err = %v, want %q", err, tt.want)
			}
		})
	}
}
