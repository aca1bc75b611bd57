package cmd

import (
	"runtime"

	"github.com/callsheet/callsheet/auth"
)

// browserOpener returns what opens a URL in the user's browser, or nil
// where none can be shown (auth.BrowserOpener).
func browserOpener(sys *system) func(string) error {
	return auth.BrowserOpener(runtime.GOOS, sys.lookupEnv)
}
