package cmd

import (
	"runtime"

	"github.com/callsheet/callsheet/auth"
)

// browserOpener returns what opens a URL in the user's browser, or nil
// where none can be shown: on a terminal without a graphical session
// (Linux and the BSDs with neither DISPLAY nor WAYLAND_DISPLAY, as over
// SSH), the opener would start and fail, and the user would read that a
// browser opened. Without one, the URL is printed to open by hand.
func browserOpener(sys *system) func(string) error {
	switch runtime.GOOS {
	case "darwin", "windows":
		return auth.OpenBrowserCommand
	}
	for _, name := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		if v, ok := sys.lookupEnv(name); ok && v != "" {
			return auth.OpenBrowserCommand
		}
	}
	return nil
}
