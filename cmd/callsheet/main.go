// Command callsheet runs YAML collections of HTTP requests and checks the
// responses. See the README for the format and the commands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/callsheet/callsheet/cmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cmd.Main(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
	stop()
	os.Exit(code)
}
