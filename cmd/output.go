package cmd

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/callsheet/callsheet/console"
)

// Output returns the writers for Main of the process's stdout and stderr,
// and flush, which writes out what stdout holds. flush waits for a write
// under way to end, for at most limit if limit > 0 (a process about to
// exit at once does not hang on a reader that stopped reading).
//
// On a terminal, stdout is written as it comes. Elsewhere (a pipe, a file)
// it is held, so that a run costs a few writes rather than several per
// step, and written out when it fills, at the latest holdFor after it
// began holding, before anything is written to a stderr that is not a
// terminal either (so that 2>&1 keeps the order), and at flush.
func Output(stdout, stderr *os.File) (out, errOut io.Writer, flush func(limit time.Duration)) {
	return output(stdout, stderr, holdFor)
}

// output is Output holding stdout for at most hold (console.Streams).
func output(stdout, stderr *os.File, hold time.Duration) (out, errOut io.Writer, flush func(limit time.Duration)) {
	return console.Streams(stdout, stderr, term.IsTerminal(int(stdout.Fd())), term.IsTerminal(int(stderr.Fd())), heldSize, hold)
}

const (
	// heldSize is how much stdout holds at most.
	heldSize = 32 << 10
	// holdFor is how long stdout holds what it was given at most.
	holdFor = 100 * time.Millisecond
)
