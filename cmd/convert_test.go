package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/convert"
)

// tokenAPI is a test server with a token endpoint and a bearer-protected
// resource.
func tokenAPI(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("client_secret") != "sekrit-value" {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"tok-abcdef","token_type":"bearer"}`)
	})
	mux.HandleFunc("GET /rest/v1.0/projects", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-abcdef" || r.Header.Get("Procore-Company-Id") != "1234" {
			http.Error(w, `{}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"id":1,"name":"Tower"}]`)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// tokenCollection uses tokenAPI; its client secret comes from the
// environment.
const tokenCollection = `name: token flow
vars:
  base_url: BASE
  client_secret: "{{ env.CLIENT_SECRET }}"
secrets: [client_secret]
steps:
  - name: token
    POST: "{{ base_url }}/oauth/token"
    multipart:
      grant_type: client_credentials
      client_secret: "{{ client_secret }}"
    expect:
      status: 200
    capture:
      access_token: { json: access_token, secret: true }
      token_type: token_type
  - name: projects
    GET: "{{ base_url }}/rest/v1.0/projects"
    query:
      company_id: 1234
    headers:
      Authorization: "Bearer {{ access_token }}"
      Procore-Company-Id: "1234"
    expect:
      status: 200
`

func TestImportCurlCommand(t *testing.T) {
	ts := tokenAPI(t)
	dir := t.TempDir()
	o := callsheet(t, nil, "import", "curl", "--name", "docs", "-o", dir, "--",
		"curl", "-F", "grant_type=client_credentials", "-F", "client_secret=sekrit-value", "-X", "POST", ts.URL+"/oauth/token", "--frobnicate")
	if o.code != ExitOK {
		t.Fatalf("import curl = %d, stderr %s", o.code, o.stderr)
	}
	if !strings.Contains(o.stderr, "unknown curl flag --frobnicate") {
		t.Errorf("stderr does not report the unknown flag:\n%s", o.stderr)
	}
	file := filepath.Join(dir, "docs.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "multipart:") {
		t.Errorf("imported step is not multipart:\n%s", data)
	}
	if r := callsheet(t, nil, "run", "--no-color", file); r.code != ExitOK {
		t.Errorf("run imported = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestExportCurlCommand(t *testing.T) {
	ts := tokenAPI(t)
	file := filepath.Join(t.TempDir(), "flow.yaml")
	os.WriteFile(file, []byte(strings.ReplaceAll(tokenCollection, "BASE", ts.URL)), 0o644)
	env := map[string]string{"CLIENT_SECRET": "sekrit-value"}
	o := callsheet(t, env, "export", "curl", file, "--step", "projects")
	if o.code != ExitOK {
		t.Fatalf("export curl = %d, stderr %s", o.code, o.stderr)
	}
	want := "# set these shell variables first: ACCESS_TOKEN\n# cookies are kept between the commands, as in a run\nCOOKIES=${COOKIES:-$(mktemp)}\n" +
		"# projects\ncurl -L '" + ts.URL + "/rest/v1.0/projects?company_id=1234' -H \"Authorization: Bearer $ACCESS_TOKEN\" -H 'Procore-Company-Id: 1234' -b \"$COOKIES\" -c \"$COOKIES\"\n"
	if o.stdout != want {
		t.Errorf("export curl stdout =\n%s\nwant\n%s", o.stdout, want)
	}
	all := callsheet(t, env, "export", "curl", file)
	if strings.Contains(all.stdout, "sekrit-value") || !strings.Contains(all.stdout, `--form-string "client_secret=$CLIENT_SECRET"`) {
		t.Errorf("export curl does not hide the secret:\n%s", all.stdout)
	}
	if bad := callsheet(t, env, "export", "curl", file, "--step", "projetcs"); bad.code != ExitUsage || !strings.Contains(bad.stderr, `did you mean "projects"`) {
		t.Errorf("export curl --step projetcs = %d %q, want a usage error with a suggestion", bad.code, bad.stderr)
	}
}

func TestRunVeryVerboseCurlAndHAR(t *testing.T) {
	ts := tokenAPI(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "flow.yaml")
	os.WriteFile(file, []byte(strings.ReplaceAll(tokenCollection, "BASE", ts.URL)), 0o644)
	harFile := filepath.Join(dir, "run.har")
	env := map[string]string{"CLIENT_SECRET": "sekrit-value"}
	o := callsheet(t, env, "run", "--no-color", "-vv", "--har", harFile, file)
	if o.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	exported := callsheet(t, env, "export", "curl", file, "--step", "projects")
	// The same command, but for the cookie file a script of commands keeps.
	line := strings.TrimSuffix(strings.Split(strings.TrimSpace(exported.stdout), "\n")[4], ` -b "$COOKIES" -c "$COOKIES"`)
	if !strings.Contains(o.stdout, "    $ "+line+"\n") {
		t.Errorf("-vv output does not show the export's curl line %q:\n%s", line, o.stdout)
	}
	if !strings.Contains(o.stdout, `--form-string "client_secret=$CLIENT_SECRET"`) {
		t.Errorf("-vv output does not show the token request's curl line:\n%s", o.stdout)
	}
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"sekrit-value", "tok-abcdef"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("HAR shows the secret %q", secret)
		}
	}
	var h convert.HAR
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	if h.Log.Version != "1.2" || len(h.Log.Entries) != 2 || h.Log.Entries[1].Response.Status != 200 {
		t.Fatalf("HAR log = version %q, %d entries, want 1.2 and 2", h.Log.Version, len(h.Log.Entries))
	}
	if got := h.Log.Entries[1].Request.QueryString; len(got) != 1 || got[0].Value != "1234" {
		t.Errorf("HAR queryString = %v", got)
	}

	// A HAR imports back into a collection that loads and runs.
	out := filepath.Join(dir, "imported")
	if r := callsheet(t, nil, "import", "har", "-o", out, harFile); r.code != ExitOK {
		t.Fatalf("import har = %d %s", r.code, r.stderr)
	}
	if r := callsheet(t, nil, "validate", "--no-color", filepath.Join(out, "run.yaml")); r.code != ExitOK {
		t.Errorf("validate imported HAR = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestImportPostmanCommand(t *testing.T) {
	dir := t.TempDir()
	o := callsheet(t, nil, "import", "postman", "-o", dir, "--environment", "../convert/testdata/postman.env.json", "../convert/testdata/postman.json")
	if o.code != ExitOK {
		t.Fatalf("import postman = %d\n%s", o.code, o.stderr)
	}
	for _, f := range []string{"shop-api.yaml", "shop-local.env"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("import postman did not write %s: %v", f, err)
		}
	}
	if !strings.Contains(o.stderr, "not translated (2, kept as comments)") || !strings.Contains(o.stderr, "postman.setNextRequest") ||
		!strings.Contains(o.stderr, "script statements translated: 10 of 11 (90%)") {
		t.Errorf("import postman summary:\n%s", o.stderr)
	}
	v := callsheet(t, nil, "validate", "--no-color", "--env-file", filepath.Join(dir, "shop-local.env"), filepath.Join(dir, "shop-api.yaml"))
	if v.code != ExitOK {
		t.Errorf("validate = %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

func TestInitAndFmt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "api")
	if o := callsheet(t, nil, "init", dir); o.code != ExitOK {
		t.Fatalf("init = %d %s", o.code, o.stderr)
	}
	for _, f := range []string{"collection.yaml", ".env", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init did not write %s", f)
		}
	}
	gi, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if !strings.Contains(string(gi), ".env") {
		t.Errorf(".gitignore does not ignore .env:\n%s", gi)
	}
	file := filepath.Join(dir, "collection.yaml")
	if o := callsheet(t, nil, "validate", "--no-color", file); o.code != ExitOK {
		t.Errorf("validate starter = %d %s", o.code, o.stderr)
	}
	if o := callsheet(t, nil, "init", dir); o.code != ExitOK || !strings.Contains(o.stderr, "kept") {
		t.Errorf("second init = %d %q, want the files kept", o.code, o.stderr)
	}

	messy := filepath.Join(dir, "messy.yaml")
	os.WriteFile(messy, []byte("steps:\n  - GET: 'https://example.com'  # home\n    name: 'home'\nname: \"m\"\n"), 0o644)
	if o := callsheet(t, nil, "fmt", "--check", file, messy); o.code != ExitFailed || o.stdout != messy+"\n" {
		t.Errorf("fmt --check = %d %q, want 1 and only the messy file listed", o.code, o.stdout)
	}
	if o := callsheet(t, nil, "fmt", messy); o.code != ExitOK {
		t.Fatalf("fmt = %d %s", o.code, o.stderr)
	}
	got, _ := os.ReadFile(messy)
	want := "name: m\n\nsteps:\n  - name: home\n    GET: https://example.com # home\n"
	if string(got) != want {
		t.Errorf("fmt wrote\n%s\nwant\n%s", got, want)
	}
	if o := callsheet(t, nil, "fmt", "--check", messy); o.code != ExitOK {
		t.Errorf("fmt --check after fmt = %d %q", o.code, o.stdout)
	}
}

func TestImportCurlFromStdin(t *testing.T) {
	var stdout, stderr strings.Builder
	text := "curl -H \"Authorization: Bearer $TOKEN\" -H 'Procore-Company-Id: 1234' \\\n  'https://api.procore.com/rest/v1.0/projects?company_id=1234'\n"
	code := Main(t.Context(), []string{"callsheet", "import", "curl"}, strings.NewReader(text), &stdout, &stderr, nil)
	if code != ExitOK {
		t.Fatalf("import curl < stdin = %d %s", code, stderr.String())
	}
	for _, want := range []string{"GET: https://api.procore.com/rest/v1.0/projects", "company_id: \"1234\"", `Authorization: "Bearer {{ env.TOKEN }}"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("import curl output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestExportPostmanCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "flow.yaml")
	os.WriteFile(file, []byte(strings.ReplaceAll(tokenCollection, "BASE", "http://127.0.0.1:1")), 0o644)
	o := callsheet(t, nil, "export", "postman", file)
	if o.code != ExitOK {
		t.Fatalf("export postman = %d, stderr %s", o.code, o.stderr)
	}
	var out struct {
		Info struct{ Schema string }
		Item []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(o.stdout), &out); err != nil || len(out.Item) != 2 || !strings.Contains(out.Info.Schema, "v2.1.0") {
		t.Errorf("export postman stdout is not the v2.1 collection (%v):\n%s", err, o.stdout)
	}
	if !strings.Contains(o.stdout, `pm.environment.set(\"access_token\"`) || !strings.Contains(o.stdout, "pm.test(") {
		t.Errorf("export postman lacks the capture or the checks:\n%s", o.stdout)
	}
}
