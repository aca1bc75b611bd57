package convert

import (
	"encoding/json"
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

// idiomRequests are Postman requests whose scripts use the idioms the
// importer translates, each with a response its tests accept and one
// they reject.
var idiomRequests = []struct {
	name, script string
	good, bad    string
}{
	{"chai", `const j = pm.response.json();
pm.test("values", function () {
  pm.expect(j.name).to.include('Ann');
  pm.expect(j.email).to.match(/@example\.com$/);
  pm.expect(j.count).to.be.above(2).and.to.be.below(10);
  pm.expect(j.state).to.be.oneOf(['open', 'closed']);
  pm.expect(j).to.have.property('kind', 'user');
  pm.expect(j.items).to.have.lengthOf(2);
  pm.expect(j.items.length).to.eql(2);
  pm.expect(j.user).to.eql({id: 5, name: 'Ann'});
  pm.expect(j.errors).to.be.empty;
  pm.expect(j.token).to.be.ok;
  pm.expect(j).to.not.have.property('password');
});`,
		`{"name":"Ann Lee","email":"ann@example.com","count":3,"state":"open","kind":"user","items":[1,2],"user":{"id":5,"name":"Ann"},"errors":[],"token":"t"}`,
		`{"name":"Bob","email":"bob@example.org","count":30,"state":"gone","kind":"bot","items":[1],"user":{"id":5,"name":"Ann","x":1},"errors":["e"],"token":"","password":"p"}`},
	{"response", `pm.response.to.be.ok;
pm.response.to.be.json;
pm.response.to.have.header('X-Request-Id');
pm.response.to.have.jsonBody('data.id');
pm.expect(pm.response.responseTime).to.be.below(60000);`,
		`{"data":{"id":1}}`, `{"data":{}}`},
	{"legacy", `var body = JSON.parse(responseBody);
var ok = responseCode.code === 200;
tests['ok'] = ok;
if (ok) {
  tests['has data'] = body.hasOwnProperty('data');
  tests['is array'] = Array.isArray(body.data);
}
if (body.data.length) {
  var first = body.data[0];
  tests['first has id'] = first.hasOwnProperty('id');
  tests['id is an integer'] = Number.isInteger(first.id);
} else {
  tests['total is 0 when empty'] = body.total === 0;
}`,
		`{"data":[{"id":1}],"total":1}`, `{"data":[],"total":3}`},
}

// TestPostmanIdiomsRun imports scripts using the translated idioms and
// runs them at a loopback server twice: with responses the Postman tests
// accept every step passes; with responses they reject every step fails.
func TestPostmanIdiomsRun(t *testing.T) {
	for _, mode := range []string{"good", "bad"} {
		t.Run(mode, func(t *testing.T) {
			srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, it := range idiomRequests {
					if r.URL.Path == "/"+it.name {
						w.Header().Set("Content-Type", "application/json")
						if mode == "good" {
							w.Header().Set("X-Request-Id", "r1")
							io.WriteString(w, it.good)
						} else {
							io.WriteString(w, it.bad)
						}
						return
					}
				}
				http.NotFound(w, r)
			}))
			var items []map[string]any
			for _, it := range idiomRequests {
				items = append(items, map[string]any{
					"name":    it.name,
					"request": map[string]any{"method": "GET", "url": "{{base}}/" + it.name},
					"event":   []any{map[string]any{"listen": "test", "script": map[string]any{"exec": []string{it.script}}}},
				})
			}
			coll, _ := json.Marshal(map[string]any{"info": map[string]any{"name": "idioms", "schema": postmanSchema}, "item": items})
			im, err := ImportPostman(coll, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sc := im.Scripts; sc.Translated != sc.Statements {
				t.Fatalf("translated %d of %d statements: %v", sc.Translated, sc.Statements, im.Notes)
			}
			file := filepath.Join(t.TempDir(), "idioms.yaml")
			os.WriteFile(file, im.Files[0].Data, 0o644)
			c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
			if err != nil {
				t.Fatalf("Load error = %v\n%s", err, im.Files[0].Data)
			}
			res := runner.New(nil).Run(t.Context(), c, runner.Options{Vars: map[string]any{"base": srv.URL}, Continue: true})
			want := map[string]runner.Outcome{"good": runner.Passed, "bad": runner.Failed}[mode]
			for _, s := range res.Steps {
				if s.Outcome != want {
					t.Errorf("step %q = %v, want %v", s.Name, s.Outcome, want)
					for _, ch := range s.Checks {
						if !ch.Passed {
							t.Logf("  %s %s: actual %v, expected %v %s", ch.Subject, ch.Op, ch.Actual, ch.Expected, ch.Message)
						}
					}
				}
			}
		})
	}
}

// TestPostmanOAuth2StoredToken checks that a stored OAuth 2.0 access token
// is sent as a secret bearer token, so that a run without a person (CI)
// passes, while the authorization code flow is kept as an auth profile.
func TestPostmanOAuth2StoredToken(t *testing.T) {
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer at-stored-123" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	coll := `{"info": {"name": "oauth", "schema": "` + postmanSchema + `"},
	  "auth": {"type": "oauth2", "oauth2": [{"key": "accessToken", "value": "at-stored-123"}, {"key": "grant_type", "value": "authorization_code"},
	    {"key": "authUrl", "value": "https://login.example/oauth/authorize"}, {"key": "accessTokenUrl", "value": "https://login.example/oauth/token"},
	    {"key": "clientId", "value": "app"}, {"key": "clientSecret", "value": "{{client_secret}}"}, {"key": "scope", "value": "read"}]},
	  "item": [{"name": "me", "request": {"method": "GET", "url": "` + srv.URL + `/me"},
	    "event": [{"listen": "test", "script": {"exec": ["pm.response.to.have.status(200);"]}}]}]}`
	im, err := ImportPostman([]byte(coll), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := string(im.Files[0].Data)
	for _, want := range []string{`Authorization: "Bearer {{ access_token }}"`, "secrets: [access_token", "auth:\n  postman_oauth2:\n    grant: authorization_code",
		"authorize_url: https://login.example/oauth/authorize", "token_url: https://login.example/oauth/token"} {
		if !strings.Contains(out, want) {
			t.Errorf("imported collection lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "authorize:") {
		t.Errorf("imported collection has an authorize step, which needs a person:\n%s", out)
	}
	got := runImported(t, im, nil, map[string]any{"client_secret": "s"}, nil)
	if got["me"] != runner.Passed {
		t.Errorf("step me = %v, want passed with the stored token and no person", got["me"])
	}
}
