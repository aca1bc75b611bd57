package sandbox

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMe(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	r := apiGet(t, srv, "/rest/v1.0/me", login(t, srv).AccessToken, "")
	if got, want := string(r.body), `{"id":160586,"login":"carl.contractor@example.com","name":"Carl Contractor"}`; r.status != 200 || got != want {
		t.Errorf("/me = %d %s, want 200 %s", r.status, got, want)
	}
	wantHeaders := map[string]string{
		"Content-Type":           `^application/json; charset=utf-8$`,
		"Cache-Control":          `^no-store, must-revalidate, private, max-age=0$`,
		"X-Request-Id":           `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
		"X-Rate-Limit-Limit":     `^3600$`,
		"X-Rate-Limit-Remaining": `^3599$`,
		"X-Rate-Limit-Reset":     `^\d{10}$`,
	}
	for h, re := range wantHeaders {
		if got := r.header.Get(h); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("%s = %q, want match %q", h, got, re)
		}
	}
}

func TestBearerCheck(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv).AccessToken
	tests := []struct{ name, auth string }{
		{"missing", ""},
		{"unknown", "Bearer " + strings.Repeat("f", 64)},
		{"wrong scheme", "Token " + tok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, srv, nil, http.MethodGet, "/rest/v1.0/me", http.Header{"Authorization": {tt.auth}}, nil)
			want := `Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`
			if r.status != 401 || r.header.Get("WWW-Authenticate") != want || r.oauthErr(t) != "invalid_token" {
				t.Errorf("= %d %q %s, want 401 %q", r.status, r.header.Get("WWW-Authenticate"), r.body, want)
			}
			if r.header.Get("X-Rate-Limit-Remaining") != "" {
				t.Errorf("a 401 must not report or consume rate budget")
			}
		})
	}
}

func TestAccessTokenExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		ttl      time.Duration
		advance  time.Duration
		wantCode int
	}{
		{"default just before", 0, 5400*time.Second - time.Second, 200},
		{"default at 5400s", 0, 5400 * time.Second, 401},
		{"7200s still valid at 5400s", 7200 * time.Second, 5400 * time.Second, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
			srv := newTestServer(t, Config{Now: clock.Now, AccessTokenTTL: tt.ttl})
			tok := login(t, srv)
			if want := int64(max(tt.ttl, 5400*time.Second) / time.Second); tok.ExpiresIn != want {
				t.Errorf("expires_in = %d, want %d", tok.ExpiresIn, want)
			}
			clock.Advance(tt.advance)
			r := apiGet(t, srv, "/rest/v1.0/me", tok.AccessToken, "")
			if r.status != tt.wantCode {
				t.Fatalf("/me after %v = %d, want %d", tt.advance, r.status, tt.wantCode)
			}
			if tt.wantCode == 401 && !strings.Contains(r.header.Get("WWW-Authenticate"), `error_description="The access token expired"`) {
				t.Errorf("WWW-Authenticate = %q, want expired", r.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestCompanyHeader(t *testing.T) {
	t.Parallel()
	strict := newTestServer(t, Config{})
	custom := newTestServer(t, Config{MissingCompanyHeaderStatus: 400})
	lenient := newTestServer(t, Config{CompanyHeader: CompanyHeaderLenient})
	const projects = "/rest/v1.0/projects?company_id=4264807"
	tests := []struct {
		name       string
		srv        *Server
		path       string
		header     http.Header
		wantStatus int
		wantBody   string
	}{
		{"missing", strict, projects, nil, 404, missingCompanyHeader},
		{"missing with custom status", custom, projects, nil, 400, missingCompanyHeader},
		{"not numeric", strict, projects, http.Header{"Procore-Company-Id": {"abc"}}, 404, missingCompanyHeader},
		{"lower-case name", strict, projects, http.Header{"procore-company-id": {"4264807"}}, 200, ""},
		{"upper-case ID", strict, projects, http.Header{"Procore-Company-ID": {"4264807"}}, 200, ""},
		{"unknown company", strict, "/rest/v1.0/projects?company_id=999", http.Header{"Procore-Company-Id": {"999"}}, 404, "Item not found"},
		{"query and header differ", strict, projects, http.Header{"Procore-Company-Id": {"4264808"}}, 404, "Item not found"},
		{"app not installed", strict, "/rest/v1.0/projects?company_id=4264808", http.Header{"Procore-Company-Id": {"4264808"}}, 403, "App is not connected to this company"},
		{"lenient missing", lenient, projects, nil, 200, ""},
		{"me exempt", strict, "/rest/v1.0/me", nil, 200, ""},
		{"me with company_id", strict, "/rest/v1.0/me?company_id=4264807", nil, 404, missingCompanyHeader},
		{"companies exempt", strict, "/rest/v1.0/companies", nil, 200, ""},
		{"projects need company_id", strict, "/rest/v1.0/projects", http.Header{"Procore-Company-Id": {"4264807"}}, 400, "company_id is required"},
	}
	tokens := map[*Server]string{}
	for _, s := range []*Server{strict, custom, lenient} {
		tokens[s] = login(t, s).AccessToken
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Authorization": {"Bearer " + tokens[tt.srv]}}
			for k, v := range tt.header {
				h[k] = v // raw key: sent with the case given
			}
			r := send(t, tt.srv, nil, http.MethodGet, tt.path, h, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantBody != "" {
				var e restError
				if r.decode(t, &e); e.Errors != tt.wantBody {
					t.Errorf("errors = %q, want %q", e.Errors, tt.wantBody)
				}
			}
		})
	}
}

func TestProjects(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv).AccessToken
	tests := []struct {
		name    string
		path    string
		wantIDs []int64
		wantRaw string // regexp on the body
	}{
		{"default active only", "/rest/v1.0/projects?company_id=4264807", []int64{LargeProjectID, 279361}, `"company":\{"id":4264807,"name":"Sandbox Test Company"\}`},
		{"v1.1", "/rest/v1.1/projects?company_id=4264807", []int64{LargeProjectID, 279361}, `^\[\{"id":562949953421313,"name":`},
		{"all", "/rest/v1.0/projects?company_id=4264807&filters[by_status]=All", []int64{LargeProjectID, 279361, 279362}, ""},
		{"inactive", "/rest/v1.0/projects?company_id=4264807&filters[by_status]=Inactive", []int64{279362}, `"active":false`},
		{"name filter", "/rest/v1.0/projects?company_id=4264807&filters[name]=sandbox", []int64{LargeProjectID}, `"display_name":"1234 - Sandbox Test Project","project_number":"1234"`},
		{"id filter", "/rest/v1.0/projects?company_id=4264807&filters[id][]=279361&filters[id][]=279362", []int64{279361}, ""},
		{"sort by name", "/rest/v1.0/projects?company_id=4264807&sort=name&filters[by_status]=All", []int64{LargeProjectID, 279362, 279361}, ""},
		{"compact v1.0", "/rest/v1.0/projects?company_id=4264807&serializer_view=compact", []int64{LargeProjectID, 279361}, `^\[\{"id":562949953421313,"name":"[^"]+","display_name":"[^"]+"\},`},
		{"compact v1.1", "/rest/v1.1/projects?company_id=4264807&view=compact", []int64{LargeProjectID, 279361}, `^\[\{"id":562949953421313,"name":"[^"]+"\},`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := apiGet(t, srv, tt.path, tok, "4264807")
			var got []struct {
				ID int64 `json:"id"`
			}
			r.decode(t, &got)
			var ids []int64
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if r.status != 200 || len(ids) != len(tt.wantIDs) || (len(ids) > 0 && !equalIDs(ids, tt.wantIDs)) {
				t.Errorf("ids = %v (status %d), want %v", ids, r.status, tt.wantIDs)
			}
			if tt.wantRaw != "" && !regexp.MustCompile(tt.wantRaw).Match(r.body) {
				t.Errorf("body = %s, want match %q", r.body, tt.wantRaw)
			}
		})
	}
}

func equalIDs(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPagination(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv).AccessToken
	linkRE := regexp.MustCompile(`<([^>]+)>; rel="(\w+)"`)
	tests := []struct {
		page      int
		wantID    int64 // 0: empty page
		wantLinks map[string]int
	}{
		{1, LargeProjectID, map[string]int{"next": 2, "last": 3}},
		{2, 279361, map[string]int{"first": 1, "next": 3, "last": 3}},
		{3, 279362, map[string]int{"first": 1, "prev": 2}},
		{4, 0, map[string]int{"first": 1, "prev": 3}},
	}
	for _, tt := range tests {
		t.Run("page "+strconv.Itoa(tt.page), func(t *testing.T) {
			path := "/rest/v1.0/projects?company_id=4264807&filters[by_status]=All&per_page=1&page=" + strconv.Itoa(tt.page)
			r := apiGet(t, srv, path, tok, "4264807")
			if r.header.Get("Total") != "3" || r.header.Get("Per-Page") != "1" {
				t.Errorf("Total, Per-Page = %q, %q, want 3, 1", r.header.Get("Total"), r.header.Get("Per-Page"))
			}
			var got []project
			r.decode(t, &got)
			if (tt.wantID == 0 && len(got) != 0) || (tt.wantID != 0 && (len(got) != 1 || got[0].ID != tt.wantID)) {
				t.Errorf("page = %+v, want id %d", got, tt.wantID)
			}
			links := map[string]int{}
			for _, part := range strings.Split(r.header.Get("Link"), ", ") {
				m := linkRE.FindStringSubmatch(part)
				if m == nil {
					t.Fatalf("Link part %q is malformed", part)
				}
				u, err := url.Parse(m[1])
				if err != nil || u.Scheme != "https" || u.Host != strings.TrimPrefix(srv.URL, "https://") ||
					u.Query().Get("company_id") != "4264807" || u.Query().Get("filters[by_status]") != "All" || u.Query().Get("per_page") != "1" {
					t.Errorf("link %q must be absolute and keep the query", m[1])
				}
				links[m[2]], _ = strconv.Atoi(u.Query().Get("page"))
			}
			if len(links) != len(tt.wantLinks) {
				t.Errorf("links = %v, want %v", links, tt.wantLinks)
			}
			for rel, p := range tt.wantLinks {
				if links[rel] != p {
					t.Errorf("rel %s page = %d, want %d (links %v)", rel, links[rel], p, links)
				}
			}
		})
	}
	if r := apiGet(t, srv, "/rest/v1.0/companies", tok, ""); r.header.Get("Link") != "" || r.header.Get("Total") != "2" {
		t.Errorf("single page: Link %q Total %q, want no Link and Total 2", r.header.Get("Link"), r.header.Get("Total"))
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	srv := newTestServer(t, Config{Now: clock.Now, RateLimit: 3})
	tok := login(t, srv).AccessToken
	for want := 2; want >= 0; want-- {
		if r := apiGet(t, srv, "/rest/v1.0/me", tok, ""); r.status != 200 || r.header.Get("X-Rate-Limit-Remaining") != strconv.Itoa(want) {
			t.Fatalf("call = %d remaining %q, want 200 remaining %d", r.status, r.header.Get("X-Rate-Limit-Remaining"), want)
		}
	}
	clock.Advance(10 * time.Minute)
	r := apiGet(t, srv, "/rest/v1.0/me", tok, "")
	reset := strconv.FormatInt(time.Date(2026, 5, 1, 13, 0, 0, 0, time.UTC).Unix(), 10)
	if r.status != http.StatusTooManyRequests || r.header.Get("X-Rate-Limit-Limit") != "3" || r.header.Get("X-Rate-Limit-Remaining") != "0" ||
		r.header.Get("X-Rate-Limit-Reset") != reset || r.header.Get("Retry-After") != "3000" ||
		r.header.Get("Content-Type") != "text/plain; charset=utf-8" || string(r.body) != rateLimitBody {
		t.Errorf("over the limit = %d %v %s", r.status, r.header, r.body)
	}
	other := login(t, srv).AccessToken
	srv.Sandbox.ExhaustRateLimit(other)
	if r := apiGet(t, srv, "/rest/v1.0/companies", other, ""); r.status != http.StatusTooManyRequests {
		t.Errorf("after ExhaustRateLimit = %d, want 429", r.status)
	}
	clock.Advance(50 * time.Minute)
	if r := apiGet(t, srv, "/rest/v1.0/me", tok, ""); r.status != 200 || r.header.Get("X-Rate-Limit-Remaining") != "2" {
		t.Errorf("after the window reset = %d remaining %q, want 200 remaining 2", r.status, r.header.Get("X-Rate-Limit-Remaining"))
	}
}

func TestRateLimitWindow(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	srv := newTestServer(t, Config{Now: clock.Now, RateLimit: 2, RateLimitWindow: time.Minute})
	tok := login(t, srv).AccessToken
	statuses := func(n int) (got []int) {
		for range n {
			got = append(got, apiGet(t, srv, "/rest/v1.0/me", tok, "").status)
		}
		return got
	}
	if got := statuses(3); !slices.Equal(got, []int{200, 200, 429}) {
		t.Errorf("three calls in the window = %v, want [200 200 429]", got)
	}
	clock.Advance(30 * time.Second)
	r := apiGet(t, srv, "/rest/v1.0/me", tok, "")
	if r.status != 429 || r.header.Get("Retry-After") != "30" || r.header.Get("X-Rate-Limit-Limit") != "2" {
		t.Errorf("half a window later = %d Retry-After %q Limit %q, want 429 30 2", r.status, r.header.Get("Retry-After"), r.header.Get("X-Rate-Limit-Limit"))
	}
	clock.Advance(30 * time.Second)
	if got := statuses(3); !slices.Equal(got, []int{200, 200, 429}) {
		t.Errorf("three calls in the next window = %v, want [200 200 429]", got)
	}
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv).AccessToken
	srv.Sandbox.FailNext("/rest/v1.0/me", 503, 30*time.Second)
	srv.Sandbox.FailNext("/rest/v1.0/me", 502, 0)
	tests := []struct {
		wantStatus int
		wantRetry  string
	}{{503, "30"}, {502, ""}, {200, ""}}
	for i, tt := range tests {
		r := apiGet(t, srv, "/rest/v1.0/me", tok, "")
		if r.status != tt.wantStatus || r.header.Get("Retry-After") != tt.wantRetry {
			t.Errorf("call %d = %d Retry-After %q, want %d %q", i, r.status, r.header.Get("Retry-After"), tt.wantStatus, tt.wantRetry)
		}
	}
	srv.Sandbox.FailNext("/oauth/token", 500, 0)
	if r := postForm(t, srv, "/oauth/token", refreshForm("x")); r.status != 500 {
		t.Errorf("token endpoint after FailNext = %d, want 500", r.status)
	}
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tests := []struct{ method, path string }{
		{http.MethodGet, "/nope"},
		{http.MethodPost, "/rest/v1.0/me"},
		{http.MethodGet, "/oauth/token"},
		{http.MethodGet, "/rest/v2.0/me"},
	}
	for _, tt := range tests {
		r := send(t, srv, nil, tt.method, tt.path, nil, nil)
		if r.status != 404 || string(r.body) != `{"errors":"Not found"}` {
			t.Errorf("%s %s = %d %s, want 404 Not found", tt.method, tt.path, r.status, r.body)
		}
	}
}
