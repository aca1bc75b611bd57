package runner

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

const issue3JSON = `{"id": 9007199254740993, "name": "Ada", "tags": ["a", "b"], "email": "ada@example.com",
"uuid": "0b7e8f5e-9a53-4c1e-8a49-1f3c0d2b6f7a", "created": "2024-05-17T10:30:00Z", "site": "https://example.com/x",
"empty": [], "user": {"name": "Ada", "role": "admin", "team": {"id": 7}}, "code": "200"}`

const issue3HTML = `<html><body><h1> Your code </h1><code id="authorization_code">abc123</code><ul><li>1</li><li>2</li></ul></body></html>`

// issue3Server serves JSON (with a cookie), HTML and a redirect.
func issue3Server(t *testing.T) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s-42"})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, issue3JSON)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, issue3HTML)
	})
	mux.HandleFunc("/xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><user><name>Ada</name><id>7</id></user>`)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/json", http.StatusFound)
	})
	return newServer(t, mux).URL
}

func TestPredicates(t *testing.T) {
	base := issue3Server(t)
	tests := []struct {
		name   string
		path   string
		expect string
		pass   bool
	}{
		{"eq large integer exact", "/json", "json: {id: 9007199254740993}", true},
		{"eq large integer off by one", "/json", "json: {id: 9007199254740992}", false},
		{"string never equals number", "/json", "json: {code: 200}", false},
		{"string equals string", "/json", `json: {code: "200"}`, true},
		{"ne", "/json", "json: {name: {ne: Bob}}", true},
		{"ne fails", "/json", "json: {name: {ne: Ada}}", false},
		{"gt", "/json", "json: {user.team.id: {gt: 6}}", true},
		{"gt fails", "/json", "json: {user.team.id: {gt: 7}}", false},
		{"gte", "/json", "json: {user.team.id: {gte: 7}}", true},
		{"lt", "/json", "json: {user.team.id: {lt: 8}}", true},
		{"lte fails", "/json", "json: {user.team.id: {lte: 6}}", false},
		{"between", "/json", "json: {user.team.id: {between: [1, 7]}}", true},
		{"between fails", "/json", "json: {user.team.id: {between: [8, 9]}}", false},
		{"contains array", "/json", "json: {tags: {contains: a}}", true},
		{"not_contains", "/json", "json: {tags: {not_contains: c}}", true},
		{"not_contains fails", "/json", "json: {tags: {not_contains: a}}", false},
		{"starts_with", "/json", "json: {name: {starts_with: Ad}}", true},
		{"starts_with fails", "/json", "json: {name: {starts_with: da}}", false},
		{"ends_with", "/json", "json: {email: {ends_with: example.com}}", true},
		{"ends_with fails", "/json", "json: {email: {ends_with: .org}}", false},
		{"matches", "/json", "json: {name: {matches: '^A.a$'}}", true},
		{"not_matches", "/json", "json: {name: {not_matches: '^B'}}", true},
		{"not_matches fails", "/json", "json: {name: {not_matches: '^A'}}", false},
		{"exists", "/json", "json: {name: {exists: true}}", true},
		{"exists fails", "/json", "json: {nope: {exists: true}}", false},
		{"type integer", "/json", "json: {id: {type: integer}}", true},
		{"type fails", "/json", "json: {id: {type: string}}", false},
		{"length", "/json", "json: {tags: {length: 2}}", true},
		{"length fails", "/json", "json: {tags: {length: 3}}", false},
		{"is_empty", "/json", "json: {empty: {is_empty: true}}", true},
		{"is_empty fails", "/json", "json: {tags: {is_empty: true}}", false},
		{"one_of", "/json", "json: {user.role: {one_of: [admin, owner]}}", true},
		{"one_of fails", "/json", "json: {user.role: {one_of: [guest]}}", false},
		{"is_uuid", "/json", "json: {uuid: {is_uuid: true}}", true},
		{"is_uuid fails", "/json", "json: {name: {is_uuid: true}}", false},
		{"is_iso_date", "/json", "json: {created: {is_iso_date: true}}", true},
		{"is_iso_date fails", "/json", "json: {name: {is_iso_date: true}}", false},
		{"is_email", "/json", "json: {email: {is_email: true}}", true},
		{"is_email fails", "/json", "json: {name: {is_email: true}}", false},
		{"is_url", "/json", "json: {site: {is_url: true}}", true},
		{"is_url fails", "/json", "json: {name: {is_url: true}}", false},
		{"a list means all", "/json", "json: {user.team.id: [{gt: 1}, {lt: 10}]}", true},
		{"a list fails on one", "/json", "json: {user.team.id: [{gt: 1}, {lt: 5}]}", false},
		{"object is a subset", "/json", "json: {user: {name: Ada}}", true},
		{"object subset fails", "/json", "json: {user: {name: Bob, team: {id: 7}}}", false},
		{"templated expected", "/json", `json: {name: {eq: "{{ upper('ada')[0:1] + 'da' }}"}}`, true},
		{"status one_of", "/json", "status: {one_of: [200, 201]}", true},
		{"status between fails", "/json", "status: {between: [300, 399]}", false},
		{"header starts_with", "/json", "headers: {Content-Type: {starts_with: application/}}", true},
		{"cookie", "/json", "cookies: {session: s-42}", true},
		{"cookie fails", "/json", "cookies: {session: {eq: other}}", false},
		{"cookie missing", "/json", "cookies: {nope: {exists: false}}", true},
		{"duration", "/json", "duration: {lt: 10000}", true},
		{"duration fails", "/json", "duration: {lt: 0}", false},
		{"body contains", "/json", "body: {contains: Ada}", true},
		{"xpath", "/html", `xpath: {"//code[@id='authorization_code']": abc123}`, true},
		{"xpath count", "/html", `xpath: {"count(//li)": 2}`, true},
		{"xpath fails", "/html", `xpath: {"//code": zzz}`, false},
		{"xpath on xml", "/xml", `xpath: {"/user/name": Ada}`, true},
		{"css", "/html", `css: {"code#authorization_code": abc123}`, true},
		{"css trims", "/html", `css: {h1: Your code}`, true},
		{"css fails", "/html", `css: {"#missing": {exists: true}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %s%s\n    expect:\n      %s\n", base, tt.path, tt.expect)
			res := runYAML(t, src, nil)
			want := "failed"
			if tt.pass {
				want = "passed"
			}
			if got := res.Steps[0].Outcome.String(); got != want {
				t.Errorf("%s: outcome %s, want %s\n%s", tt.expect, got, want, describe(res))
			}
		})
	}
}

func TestSubsetDiff(t *testing.T) {
	base := issue3Server(t)
	res := runYAML(t, fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      json:\n        user: {name: Bob, role: admin, team: {id: \"7\"}, extra: 1}\n", base), nil)
	var details []string
	for _, c := range res.Steps[0].Checks {
		if !c.Passed {
			details = c.Details
		}
	}
	got := strings.Join(details, "\n")
	for _, w := range []string{`user.extra: actual none, expected integer <1>`, `user.name: actual string <"Ada">, expected string <"Bob">`, `user.team.id: actual integer <7>, expected string <"7">`} {
		if !strings.Contains(got, w) {
			t.Errorf("diff =\n%s\nwant a line %q", got, w)
		}
	}
	if strings.Contains(got, "role") {
		t.Errorf("diff =\n%s\nwant no line for the equal role", got)
	}
}

func TestCapturesIssue3(t *testing.T) {
	base := issue3Server(t)
	src := fmt.Sprintf(`steps:
  - name: redirected
    GET: %[1]s/redirect
    capture:
      session: {cookie: session}
      took: {duration: true}
      final: {url: true}
      hops: {redirects: true}
      fallback: {json: nope, default: 42}
  - name: page
    GET: %[1]s/html
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      by_css: {css: "#authorization_code"}
      items: {xpath: "count(//li)"}
`, base)
	res := runYAML(t, src, nil)
	wantOutcomes(t, res, "passed,passed")
	checks := []struct {
		step int
		name string
		want any
	}{
		{0, "session", "s-42"},
		{0, "final", base + "/json"},
		{0, "hops", int64(1)},
		{0, "fallback", int64(42)},
		{1, "by_xpath", "abc123"},
		{1, "by_css", "abc123"},
		{1, "items", int64(2)},
	}
	for _, c := range checks {
		if got := captured(t, res.Steps[c.step], c.name); got.Value != c.want {
			t.Errorf("capture %s = %v, want %v", c.name, got, c.want)
		}
	}
	if _, ok := captured(t, res.Steps[0], "took").Value.(int64); !ok {
		t.Errorf("capture took = %v, want an integer", captured(t, res.Steps[0], "took"))
	}
}

func TestCaptureNothingShowsSnippet(t *testing.T) {
	base := issue3Server(t)
	res := runYAML(t, fmt.Sprintf("steps:\n  - GET: %s/html\n    capture:\n      c: {css: \"#nope\"}\n", base), nil)
	wantOutcomes(t, res, "failed")
	msg := res.Steps[0].Err.Error()
	for _, w := range []string{`css "#nope" matched nothing`, "the body starts: <html><body><h1> Your code"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error = %q, want it to contain %q", msg, w)
		}
	}
}

// TestProcoreOOBCodePage captures the sandbox's out-of-band code page by
// XPath and CSS, following the authorize redirect by hand.
func TestProcoreOOBCodePage(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	vars["oob"] = sandbox.OOBRedirectURI
	src := `steps:
  - name: authorize
    GET: "{{ login_url }}/oauth/authorize"
    query: {client_id: "{{ client_id }}", response_type: code, redirect_uri: "{{ oob }}"}
    follow_redirects: false
    expect:
      status: 302
    capture:
      page: {header: Location}
  - name: code page
    GET: "{{ login_url }}{{ page }}"
    expect:
      status: 200
      xpath:
        "//code[@id='authorization_code']": {matches: "^[0-9a-f]{64}$"}
      css:
        "code#authorization_code": {length: 64}
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      by_css: {css: "code#authorization_code"}
`
	names := []string{"login_url", "base_url", "client_id", "client_secret", "company_id", "oob"}
	res := runColl(t, sandboxClient(srv), parse(t, src, names...), Options{Vars: vars})
	wantOutcomes(t, res, "passed,passed")
	x, c := captured(t, res.Steps[1], "by_xpath"), captured(t, res.Steps[1], "by_css")
	if x.Value != c.Value || !strings.HasSuffix(res.Steps[0].Captures[0].Value.Value.(string), x.Value.(string)) {
		t.Errorf("xpath %v, css %v, location %v: want the same code", x, c, res.Steps[0].Captures[0].Value)
	}
}

func TestSchema(t *testing.T) {
	base := issue3Server(t)
	dir := t.TempDir()
	schema := `{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["id", "missing"],
"properties": {"name": {"type": "integer"}, "id": {"type": "integer"}}}`
	if err := os.WriteFile(filepath.Join(dir, "user.json"), []byte(schema), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, expect string
		pass         bool
		details      []string
	}{
		{"inline passes", "schema: {type: object, required: [id], properties: {id: {type: integer}}}", true, nil},
		{"inline fails", "schema: {type: object, properties: {tags: {type: array, maxItems: 1}}}", false,
			[]string{"at /tags: maxItems: got 2, want 1"}},
		{"draft 6 by $schema", `schema: {$schema: "http://json-schema.org/draft-06/schema#", properties: {name: {const: Bob}}}`, false,
			[]string{"at /name: const: value must be 'Bob'"}},
		{"draft 7 by $schema", `schema: {$schema: "http://json-schema.org/draft-07/schema#", properties: {tags: {items: {minLength: 2}}}}`, false,
			[]string{"at /tags/0: minLength: got 1, want 2", "at /tags/1: minLength: got 1, want 2"}},
		{"draft 2019-09 by $schema", `schema: {$schema: "https://json-schema.org/draft/2019-09/schema", required: [nope], dependentRequired: {name: [zip]}}`, false,
			[]string{"at /: dependentRequired/name: properties 'zip' required, if 'name' exists", "at /: required: missing property 'nope'"}},
		{"file draft 4 fails", "schema: user.json", false,
			[]string{"at /: required: missing property 'missing'", "at /name: type: got string, want integer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, "c.yaml")
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      %s\n", base, tt.expect)
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			c := loadFile(t, file)
			res := runColl(t, nil, c, Options{})
			if got := res.Steps[0].Outcome == Passed; got != tt.pass {
				t.Fatalf("passed = %v, want %v\n%s", got, tt.pass, describe(res))
			}
			if !tt.pass {
				got := strings.Join(res.Steps[0].Checks[0].Details, "\n")
				if got != strings.Join(tt.details, "\n") {
					t.Errorf("details =\n%s\nwant\n%s", got, strings.Join(tt.details, "\n"))
				}
			}
		})
	}
}

func TestSnapshot(t *testing.T) {
	body := `{"id": 1, "created": "2024-01-01", "name": "Ada"}`
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body)
	}))
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	src := fmt.Sprintf("steps:\n  - GET: %s\n    expect:\n      snapshot: {file: snaps/user.json, ignore: [created]}\n", srv.URL)
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c := loadFile(t, file)
	snap := filepath.Join(dir, "snaps", "user.json")

	// First run writes the file.
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	if _, err := os.Stat(snap); err != nil {
		t.Fatalf("snapshot not written: %v", err)
	}
	// An ignored path may change.
	body = `{"id": 1, "created": "2025-02-02", "name": "Ada"}`
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	// Another change fails with a diff.
	body = `{"id": 2, "created": "2025-02-02", "name": "Ada"}`
	res := runColl(t, nil, c, Options{})
	wantOutcomes(t, res, "failed")
	if got, want := strings.Join(res.Steps[0].Checks[0].Details, "\n"), "id: actual integer <2>, expected integer <1>"; got != want {
		t.Errorf("snapshot diff = %q, want %q", got, want)
	}
	// --update-snapshots accepts it.
	wantOutcomes(t, runColl(t, nil, c, Options{UpdateSnapshots: true}), "passed")
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	if b, _ := os.ReadFile(snap); !strings.Contains(string(b), `"id": 2`) {
		t.Errorf("snapshot = %s, want the updated body", b)
	}
}

func TestAssertTrace(t *testing.T) {
	base := issue3Server(t)
	tests := []struct {
		expr  string
		pass  bool
		trace string
	}{
		{"res.status == 200", true, ""},
		{"len(res.json.tags) >= 3", false, `len(res.json.tags) >= 3 -> len(["a","b"]) >= 3 -> false`},
		{"res.json.name == 'Bob'", false, `res.json.name == 'Bob' -> "Ada" == "Bob" -> false`},
		{"res.cookies.session == 's-42' && res.duration >= 0", true, ""},
		{"res.json.id == 9007199254740993", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      assert:\n        - %q\n", base, tt.expr)
			res := runYAML(t, src, nil)
			if got := res.Steps[0].Outcome == Passed; got != tt.pass {
				t.Fatalf("passed = %v, want %v\n%s", got, tt.pass, describe(res))
			}
			if !tt.pass {
				if got := strings.Join(res.Steps[0].Checks[0].Details, " -> "); got != tt.trace {
					t.Errorf("trace = %q, want %q", got, tt.trace)
				}
			}
		})
	}
}

func TestIfSkips(t *testing.T) {
	base := issue3Server(t)
	src := fmt.Sprintf("vars:\n  env_name: prod\nsteps:\n  - name: only in test\n    if: env_name == 'test'\n    GET: %[1]s/json\n  - name: always\n    if: \"{{ env_name == 'prod' }}\"\n    GET: %[1]s/json\n", base)
	res := runYAML(t, src, nil)
	wantOutcomes(t, res, "skipped,passed")
	if got, want := res.Steps[0].SkipReason, "if: env_name == 'test' is false"; got != want {
		t.Errorf("SkipReason = %q, want %q", got, want)
	}
}

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

// loadFile loads a collection file written by the test.
func loadFile(t *testing.T, file string) *collections.Collection {
	t.Helper()
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatalf("Load(%s) error = %v", file, err)
	}
	return c
}
