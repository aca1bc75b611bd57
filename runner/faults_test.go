package runner

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawServer accepts TCP connections on loopback and hands each to serve in
// its own goroutine; it stops when the test ends.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				// Read the request before answering it, as a server would.
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				serve(conn)
				<-done
			}()
		}
	}()
	return ln.Addr().String()
}

// drip writes b every interval until the peer goes away: a header or a
// body that never ends.
func drip(conn net.Conn, b byte, interval time.Duration) {
	for {
		if _, err := conn.Write([]byte{b}); err != nil {
			return
		}
		time.Sleep(interval)
	}
}

// headersSeen is a transport that closes ch when the first response's
// header has arrived, for a server that must not act before then.
type headersSeen struct {
	http.Transport
	ch   chan struct{}
	once sync.Once
}

func (h *headersSeen) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := h.Transport.RoundTrip(req)
	if err == nil {
		h.seen()
	}
	return resp, err
}

func (h *headersSeen) seen() { h.once.Do(func() { close(h.ch) }) }

// faultTimeout is the step timeout of the fault cases that do not test
// it: a hang guard only.
const faultTimeout = "60s"

func TestFaults(t *testing.T) {
	tests := []struct {
		name string
		// serve answers; headersRead is closed once the client has the
		// response's header.
		serve func(c net.Conn, headersRead <-chan struct{})
		// timeout is the step's: 300ms where it is what fails, and the
		// server then never finishes, else faultTimeout.
		timeout string
		// want is the end of the step's error text.
		want string
		// deadline means errors.Is(err, context.DeadlineExceeded).
		deadline bool
	}{
		{
			name:     "accepts and stays silent",
			serve:    func(net.Conn, <-chan struct{}) {},
			timeout:  "300ms",
			want:     "timeout after 300ms",
			deadline: true,
		},
		{
			name: "drips headers without end",
			serve: func(c net.Conn, _ <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ")
				drip(c, 'a', 20*time.Millisecond)
			},
			timeout:  "300ms",
			want:     "timeout after 300ms",
			deadline: true,
		},
		{
			name: "drips a body without end",
			serve: func(c net.Conn, _ <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
				drip(c, 'b', 20*time.Millisecond)
			},
			timeout:  "300ms",
			want:     "timeout after 300ms",
			deadline: true,
		},
		{
			name: "resets mid-body",
			serve: func(c net.Conn, headersRead <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"+strings.Repeat("c", 100))
				<-headersRead
				c.(*net.TCPConn).SetLinger(0) // close with RST
				c.Close()
			},
			timeout: faultTimeout,
			want:    "read body: ",
		},
		{
			name: "closes before the declared length",
			serve: func(c net.Conn, _ <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"+strings.Repeat("d", 10))
				c.Close()
			},
			timeout: faultTimeout,
			want:    "read body: unexpected EOF",
		},
		{
			name: "declares a body over the limit",
			serve: func(c net.Conn, _ <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\nx")
			},
			timeout: faultTimeout,
			want:    "body exceeds limit of 1 MiB (Content-Length 99999999999)",
		},
		{
			name: "sends more than the limit without a length",
			serve: func(c net.Conn, _ <-chan struct{}) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
				chunk := bytes.Repeat([]byte("e"), 64<<10)
				for range 40 { // 2.5 MiB, and the connection stays open
					if _, err := c.Write(chunk); err != nil {
						return
					}
				}
			},
			timeout: faultTimeout,
			want:    "body exceeds limit of 1 MiB",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := &headersSeen{ch: make(chan struct{})}
			t.Cleanup(tr.seen) // a server waiting for the header stops waiting
			t.Cleanup(tr.CloseIdleConnections)
			addr := rawServer(t, func(c net.Conn) { tt.serve(c, tr.ch) })
			c := parse(t, "steps:\n  - name: s\n    GET: \"http://{{ addr }}/x\"\n    timeout: "+tt.timeout+"\n", "addr")
			client := &http.Client{Transport: tr, Timeout: testTimeout}
			res := runColl(t, client, c, Options{Vars: map[string]any{"addr": addr}, Limits: Limits{MaxBody: 1 << 20}})
			wantOutcomes(t, res, "error")
			err := res.Steps[0].Err
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("step Err = %#v, want a *StepError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("step Err = %q, want it to contain %q", err, tt.want)
			}
			if got := errors.Is(err, context.DeadlineExceeded); got != tt.deadline {
				t.Errorf("errors.Is(%q, context.DeadlineExceeded) = %v, want %v", err, got, tt.deadline)
			}
		})
	}
}

// gzipped compresses n zero bytes (n a multiple of 1 MiB above 1 MiB): one
// gzip member of 1 MiB of zeros, repeated, since gzip readers read
// concatenated members as one stream.
func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(make([]byte, min(n, 1<<20)))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(buf.Bytes(), max(1, n>>20))
}

