package convert

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// runImported writes the files of an import into a folder with extra
// files, loads the collection and runs it with vars; it returns the
// outcome of each step.
func runImported(t *testing.T, im *Import, extra map[string]string, vars map[string]any, env map[string]string) map[string]runner.Outcome {
	t.Helper()
	dir := t.TempDir()
	for _, f := range im.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	for name, content := range extra {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	var defined []string
	for n := range vars {
		defined = append(defined, n)
	}
	c, err := collections.Load(filepath.Join(dir, im.Files[0].Name), collections.Options{Defined: defined})
	if err != nil {
		t.Fatalf("Load error = %v\n%s", err, im.Files[0].Data)
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	res := runner.New(nil).Run(t.Context(), c, runner.Options{Vars: vars, LookupEnv: lookup, Continue: true})
	out := map[string]runner.Outcome{}
	for _, s := range res.Steps {
		out[s.Name] = s.Outcome
		if s.Err != nil {
			t.Errorf("step %q: %v", s.Name, s.Err)
		}
		// A step may fail on its untranslated mark only.
		for _, ch := range s.Checks {
			if !ch.Passed && !strings.Contains(ch.Subject, "not translated") {
				t.Errorf("step %q: check %s %s failed: actual %v, expected %v", s.Name, ch.Subject, ch.Op, ch.Actual, ch.Expected)
			}
		}
	}
	return out
}

// shopServer answers the shop fixtures' requests: a login that checks
// its password and returns a token, and resources that need the token.
func shopServer(t *testing.T) *wiretest.Server {
	return wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		p := strings.TrimPrefix(r.URL.Path, "/api")
		switch {
		case p == "/login" && strings.Contains(string(body), `"pw-1"`):
			io.WriteString(w, `{"token_type":"bearer","access_token":"tok-9"}`)
		case strings.HasPrefix(p, "/receipts/"):
			w.Header().Set("Location", "/api/receipts/1")
			w.WriteHeader(http.StatusSeeOther)
		case r.Header.Get("Authorization") != "Bearer tok-9":
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{}`)
		case p == "/items":
			io.WriteString(w, `{"items":[{"id":3,"name":"book"}]}`)
		case p == "/orders" && (strings.Contains(string(body), "item=3") || strings.Contains(string(body), "book")):
			w.Header().Set("Location", "/api/orders/9")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"id":9,"warnings":[]}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{}`)
		}
	}))
}

// TestBrunoImportRuns runs the imported Bruno fixture with its
// environment at a loopback server: the post-response var carries the
// token, bru.setVar the item into the order's form, and the assertions
// hold; only the step with an untranslated statement fails, on its mark.
func TestBrunoImportRuns(t *testing.T) {
	srv := shopServer(t)
	im, err := ImportBruno("shop", os.DirFS(filepath.Join("testdata", "bruno")))
	if err != nil {
		t.Fatal(err)
	}
	got := runImported(t, im, nil, map[string]any{"baseUrl": srv.URL + "/api", "user": "ann", "password": "pw-1"}, nil)
	want := map[string]runner.Outcome{"Log in": runner.Passed, "Items": runner.Passed, "Orders / Create order": runner.Failed}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("step %q = %v, want %v", name, got[name], w)
		}
	}
}

// TestHTTPFileImportRuns runs the imported .http fixture at a loopback
// server: the handler's capture carries the token, the request variable
// reaches a later request, and only the step with an untranslated
// handler statement fails, on its mark.
func TestHTTPFileImportRuns(t *testing.T) {
	srv := shopServer(t)
	src := strings.ReplaceAll(string(read(t, "shop.http")), "http://localhost:8080/api", srv.URL+"/api")
	im, err := ImportHTTPFile("shop", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := runImported(t, im, map[string]string{"order.json": `{"item":"book"}`}, nil, map[string]string{"SHOP_PASSWORD": "pw-1"})
	want := map[string]runner.Outcome{"login": runner.Passed, "Items, paged": runner.Passed,
		"Order as the logged-in user (VS Code request variable)": runner.Passed, "Upload a receipt, not following the redirect": runner.Failed}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("step %q = %v, want %v", name, got[name], w)
		}
	}
}
