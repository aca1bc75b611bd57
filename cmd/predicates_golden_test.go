package cmd

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// predicateServer answers every path with the same JSON body, a cookie, a
// request-id header, and an HTML page under /page.
func predicateServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s-42"})
		w.Header().Set("X-Request-Id", "0b7e8f5e-9a53-4c1e-8a49-1f3c0d2b6f7a")
		if r.URL.Path == "/page" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h1> Your code </h1><code id="authorization_code">abc123</code><ul><li>1</li><li>2</li></ul></body></html>`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": 9007199254740993, "name": "Ada", "tags": ["a", "b"], "email": "ada@example.com",
"uuid": "0b7e8f5e-9a53-4c1e-8a49-1f3c0d2b6f7a", "created": "2024-05-17T10:30:00Z", "site": "https://example.com/x",
"empty": [], "user": {"name": "Ada", "role": "admin", "team": {"id": 7}}, "code": "200", "token": "tok-%s",
"padding": "%s", "tail": "end"}`, "s3cr3t", strings.Repeat("p", 300))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// everyPredicatePasses holds every predicate, each under a different
// subject where it applies, so that the set is shown to be the same under
// status, headers, cookies, duration, json, body, xpath and css; every one
// must hold.
const everyPredicatePasses = `name: every predicate passes
steps:
  - name: json
    GET: "{{ base_url }}/json"
    expect:
      status: [{eq: 200}, {ne: 201}, {gt: 199}, {gte: 200}, {lt: 201}, {lte: 200}, {between: [200, 299]}, {one_of: [200, 204]}, {type: integer}, {exists: true}]
      headers:
        X-Request-Id: [{is_uuid: true}, {length: 36}, {starts_with: 0b7e}, {ends_with: 6f7a}, {matches: '^[0-9a-f-]+$'}, {not_matches: '^x'}, {contains: 9a53}, {not_contains: zzz}, {is_empty: false}, {type: string}]
        X-Missing: {exists: false}
      cookies:
        session: [{eq: s-42}, {one_of: [s-42, s-43]}, {starts_with: s-}, {length: 4}, {is_uuid: false}]
        other: {exists: false}
      duration: [{gte: 0}, {lt: 60000}, {between: [0, 60000]}, {type: integer}]
      json:
        id: [{eq: 9007199254740993}, {gt: 9007199254740992}, {type: integer}]
        code: [{eq: "200"}, {ne: 200}, {type: string}]
        email: {is_email: true}
        uuid: {is_uuid: true}
        created: {is_iso_date: true}
        site: {is_url: true}
        empty: {is_empty: true}
        tags: [{length: 2}, {contains: a}, {not_contains: c}, {type: array}]
        user: [{eq: {name: Ada}}, {type: object}, {contains: role}]
        name: {eq: "{{ 'A' + 'da' }}"}
      body: [{contains: Ada}, {not_contains: nowhere}, {starts_with: "{"}, {ends_with: "}"}, {matches: '"tail": "end"'}, {is_empty: false}]
  - name: page
    GET: "{{ base_url }}/page"
    expect:
      xpath:
        "//code[@id='authorization_code']": [{eq: abc123}, {length: 6}, {matches: '^[a-z0-9]+$'}, {exists: true}]
        "count(//li)": [{eq: 2}, {between: [1, 3]}, {type: integer}, {one_of: [2, 3]}]
      css:
        "code#authorization_code": [{starts_with: abc}, {ends_with: "123"}, {not_contains: x}, {is_empty: false}]
        h1: {eq: Your code}
`

// everyPredicateFails fails every predicate once, spread over the
// subjects; the golden file is how each failure renders.
const everyPredicateFails = `name: every predicate fails
secrets: [token]
steps:
  - name: capture the token
    GET: "{{ base_url }}/json"
    capture:
      token: {json: token, secret: true}
  - name: json
    GET: "{{ base_url }}/json"
    expect:
      status: {between: [300, 399]}
      headers:
        X-Request-Id: {is_uuid: false}
        Content-Type: [{starts_with: "application/"}, {ends_with: xml}]
        X-Missing: {exists: true}
      cookies:
        session: {not_matches: '^s-'}
        other: {is_empty: true}
      duration: {lt: 0}
      json:
        id: 9007199254740992
        code: 200
        name: {one_of: [Bob, Eve]}
        email: {is_email: false}
        created: {is_iso_date: false}
        site: {is_url: false}
        uuid: {is_uuid: "{{ 1 == 2 }}"}
        tags: [{length: 3}, {not_contains: a}, {contains: c}]
        empty: {is_empty: false}
        user: {type: array}
        user.team: {name: Bob, id: "7"}
        user.role: {ne: admin}
        user.team.id: [{gt: 7}, {gte: 8}, {lt: 7}, {lte: 6}]
        token: {eq: nope}
        nope: {matches: x}
      body: [{starts_with: "nope"}, {ends_with: '"tail": "start"}'}, {not_contains: '"tail"'}]
  - name: page
    GET: "{{ base_url }}/page"
    expect:
      xpath:
        "//code[@id='authorization_code']": {eq: xyz}
        "count(//li)": {between: [3, 5]}
      css:
        "code#authorization_code": {starts_with: xyz}
        "#missing": {exists: true}
`

// durationValue hides the measured response time, which changes from run
// to run.
var durationValue = regexp.MustCompile(`(duration: [^\n]*\n[^\n]*\n[^\n]*actual:   integer <)\d+>`)

func TestRunEveryPredicate(t *testing.T) {
	srv := predicateServer(t)
	tests := []struct {
		name, file, src string
		code            int
	}{
		{"run_every_predicate_passes", "passes.yaml", everyPredicatePasses, ExitOK},
		{"run_every_predicate_fails", "fails.yaml", everyPredicateFails, ExitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, t.TempDir(), map[string]string{tt.file: tt.src})
			args := []string{"run", "--continue", "--no-color", "--var", "base_url=" + srv.URL, dir + "/" + tt.file}
			got := callsheet(t, nil, args...)
			if got.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", got.code, tt.code, got.stdout, got.stderr)
			}
			if strings.Contains(got.stdout, "s3cr3t") {
				t.Errorf("the secret token is printed:\n%s", got.stdout)
			}
			out := normalize("$ callsheet "+strings.Join(args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, srv.URL, "SERVER", dir, "TMP")
			checkGolden(t, tt.name, durationValue.ReplaceAllString(out, "${1}DUR>"))
		})
	}
}
