// Command steps measures memory over one long collection: it writes a
// collection file of N steps (default 10,000), each a GET with a check and
// a capture, loads it, runs it with the runner against a loopback server
// in a child process and prints the time and the client's peak memory.
// The run keeps what `callsheet run` keeps without a JSON or HTML report:
// the summary of each passed step (Options.Summaries) and, for steps that
// did not pass, the first 64 KiB of each body (Options.BodyLimit).
//
//	go run ./bench/steps -n 10000
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

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
	n := flag.Int("n", 10000, "steps in the collection")
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
	file := filepath.Join(dir, "steps.yaml")
	if err := writeSteps(file, n); err != nil {
		return err
	}
	c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
	if err != nil {
		return err
	}
	loaded := maxRSS()
	r := runner.New(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})
	start := time.Now()
	res := r.Run(context.Background(), c, runner.Options{Vars: map[string]any{"base": "http://" + addr}, Limits: runner.Limits{BodyLimit: keep}, Retention: runner.Retention{Summaries: true}})
	elapsed := time.Since(start)
	counts := res.Counts()
	if counts[runner.Passed] != n {
		return fmt.Errorf("%d of %d steps passed", counts[runner.Passed], n)
	}
	fmt.Printf("steps: %d requests in one run in %.1fs, %.0f req/s, peak RSS %.1f MiB (%.1f MiB after loading the collection)\n",
		n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), float64(maxRSS())/(1<<20), float64(loaded)/(1<<20))
	return nil
}

// writeSteps writes a collection of n steps to file, a line at a time so
// that generating it costs the measured process no memory.
func writeSteps(file string, n int) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString("name: steps\nsteps:\n")
	for i := range n {
		fmt.Fprintf(w, "  - name: s%d\n    GET: \"{{ base }}/p/%d\"\n    expect:\n      json:\n        company.id: 4264807\n    capture:\n      id: id\n", i, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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

// maxRSS is the process's peak resident memory in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10
}
