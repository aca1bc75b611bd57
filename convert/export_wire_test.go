package convert

import (
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
)

// TestExportedCurlSendsWhatRunSends runs every bundled collection (against
// the sandbox) and every test collection (against go-httpbin), at servers
// that record raw bytes, then runs the curl command `export curl` writes
// for each step that sent one request, with the shell variables set to
// the values the run used: curl must send the same bytes.
func TestExportedCurlSendsWhatRunSends(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	for _, src := range exportSources(t) {
		t.Run(src.name, func(t *testing.T) {
			c := src.load(t)
			run := runSteps(t, src, c)
			jar := filepath.Join(t.TempDir(), "cookies")
			compared := 0
			for _, p := range runner.New(nil).Preview(c, src.opts(nil)) {
				sent, ok := run.sent[p.Step.Name]
				if !ok || p.Request == nil || p.Step.Authorize() != nil || p.Step.Flow.Iterates() {
					continue
				}
				if p.Err != nil {
					t.Fatalf("step %q: preview error = %v", p.Step.Name, p.Err)
				}
				printer := &CurlPrinter{Dir: filepath.Dir(c.File), Jar: jar}
				line := printer.Command(p.Request, p.Step)
				script := strings.Join(append(printer.Helpers(), line), "\n")
				got := curlRun(t, src.srv, run.env(t, p.Step.Name, printer.Needed()), script)
				// A step's own request (and the redirects it follows)
				// is among what it sent: an auth profile's login comes
				// before, retries and until: after.
				if len(got) == 0 || !containsRun(sent, got) {
					t.Errorf("step %q: curl sent\n%s\nthe run sent\n%s\ncommand: %s", p.Step.Name, strings.Join(got, "\n---\n"), strings.Join(sent, "\n---\n"), line)
				}
				compared++
			}
			if compared == 0 {
				t.Fatal("no step was compared")
			}
		})
	}
}

// exportSource is a collection to run and export, with its server.
type exportSource struct {
	name    string
	fsys    fs.FS // nil: a file on disk
	file    string
	srv     *wiretest.Server
	vars    map[string]any
	secrets []string
}

func (s exportSource) load(t *testing.T) *collections.Collection {
	t.Helper()
	opts := collections.Options{Defined: slices.Collect(func(yield func(string) bool) {
		for n := range s.vars {
			if !yield(n) {
				return
			}
		}
	})}
	var c *collections.Collection
	var err error
	if s.fsys != nil {
		c, err = collections.LoadFS(s.fsys, s.file, opts)
	} else {
		c, err = collections.Load(s.file, opts)
	}
	if err != nil {
		t.Fatalf("load %s: %v", s.file, err)
	}
	return c
}

// opts are the options of both the run and the preview: one seed and one
// clock, so both compute the same values.
func (s exportSource) opts(cache auth.Cache) runner.Options {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return runner.Options{
		Vars: s.vars, Secrets: s.secrets, Continue: true,
		AuthOptions: runner.AuthOptions{AutoAuthorize: true, TokenCache: cache},
		Templates:   runner.TemplateOptions{Seed: 7, Seeded: true, Now: func() time.Time { return now }},
	}
}

// exportSources lists the bundled collections and the test collections.
func exportSources(t *testing.T) []exportSource {
	sb := wiretest.NewTLSServer(t, sandbox.New(sandbox.Config{}).Handler())
	bin := wiretest.NewServer(t, httpbin.New())
	sbVars := map[string]any{"login_url": sb.URL, "base_url": sb.URL, "client_id": sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret, "company_id": int64(sandbox.DemoCompanyID)}
	var out []exportSource
	bundled := collections.BundledNames()
	for _, name := range bundled {
		f := name + ".yaml"
		out = append(out, exportSource{name: f, fsys: collections.Bundled(), file: f, srv: sb, vars: sbVars, secrets: []string{"client_secret"}})
	}
	procore, _ := filepath.Glob("../runner/testdata/procore/*.yaml")
	for _, f := range procore {
		out = append(out, exportSource{name: f, file: f, srv: sb, vars: sbVars, secrets: []string{"client_secret"}})
	}
	for _, pattern := range []string{"../runner/testdata/passed/*.yaml", "../runner/testdata/failed/*.yaml", "testdata/export/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			out = append(out, exportSource{name: f, file: f, srv: bin, vars: map[string]any{"base": bin.URL}})
		}
	}
	if len(bundled) == 0 || len(out) == len(bundled) {
		t.Fatal("no collections found")
	}
	return out
}

// stepRun is what a run sent, step by step, and the values it used.
type stepRun struct {
	sent map[string][]string // step name -> requests as compared
	// before holds, by step name, the captures as they stood when the
	// step ran (secret ones have the run's last value).
	before map[string]map[string]any
	state  *runner.State
	cache  *auth.MemoryCache
}

// runSteps runs c, recording the requests each step sent.
func runSteps(t *testing.T, src exportSource, c *collections.Collection) *stepRun {
	t.Helper()
	r := &stepRun{sent: map[string][]string{}, before: map[string]map[string]any{}, cache: auth.NewMemoryCache()}
	opts := src.opts(r.cache)
	captured := map[string]any{}
	opts.OnStep = func(s *runner.StepResult) {
		if _, seen := r.before[s.Name]; !seen {
			r.before[s.Name] = maps.Clone(captured)
		}
		for _, req := range src.srv.Take() {
			r.sent[s.Name] = append(r.sent[s.Name], req.Compared())
		}
		for _, cp := range s.Captures {
			if !cp.Secret && !cp.Value.Missing {
				captured[cp.Name] = cp.Value.Value
			}
		}
	}
	res := runner.New(src.srv.Client()).Run(t.Context(), c, opts)
	if res.Err != nil {
		t.Fatalf("run: %v", res.Err)
	}
	r.state = res.State
	return r
}

// env sets each shell variable the command of step needs to the value the
// run used.
func (r *stepRun) env(t *testing.T, step string, needed []string) []string {
	t.Helper()
	values := map[string]string{}
	for _, m := range []map[string]any{r.state.Vars, r.state.Captures, r.before[step]} {
		for name, v := range m {
			values[shellVar(name)] = eval.Stringify(v)
		}
	}
	entries, _ := r.cache.List()
	for _, e := range entries {
		values[shellVar(e.Profile)+"_TOKEN"] = e.AccessToken
	}
	var env []string
	for _, name := range needed {
		v, ok := values[name]
		if !ok {
			t.Fatalf("the command reads $%s, which the run had no value for", name)
		}
		env = append(env, name+"="+v)
	}
	return env
}

// curlRun runs an exported script with env and returns what it sent.
func curlRun(t *testing.T, srv *wiretest.Server, env []string, script string) []string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, srv.CertPEM, 0o644)
	script = strings.Replace(script, "curl ", "curl -sS -o /dev/null ", 1)
	sh(t, ".", script, append(env, "CURL_CA_BUNDLE="+ca)...)
	var out []string
	for _, req := range srv.Take() {
		out = append(out, req.Compared())
	}
	return out
}

// containsRun reports whether run appears in list, in order and together.
func containsRun(list, run []string) bool {
	for i := 0; i+len(run) <= len(list); i++ {
		if slices.Equal(list[i:i+len(run)], run) {
			return true
		}
	}
	return false
}
