package cmd

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportTellsAboutFiles checks that import says which files the user
// must move or write for the collection to run: a curl -F @file read from
// the current directory, and the Postman environment without -o.
func TestImportTellsAboutFiles(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, h, err := r.FormFile("receipt")
		if err != nil || h.Filename != "receipt.txt" {
			http.Error(w, "no receipt", http.StatusBadRequest)
			return
		}
		f.Close()
	}))
	t.Cleanup(ts.Close)
	postman, err := filepath.Abs("../convert/testdata/postman.json")
	if err != nil {
		t.Fatal(err)
	}
	env, err := filepath.Abs("../convert/testdata/postman.env.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("receipt.txt", []byte("paid"), 0o644); err != nil {
		t.Fatal(err)
	}

	o := callsheet(t, nil, "import", "curl", "-o", "out", "--", "curl", "-F", "receipt=@receipt.txt", "-F", "other=@nowhere.txt", ts.URL+"/upload")
	if o.code != ExitOK {
		t.Fatalf("import curl = %d %s", o.code, o.stderr)
	}
	for _, want := range []string{"copy receipt.txt into out: the collection reads it relative to its own folder", "put nowhere.txt into out"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("import curl stderr lacks %q:\n%s", want, o.stderr)
		}
	}
	data, err := os.ReadFile(filepath.Join("out", "imported-curl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	one := strings.Replace(string(data), "      other:\n        file: nowhere.txt\n", "", 1)
	if err := os.WriteFile(filepath.Join("out", "one.yaml"), []byte(one), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename("receipt.txt", filepath.Join("out", "receipt.txt")); err != nil {
		t.Fatal(err)
	}
	if r := callsheet(t, nil, "run", "--no-color", filepath.Join("out", "one.yaml")); r.code != ExitOK {
		t.Errorf("run imported upload = %d\n%s%s\n%s", r.code, r.stdout, r.stderr, one)
	}

	p := callsheet(t, nil, "import", "postman", "--environment", env, postman)
	if p.code != ExitOK {
		t.Fatalf("import postman = %d %s", p.code, p.stderr)
	}
	if !strings.Contains(p.stderr, "not written: shop-local.env (pass -o DIR to write it)") {
		t.Errorf("import postman --environment without -o does not say the env file was not written:\n%s", p.stderr)
	}
	if strings.Contains(p.stdout, "s3cret") {
		t.Errorf("import postman printed the environment's secret:\n%s", p.stdout)
	}
}

// procorePostman is a Postman collection of the Procore first call with
// the collection-level OAuth 2.0 authorization-code auth Postman users set.
const procorePostman = `{"info": {"name": "Procore via Postman", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
 "auth": {"type": "oauth2", "oauth2": [
   {"key": "grant_type", "value": "authorization_code"}, {"key": "authUrl", "value": "{{login_url}}/oauth/authorize"},
   {"key": "accessTokenUrl", "value": "{{login_url}}/oauth/token"}, {"key": "clientId", "value": "{{client_id}}"},
   {"key": "clientSecret", "value": "{{client_secret}}"}, {"key": "redirect_uri", "value": "urn:ietf:wg:oauth:2.0:oob"}]},
 "item": [
  {"name": "Me", "request": {"method": "GET", "url": "{{base_url}}/rest/v1.0/me"},
   "event": [{"listen": "test", "script": {"exec": ["pm.test(\"Status code is 200\", function () {", "    pm.response.to.have.status(200);", "});",
     "var jsonData = pm.response.json();", "pm.expect(jsonData.id).to.be.a('number');"]}}]},
  {"name": "Projects", "request": {"method": "GET",
   "url": {"raw": "{{base_url}}/rest/v1.0/projects?company_id={{company_id}}", "query": [{"key": "company_id", "value": "{{company_id}}"}]},
   "header": [{"key": "Procore-Company-Id", "value": "{{company_id}}"}]},
   "event": [{"listen": "test", "script": {"exec": ["pm.response.to.have.status(200);"]}}]}]}`

// TestImportPostmanOAuthRunsOnSandbox imports a Postman collection whose
// OAuth 2.0 authorization-code auth becomes an auth profile the steps
// use, and runs it green against the Procore sandbox.
func TestImportPostmanOAuthRunsOnSandbox(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "procore.postman.json")
	if err := os.WriteFile(src, []byte(procorePostman), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if o := callsheet(t, nil, "import", "postman", "-o", out, src); o.code != ExitOK {
		t.Fatalf("import postman = %d %s", o.code, o.stderr)
	}
	file := filepath.Join(out, "procore-via-postman.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"auth:\n  postman_oauth2:\n    grant: authorization_code", "auth: postman_oauth2", "id: {type: number}"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("imported collection lacks %q:\n%s", want, data)
		}
	}
	r := callsheet(t, nil, "run", "--no-color", "--sandbox", file)
	if r.code != ExitOK || !strings.Contains(r.stdout, "2 passed") {
		t.Errorf("run --sandbox imported = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestImportRejectsBadInput checks that an input that is not what the
// importer reads is a usage error (exit 2), as an invalid collection is.
func TestImportRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"postman without items", []string{"import", "postman", empty}, "not a Postman collection"},
		{"har without entries", []string{"import", "har", empty}, "no request left to import"},
		{"postman file missing", []string{"import", "postman", filepath.Join(dir, "nope.json")}, "no such file"},
		{"curl without URL", []string{"import", "curl", "--", "curl", "-X", "POST"}, "has no URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := callsheet(t, nil, tt.args...)
			if o.code != ExitUsage || !strings.Contains(o.stderr, tt.want) {
				t.Errorf("callsheet %s = %d %q, want %d and %q", strings.Join(tt.args, " "), o.code, o.stderr, ExitUsage, tt.want)
			}
		})
	}
}

