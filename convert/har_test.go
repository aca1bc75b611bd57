package convert

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// TestHARReplaysRecordedOutcomes imports a recording with a redirect, a
// CORS preflight and a WebSocket, and runs it at a loopback server that
// answers as the recorded one did: every recorded status check holds (the
// redirect is not followed), no preflight is sent, and the headers the
// page set reach the server.
func TestHARReplaysRecordedOutcomes(t *testing.T) {
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/session":
			http.Redirect(w, r, "/account", http.StatusFound)
		case "/account":
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	har := strings.ReplaceAll(string(read(t, "login-flow.har")), "https://api.shop.example", srv.URL)
	im, err := ImportHAR("login flow", []byte(har), HAROptions{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "flow.yaml")
	os.WriteFile(file, im.Files[0].Data, 0o644)
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatalf("Load error = %v", err)
	}
	res := runner.New(nil).Run(t.Context(), c, runner.Options{})
	if got := res.Counts()[runner.Passed]; got != 2 {
		t.Errorf("passed = %d, want 2 (%v)", got, res.Steps)
	}
	reqs := srv.Take()
	if len(reqs) != 2 {
		t.Fatalf("the server got %d requests, want 2 (no preflight, no redirect followed)", len(reqs))
	}
	login := string(reqs[0].Raw)
	for _, want := range []string{"POST /session", "X-CSRF-Token: c5f1", "Origin: https://shop.example", "Referer: https://shop.example/login"} {
		if !strings.Contains(login, want) {
			t.Errorf("login request lacks %q:\n%s", want, login)
		}
	}
	for _, gone := range []string{"Sec-Fetch-Mode", "Accept-Language", "Firefox", "Pragma"} {
		if strings.Contains(login, gone) {
			t.Errorf("login request has the browser's %q:\n%s", gone, login)
		}
	}
	if account := string(reqs[1].Raw); !strings.Contains(account, "User-Agent: shop-monitor/2.1") {
		t.Errorf("a deliberate User-Agent was dropped:\n%s", account)
	}
}
