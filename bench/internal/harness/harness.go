// Package harness runs a benchmark of the Procore chain: it serves the
// Procore sandbox from a child process (so that the server's memory and
// its growing token tables never count against the client), runs a chain
// function N times against it and prints the time, the request rate and
// the client's peak memory.
//
// Both bench programs, the plain net/http loop and the callsheet driver,
// use it, so they are measured the same way; nothing of it runs inside the
// timed loop.
package harness

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/callsheet/callsheet/sandbox"
)

// RequestsPerChain is how many HTTP requests one chain sends: authorize
// and the out-of-band page its redirect leads to, token, me and projects.
const RequestsPerChain = 5

// serveEnv, set in the child's environment, makes Main serve the sandbox.
const serveEnv = "CALLSHEET_BENCH_SERVE"

// Target is the server a chain talks to.
type Target struct {
	// URL is the sandbox's base URL.
	URL string
	// Client trusts the sandbox's certificate; it is a clone of
	// http.DefaultTransport, as the CLI's is.
	Client *http.Client
}

// Setup prepares a chain function once, before the clock starts.
type Setup func(Target) (Chain, error)

// Chain runs the chain once and reports an error when a check fails.
type Chain func(ctx context.Context) error

// Main runs the benchmark named name with setup and exits: it parses -n
// (default BENCH_N, else 300), starts the sandbox in a child process, runs
// the chain N times and prints the figures. Run with the serve environment
// variable set, it serves the sandbox instead.
func Main(name string, setup Setup) {
	if os.Getenv(serveEnv) == "1" {
		if err := serve(); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(name, setup); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run(name string, setup Setup) error {
	defaultN := 300
	if s := os.Getenv("BENCH_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fmt.Errorf("BENCH_N=%q: want a positive integer", s)
		}
		defaultN = n
	}
	n := flag.Int("n", defaultN, "run the chain `N` times")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed loop to `FILE`")
	memProfile := flag.String("memprofile", "", "write an allocation profile to `FILE` at the end")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	target, closeServer, err := startServer(ctx)
	if err != nil {
		return err
	}
	defer closeServer()
	chain, err := setup(target)
	if err != nil {
		return err
	}

	var stopProfile func()
	if *cpuProfile != "" {
		if stopProfile, err = startCPUProfile(*cpuProfile); err != nil {
			return err
		}
	}
	peak := newHeapSampler()
	cpu0 := cpuTime()
	start := time.Now()
	for i := range *n {
		if err := chain(ctx); err != nil {
			return fmt.Errorf("chain %d: %w", i+1, err)
		}
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	heapPeak := peak.stop()
	if stopProfile != nil {
		stopProfile()
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	requests := *n * RequestsPerChain
	fmt.Printf("%s: %d chains, %d requests in %.3fs (client CPU %.3fs), %.0f req/s, peak RSS %.1f MiB, peak heap %.1f MiB\n",
		name, *n, requests, elapsed.Seconds(), cpu.Seconds(), float64(requests)/elapsed.Seconds(), float64(MaxRSS())/(1<<20), float64(heapPeak)/(1<<20))
	fmt.Printf("%s_seconds: %.6f\n", name, elapsed.Seconds())
	return nil
}

// startServer starts the child that serves the sandbox and reads its URL
// and certificate.
func startServer(ctx context.Context) (Target, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return Target{}, nil, err
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), serveEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return Target{}, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Target{}, nil, err
	}
	if err := cmd.Start(); err != nil {
		return Target{}, nil, fmt.Errorf("start the sandbox: %w", err)
	}
	closeServer := func() {
		stdin.Close() // the child exits when its stdin closes
		cmd.Wait()
	}
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<20)
	var url, pemB64 string
	for _, dst := range []*string{&url, &pemB64} {
		if !lines.Scan() {
			closeServer()
			return Target{}, nil, errors.New("the sandbox child exited before printing its URL")
		}
		*dst = lines.Text()
	}
	pem, err := base64.StdEncoding.DecodeString(pemB64)
	if err != nil {
		closeServer()
		return Target{}, nil, fmt.Errorf("sandbox certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		closeServer()
		return Target{}, nil, errors.New("sandbox certificate is not PEM")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return Target{URL: url, Client: &http.Client{Transport: tr}}, closeServer, nil
}

// serve runs the sandbox on a free loopback port with no rate limit to
// speak of, prints its URL and base64 certificate, and serves until stdin
// closes.
func serve() error {
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{RateLimit: 1 << 30})
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Println(srv.URL)
	fmt.Println(base64.StdEncoding.EncodeToString(srv.CertPEM))
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// MaxRSS returns the process's peak resident set size in bytes
// (getrusage reports KiB on Linux).
func MaxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapSampler samples the bytes of live and not yet swept heap objects
// every 10ms and keeps the
// peak; the Go runtime does not track one.
type heapSampler struct {
	done chan struct{}
	peak chan uint64
}

func newHeapSampler() *heapSampler {
	h := &heapSampler{done: make(chan struct{}), peak: make(chan uint64)}
	go func() {
		// runtime/metrics, unlike ReadMemStats, does not stop the world.
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				peak = max(peak, sample[0].Value.Uint64())
			}
			select {
			case <-h.done:
				h.peak <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) stop() uint64 {
	close(h.done)
	return <-h.peak
}

// startCPUProfile profiles the CPU into file until the returned function
// is called.
func startCPUProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeHeapProfile writes the allocation profile to file.
func writeHeapProfile(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
