package cmd

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// newVersionCommand is `callsheet version`.
func newVersionCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:         "version",
		Usage:        "print the version of callsheet and of Go it was built with",
		OnUsageError: onUsageError("version"),
		Action: func(*cli.Context) error {
			printVersion(sys.stdout)
			return nil
		},
	}
}

// printVersion prints what `callsheet version` and `callsheet --version`
// say: callsheet's version, then Go's and the platform.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "callsheet %s\n%s %s/%s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// version is the main module's version from the build information (set by
// `go install module@version`), or "dev" for a build from a checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "dev"
	}
	return info.Main.Version
}
