package runner

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// chainCollection is a five-step chain like Procore's first call: a
// client-credentials token captured as a secret, the signed-in user, the
// projects list, one project by the captured id, and a JSON POST.
const chainCollection = `name: chain
secrets: [client_secret]
steps:
  - name: token
    POST: "{{ base }}/oauth/token"
    form:
      grant_type: client_credentials
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
    expect:
      status: 200
      json:
        token_type: bearer
        expires_in: {gt: 0}
    capture:
      token: {json: access_token, secret: true}
  - name: me
    GET: "{{ base }}/rest/v1.0/me"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      status: 200
      json:
        id: {type: integer}
        login: {matches: '^[^@\s]+@[^@\s]+$'}
  - name: projects
    GET: "{{ base }}/rest/v1.0/projects"
    query:
      company_id: "{{ company_id }}"
    headers:
      Authorization: "Bearer {{ token }}"
      Procore-Company-Id: "{{ company_id }}"
    expect:
      status: 200
      headers:
        Total: {exists: true}
      json:
        "#": {gte: 1}
        0.company.id: "{{ company_id }}"
    capture:
      project_id: 0.id
  - name: project
    GET: "{{ base }}/rest/v1.0/projects/{{ project_id }}"
    query:
      company_id: "{{ company_id }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect:
      status: 200
      json:
        id: "{{ project_id }}"
  - name: create
    POST: "{{ base }}/rest/v1.0/projects"
    headers:
      Authorization: "Bearer {{ token }}"
    json:
      name: "Bench {{ project_id }}"
      company_id: "{{ company_id }}"
    expect:
      status: 201
`

// chainSteps is the number of requests of chainCollection.
const chainSteps = 5

// chainResponses are the answers of chainServer, by path.
var chainResponses = map[string]struct {
	status int
	body   string
}{
	"/oauth/token":             {200, `{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJlbmNo","token_type":"bearer","expires_in":5400,"created_at":1733450000}`},
	"/rest/v1.0/me":            {200, `{"id":42,"login":"demo@example.com","name":"Demo User"}`},
	"/rest/v1.0/projects":      {200, benchBody},
	"/rest/v1.0/projects/8165": {200, `{"id":8165,"name":"Demo Project","active":true,"company":{"id":4264807,"name":"Demo Company"}}`},
}

// newChainServer answers the requests of chainCollection on loopback
// until the test ends.
func newChainServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Total"] = []string{"2"}
		if r.Method == http.MethodPost && r.URL.Path == "/rest/v1.0/projects" {
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":8167}`))
			return
		}
		resp, ok := chainResponses[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(resp.status)
		w.Write([]byte(resp.body))
	}))
	tb.Cleanup(ts.Close)
	return ts
}

// BenchmarkChain runs chainCollection against a loopback server: the
// runner's cost of a chain, keeping a summary of the steps or reading
// nothing of those that pass, and beside it (net/http) the same five
// exchanges sent and read with net/http alone, so that the difference is
// the runner's own. allocs/req counts every allocation of the process
// (the server's too) over the requests sent.
func BenchmarkChain(b *testing.B) {
	ts := newChainServer(b)
	vars := map[string]any{"base": ts.URL, "client_id": "bench-client", "client_secret": "bench-secret-4f1c", "company_id": int64(4264807)}
	c, err := collections.Parse("chain.yaml", []byte(chainCollection), collections.Options{Defined: []string{"base", "client_id", "client_secret", "company_id"}})
	if err != nil {
		b.Fatal(err)
	}
	r := New(ts.Client())
	b.Run("runner", func(b *testing.B) {
		opts := Options{Vars: vars, Retention: Retention{Summaries: true}}
		perRequest(b, func() {
			res := r.Run(context.Background(), c, opts)
			if res.Dropped[Passed] != chainSteps {
				b.Fatalf("passed %d of %d steps: %v", res.Dropped[Passed], chainSteps, res.Steps)
			}
		})
	})
	b.Run("runner, nothing read", func(b *testing.B) {
		// As a quiet run without reports: passed steps only counted.
		opts := Options{Vars: vars}
		opts.Need(Needs{})
		perRequest(b, func() {
			res := r.Run(context.Background(), c, opts)
			if res.Unseen[Passed] != chainSteps {
				b.Fatalf("passed %d of %d steps: %v", res.Unseen[Passed], chainSteps, res.Steps)
			}
		})
	})
	b.Run("net/http", func(b *testing.B) {
		client := ts.Client()
		perRequest(b, func() { plainChain(b, client, ts.URL) })
	})
}

// BenchmarkFirstCall runs the bundled procore/first-call collection (an
// authorize step and three requests) against the sandbox over HTTPS.
func BenchmarkFirstCall(b *testing.B) {
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	vars := map[string]any{"login_url": srv.URL, "base_url": srv.URL, "client_id": sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret, "company_id": int64(sandbox.DemoCompanyID)}
	c, err := collections.LoadBundled("procore/first-call", collections.Options{Defined: []string{"login_url", "base_url", "client_id", "client_secret", "company_id"}})
	if err != nil {
		b.Fatal(err)
	}
	r := New(srv.Client())
	opts := Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true}, Retention: Retention{Summaries: true}}
	b.ReportAllocs()
	for b.Loop() {
		res := r.Run(context.Background(), c, opts)
		if res.Dropped[Passed] != len(c.Steps) {
			b.Fatalf("passed %d of %d steps: %v", res.Dropped[Passed], len(c.Steps), res.Steps)
		}
	}
}

// perRequest runs chain, which sends chainSteps requests, b.N times and
// reports allocations per op and per request.
func perRequest(b *testing.B, chain func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		chain()
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*chainSteps), "allocs/req")
}

// plainChain sends the exchanges of chainCollection with net/http alone,
// reading each body whole.
func plainChain(b *testing.B, client *http.Client, base string) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"bench-client"}, "client_secret": {"bench-secret-4f1c"}}
	send := func(method, target, contentType, body string, want int) {
		req, err := http.NewRequest(method, target, strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJlbmNo")
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			b.Fatalf("%s %s: status %d", method, target, resp.StatusCode)
		}
	}
	send("POST", base+"/oauth/token", "application/x-www-form-urlencoded", form.Encode(), 200)
	send("GET", base+"/rest/v1.0/me", "", "", 200)
	send("GET", base+"/rest/v1.0/projects?company_id=4264807", "", "", 200)
	send("GET", base+"/rest/v1.0/projects/8165?company_id=4264807", "", "", 200)
	send("POST", base+"/rest/v1.0/projects", "application/json", `{"name":"Bench 8165","company_id":4264807}`, 201)
}
