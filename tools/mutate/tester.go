package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// A result is the verdict on one mutant, with the test that killed it.
type result struct {
	job
	verdict verdict
	by      string
}

// tester runs the tests of the mutants of a plan.
type tester struct {
	cfg  config
	root string // the module root, where go test runs
	log  io.Writer

	mu       sync.Mutex // guards log and done
	done     int
	timeouts map[testRun]time.Duration // by package and -run pattern
}

// runAll checks that the tests pass unmutated, then tests every mutant of
// plan with cfg.workers at once.
func (ts *tester) runAll(ctx context.Context, plan []job) ([]result, error) {
	if err := ts.baselines(ctx, plan); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make([]result, len(plan))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range ts.cfg.workers {
		dir := filepath.Join(work, strconv.Itoa(w))
		if err := os.Mkdir(dir, 0o700); err != nil {
			return nil, err
		}
		wg.Go(func() {
			for i := range next {
				r, err := ts.test(ctx, dir, plan[i])
				if err != nil {
					cancel(err)
					continue
				}
				results[i] = r
				ts.progress(len(plan), r)
			}
		})
	}
feed:
	for i := range plan {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return results, context.Cause(ctx)
}

// baselines runs, unmutated, the tests of each package and -run pattern of
// the plan, and of each whole package, which must pass. The mutants'
// timeouts come from how long they took.
func (ts *tester) baselines(ctx context.Context, plan []job) error {
	ts.timeouts = map[testRun]time.Duration{}
	for _, j := range plan {
		for _, run := range []string{j.t.run, ""} {
			key := testRun{pkg: j.t.pkg(), run: run}
			if _, ok := ts.timeouts[key]; ok {
				continue
			}
			start := time.Now()
			tr := key
			tr.timeout = 10 * time.Minute
			v, _, out, err := goTest(ctx, ts.root, tr)
			if err != nil {
				return err
			}
			if v != survived {
				return fmt.Errorf("the tests of %s (-run %q) do not pass unmutated (%s):\n%s", key.pkg, key.run, v, out)
			}
			ts.timeouts[key] = ts.cfg.timeout
			if ts.cfg.timeout == 0 {
				ts.timeouts[key] = 5*time.Since(start) + 5*time.Second
			}
			fmt.Fprintf(ts.log, "unmutated %s -run %q: pass in %v\n", key.pkg, key.run, time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

// test runs the target's tests against one mutant. A survivor of a -run
// pattern is run again against every test of the package.
func (ts *tester) test(ctx context.Context, dir string, j job) (result, error) {
	ov, err := overlay(dir, ts.root, j.m, j.m.apply(j.src))
	if err != nil {
		return result{}, err
	}
	runs := []string{j.t.run}
	if j.t.run != "" {
		runs = append(runs, "")
	}
	r := result{job: j}
	for _, run := range runs {
		tr := testRun{pkg: j.t.pkg(), run: run}
		tr.overlay, tr.timeout = ov, ts.timeouts[tr]
		r.verdict, r.by, _, err = goTest(ctx, ts.root, tr)
		if err != nil || r.verdict != survived {
			break
		}
	}
	return r, err
}

// progress logs one verdict.
func (ts *tester) progress(total int, r result) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.done++
	by := ""
	if r.by != "" {
		by = " by " + r.by
	}
	fmt.Fprintf(ts.log, "[%d/%d] %-10s %s:%d:%d %s: %s%s\n", ts.done, total, r.verdict, r.m.file, r.m.line, r.m.col, r.m.fn, r.m.desc, by)
}
