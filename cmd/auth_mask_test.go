package cmd

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/sandbox"
)

// secretRecorder wraps the sandbox and remembers every secret that crosses
// its OAuth endpoints: authorization codes (in redirects and pages), access
// and refresh tokens (in token responses) and PKCE verifiers (in token
// requests), so that a test can grep the outputs for the actual values.
type secretRecorder struct {
	mu      sync.Mutex
	secrets map[string]string // value → what it is
}

// hex64 matches the sandbox's codes and tokens.
var hex64 = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

// verifierParam matches a PKCE verifier in a form or multipart body.
var verifierParam = regexp.MustCompile(`code_verifier(?:=|"\r\n\r\n)([A-Za-z0-9._~-]{43,128})`)

func (sr *secretRecorder) add(kind, v string) {
	if v == "" || v == sandbox.DemoClientID {
		return // the client ID is public
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.secrets[v] = kind
}

// list returns the recorded secrets and what each is.
func (sr *secretRecorder) list() map[string]string {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	out := map[string]string{sandbox.DemoClientSecret: "client secret"}
	for v, k := range sr.secrets {
		out[v] = k
	}
	return out
}

// teeWriter keeps a copy of a response body.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// newSecretSandbox serves the sandbox over loopback http, recording secrets,
// and returns the --var flags pointing a Procore collection at it.
func newSecretSandbox(t *testing.T) (*secretRecorder, []string) {
	t.Helper()
	sr := &secretRecorder{secrets: map[string]string{}}
	h := sandbox.New(sandbox.Config{}).Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/oauth/") {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		for _, m := range verifierParam.FindAllStringSubmatch(string(body), -1) {
			sr.add("PKCE verifier", m[1])
		}
		tw := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		if loc, err := url.Parse(tw.Header().Get("Location")); err == nil {
			sr.add("authorization code", loc.Query().Get("code"))
			for _, v := range hex64.FindAllString(loc.Path, -1) {
				sr.add("authorization code", v)
			}
		}
		kind := "token"
		if strings.HasPrefix(r.URL.Path, "/oauth/authorize") {
			kind = "authorization code"
		}
		for _, v := range hex64.FindAllString(tw.body.String(), -1) {
			sr.add(kind, v)
		}
	}))
	t.Cleanup(ts.Close)
	vars := []string{"--var", "login_url=" + ts.URL, "--var", "base_url=" + ts.URL,
		"--var", "client_id=" + sandbox.DemoClientID, "--var", "client_secret=" + sandbox.DemoClientSecret,
		"--var", "company_id=" + strconv.Itoa(sandbox.DemoCompanyID)}
	return sr, vars
}

// TestNoSecretInOutputAtVV runs every bundled Procore collection at -vv
// with every report, then logs in, lists and logs out a profile, and greps
// all the output and the reports for every code, token, verifier and the
// client secret the sandbox saw.
func TestNoSecretInOutputAtVV(t *testing.T) {
	sr, vars := newSecretSandbox(t)
	dir := t.TempDir()
	env := map[string]string{cacheDirEnv: filepath.Join(dir, "cache")}
	reports := []string{"report-json", "report-junit", "report-tap", "report-html"}

	var outputs []string
	for _, name := range []string{"first-call", "with-profile", "refresh", "service-account", "errors", "pagination"} {
		args := []string{"run", "-vv", "--auto-authorize", "procore/" + name}
		for _, r := range reports {
			args = append(args, "--"+r, filepath.Join(dir, name+"."+r))
		}
		out := callsheet(t, env, append(args, vars...)...)
		if out.code != ExitOK {
			t.Fatalf("callsheet run -vv procore/%s = %d, want %d\nstdout: %s\nstderr: %s", name, out.code, ExitOK, out.stdout, out.stderr)
		}
		outputs = append(outputs, out.stdout, out.stderr)
		for _, r := range reports {
			data, err := os.ReadFile(filepath.Join(dir, name+"."+r))
			if err != nil {
				t.Fatal(err)
			}
			outputs = append(outputs, string(data))
		}
	}
	for _, args := range [][]string{
		{"auth", "login", "--auto-authorize", "procore", "procore/with-profile"},
		{"auth", "status"},
		{"auth", "logout", "procore", "procore/with-profile"},
	} {
		if args[1] != "status" {
			args = append(args, vars...)
		}
		out := callsheet(t, env, args...)
		if out.code != ExitOK {
			t.Fatalf("callsheet %s = %d\nstdout: %s\nstderr: %s", strings.Join(args[:2], " "), out.code, out.stdout, out.stderr)
		}
		outputs = append(outputs, out.stdout, out.stderr)
	}

	secrets := sr.list()
	kinds := map[string]int{}
	for _, k := range secrets {
		kinds[k]++
	}
	// The runs must have seen each kind of secret, or the test proves nothing.
	for _, want := range []string{"PKCE verifier", "authorization code", "token"} {
		if kinds[want] == 0 {
			t.Errorf("the sandbox recorded no %s (recorded %v)", want, kinds)
		}
	}
	for v, kind := range secrets {
		for _, o := range outputs {
			if i := strings.Index(o, v); i >= 0 {
				t.Errorf("a %s appears in the output: …%s…", kind, o[max(0, i-80):min(len(o), i+len(v)+20)])
				break
			}
		}
	}
}
