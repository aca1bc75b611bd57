package cmd

import (
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/wiretest"
)

// curlLineRE finds the `$ curl …` lines of -vv.
var curlLineRE = regexp.MustCompile(`(?m)^    \$ (curl .*)$`)

// shellVarRE finds the shell variables a curl line reads.
var shellVarRE = regexp.MustCompile(`\$\{?([A-Z_][A-Z0-9_]*)`)

// TestArazzoVeryVerboseCurlSendsWhatRunSends runs the loop document with
// -vv at a server that records raw bytes: each request step prints a
// `$ curl` line with the client secret and the token as shell variables,
// and that line, run by curl with the variables set to the values the run
// used, sends the bytes callsheet sent.
func TestArazzoVeryVerboseCurlSendsWhatRunSends(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/login":
			io.WriteString(w, `{"token":"`+loopToken+`","user":7}`)
		case r.URL.Path == "/projects" && r.Header.Get("Authorization") == "Bearer "+loopToken:
			io.WriteString(w, `{"projects":[{"id":1,"name":"Tower"}]}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	doc := loopFlowsSetup(t)
	out := callsheet(t, nil, "run", doc, "-vv", "--no-color", "--jobs", "1", "--var", "base="+srv.URL, "--var", "user=alice", "--var", "client_secret="+loopSecret)
	if out.code != ExitOK {
		t.Fatalf("run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	sent := map[string]string{}
	for _, req := range srv.Take() {
		sent[strings.Fields(req.Line)[1]] = req.Compared()
	}
	for _, secret := range []string{loopSecret, loopToken} {
		if strings.Contains(out.stdout+out.stderr, secret) {
			t.Errorf("-vv shows the secret %q:\n%s", secret, out.stdout)
		}
	}
	lines := curlLineRE.FindAllStringSubmatch(out.stdout, -1)
	if len(lines) != 3 {
		t.Fatalf("-vv printed %d curl lines, want one per request (3):\n%s", len(lines), out.stdout)
	}
	values := map[string]string{"CLIENT_SECRET": loopSecret, "LOGIN_TOKEN": loopToken}
	for _, m := range lines {
		line := m[1]
		var env []string
		for _, v := range shellVarRE.FindAllStringSubmatch(line, -1) {
			value, ok := values[v[1]]
			if !ok {
				t.Fatalf("the command reads $%s, which the run had no value for: %s", v[1], line)
			}
			env = append(env, v[1]+"="+value)
		}
		cmd := exec.CommandContext(t.Context(), "bash", "-c", curlHelpers()+"\n"+line+" -sS -o /dev/null")
		cmd.Env = env
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, b)
		}
		got := srv.Take()
		if len(got) != 1 {
			t.Fatalf("%s sent %d requests, want 1", line, len(got))
		}
		path := strings.Fields(got[0].Line)[1]
		if want := sent[path]; got[0].Compared() != want {
			t.Errorf("curl sent\n%s\ncallsheet sent\n%s\ncommand: %s", got[0].Compared(), want, line)
		}
	}
}

// curlHelpers are the shell functions a curl line may call (jsonescape,
// urlencode), as the printer writes them.
func curlHelpers() string {
	p := &convert.CurlPrinter{}
	body := `{"a":"` + exchange.SecretPlaceholder("a", "json") + `"}`
	p.Command(&exchange.Recorded{Request: exchange.Request{Method: "POST", URL: "http://127.0.0.1/?q=" + exchange.SecretPlaceholder("q", "query"), Body: []byte(body)}}, &collections.Step{Name: "helpers"})
	return strings.Join(p.Helpers(), "\n")
}
