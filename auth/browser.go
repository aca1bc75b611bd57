package auth

import (
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
)

// OpenBrowserCommand opens rawURL in the user's browser with the platform's
// opener (open on macOS, rundll32 on Windows, xdg-open elsewhere). It is best
// effort: it starts the command without waiting for the browser and reports
// only failures to start it. Only absolute http and https URLs are accepted,
// so the opener is never handed a file or a command.
//
// It is meant for [Authorizer.OpenBrowser] in the command-line front end.
func OpenBrowserCommand(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("authorize: refusing to open %q: not an http or https URL", rawURL)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", rawURL)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", rawURL)
	default:
		cmd = exec.Command("xdg-open", rawURL)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("authorize: opening a browser: %w", err)
	}
	go cmd.Wait() //nolint:errcheck // reap the opener; its exit status says nothing useful
	return nil
}