func TestBodyLimitAfterDecompression(t *testing.T) {
	bomb := gzipped(t, 200<<20) // 200 MiB of zeros in about 200 KiB
	small := gzipped(t, 1000)
	mux := http.NewServeMux()
	serveGzip := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(body)
		}
	}
	mux.HandleFunc("/bomb", serveGzip(bomb))
	mux.HandleFunc("/small", serveGzip(small))
	base := newServer(t, mux).URL

	tests := []struct {
		name, path string
		// acceptEncoding is set by the step, so the transport leaves the
		// body compressed and the runner decompresses it.
		acceptEncoding bool
		maxBody        int64
		want           string // "" means passed
	}{
		{name: "bomb, transport decompresses", path: "/bomb", maxBody: 4 << 20, want: "body exceeds limit of 4 MiB"},
		{name: "bomb, runner decompresses", path: "/bomb", acceptEncoding: true, maxBody: 4 << 20, want: "body exceeds limit of 4 MiB"},
		{name: "bomb, runner decompresses, default limit", path: "/bomb", acceptEncoding: true, want: "body exceeds limit of 50 MiB"},
		{name: "bomb under a small limit", path: "/bomb", maxBody: 4 << 10, want: "body exceeds limit of 4 KiB"},
		{name: "small body passes", path: "/small", acceptEncoding: true},
		{name: "limit counts decompressed bytes", path: "/small", acceptEncoding: true, maxBody: 999, want: "body exceeds limit of 999 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "steps:\n  - name: s\n    GET: \"{{ base }}" + tt.path + "\"\n    timeout: " + faultTimeout + "\n"
			if tt.acceptEncoding {
				src += "    headers:\n      Accept-Encoding: gzip\n"
			}
			c := parse(t, src, "base")
			var before, after runtimeMem
			before.read()
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{MaxBody: tt.maxBody}})
			after.read()
			if tt.want == "" {
				wantOutcomes(t, res, "passed")
				if got := res.Steps[0].Response.Size; got != 1000 {
					t.Errorf("Response.Size = %d, want 1000 (decompressed)", got)
				}
				return
			}
			wantOutcomes(t, res, "error")
			err := res.Steps[0].Err
			if !errors.Is(err, ErrBodyTooLarge) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("step Err = %v, want ErrBodyTooLarge ending %q", err, tt.want)
			}
			// Reading stops at the limit, and the bytes read are never
			// copied: the run allocates the limit and a little more
			// (allocOverhead), never the 200 MiB the bomb expands to.
			limit := cmp.Or(tt.maxBody, DefaultMaxBody)
			grew := after.totalAlloc - before.totalAlloc
			t.Logf("allocated %d KiB over the limit", (int64(grew)-limit)>>10)
			if grew > uint64(limit)+allocOverhead {
				t.Errorf("the run allocated %d KiB, want at most the %d KiB limit + %d KiB", grew>>10, limit>>10, allocOverhead>>10)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	var hits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	mux.HandleFunc("/self", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/self", http.StatusFound) })
	// A login flow: /login/app sends a client without a session to
	// /login/form, which sets one and sends it back.
	mux.HandleFunc("/login/app", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			http.Redirect(w, r, "/login/form", http.StatusFound)
			return
		}
		fmt.Fprint(w, "welcome")
	})
	mux.HandleFunc("/login/form", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
		http.Redirect(w, r, "/login/app", http.StatusFound)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			fmt.Fprint(w, "end")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/gopher", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "gopher://127.0.0.1:70/")
		w.WriteHeader(http.StatusFound)
	})
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mux.ServeHTTP(w, r)
	})).URL
	chain := func(paths ...string) string {
		urls := make([]string, len(paths))
		for i, p := range paths {
			urls[i] = base + p
		}
		return strings.Join(urls, " -> ")
	}

	tests := []struct {
		name, path   string
		maxRedirects int
		// hits is how many requests reached the server.
		hits int64
		want string // the end of the error; "" means passed
	}{
		{name: "ten redirects are followed", path: "/chain/10", hits: 11},
		{name: "eleven are too many", path: "/chain/11", hits: 11, want: "stopped after 10 redirects: " + chain("/chain/11", "/chain/10", "/chain/9", "/chain/8", "/chain/7", "/chain/6", "/chain/5", "/chain/4", "/chain/3", "/chain/2", "/chain/1", "/chain/0")},
		{name: "the limit is an option", path: "/chain/3", maxRedirects: 2, hits: 3, want: "stopped after 2 redirects: " + chain("/chain/3", "/chain/2", "/chain/1", "/chain/0")},
		{name: "negative follows none", path: "/chain/1", maxRedirects: -1, hits: 1, want: "stopped after 0 redirects: " + chain("/chain/1", "/chain/0")},
		{name: "a redirect to itself is a loop at its second hop", path: "/self", hits: 2, want: "redirect loop: " + chain("/self", "/self", "/self")},
		{name: "a loop within a lower limit", path: "/self", maxRedirects: 5, hits: 2, want: "redirect loop: " + chain("/self", "/self", "/self")},
		{name: "a URL may come twice", path: "/login/app", hits: 3},
		{name: "a cycle gone round twice is a loop", path: "/loop/a", hits: 4, want: "redirect loop: " + chain("/loop/a", "/loop/b", "/loop/a", "/loop/b", "/loop/a")},
		{name: "file scheme refused", path: "/file", hits: 1, want: `redirect to a "file" URL refused (only http and https): ` + base + "/file -> file:///etc/passwd"},
		{name: "gopher scheme refused", path: "/gopher", hits: 1, want: `redirect to a "gopher" URL refused (only http and https): ` + base + "/gopher -> gopher://127.0.0.1:70/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			c := parse(t, "steps:\n  - name: s\n    GET: \"{{ base }}"+tt.path+"\"\n", "base")
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{MaxRedirects: tt.maxRedirects}})
			if got := hits.Load(); got != tt.hits {
				t.Errorf("the server saw %d requests, want %d", got, tt.hits)
			}
			if tt.want == "" {
				wantOutcomes(t, res, "passed")
				return
			}
			wantOutcomes(t, res, "error")
			err := res.Steps[0].Err
			var re *RedirectError
			if !errors.As(err, &re) || !strings.HasSuffix(err.Error(), ": "+tt.want) {
				t.Errorf("step Err = %v, want a *RedirectError ending %q", err, tt.want)
			}
		})
	}
}

