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

// runsOf lists the test runs a mutant of j goes through until one fails:
// the target's -run pattern, every test of its package, then every test of
// each package of -also.
func (ts *tester) runsOf(j job) []testRun {
	var runs []testRun
	if j.t.run != "" {
		runs = append(runs, testRun{pkg: j.t.pkg(), run: j.t.run})
	}
	runs = append(runs, testRun{pkg: j.t.pkg()})
	for _, pkg := range ts.cfg.also {
		if pkg != j.t.pkg() {
			runs = append(runs, testRun{pkg: pkg})
		}
	}
	return runs
}

// baselines runs, unmutated, every test run of the plan, which must pass.
// The mutants' timeouts come from how long they took.
func (ts *tester) baselines(ctx context.Context, plan []job) error {
	ts.timeouts = map[testRun]time.Duration{}
	for _, j := range plan {
		for _, key := range ts.runsOf(j) {
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
				ts.timeouts[key] = 5*time.Since(start) + 10*time.Second
			}
			fmt.Fprintf(ts.log, "unmutated %s -run %q: pass in %v\n", key.pkg, key.run, time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

// test runs the test runs of j against its mutant until one fails; a
// mutant a mutate:ignore comment leaves out is not tested.
func (ts *tester) test(ctx context.Context, dir string, j job) (result, error) {
	ov, err := overlay(dir, ts.root, j.m, j.m.apply(j.src))
	if err != nil {
		return result{}, err
	}
	r := result{job: j}
	if j.m.ignore != "" {
		r.verdict = ignored
		return r, nil
	}
	for _, tr := range ts.runsOf(j) {
		tr.overlay, tr.timeout = ov, ts.timeouts[tr]
		r.verdict, r.by, _, err = goTest(ctx, ts.root, tr)
		if err != nil || r.verdict != survived {
			if r.by != "" && tr.pkg != j.t.pkg() {
				r.by = tr.pkg + " " + r.by
			}
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
