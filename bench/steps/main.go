// Command steps measures memory over one long run: it writes a collection
// of N steps (default 100,000), each a GET with a check and a capture,
// runs it with the runner against a loopback server in a child process
// and prints the time and the client's peak memory. Results keep their
// summaries and the first 64 KiB of each body (Options.BodyLimit), as the
// CLI does.
//
//	go run ./bench/steps -n 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/callsheet/callsheet/bench/internal/harness"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

const serveEnv = "CALLSHEET_BENCH_STEPS_SERVE"

const body = `{"id":8165,"name":"Demo Project","active":true,"company":{"id":4264807,"name":"Demo Company"}}`

func main() {
	if os.Getenv(serveEnv) != "" {
		serve(os.Getenv(serveEnv))
		return
	}
	n := flag.Int("n", 100000, "steps in the collection")
	keep := flag.Int("keep", 64<<10, "bytes of each body the results keep (Options.BodyLimit; negative keeps none)")
	flag.Parse()
	if err := run(*n, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "steps:", err)
		os.Exit(1)
	}
}

func run(n, keep int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(self)
	child.Env = append(os.Environ(), serveEnv+"="+addr)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		return err
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			return fmt.Errorf("server at %s did not start", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}

	dir, err := os.MkdirTemp("", "callsheet-steps-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var b strings.Builder
	b.WriteString("name: steps\nsteps:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: s%d\n    GET: \"{{ base }}/p/%d\"\n    expect:\n      json:\n        company.id: 4264807\n    capture:\n      id: id\n", i, i)
	}
	file := filepath.Join(dir, "steps.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		return err
	}
	b = strings.Builder{}
	c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
	if err != nil {
		return err
	}
	loaded := harness.MaxRSS()
	r := runner.New(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})
	start := time.Now()
	res := r.Run(context.Background(), c, runner.Options{Vars: map[string]any{"base": "http://" + addr}, BodyLimit: keep})
	elapsed := time.Since(start)
	counts := res.Counts()
	if counts[runner.Passed] != n {
		return fmt.Errorf("%d of %d steps passed", counts[runner.Passed], n)
	}
	fmt.Printf("steps: %d requests in one run in %.1fs, %.0f req/s, peak RSS %.1f MiB (%.1f MiB after loading the collection)\n",
		n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), float64(harness.MaxRSS())/(1<<20), float64(loaded)/(1<<20))
	return nil
}

func serve(addr string) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	})
	if err := http.ListenAndServe(addr, h); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}
