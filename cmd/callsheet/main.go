// Command callsheet runs YAML collections of HTTP requests and checks the
// responses. See the README for the format and the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/callsheet/callsheet/cmd"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr, flush := cmd.Output(os.Stdout, os.Stderr)
	interrupts := make(chan os.Signal, 2)
	signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first Ctrl-C (or SIGTERM, as CI cancels a job) stops the run:
		// nothing more is sent, the reports of what ran are written and the
		// exit code is 130; the sandbox removes its certificate file. A
		// second one exits at once, with what was printed so far (unless
		// stdout is stuck for a second).
		<-interrupts
		cancel()
		<-interrupts
		flush(time.Second)
		os.Exit(cmd.ExitInterrupted)
	}()
	code := cmd.Main(ctx, os.Args, os.Stdin, stdout, stderr, os.LookupEnv)
	signal.Stop(interrupts)
	cancel()
	flush(0)
	os.Exit(code)
}
