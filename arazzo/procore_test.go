package arazzo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
	"github.com/callsheet/callsheet/sandbox"
)

const (
	procoreFlow = "../collections/procore/first-call.arazzo.yaml"
	procoreAPI  = "../collections/procore/openapi.yaml"
)

// exchange is one request and response on the wire, redirects included.
type exchange struct {
	method  string
	url     *url.URL
	reqHead http.Header
	reqBody []byte
	status  int
	head    http.Header
	body    []byte
}

// recorder is a RoundTripper that keeps every exchange it carries.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.seen = append(r.seen, exchange{req.Method, req.URL, req.Header.Clone(), reqBody, resp.StatusCode, resp.Header.Clone(), body})
	r.mu.Unlock()
	return resp, nil
}

// TestProcoreFirstCall runs the bundled Procore workflow against the
// sandbox: every step passes, and every exchange on the wire that the
// Procore description documents conforms to it, request and response.
// The only one it does not document is the out-of-band page the
// authorize step is redirected to.
func TestProcoreFirstCall(t *testing.T) {
	srv := httptest.NewTLSServer(sandbox.New(sandbox.Config{}).Handler())
	t.Cleanup(srv.Close)
	rec := &recorder{next: srv.Client().Transport}
	client := &http.Client{Transport: rec, Timeout: 30 * time.Second}

	doc, err := arazzo.Load(procoreFlow)
	if err != nil {
		t.Fatalf("Load:\n%s", collections.RenderErrors(err, nil))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	defer cancel()
	d, err := arazzo.Resolve(ctx, doc, arazzo.Sources{OpenAPI: arazzo.ReadOpenAPI(nil), Servers: map[string]string{"login_url": srv.URL, "base_url": srv.URL}})
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	var steps []string
	engine := &arazzo.Engine{Sender: &arazzo.HTTPSender{Client: client}, OnStep: func(s *arazzo.StepResult) {
		steps = append(steps, fmt.Sprintf("%s passed=%v", s.Step, s.Passed))
		for _, c := range s.Criteria {
			if !c.Passed {
				t.Errorf("step %s: criterion %s failed: %s %s", s.Step, c.Condition, c.Trace, c.Message)
			}
		}
	}}
	inputs := map[string]any{"client_id": sandbox.DemoClientID, "client_secret": sandbox.DemoClientSecret, "company_id": sandbox.DemoCompanyID}
	res, err := engine.Run(ctx, d, "first-call", inputs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"authorize passed=true", "token passed=true", "me passed=true", "projects passed=true"}
	if !res.Passed || !slices.Equal(steps, want) {
		t.Fatalf("workflow passed=%v (%v), steps %v; want %v", res.Passed, res.Err, steps, want)
	}
	if res.Outputs["user_id"] == nil || res.Outputs["project_id"] == nil {
		t.Errorf("outputs = %v, want user_id and project_id", res.Outputs)
	}
	if !slices.Equal(res.SecretInputs, []string{"client_secret"}) {
		t.Errorf("SecretInputs = %v, want [client_secret]", res.SecretInputs)
	}
	checkContract(t, rec.seen)
}

// checkContract checks each exchange against the Procore description and
// returns nothing: violations are test errors.
func checkContract(t *testing.T, seen []exchange) {
	t.Helper()
	desc, err := openapi.LoadFile(context.Background(), procoreAPI)
	if err != nil {
		t.Fatal(err)
	}
	checker, err := openapi.NewChecker(desc)
	if err != nil {
		t.Fatal(err)
	}
	var checked, undocumented []string
	for _, x := range seen {
		m, err := desc.Find(x.method, x.url)
		if err != nil {
			undocumented = append(undocumented, x.method+" "+x.url.Path)
			continue
		}
		checked = append(checked, fmt.Sprintf("%s %d", m.Operation.ID, x.status))
		for _, v := range checker.CheckRequest(m, x.url, x.reqHead, x.reqBody) {
			t.Errorf("request of %s: %s", m.Operation.ID, v)
		}
		for _, v := range checker.CheckResponse(m, x.status, x.head, x.body) {
			t.Errorf("response of %s: %s", m.Operation.ID, v)
		}
	}
	if want := []string{"authorize 302", "token 200", "me 200", "listProjects 200"}; !slices.Equal(checked, want) {
		t.Errorf("exchanges checked = %v, want %v", checked, want)
	}
	codePage := regexp.MustCompile(`^GET /oauth/authorize/[0-9a-f]+$`)
	if len(undocumented) != 1 || !codePage.MatchString(undocumented[0]) {
		t.Errorf("undocumented exchanges = %v, want only the out-of-band code page", undocumented)
	}
}

// TestProcoreFlowIsNotACollection checks that the bundled Arazzo workflow
// is not offered as a collection.
func TestProcoreFlowIsNotACollection(t *testing.T) {
	for _, name := range collections.BundledNames() {
		if strings.Contains(name, "arazzo") || strings.HasSuffix(name, "openapi") {
			t.Errorf("BundledNames() lists %s, which is not a collection", name)
		}
	}
	if collections.IsBundled("procore/first-call.arazzo") {
		t.Error("IsBundled(procore/first-call.arazzo) = true")
	}
}
