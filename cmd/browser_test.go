package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestBrowserOnlyWithDisplay runs an out-of-band authorize step at a
// terminal with an opener (xdg-open) that starts fine: without a graphical
// session it must not be started nor a browser said to be open; with one,
// it is started with the URL.
func TestBrowserOnlyWithDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the opener is xdg-open on Linux")
	}
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	script := "#!/bin/sh\necho \"$1\" > " + opened + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := writeFiles(t, t.TempDir(), map[string]string{"a.yaml": `steps:
  - name: authorize
    authorize:
      url: https://login.example.test/oauth/authorize
      client_id: c
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
    capture:
      code: code
`})
	for _, tt := range []struct {
		name   string
		env    map[string]string
		opened bool
	}{
		{"headless", map[string]string{}, false},
		{"X11", map[string]string{"DISPLAY": ":0"}, true},
		{"Wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(opened)
			var stdout, stderr bytes.Buffer
			sys := terminalSystem(&stdout, &stderr, tt.env)
			sys.stdin = strings.NewReader("c0de\n")
			code := execute(t.Context(), []string{"callsheet", "run", "--no-color", filepath.Join(dir, "a.yaml")}, sys)
			if code != ExitOK {
				t.Fatalf("run = exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			said := strings.Contains(stderr.String(), "Opened a browser")
			_, err := os.Stat(opened)
			// The opener runs on its own: wait for it, with a wide hang guard.
			for deadline := time.Now().Add(30 * time.Second); tt.opened && err != nil && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				_, err = os.Stat(opened)
			}
			if said != tt.opened || (err == nil) != tt.opened {
				t.Errorf("said a browser opened = %v, opener started = %v; want %v for both\n%s", said, err == nil, tt.opened, stderr.String())
			}
			if !strings.Contains(stderr.String(), "https://login.example.test/oauth/authorize?") {
				t.Errorf("stderr does not show the authorization URL:\n%s", stderr.String())
			}
		})
	}
}