// TestImportUnknownFormat checks that an unknown or missing format is a
// usage error that lists the formats.
func TestImportUnknownFormat(t *testing.T) {
	for _, args := range [][]string{{"import", "raml", "x"}, {"import", "postmn", "x.json"}, {"import"}} {
		o := callsheet(t, nil, args...)
		if o.code != ExitUsage {
			t.Errorf("%v = %d, want %d", args, o.code, ExitUsage)
		}
		if want := strings.Join(formatNames(), ", "); !strings.Contains(o.stderr, want) {
			t.Errorf("%v stderr does not list the formats %q:\n%s", args, want, o.stderr)
		}
	}
	if o := callsheet(t, nil, "import", "postmn", "x.json"); !strings.Contains(o.stderr, `did you mean "postman"?`) {
		t.Errorf("import postmn gives no suggestion:\n%s", o.stderr)
	}
}

// TestImportEachFormat imports a fixture of each file format through the
// command and validates what it wrote.
func TestImportEachFormat(t *testing.T) {
	for _, tt := range []struct {
		args []string
		file string
		env  string
	}{
		{[]string{"import", "bruno", "../convert/testdata/bruno"}, "shop.yaml", "local"},
		{[]string{"import", "http", "../convert/testdata/shop.http"}, "shop.yaml", ""},
		{[]string{"import", "insomnia", "../convert/testdata/insomnia-v5.yaml"}, "shop.yaml", "local"},
	} {
		dir := t.TempDir()
		o := callsheet(t, nil, append(tt.args, "-o", dir)...)
		if o.code != ExitOK {
			t.Fatalf("%v = %d\n%s", tt.args, o.code, o.stderr)
		}
		args := []string{"validate", "--no-color", filepath.Join(dir, tt.file)}
		if tt.env != "" {
			if _, err := os.Stat(filepath.Join(dir, "env", tt.env+".yaml")); err != nil {
				t.Errorf("%v did not write the environment %s: %v", tt.args, tt.env, err)
			}
		}
		if v := callsheet(t, nil, args...); v.code != ExitOK {
			t.Errorf("%v: validate = %d\n%s%s", tt.args, v.code, v.stdout, v.stderr)
		}
	}
}
