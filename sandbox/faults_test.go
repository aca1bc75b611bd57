package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"
)

// statuses sends n requests for path with header and returns their
// statuses and Retry-After values.
func statuses(t *testing.T, srv *Server, n int, path string, header http.Header) (codes []int, retries []string) {
	t.Helper()
	for range n {
		r := send(t, srv, nil, http.MethodGet, path, header, nil)
		codes = append(codes, r.status)
		retries = append(retries, r.header.Get("Retry-After"))
	}
	return codes, retries
}

func TestFailRate(t *testing.T) {
	t.Parallel()
	const n = 40
	cfg := Config{FailRate: 0.5, FailStatus: 502, FailRetryAfter: 1500 * time.Millisecond, Seed: "faults"}
	first, retries := statuses(t, newTestServer(t, cfg), n, "/oauth/authorize/x", nil)
	failed := 0
	for i, code := range first {
		switch {
		case code == 502 && retries[i] == "2":
			failed++
		case code == 200 && retries[i] == "":
		default:
			t.Errorf("request %d = %d Retry-After %q, want 502 with 2 or 200 without", i, code, retries[i])
		}
	}
	if failed == 0 || failed == n {
		t.Errorf("%d of %d requests failed at rate 0.5, want some but not all", failed, n)
	}
	if again, _ := statuses(t, newTestServer(t, cfg), n, "/oauth/authorize/x", nil); !slices.Equal(first, again) {
		t.Errorf("same seed, other faults:\n%v\n%v", first, again)
	}
	cfg.Seed = "other faults"
	if other, _ := statuses(t, newTestServer(t, cfg), n, "/oauth/authorize/x", nil); slices.Equal(first, other) {
		t.Errorf("another seed, the same faults: %v", other)
	}
	for _, tt := range []struct {
		rate float64
		want int
	}{{1, 503}, {0, 200}} {
		codes, retries := statuses(t, newTestServer(t, Config{FailRate: tt.rate}), 3, "/oauth/authorize/x", nil)
		if !slices.Equal(codes, []int{tt.want, tt.want, tt.want}) || !slices.Equal(retries, []string{"", "", ""}) {
			t.Errorf("FailRate %v: %v Retry-After %q, want %d each and no Retry-After", tt.rate, codes, retries, tt.want)
		}
	}
}

func TestFailPaths(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{FailRate: 1, FailPaths: []string{"/rest/", "/oauth/token/info"}})
	tok := login(t, srv) // /oauth/authorize and /oauth/token are spared
	for path, want := range map[string]int{
		"/rest/v1.0/me":     503,
		"/rest/v1.0/nope":   503,
		"/oauth/token/info": 503,
		"/oauth/revoke":     404, // not on a fail path: routed (a GET)
	} {
		if r := apiGet(t, srv, path, tok.AccessToken, ""); r.status != want {
			t.Errorf("GET %s = %d, want %d", path, r.status, want)
		}
	}
}

func TestFailHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cfg         Config
		header      string // Sandbox-Fail
		query       string // sandbox_fail, when header is empty
		wantCodes   []int
		wantRetries []string
	}{
		{"status and retry-after", Config{}, "503;retry-after=2", "", []int{503, 503}, []string{"2", "2"}},
		{"query twin", Config{}, "", "500", []int{500}, []string{""}},
		{"times: retries then succeed", Config{}, "503; times=2; retry-after=1", "", []int{503, 503, 200}, []string{"1", "1", ""}},
		{"rate 0 never fails", Config{}, "503;rate=0", "", []int{200, 200}, []string{"", ""}},
		{"none overrides the configured faults", Config{FailRate: 1}, "none", "", []int{200, 200}, []string{"", ""}},
		{"header replaces the configured fault", Config{FailRate: 1, FailRetryAfter: time.Minute}, "429", "", []int{429}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.cfg)
			path, header := "/oauth/authorize/x", http.Header{}
			if tt.header != "" {
				header.Set(FailHeader, tt.header)
			} else {
				path += "?" + url.Values{"sandbox_fail": {tt.query}}.Encode()
			}
			codes, retries := statuses(t, srv, len(tt.wantCodes), path, header)
			if !slices.Equal(codes, tt.wantCodes) || !slices.Equal(retries, tt.wantRetries) {
				t.Errorf("statuses %v Retry-After %q, want %v %q", codes, retries, tt.wantCodes, tt.wantRetries)
			}
		})
	}
}

// TestFailTimesKeys checks that times= counts per method, path and value.
func TestFailTimesKeys(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	once := http.Header{FailHeader: {"503;times=1"}}
	for i, tt := range []struct {
		path   string
		header http.Header
		want   int
	}{
		{"/oauth/authorize/a", once, 503},
		{"/oauth/authorize/a", once, 200},
		{"/oauth/authorize/b", once, 503}, // another path
		{"/oauth/authorize/a", http.Header{FailHeader: {"503;times=1;retry-after=1"}}, 503}, // another value
	} {
		if r := send(t, srv, nil, http.MethodGet, tt.path, tt.header, nil); r.status != tt.want {
			t.Errorf("request %d: GET %s %v = %d, want %d", i, tt.path, tt.header, r.status, tt.want)
		}
	}
}

func TestFailCountsBounded(t *testing.T) {
	s := New(Config{})
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range MaxFailCounts + 10 {
		s.countFailureLocked(strconv.Itoa(i))
	}
	if len(s.failCounts) != MaxFailCounts || len(s.failOrder) != MaxFailCounts || s.failCounts["0"] != 0 {
		t.Errorf("%d counts, %d in order, oldest %d; want %d, %d, forgotten", len(s.failCounts), len(s.failOrder), s.failCounts["0"], MaxFailCounts, MaxFailCounts)
	}
}

// TestFailNextFirst checks that a fault queued by FailNext answers before
// the request's own Sandbox-Fail.
func TestFailNextFirst(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	srv.Sandbox.FailNext("/oauth/authorize/x", 502, 0)
	codes, _ := statuses(t, srv, 2, "/oauth/authorize/x", http.Header{FailHeader: {"500"}})
	if !slices.Equal(codes, []int{502, 500}) {
		t.Errorf("statuses %v, want [502 500]", codes)
	}
}
