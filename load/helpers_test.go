package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// hangGuard bounds every test run: wide, only against a hang.
const hangGuard = 60 * time.Second

// parse loads a collection from YAML text, with base defined.
func parse(t *testing.T, src string) *collections.Collection { return parseTB(t, src) }

// parseTB is parse for tests and benchmarks.
func parseTB(t testing.TB, src string) *collections.Collection {
	t.Helper()
	c, err := collections.Parse("test.yaml", []byte(src), collections.Options{Defined: []string{"base"}})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

// server starts a loopback server that closes with the test.
func server(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// run runs a test of the collection src against srv with sc, and returns
// its summary.
func run(t *testing.T, srv *httptest.Server, src string, sc Scenario, mod ...func(*Test)) *Summary {
	t.Helper()
	return runAt(t, srv.URL, srv.Client(), src, sc, mod...)
}

// runAt runs a test of the collection src against the server at url.
func runAt(t *testing.T, url string, client *http.Client, src string, sc Scenario, mod ...func(*Test)) *Summary {
	t.Helper()
	sc, err := sc.Complete()
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	test := &Test{
		Collection: parse(t, src),
		Scenario:   sc,
		Runner:     runner.New(client),
		Options:    runner.Options{Vars: map[string]any{"base": url}},
		Tick:       50 * time.Millisecond,
	}
	for _, m := range mod {
		m(test)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	s, err := test.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the test did not end before the hang guard")
	}
	return s
}

func runnerFor(srv *httptest.Server) *runner.Runner { return runner.New(srv.Client()) }

func varsFor(srv *httptest.Server) runner.Options {
	return runner.Options{Vars: map[string]any{"base": srv.URL}}
}
