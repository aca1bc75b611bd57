package runner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
)

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux := http.NewServeMux()
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "start")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	base := newServer(t, mux).URL
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			src := "steps:\n  - name: slow\n    GET: \"{{ base }}" + path + "\"\n    timeout: 100ms\n"
			res := runYAML(t, src, map[string]any{"base": base})
			wantOutcomes(t, res, "error")
			err := res.Steps[0].Err
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("step Err = %v, want errors.Is context.DeadlineExceeded", err)
			}
			var se *StepError
			if !errors.As(err, &se) || se.Method != "GET" || se.URL != base+path {
				t.Errorf("step Err = %#v, want a *StepError naming GET %s", err, base+path)
			}
			want := `step "slow" (` + res.Steps[0].Pos.String() + `): GET ` + base + path + `: `
			if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "timeout after 100ms") {
				t.Errorf("step Err = %q, want %q…timeout after 100ms", err, want)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := runYAML(t, "steps:\n  - name: down\n    GET: \"http://{{ addr }}/\"\n  - name: after\n    GET: \"http://{{ addr }}/\"\n",
		map[string]any{"addr": addr})
	wantOutcomes(t, res, "error,not run")
	err = res.Steps[0].Err
	var ue *url.Error
	if !errors.As(err, &ue) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("step Err = %v, want a *url.Error wrapping ECONNREFUSED", err)
	}
	if strings.Contains(err.Error(), `Get "`) {
		t.Errorf("step Err = %q repeats the request", err)
	}
	if res.Steps[0].Request == nil || res.Steps[0].Response != nil {
		t.Errorf("Request = %v, Response = %v; want the request only", res.Steps[0].Request, res.Steps[0].Response)
	}
}

func TestStopAndContinue(t *testing.T) {
	base := newHTTPBin(t).URL
	src := `steps:
  - name: ok
    GET: "{{ base }}/status/200"
  - name: fails
    GET: "{{ base }}/status/500"
    expect:
      status: 200
  - name: errors
    GET: "{{ base }}/anything/{{ undefined_at_run_time }}"
  - name: last
    GET: "{{ base }}/status/200"
`
	// undefined_at_run_time passes the loader's check, as --var would.
	c := parse(t, src, "base", "undefined_at_run_time")
	for _, tt := range []struct {
		name      string
		continue_ bool
		want      string
	}{
		{"stop", false, "passed,failed,not run,not run"},
		{"continue", true, "passed,failed,error,passed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			res := runColl(t, nil, c, Options{
				Vars:     map[string]any{"base": base},
				Continue: tt.continue_,
				OnStep:   func(s *StepResult) { seen = append(seen, s.Name+":"+s.Outcome.String()) },
			})
			wantOutcomes(t, res, tt.want)
			if len(seen) != len(c.Steps) {
				t.Errorf("OnStep called for %v, want every step in order", seen)
			}
			for i, s := range res.Steps {
				if i < len(seen) && seen[i] != s.Name+":"+s.Outcome.String() {
					t.Errorf("OnStep call %d = %s, want %s:%s", i, seen[i], s.Name, s.Outcome)
				}
			}
			if tt.continue_ {
				var undef *collections.UndefinedError
				if err := res.Steps[2].Err; !errors.As(err, &undef) || undef.Name != "undefined_at_run_time" {
					t.Errorf("step Err = %v, want an UndefinedError", err)
				}
				if res.Steps[2].Request != nil {
					t.Errorf("Request = %+v, want nil when the URL failed to render", res.Steps[2].Request)
				}
			}
		})
	}
}

func TestCookiesNotSharedAcrossRuns(t *testing.T) {
	base := newHTTPBin(t).URL
	client := &http.Client{Timeout: testTimeout}
	r := New(client)
	set := parse(t, "steps:\n  - name: set\n    GET: \"{{ base }}/cookies/set?x=1\"\n    expect:\n      json:\n        cookies.x: \"1\"\n", "base")
	read := parse(t, "steps:\n  - name: read\n    GET: \"{{ base }}/cookies\"\n    expect:\n      json:\n        cookies.x: { exists: false }\n", "base")
	opts := Options{Vars: map[string]any{"base": base}}
	wantOutcomes(t, r.Run(t.Context(), set, opts), "passed")
	wantOutcomes(t, r.Run(t.Context(), read, opts), "passed")
	if client.Jar != nil {
		t.Errorf("Run set the caller's client Jar")
	}
}

