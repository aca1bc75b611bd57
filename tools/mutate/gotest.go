package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"
)

// A verdict is what the tests made of a mutant.
type verdict int

const (
	survived  verdict = iota // every test passed
	killed                   // a test failed
	timedOut                 // the tests ran past the timeout: a hang, counted as killed
	notViable                // the mutant does not compile: not counted
	ignored                  // a mutate:ignore comment leaves it out: not tested, not counted
)

func (v verdict) String() string {
	return [...]string{"survived", "killed", "timed out", "not viable", "ignored"}[v]
}

// testRun is one `go test` of a package.
type testRun struct {
	pkg     string // such as ./runner
	run     string // the -run pattern; "" runs every test
	overlay string // a -overlay file; "" for none
	timeout time.Duration
}

var (
	buildFailed = regexp.MustCompile(`\[(build|setup) failed\]`)
	testTimeout = regexp.MustCompile(`(?m)^panic: test timed out after`)
	failedTest  = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
)

// buildGuard bounds the build of a mutant, which tr.timeout does not cover.
const buildGuard = 5 * time.Minute

// goTest runs `go test` in dir and says how it went, with the name of the
// first failing test (or "" when none is named) and the output. The test
// binary stops itself at tr.timeout (go test -timeout), so that a slow
// build on a loaded machine is no timeout; the process group is killed
// buildGuard later. An error means the run could not be judged: go
// missing, or ctx cancelled.
func goTest(ctx context.Context, dir string, tr testRun) (verdict, string, []byte, error) {
	args := []string{"test", "-count=1", "-vet=off", "-failfast", "-timeout", tr.timeout.String()}
	if tr.run != "" {
		args = append(args, "-run", tr.run)
	}
	if tr.overlay != "" {
		args = append(args, "-overlay", tr.overlay)
	}
	tctx, cancel := context.WithTimeout(ctx, tr.timeout+buildGuard)
	defer cancel()
	cmd := exec.CommandContext(tctx, "go", append(args, tr.pkg)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	killGroup(cmd)
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return 0, "", out.Bytes(), ctx.Err()
	case err == nil:
		return survived, "", out.Bytes(), nil
	case errors.Is(tctx.Err(), context.DeadlineExceeded):
		return timedOut, "", out.Bytes(), nil
	case !errors.As(err, &exit):
		return 0, "", out.Bytes(), err
	case buildFailed.Match(out.Bytes()):
		return notViable, "", out.Bytes(), nil
	case testTimeout.Match(out.Bytes()):
		return timedOut, "", out.Bytes(), nil
	}
	by := "the test binary" // a panic or os.Exit outside a named test
	if m := failedTest.FindSubmatch(out.Bytes()); m != nil {
		by = string(m[1])
	}
	return killed, by, out.Bytes(), nil
}

// overlay writes the mutated source of m into work and an overlay file
// that puts it in place of the original, returning the overlay's path.
func overlay(work, root string, m mutant, mutated []byte) (string, error) {
	src := filepath.Join(work, filepath.Base(m.file))
	if err := os.WriteFile(src, mutated, 0o600); err != nil {
		return "", err
	}
	abs := filepath.Join(root, filepath.FromSlash(m.file))
	data, err := json.Marshal(map[string]map[string]string{"Replace": {abs: src}})
	if err != nil {
		return "", err
	}
	path := filepath.Join(work, "overlay.json")
	return path, os.WriteFile(path, data, 0o600)
}
