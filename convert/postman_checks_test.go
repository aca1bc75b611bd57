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
			name:    "a different second status is reported",
			script:  []string{"pm.response.to.have.status(200);", "pm.response.to.have.status(201);"},
			want:    []string{"status: 200", "#   pm.response.to.have.status(201);"},
			notes:   1,
			notWant: []string{"status: 201"},
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
