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

// BrowserOpener returns what opens a URL in the user's browser on the
// platform goos (runtime.GOOS), with the environment lookupEnv reads, or
// nil where none can be shown: on Linux and the BSDs without a graphical
// session (neither DISPLAY nor WAYLAND_DISPLAY, as over SSH), the opener
// would start and fail, and the user would read that a browser opened.
// Without one, the URL is printed to open by hand.
func BrowserOpener(goos string, lookupEnv func(string) (string, bool)) func(string) error {
	switch goos {
	case "darwin", "windows":
		return OpenBrowserCommand
	}
	for _, name := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		if v, ok := lookupEnv(name); ok && v != "" {
			return OpenBrowserCommand
		}
	}
	return nil
}
