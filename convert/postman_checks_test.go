package convert

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// postmanWith returns a one-request Postman collection whose request has
// the body and test script given.
func postmanWith(t *testing.T, body string, script ...string) []byte {
	t.Helper()
	exec, err := json.Marshal(script)
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		body = "null"
	}
	return []byte(`{"info": {"name": "Checks", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	 "item": [{"name": "Get", "request": {"method": "POST", "url": "http://api.example/x", "body": ` + body + `},
	   "event": [{"listen": "test", "script": {"exec": ` + string(exec) + `}}]}]}`)
}

func TestImportPostmanScripts(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		script  []string
		want    []string // lines the collection holds
		notes   int      // how many lines are reported as not translated
		notWant []string // text the collection must not hold
	}{
		{
			name:   "two checks of one path both hold",
			script: []string{"var jsonData = pm.response.json();", "pm.expect(jsonData.id).to.eql(7);", "pm.expect(jsonData.id).to.be.a('number');"},
			want:   []string{"id: [{eq: 7}, {type: number}]"},
		},
		{
			name:   "a repeated check is written once",
			script: []string{"pm.response.to.have.header(\"Content-Type\");", "pm.response.to.have.header(\"Content-Type\");", "pm.response.to.have.status(200);", "pm.expect(pm.response.code).to.eql(200);"},
			want:   []string{"Content-Type: {exists: true}", "status: 200"},
		},
		{
			name:   "two different statuses must both hold, as both tests must pass",
			script: []string{"pm.response.to.have.status(200);", "pm.response.to.have.status(201);"},
			want:   []string{"status: [{eq: 200}, {eq: 201}]"},
		},
		{
			name:    "the last set of a variable wins",
			script:  []string{"const body = pm.response.json();", "pm.environment.set(\"u\", body.a);", "pm.environment.set(\"u\", body.b);"},
			want:    []string{"u: b"},
			notWant: []string{"u: a"},
		},
		{
			name:   "pm.response.json() read inline",
			script: []string{"pm.environment.set(\"token\", pm.response.json().access_token);", "pm.expect(pm.response.json().items[0].id).to.eql(\"a\");"},
			want:   []string{"token: {json: access_token, secret: true}", "items.0.id: a"},
		},
		{
			name:   "one-line pm.test and pm.expect(pm.response)",
			script: []string{"pm.test(\"ok\", function () { pm.response.to.have.status(201); });", "pm.expect(pm.response).to.have.status(201);"},
			want:   []string{"status: 201"},
		},
		{
			name: "chai: include, contain, match, negations",
			script: []string{"const j = pm.response.json();",
				"pm.expect(j.name).to.include('Ann');", "pm.expect(j.tags).to.contain('vip');",
				"pm.expect(j.email).to.match(/^[a-z]+@example\\.com$/i);", "pm.expect(j.name).to.not.include('Bob');",
				"pm.expect(j.code).not.to.match(/x/);", "pm.expect(pm.response.text()).to.include('Ann');"},
			want: []string{"name: [{contains: Ann}, {not_contains: Bob}]", "tags: {contains: vip}",
				`email: {matches: '(?i)^[a-z]+@example\.com$'}`, "code: {not_matches: x}", "body: {contains: Ann}"},
		},
		{
			name: "chai: comparisons, oneOf, within, responseTime",
			script: []string{"var d = pm.response.json();",
				"pm.expect(d.count).to.be.above(2);", "pm.expect(d.count).to.be.below(10);", "pm.expect(d.count).to.be.at.least(3);",
				"pm.expect(d.count).to.be.at.most(9);", "pm.expect(d.state).to.be.oneOf(['open', 'closed']);",
				"pm.expect(d.score).to.be.within(1, 5);", "pm.expect(pm.response.responseTime).to.be.below(500);",
				"pm.expect(d.count).to.not.be.above(100);", "pm.expect(pm.response.code).to.be.oneOf([200, 201]);"},
			want: []string{"count: [{gt: 2}, {lt: 10}, {gte: 3}, {lte: 9}, {lte: 100}]", "state: {one_of: [open, closed]}",
				"score: {between: [1, 5]}", "duration: {lt: 500}", "status: {one_of: [200, 201]}"},
		},
		{
			name: "chai: property with and without a value, lengthOf, .length",
			script: []string{"const r = pm.response.json();",
				"pm.expect(r).to.have.property('id');", "pm.expect(r).to.have.property('kind', 'user');",
				"pm.expect(r.items).to.have.lengthOf(3);", "pm.expect(r.items.length).to.eql(3);",
				"pm.expect(r).to.not.have.property('password');", "pm.expect(r.slideshow.slides.length).to.be.above(0);",
				"pm.expect(r).to.have.property('meta').that.has.property('page', 1);"},
			want: []string{"id: {exists: true}", "kind: user", "items: {length: 3}", "items.#: 3",
				"password: {exists: false}", "slideshow.slides.#: {gt: 0}", "meta: {exists: true}", "meta.page: 1"},
		},
		{
			name: "chai: ok, json, empty, true, null, undefined, exist, a/an",
			script: []string{"pm.response.to.be.ok;", "pm.response.to.be.json;", "const b = pm.response.json();",
				"pm.expect(b.token).to.be.ok;", "pm.expect(b.errors).to.be.empty;", "pm.expect(b.items).to.not.be.empty;",
				"pm.expect(b.active).to.be.true;", "pm.expect(b.deleted).to.be.false;", "pm.expect(b.parent).to.be.null;",
				"pm.expect(b.secret).to.be.undefined;", "pm.expect(b.id).to.exist;", "pm.expect(b.tags).to.be.an('array');",
				"pm.expect(b.items).to.be.an('array').that.is.not.empty;"},
			want: []string{"status: 200", "Content-Type: {contains: json}", `token: [{exists: true}, {ne: null}, {ne: false}, {ne: 0}, {ne: ""}]`,
				"errors: {is_empty: true}", "items: [{is_empty: false}, {type: array}]", "active: true", "deleted: false",
				"parent: null", "secret: {exists: false}", "id: {exists: true}", "tags: {type: array}"},
		},
		{
			name:   "chai: deep eql on objects and arrays",
			script: []string{"const o = pm.response.json();", "pm.expect(o.user).to.eql({id: 5, name: 'Ann'});", "pm.expect(o.ids).to.deep.equal([1, 2]);", "pm.expect(o.meta).to.eql({});"},
			want:   []string{"user: [{eq: {id: 5, name: Ann}}, {length: 2}]", "ids: {eq: [1, 2]}", "meta: {is_empty: true}"},
		},
		{
			name: "pm.response.to forms and negations",
			script: []string{"pm.response.to.have.header('Content-Type', 'application/json');", "pm.response.to.not.have.header('X-Debug');",
				"pm.response.to.have.jsonBody('data.id');", "pm.response.to.have.jsonBody('data.kind', 'a');", "pm.response.to.be.success;",
				"pm.response.to.not.have.status(500);", "pm.response.to.have.responseTime.below(800);",
				"pm.expect(pm.response.headers.get('Content-Type')).to.include('json');"},
			want: []string{"Content-Type: [{eq: application/json}, {contains: json}]", "X-Debug: {exists: false}", "data.id: {exists: true}",
				"data.kind: a", "status: [{between: [200, 299]}, {ne: 500}]", "duration: {lt: 800}"},
		},
		{
			name: "legacy tests[] and responseCode, hasOwnProperty, Array.isArray, regex.test",
			script: []string{"var json = JSON.parse(responseBody);", "tests['status'] = responseCode.code === 200;",
				"tests['has user'] = json.hasOwnProperty('user');", "var user = json.user || {};", "tests['email'] = user.hasOwnProperty('email');",
				"tests['tags is an array'] = Array.isArray(user.tags);", "tests['count is an integer'] = Number.isInteger(json.count);",
				"tests['created'] = /^\\d{4}-/.test(user.createdAt);", "tests['body'] = responseBody.has('user');",
				"tests['fast'] = responseTime < 200;", "tests['type'] = typeof json.count === 'number';",
				"tests['ct'] = postman.getResponseHeader('Content-Type');", "tests['no error'] = json.error === undefined || true;"},
			want: []string{"status: 200", "user: {exists: true}", "user.email: {exists: true}", "user.tags: {type: array}",
				"count: [{type: integer}, {type: number}]", `user.createdAt: {matches: '^\d{4}-'}`, "body: {contains: user}",
				"duration: {lt: 200}", "Content-Type: {exists: true}", "#   test: tests['no error'] = json.error === undefined || true"},
			notes: 1,
		},
		{
			name: "a condition the script asserts anyway guards nothing; other conditions keep captures optional",
			script: []string{"var ok = responseCode.code === 200;", "tests['ok'] = ok;", "if (ok) { var j = JSON.parse(responseBody); tests['id'] = j.hasOwnProperty('id'); }",
				"const list = pm.response.json().items;", "if (list.length > 0) { pm.environment.set('first_id', list[0].id); }",
				"if (list.length > 0) { pm.expect(list[0].name).to.be.a('string'); }"},
			want: []string{"status: 200", "id: {exists: true}", `first_id: {json: items.0.id, default: "{{ first_id }}"}`,
				`- len(res.json.items) == 0 || type(res.json.items[0].name) == "string"`},
		},
		{
			name: "variables: pm.*.set of literals and expressions, get in expected values",
			script: []string{"const d = pm.response.json();", "pm.collectionVariables.set('mode', 'fast');",
				"pm.globals.set('loc', pm.response.headers.get('Location'));", "pm.expect(d.owner).to.eql(pm.environment.get('user_id'));",
				"pm.environment.set('n', d.items.length);", "pm.variables.set('greeting', 'hi ' + pm.environment.get('user'));",
				"postman.setEnvironmentVariable('sid', d.session.id);", "pm.environment.set('stamp', Date.now());"},
			want: []string{"mode: fast", "loc: {header: Location}", `owner: "{{ user_id }}"`, "n: items.#",
				`greeting: "{{ \"hi \" + user }}"`, "sid: session.id", `stamp: "{{ now().UnixMilli() }}"`},
		},
		{
			name:   "jsonSchema becomes an inline schema",
			script: []string{"const schema = {type: 'object', required: ['id'], properties: {id: {type: 'integer'}}};", "pm.response.to.have.jsonSchema(schema);"},
			want:   []string{"schema:", "    required:\n          - id", "        id:\n            type: integer"},
		},
		{
			name: "file body mode",
			body: `{"mode": "file", "file": {"src": "fixtures/data.json"}}`,
			want: []string{`body: "{{ file(\"fixtures/data.json\") }}"`},
			// The note says the path is read relative to the collection.
			notes: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := ImportPostman(postmanWith(t, tt.body, tt.script...), nil)
			if err != nil {
				t.Fatalf("ImportPostman error = %v", err)
			}
			out := string(im.Files[0].Data)
			if _, err := collections.Parse("checks.yaml", im.Files[0].Data, collections.Options{}); err != nil {
				t.Fatalf("Parse(imported) error = %v\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("imported collection lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("imported collection holds %q:\n%s", w, out)
				}
			}
			if len(im.Notes) != tt.notes {
				t.Errorf("notes = %q, want %d", im.Notes, tt.notes)
			}
		})
	}
}
