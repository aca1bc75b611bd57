package convert

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
)

// stepOutcome is what one step did: passed or not, and the request it
// sent as METHOD /path?query (query sorted, the authorize step's random
// state left out).
type stepOutcome struct {
	passed  bool
	request string
}

// azRun is a collection run both ways against fresh servers of one kind.
type azRun struct {
	c       *collections.Collection
	handler func() http.Handler
	tls     bool
	// vars are the values a run gives the collection, by server URL.
	vars func(url string) map[string]any
	// opts are the export's options (its name is flow).
	opts ArazzoOptions
}

// sandboxVars are the values a run under --sandbox gives the bundled
// collections.
func sandboxVars(url string) map[string]any {
	return map[string]any{"login_url": url, "base_url": url, "client_id": sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret, "company_id": int64(sandbox.DemoCompanyID)}
}

// TestExportedArazzoRunsAsTheCollection runs each bundled collection
// against the sandbox with callsheet's runner, and its Arazzo export with
// arazzo.Engine and a plain net/http sender against another sandbox: each
// step exported passes or fails as the collection's step did and sends
// the same method, path and query. Steps the export leaves out must be
// among its notes; steps it adds (an auth profile's token) must pass.
//
// Each runs twice: with the description the export writes, and against
// the bundled Procore description (whose four operations are all some
// collections call; steps it lacks are left out, and noted).
func TestExportedArazzoRunsAsTheCollection(t *testing.T) {
	given, err := filepath.Abs("../collections/procore/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	procore, err := openapi.LoadFile(context.Background(), given)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range collections.BundledNames() {
		for _, opts := range []ArazzoOptions{{}, {OpenAPI: procore, OpenAPIURL: given}} {
			t.Run(fmt.Sprintf("%s/given=%v", name, opts.OpenAPI != nil), func(t *testing.T) {
				c, err := collections.LoadBundled(name, collections.Options{Defined: slices.Collect(mapKeys(sandboxVars("")))})
				if err != nil {
					t.Fatal(err)
				}
				handler := func() http.Handler { return sandbox.New(sandbox.Config{}).Handler() }
				compared := compareRuns(t, azRun{c: c, handler: handler, tls: true, vars: sandboxVars, opts: opts})
				if name == "procore/first-call" && compared != len(c.Steps) {
					t.Errorf("compared %d of %d steps", compared, len(c.Steps))
				}
			})
		}
	}
}

// TestExportedArazzoRunsAsTheCollectionAtHTTPBin does the same for test
// collections against go-httpbin: request shapes, every check and capture
// the export translates, cookies, compressed bodies and statuses.
func TestExportedArazzoRunsAsTheCollectionAtHTTPBin(t *testing.T) {
	files := []string{"testdata/arazzo/mapping.yaml", "testdata/export/shapes.yaml",
		"../runner/testdata/passed/echo.yaml", "../runner/testdata/passed/status.yaml",
		"../runner/testdata/passed/cookies.yaml", "../runner/testdata/passed/gzip.yaml"}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := collections.Load(f, collections.Options{Defined: []string{"base"}})
			if err != nil {
				t.Fatal(err)
			}
			handler := func() http.Handler { return httpbin.New() }
			vars := func(url string) map[string]any { return map[string]any{"base": url} }
			if n := compareRuns(t, azRun{c: c, handler: handler, vars: vars}); n != len(c.Steps) {
				t.Errorf("compared %d of %d steps", n, len(c.Steps))
			}
		})
	}
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// compareRuns runs r.c and its export and compares them step by step; it
// returns the number of steps compared.
func compareRuns(t *testing.T, r azRun) int {
	t.Helper()
	want := runCollection(t, r)
	r.opts.Name = "flow"
	ex, err := ExportArazzo(r.c, r.opts)
	if err != nil {
		t.Fatal(err)
	}
	got, added := runExport(t, r, ex)
	compared := 0
	for _, s := range r.c.Steps {
		g, ok := got[s.Name]
		if !ok {
			if !slices.ContainsFunc(ex.Notes, func(n Note) bool { return n.Step == s.Name && strings.Contains(n.Text, "not exported") }) {
				t.Errorf("step %q is missing from the export, and no note says so", s.Name)
			}
			continue
		}
		if w := want[s.Name]; g != w {
			t.Errorf("step %q: export %+v, collection %+v", s.Name, g, w)
		}
		compared++
	}
	for id, o := range added {
		if !o.passed {
			t.Errorf("step %q that the export added failed", id)
		}
	}
	if compared == 0 {
		t.Error("no step was compared")
	}
	return compared
}

