package main

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// loadFlags are the flags of the load floors (bench/load.sh): -d runs
// for a duration instead of -n chains.
type loadFlags struct {
	duration time.Duration
	users    int     // -c: concurrent loops
	single   bool    // GET /me with one token, instead of the chain
	rate     float64 // requests a second, each at its own time; 0: closed loop
}

// load runs the floor of a load test for lf.duration and prints to stderr
// how many requests it sent (bench/measure drains stdout).
func (c *chain) load(lf loadFlags) error {
	var requests, failures atomic.Int64
	var token string
	if lf.single {
		tok, err := c.token()
		if err != nil {
			return err
		}
		token = tok
	}
	// one is an iteration: the chain's three requests, or GET /me.
	one := func() {
		if !lf.single {
			requests.Add(3)
			if c.once() != nil {
				failures.Add(1)
			}
			return
		}
		requests.Add(1)
		if c.me(token) != nil {
			failures.Add(1)
		}
	}
	start := time.Now()
	if lf.rate > 0 {
		paced(lf.rate, lf.duration, one)
	} else {
		closedLoop(lf.users, start.Add(lf.duration), one)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(os.Stderr, "requests: %d failures: %d rps: %.1f\n", requests.Load(), failures.Load(), float64(requests.Load())/elapsed.Seconds())
	if failures.Load() > 0 {
		return fmt.Errorf("%d iterations failed", failures.Load())
	}
	return nil
}

// closedLoop runs one in users goroutines, each again as soon as it
// returns, until end.
func closedLoop(users int, end time.Time, one func()) {
	var wg sync.WaitGroup
	for range max(users, 1) {
		wg.Go(func() {
			for time.Now().Before(end) {
				one()
			}
		})
	}
	wg.Wait()
}

// paced starts one at rate a second for d, each in its own goroutine at
// its scheduled time, as vegeta does.
func paced(rate float64, d time.Duration, one func()) {
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		timer.Reset(time.Until(at))
		<-timer.C
		wg.Go(one)
	}
	wg.Wait()
}

// me sends GET /me with token, checks the status is 200 and reads the
// body whole.
func (c *chain) me(token string) error {
	return c.do(http.MethodGet, c.base+"/rest/v1.0/me", nil, token, nil)
}
