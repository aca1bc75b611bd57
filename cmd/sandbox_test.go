package cmd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/sandbox"
)

// sandboxConfig parses args as the flags of `callsheet sandbox` and
// returns the settings they make.
func sandboxConfig(t *testing.T, args ...string) (sandbox.Config, error) {
	t.Helper()
	opts := &sandboxOptions{}
	var cfg sandbox.Config
	var cfgErr error
	app := &cli.App{
		Flags:  opts.flags(),
		Action: func(c *cli.Context) error { cfg, cfgErr = opts.config(c.IsSet); return nil },
		Writer: io.Discard, ErrWriter: io.Discard, ExitErrHandler: func(*cli.Context, error) {},
		DisableSliceFlagSeparator: true,
	}
	if err := app.Run(append([]string{"sandbox"}, args...)); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return cfg, cfgErr
}

func TestSandboxFlags(t *testing.T) {
	defaults := sandbox.Config{
		AccessTokenTTL: 5400 * time.Second, CodeTTL: 10 * time.Minute,
		RateLimit: 3600, RateLimitWindow: time.Hour, FailStatus: 503,
	}
	with := func(change func(*sandbox.Config)) sandbox.Config {
		c := defaults
		change(&c)
		return c
	}
	tests := []struct {
		args []string
		want sandbox.Config
	}{
		{nil, defaults},
		{[]string{"--token-ttl", "90s", "--code-ttl", "30s"}, with(func(c *sandbox.Config) { c.AccessTokenTTL, c.CodeTTL = 90*time.Second, 30*time.Second })},
		{[]string{"--rate-limit", "5", "--rate-window", "10s"}, with(func(c *sandbox.Config) { c.RateLimit, c.RateLimitWindow = 5, 10*time.Second })},
		{[]string{"--fail-rate", "0.1", "--fail-status", "502", "--retry-after", "2s", "--fail-path", "/rest/", "--fail-path", "/oauth/token"},
			with(func(c *sandbox.Config) {
				c.FailRate, c.FailStatus, c.FailRetryAfter, c.FailPaths = 0.1, 502, 2*time.Second, []string{"/rest/", "/oauth/token"}
			})},
		{[]string{"--latency", "200ms", "--jitter", "50ms"}, with(func(c *sandbox.Config) { c.Latency, c.LatencyJitter = 200*time.Millisecond, 50*time.Millisecond })},
		{[]string{"--seed", "lab 42", "--state-dir", "some/dir"}, with(func(c *sandbox.Config) { c.Seed, c.StateDir = "lab 42", "some/dir" })},
	}
	for _, tt := range tests {
		got, err := sandboxConfig(t, tt.args...)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("sandbox %q = %+v, %v\nwant %+v", tt.args, got, err, tt.want)
		}
	}
}

func TestSandboxFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--token-ttl", "0s"}, "--token-ttl 0s: must be positive"},
		{[]string{"--code-ttl", "-1s"}, "--code-ttl -1s: must be positive"},
		{[]string{"--rate-window", "0s"}, "--rate-window 0s: must be positive"},
		{[]string{"--rate-limit", "0"}, "--rate-limit 0: must be at least 1"},
		{[]string{"--fail-rate", "1.5"}, "--fail-rate 1.5: want a share from 0 to 1"},
		{[]string{"--fail-rate", "NaN"}, "--fail-rate NaN: want a share from 0 to 1"},
		{[]string{"--fail-rate", "0.5", "--fail-status", "200"}, "--fail-status 200: want a 4xx or 5xx status"},
		{[]string{"--fail-rate", "0.5", "--retry-after", "-2s"}, "--retry-after -2s: must not be negative"},
		{[]string{"--fail-rate", "0.5", "--fail-path", "rest/"}, `--fail-path "rest/": want a URL path starting with /`},
		{[]string{"--fail-status", "500"}, "--fail-status needs --fail-rate"},
		{[]string{"--retry-after", "2s"}, "--retry-after needs --fail-rate"},
		{[]string{"--fail-path", "/rest/"}, "--fail-path needs --fail-rate"},
		{[]string{"--latency", "-1ms"}, "--latency -1ms: must not be negative"},
		{[]string{"--jitter", "-1ms"}, "--jitter -1ms: must not be negative"},
		{[]string{"--seed", ""}, "--seed: must not be empty"},
		{[]string{"--state-dir", ""}, "--state-dir: must not be empty"},
	}
	for _, tt := range tests {
		args := append([]string{"sandbox", "--addr", "127.0.0.1:0"}, tt.args...)
		got := callsheet(t, nil, args...)
		if got.code != ExitUsage || !strings.HasPrefix(got.stderr, "error: "+tt.want) {
			t.Errorf("callsheet %s = exit %d, stderr %q; want %d and %q", strings.Join(args, " "), got.code, got.stderr, ExitUsage, tt.want)
		}
	}
	if got := callsheet(t, nil, "sandbox", "--latency", "soon"); got.code != ExitUsage {
		t.Errorf("callsheet sandbox --latency soon = exit %d, want %d", got.code, ExitUsage)
	}
}

