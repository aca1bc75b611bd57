package cmd

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
)

// runOrWatch runs once, or under --watch reruns on every change until ctx
// is done. A rerun keeps the state of the previous one in memory.
func runOrWatch(ctx context.Context, sys *system, opts *runOptions) error {
	if !opts.loop.watch {
		return runRun(ctx, sys, opts)
	}
	opts.loop.memory = &session.Watch{}
	st := newStyle(sys, sys.stdout, opts.noColor)
	if opts.vars.sandbox && opts.sandbox == nil {
		// One sandbox for every rerun, so the tokens a rerun keeps stay valid.
		srv, err := startSandbox(sys, st)
		if err != nil {
			return err
		}
		defer srv.Close()
		opts.sandbox = srv
	}
	err := runRun(ctx, sys, opts)
	for {
		if err != nil {
			printError(sys.stderr, err)
		}
		files := watchList(opts)
		changed, werr := session.WaitForChange(ctx, files, func(n int) {
			fmt.Fprintf(sys.stdout, "%s waiting for changes to %s (Ctrl-C stops)\n", st.Dim("watch:"), console.Plural(n, "file"))
		})
		if werr != nil {
			return werr
		}
		if changed == "" { // ctx done: Ctrl-C
			fmt.Fprintln(sys.stdout, st.Dim("watch: stopped"))
			return err
		}
		fmt.Fprintf(sys.stdout, "\n%s %s changed, running again\n", st.Dim("watch:"), safetext.Line(changed))
		err = runRun(ctx, sys, opts)
	}
}

// watchList is what --watch watches: the files of the last run, the paths
// given (a folder watches its collections) and the env file.
func watchList(opts *runOptions) []string {
	files := opts.loop.memory.Files()
	for _, p := range opts.paths {
		if abs, err := filepath.Abs(p); err == nil {
			files = append(files, abs)
		}
	}
	if opts.vars.envFile != "" {
		files = append(files, opts.vars.envFile)
	}
	return files
}