// TestMaxTime runs a fast step, a step whose server answers only when
// the request is cancelled, and one more: the max time ends the second, and
// the third does not run. The max time leaves the fast step a wide margin.
func TestMaxTime(t *testing.T) {
	t.Parallel()
	const maxTime = 3 * time.Second
	mux := http.NewServeMux()
	mux.HandleFunc("/fast", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	base := newServer(t, mux).URL
	src := "steps:\n  - name: fast\n    GET: \"{{ base }}/fast\"\n  - name: slow\n    GET: \"{{ base }}/slow\"\n  - name: after\n    GET: \"{{ base }}/fast\"\n"
	c := parse(t, src, "base")
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}, Limits: Limits{MaxTime: maxTime, Timeout: time.Minute}})
	wantOutcomes(t, res, "passed,error,not run")
	err := res.Steps[1].Err
	var mt *MaxTimeError
	if !errors.As(err, &mt) || !errors.Is(err, context.DeadlineExceeded) || !strings.HasSuffix(err.Error(), "run exceeded its max time of 3s") {
		t.Errorf("step Err = %v, want a *MaxTimeError ending %q", err, "run exceeded its max time of 3s")
	}
}

func TestNetworkErrors(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }))
	t.Cleanup(tlsSrv.Close)
	tests := []struct {
		name   string
		url    string
		client *http.Client
		want   string
		check  func(error) bool
	}{
		{
			name: "bad certificate",
			url:  tlsSrv.URL,
			want: "certificate signed by unknown authority",
			check: func(err error) bool {
				var ue x509.UnknownAuthorityError
				return errors.As(err, &ue)
			},
		},
		{
			name:   "unknown host",
			url:    "http://callsheet-test.invalid/",
			client: &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Resolver: deadResolver(t)}).DialContext}},
			want:   "callsheet-test.invalid",
			check: func(err error) bool {
				var de *net.DNSError
				return errors.As(err, &de)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parse(t, "steps:\n  - name: s\n    GET: \"{{ url }}\"\n    timeout: "+faultTimeout+"\n", "url")
			res := runColl(t, tt.client, c, Options{Vars: map[string]any{"url": tt.url}})
			wantOutcomes(t, res, "error")
			err := res.Steps[0].Err
			if !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("step Err = %v (%T), want a typed error containing %q", err, errors.Unwrap(err), tt.want)
			}
		})
	}
}

// runtimeMem records the bytes allocated so far.
type runtimeMem struct{ totalAlloc uint64 }

func (m *runtimeMem) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.totalAlloc = ms.TotalAlloc
}

// deadResolver resolves through a DNS client that cannot reach any server
// every query, so lookups fail at once with a *net.DNSError and never leave
// the machine.
func deadResolver(t *testing.T) *net.Resolver {
	t.Helper()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return nil, errors.New("no DNS server in tests")
		},
	}
}

// allocOverhead bounds what a run of one step allocates besides the
// response body: the request, the connection's buffers, a gzip reader.
const allocOverhead = 512 << 10