// runningSandbox is a `callsheet sandbox` running in the test.
type runningSandbox struct {
	url, certFile, instance string
	client                  *http.Client // trusts certFile as read at start
	stdout                  *syncBuffer
	stop                    func() int // Ctrl-C; returns the exit code
}

var (
	bannerURL      = regexp.MustCompile(`serving the Procore sandbox at (\S+)`)
	bannerCert     = regexp.MustCompile(`(?m)^  certificate +(\S+)$`)
	bannerInstance = regexp.MustCompile(`(?m)^  instance +([0-9a-f]{32}) `)
)

// startSandboxCommand runs `callsheet sandbox` with args until the test
// stops it, and reads where it serves from what it prints.
func startSandboxCommand(t *testing.T, args ...string) *runningSandbox {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"callsheet", "sandbox", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr, nil)
	}()
	rs := &runningSandbox{stdout: stdout}
	rs.stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second): // hang guard
			t.Fatal("callsheet sandbox did not stop after its context was cancelled")
			return -1
		}
	}
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stdout.String(), "Press Ctrl-C"); time.Sleep(10 * time.Millisecond) {
		select {
		case code := <-done:
			t.Fatalf("callsheet sandbox exited early with %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) { // hang guard
			t.Fatalf("callsheet sandbox printed no banner:\n%s", stdout.String())
		}
	}
	out := stdout.String()
	rs.url, rs.certFile, rs.instance = bannerURL.FindStringSubmatch(out)[1], bannerCert.FindStringSubmatch(out)[1], bannerInstance.FindStringSubmatch(out)[1]
	rs.client = trustingClient(t, rs.certFile)
	return rs
}

// trustingClient returns a client that trusts only the certificate in
// certFile.
func trustingClient(t *testing.T, certFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(certFile)
	pool := x509.NewCertPool()
	if err != nil || !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("certificate %s: %v", certFile, err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// do sends a request to the sandbox and returns the status, headers and
// body of the answer.
func (rs *runningSandbox) do(t *testing.T, method, path string, header http.Header, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, rs.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := rs.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// serviceToken gets a client-credentials access token.
func (rs *runningSandbox) serviceToken(t *testing.T) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {sandbox.DemoClientID}, "client_secret": {sandbox.DemoClientSecret}}
	status, _, body := rs.do(t, http.MethodPost, "/oauth/token", nil, form)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); status != 200 || err != nil {
		t.Fatalf("client credentials token = %d %s", status, body)
	}
	return tok.AccessToken
}

// me calls GET /rest/v1.0/me with a service token and returns the status
// and headers.
func (rs *runningSandbox) me(t *testing.T, token string) (int, http.Header) {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}, "Procore-Company-Id": {"4264807"}}
	status, header, _ := rs.do(t, http.MethodGet, "/rest/v1.0/me", h, nil)
	return status, header
}

// TestSandboxCommandFaultLab serves the sandbox with fault-lab flags and
// sees each one in its answers.
func TestSandboxCommandFaultLab(t *testing.T) {
	rs := startSandboxCommand(t, "--fail-rate", "1", "--fail-status", "502", "--retry-after", "1500ms", "--fail-path", "/rest/",
		"--code-ttl", "1ns", "--token-ttl", "10m")
	tok := rs.serviceToken(t) // /oauth/token is not on the fail path
	if status, h := rs.me(t, tok); status != 502 || h.Get("Retry-After") != "2" || h.Get(sandbox.InstanceHeader) != rs.instance {
		t.Errorf("GET /me = %d Retry-After %q %s %q, want 502 2 %s", status, h.Get("Retry-After"), sandbox.InstanceHeader, h.Get(sandbox.InstanceHeader), rs.instance)
	}
	q := url.Values{"response_type": {"code"}, "client_id": {sandbox.DemoClientID}, "redirect_uri": {sandbox.OOBRedirectURI}}
	rs.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, h, _ := rs.do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil, nil)
	code := strings.TrimPrefix(h.Get("Location"), "/oauth/authorize/")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {sandbox.OOBRedirectURI},
		"client_id": {sandbox.DemoClientID}, "client_secret": {sandbox.DemoClientSecret}}
	if status, _, body := rs.do(t, http.MethodPost, "/oauth/token", nil, form); status != 401 || !strings.Contains(body, "invalid_grant") {
		t.Errorf("exchange of a code with --code-ttl 1ns = %d %s, want 401 invalid_grant", status, body)
	}
	if code := rs.stop(); code != ExitOK {
		t.Errorf("exit %d after Ctrl-C, want 0", code)
	}
	for _, want := range []string{"failures       100% of requests (/rest/) answer 502 with Retry-After 1.5s", "lifetimes      access tokens 10m0s, codes 1ns"} {
		if !strings.Contains(rs.stdout.String(), want) {
			t.Errorf("stdout does not say %q:\n%s", want, rs.stdout.String())
		}
	}

	limited := startSandboxCommand(t, "--rate-limit", "1", "--rate-window", "30s")
	tok = limited.serviceToken(t)
	first, _ := limited.me(t, tok)
	second, h := limited.me(t, tok)
	if first != 200 || second != 429 || h.Get("X-Rate-Limit-Limit") != "1" {
		t.Errorf("two calls under --rate-limit 1 = %d, %d (limit %q), want 200, 429 (1)", first, second, h.Get("X-Rate-Limit-Limit"))
	}
	limited.stop()
}

