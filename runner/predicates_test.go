package runner

import (
	"fmt"
	"strings"
	"testing"
)

func TestPredicates(t *testing.T) {
	base := contentServer(t)
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
	base := contentServer(t)
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