// server starts one of r's servers for the test.
func (r azRun) server(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(r.handler())
	if r.tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// runCollection runs c with callsheet's runner and returns each step's
// outcome.
func runCollection(t *testing.T, r azRun) map[string]stepOutcome {
	t.Helper()
	srv := r.server(t)
	opts := runner.Options{Vars: r.vars(srv.URL), Secrets: []string{"client_secret"}, AuthOptions: runner.AuthOptions{AutoAuthorize: true, TokenCache: auth.NewMemoryCache()}}
	out := map[string]stepOutcome{}
	opts.OnStep = func(s *runner.StepResult) {
		o := stepOutcome{passed: s.Outcome == runner.Passed}
		if s.Request != nil {
			o.request = requestLine(s.Request.Method, s.Request.URL)
		}
		out[s.Name] = o
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	defer cancel()
	if res := runner.New(srv.Client()).Run(ctx, r.c, opts); res.Err != nil {
		t.Fatalf("run: %v", res.Err)
	}
	return out
}

// userAgent names the client as callsheet's runner does, which the
// collections check.
type userAgent struct{ next http.RoundTripper }

func (u userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", "callsheet")
	return u.next.RoundTrip(req)
}

// runExport writes the export's files, runs its workflow with a client
// that keeps cookies, as a run does, and returns the outcome of each step
// by the name of the collection's step, and of the steps the export added
// by id. The workflow's inputs are the run's values and the literal
// values of the collection's vars.
func runExport(t *testing.T, r azRun, ex *Import) (byName, added map[string]stepOutcome) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ex.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := arazzo.Load(filepath.Join(dir, ex.Files[0].Name))
	if err != nil {
		t.Fatalf("the export does not load:\n%s\n%s", collections.RenderErrors(err, nil), ex.Files[0].Data)
	}
	srv := r.server(t)
	servers := map[string]string{}
	for _, sd := range doc.SourceDescriptions {
		servers[sd.Name] = srv.URL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	defer cancel()
	d, err := arazzo.Resolve(ctx, doc, arazzo.Sources{OpenAPI: arazzo.ReadOpenAPI(nil), Servers: servers})
	if err != nil {
		t.Fatalf("the export does not resolve: %v\n%s", err, ex.Files[0].Data)
	}
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	client.Transport = userAgent{client.Transport}
	w := doc.Workflows[0]
	byName, added = map[string]stepOutcome{}, map[string]stepOutcome{}
	secrets := secretValues(r.c, r.vars(srv.URL))
	engine := &arazzo.Engine{Sender: &arazzo.HTTPSender{Client: client}, OnStep: func(s *arazzo.StepResult) {
		o := stepOutcome{passed: s.Passed}
		if s.Request != nil {
			// Masked as the run's results are.
			o.request = requestLine(s.Request.Method, secrets.Replace(s.Request.URL))
		}
		step := w.Step(s.Step)
		name := cmpOr(step.Description, step.ID)
		if slices.ContainsFunc(r.c.Steps, func(cs *collections.Step) bool { return cs.Name == name }) {
			byName[name] = o
		} else {
			added[s.Step] = o
		}
	}}
	res, err := engine.Run(ctx, d, w.ID, exportInputs(r.c, r.vars(srv.URL)))
	if err != nil {
		t.Fatalf("run the export: %v\n%s", err, ex.Files[0].Data)
	}
	if res.Err != nil {
		t.Logf("the workflow failed: %v", res.Err)
	}
	return byName, added
}

// secretValues replaces the values of the collection's secrets (and the
// run's client_secret) with ***, as a run masks them.
func secretValues(c *collections.Collection, vars map[string]any) *strings.Replacer {
	var pairs []string
	for _, name := range append(c.SecretNames(), "client_secret") {
		if v, ok := vars[name].(string); ok && v != "" {
			pairs = append(pairs, v, "***")
		}
		for _, cv := range c.Vars {
			if cv.Name == name && cv.Value.Kind == collections.KindString && cv.Value.Template.IsLiteral() {
				pairs = append(pairs, cv.Value.Template.Raw, "***")
			}
		}
	}
	return strings.NewReplacer(pairs...)
}

// exportInputs are the values a run gives a collection, with the literal
// values of its vars.
func exportInputs(c *collections.Collection, vars map[string]any) map[string]any {
	in := map[string]any{}
	for _, v := range c.Vars {
		if v.Value.Kind != collections.KindString || v.Value.Template.IsLiteral() {
			if x, err := v.Value.Render(nil); err == nil {
				in[v.Name] = x
			}
		}
	}
	for k, v := range vars {
		in[k] = v
	}
	return in
}

// requestLine writes a request as METHOD /path?query, the query sorted
// and without state.
func requestLine(method, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return method + " " + raw
	}
	q := u.Query()
	q.Del("state")
	line := method + " " + u.EscapedPath()
	if len(q) > 0 {
		line += "?" + q.Encode()
	}
	return line
}