// TestSandboxCommandSeed checks that two sandboxes with one --seed issue
// the same token, and another seed another.
func TestSandboxCommandSeed(t *testing.T) {
	token := func(args ...string) string {
		rs := startSandboxCommand(t, args...)
		defer rs.stop()
		return rs.serviceToken(t)
	}
	a, again, other := token("--seed", "lab"), token("--seed", "lab"), token("--seed", "lab2")
	if a != again || a == other {
		t.Errorf("tokens under seeds lab, lab, lab2: %s… %s… %s…, want the first two equal, the third not", a[:8], again[:8], other[:8])
	}
}

// TestSandboxCommandStateDir restarts `callsheet sandbox --state-dir`: the
// certificate file stays where it was, the client that trusted it still
// does, and the token it got still works, under the same instance ID.
func TestSandboxCommandStateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	first := startSandboxCommand(t, "--state-dir", dir)
	tok := first.serviceToken(t)
	if first.certFile != filepath.Join(dir, sandbox.CertFileName) {
		t.Errorf("certificate %s, want %s", first.certFile, filepath.Join(dir, sandbox.CertFileName))
	}
	if code := first.stop(); code != ExitOK {
		t.Fatalf("exit %d after Ctrl-C, want 0", code)
	}
	if _, err := os.Stat(first.certFile); err != nil {
		t.Errorf("certificate file after exit: %v, want it kept", err)
	}

	second := startSandboxCommand(t, "--state-dir", dir)
	defer second.stop()
	second.client = first.client // trusts the certificate read before the restart
	status, h := second.me(t, tok)
	if status != 200 || second.instance != first.instance || h.Get(sandbox.InstanceHeader) != first.instance || second.certFile != first.certFile {
		t.Errorf("after the restart: GET /me %d, instance %s (header %q), certificate %s; want 200, %s, %s",
			status, second.instance, h.Get(sandbox.InstanceHeader), second.certFile, first.instance, first.certFile)
	}
	fresh := startSandboxCommand(t)
	defer fresh.stop()
	if status, _ := fresh.me(t, tok); status != 401 || fresh.instance == first.instance {
		t.Errorf("another sandbox: GET /me %d, instance %s; want 401 and an instance other than %s", status, fresh.instance, first.instance)
	}
}

// faultsCollection reaches the sandbox's faults through its request
// settings.
const faultsCollection = `name: faults
secrets: [code, token]
steps:
  - name: authorize with an expired code
    authorize:
      url: "{{ login_url }}/oauth/authorize?sandbox_code_ttl=0"
      client_id: "{{ client_id }}"
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
    capture:
      code: code
  - name: exchange it
    POST: "{{ login_url }}/oauth/token"
    form:
      grant_type: authorization_code
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
      code: "{{ code }}"
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
    expect:
      status: 401
      json:
        error: invalid_grant
  - name: service token
    POST: "{{ login_url }}/oauth/token"
    form:
      grant_type: client_credentials
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
    capture:
      token: { json: access_token }
  - name: 503 with Retry-After
    GET: "{{ base_url }}/rest/v1.0/me"
    headers:
      Authorization: "Bearer {{ token }}"
      Procore-Company-Id: "{{ company_id }}"
      Sandbox-Fail: 503;retry-after=2
    expect:
      status: 503
      headers:
        Retry-After: "2"
  - name: two 503s, then retried to a 200
    GET: "{{ base_url }}/rest/v1.0/me"
    headers:
      Authorization: "Bearer {{ token }}"
      Procore-Company-Id: "{{ company_id }}"
      Sandbox-Fail: 503;times=2
    retry: { count: 2, interval: 1ms }
    expect:
      status: 200
  - name: 429 at once
    GET: "{{ base_url }}/rest/v1.0/me"
    headers:
      Authorization: "Bearer {{ token }}"
      Procore-Company-Id: "{{ company_id }}"
      Sandbox-Rate-Limit: "0"
    expect:
      status: 429
`

// TestSandboxFaultsFromACollection runs a collection that reaches, through
// the sandbox's request settings, an expired code, a 503 with Retry-After,
// retries that then succeed, and a 429.
func TestSandboxFaultsFromACollection(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"faults.yaml": faultsCollection})
	got := callsheet(t, nil, "run", "--sandbox", filepath.Join(dir, "faults.yaml"))
	if got.code != ExitOK || !strings.Contains(got.stdout, "6 passed, 0 failed") {
		t.Errorf("callsheet run --sandbox faults.yaml = exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
}