// TestBodyLimit reads a chunked body that never ends with the default
// limit: the step fails once the body passes it, and the run allocates
// the limit and little more.
func TestBodyLimit(t *testing.T) {
	chunk := make([]byte, 64<<10)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})).URL
	c := parse(t, "steps:\n  - name: huge\n    GET: \"{{ base }}/\"\n", "base")
	var before, after runtimeMem
	before.read()
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
	after.read()
	wantOutcomes(t, res, "error")
	if err := res.Steps[0].Err; !errors.Is(err, ErrBodyTooLarge) || !strings.HasSuffix(err.Error(), "body exceeds limit of 50 MiB") {
		t.Errorf("step Err = %v, want ErrBodyTooLarge", err)
	}
	if grew := after.totalAlloc - before.totalAlloc; grew > DefaultMaxBody+allocOverhead {
		t.Errorf("the run allocated %d KiB, want at most the %d KiB limit + %d KiB", grew>>10, DefaultMaxBody>>10, allocOverhead>>10)
	}
}

// TestBodySizes reads bodies at and around the limit, with and without a
// declared length: those within it arrive whole, byte for byte.
func TestBodySizes(t *testing.T) {
	const limit = 40000
	content := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + i%23)
		}
		return b
	}
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Get("declared") != "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		} else {
			w.(http.Flusher).Flush() // chunked: no length
		}
		if r.Method != http.MethodHead {
			w.Write(content(n))
		}
	})).URL
	tests := []struct {
		name, method, query string
		size                int // the body's size, or -1 when it exceeds the limit
		want                string
	}{
		{name: "declared, at the limit", method: "GET", query: "n=40000&declared=1", size: limit},
		{name: "declared, one byte over", method: "GET", query: "n=40001&declared=1", size: -1, want: "body exceeds limit of 40000 bytes (Content-Length 40001)"},
		{name: "declared empty", method: "GET", query: "n=0&declared=1", size: 0},
		{name: "chunked, at the limit", method: "GET", query: "n=40000", size: limit},
		{name: "chunked, one byte over", method: "GET", query: "n=40001", size: -1, want: "body exceeds limit of 40000 bytes"},
		{name: "chunked, small", method: "GET", query: "n=100", size: 100},
		{name: "chunked empty", method: "GET", query: "n=0", size: 0},
		{name: "HEAD declares a length over the limit", method: "HEAD", query: "n=99999999&declared=1", size: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parse(t, "steps:\n  - name: s\n    "+tt.method+": \"{{ base }}/?"+tt.query+"\"\n", "base")
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{MaxBody: limit}, Retention: Retention{KeepBodies: true}})
			if tt.size < 0 {
				wantOutcomes(t, res, "error")
				if err := res.Steps[0].Err; !errors.Is(err, ErrBodyTooLarge) || !strings.HasSuffix(err.Error(), tt.want) {
					t.Errorf("step Err = %v, want ErrBodyTooLarge ending %q", err, tt.want)
				}
				return
			}
			wantOutcomes(t, res, "passed")
			r := res.Steps[0].Response
			if r.Size != int64(tt.size) || !bytes.Equal(r.Body, content(tt.size)) {
				t.Errorf("Response.Size = %d, Body %.40q…; want the %d bytes sent", r.Size, r.Body, tt.size)
			}
		})
	}
}

func TestResultBodiesAndTimes(t *testing.T) {
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, strings.Repeat("x", 100))
	})).URL
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	c := parse(t, "steps:\n  - name: s\n    POST: \"{{ base }}/\"\n    body: \""+strings.Repeat("y", 50)+"\"\n", "base")
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{BodyLimit: 10}, Retention: Retention{KeepBodies: true}, Now: now})
	wantOutcomes(t, res, "passed")
	s := res.Steps[0]
	if string(s.Response.Body) != strings.Repeat("x", 10) || s.Response.Size != 100 {
		t.Errorf("Response.Body = %q (size %d), want 10 bytes of 100", s.Response.Body, s.Response.Size)
	}
	if len(s.Request.Body) != 10 || s.Request.BodySize != 50 {
		t.Errorf("Request.Body = %q (size %d), want 10 bytes of 50", s.Request.Body, s.Request.BodySize)
	}
	if s.Response.Proto != "HTTP/1.1" || s.Response.Duration != time.Second {
		t.Errorf("Response = %s in %v, want HTTP/1.1 in 1s", s.Response.Proto, s.Response.Duration)
	}
	if !res.Start.Equal(time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)) || res.Duration != 5*time.Second || s.Duration != 3*time.Second {
		t.Errorf("Start %v, Duration %v, step Duration %v; want the injected clock", res.Start, res.Duration, s.Duration)
	}
	res = runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{BodyLimit: -1}})
	if res.Steps[0].Response.Body != nil || res.Steps[0].Request.Body != nil {
		t.Errorf("BodyLimit -1 kept bodies")
	}
}
