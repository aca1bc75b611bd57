// Package arazzotest serves the HTTP API the Arazzo conformance tests and
// the comparison with other Arazzo runners (bench/arazzo) run workflows
// against: a lending library with sessions, books, loans (one answer in
// XML), jobs to poll, endpoints that fail on demand, echoes of the
// request, statuses and an HTML page. Faults say how it misbehaves;
// counters say what it received.
package arazzotest

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are what a Library does wrong on purpose.
type Faults struct {
	// Busy is how many loan requests answer 409 before one succeeds.
	Busy int
	// FlakyFails is how many calls of /flaky/{key} answer 503 first;
	// RetryAfter is the Retry-After they send, "" for none.
	FlakyFails int
	RetryAfter string
	// Expired makes /books answer 401 to tokens not refreshed.
	Expired bool
}

// Library is the library's HTTP handler. It is safe for concurrent use.
type Library struct {
	mux    *http.ServeMux
	mu     sync.Mutex
	faults Faults
	calls  map[string]int
	// requests keeps each request received, as "METHOD /path?query".
	requests []string
}

// NewLibrary returns a library that misbehaves as f says.
func NewLibrary(f Faults) *Library {
	lib := &Library{faults: f, calls: map[string]int{}, mux: http.NewServeMux()}
	lib.mux.HandleFunc("POST /sessions", lib.session)
	lib.mux.HandleFunc("POST /sessions/refresh", lib.refresh)
	lib.mux.HandleFunc("GET /books", lib.books)
	lib.mux.HandleFunc("POST /books/{bookId}/loans", lib.lend)
	lib.mux.HandleFunc("GET /loans/{loanId}", lib.loan)
	lib.mux.HandleFunc("GET /jobs/{jobId}", lib.job)
	lib.mux.HandleFunc("GET /flaky/{key}", lib.flaky)
	lib.mux.HandleFunc("GET /slow", slow)
	lib.mux.HandleFunc("/echo/{name}", echo)
	lib.mux.HandleFunc("/forms", echo)
	lib.mux.HandleFunc("/xml", echo)
	lib.mux.HandleFunc("GET /status/{code}", status)
	lib.mux.HandleFunc("GET /pages/{code}", page)
	return lib
}

// ServeHTTP records the request and answers it.
func (lib *Library) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lib.mu.Lock()
	lib.requests = append(lib.requests, r.Method+" "+r.URL.RequestURI())
	lib.mu.Unlock()
	lib.mux.ServeHTTP(w, r)
}

// SetFaults replaces the faults.
func (lib *Library) SetFaults(f Faults) {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	lib.faults = f
}

// Requests returns the requests received, as "METHOD /path?query".
func (lib *Library) Requests() []string {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	return append([]string(nil), lib.requests...)
}

// count increments and returns the calls of key.
func (lib *Library) count(key string) int {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	lib.calls[key]++
	return lib.calls[key]
}

// Called returns how many times the calls of key were received: session,
// refresh, books, lend, job:<id>, flaky:<key>.
func (lib *Library) Called(key string) int {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	return lib.calls[key]
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (lib *Library) session(w http.ResponseWriter, r *http.Request) {
	lib.count("session")
	var in struct{ Member, Pin string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Pin != "1234" {
		reply(w, 401, map[string]any{"error": "bad pin"})
		return
	}
	reply(w, 201, map[string]any{"token": "tok-" + in.Member})
}

func (lib *Library) refresh(w http.ResponseWriter, r *http.Request) {
	lib.count("refresh")
	lib.mu.Lock()
	lib.faults.Expired = false
	lib.mu.Unlock()
	reply(w, 200, map[string]any{"token": "tok-fresh"})
}

var catalog = []map[string]any{
	{"id": "b1", "title": "Dune", "available": true},
	{"id": "b2", "title": "Dune Messiah", "available": false},
	{"id": "b3", "title": "Emma", "available": false},
}

func (lib *Library) books(w http.ResponseWriter, r *http.Request) {
	n := lib.count("books")
	lib.mu.Lock()
	expired := lib.faults.Expired
	lib.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer tok-") || expired && auth != "Bearer tok-fresh" {
		reply(w, 401, map[string]any{"error": "who are you?", "call": n})
		return
	}
	out := []any{}
	for _, b := range catalog {
		if strings.Contains(b["title"].(string), r.URL.Query().Get("title")) {
			out = append(out, b)
		}
	}
	if c, err := r.Cookie("lang"); err == nil {
		w.Header().Set("X-Lang", c.Value)
	}
	reply(w, 200, out)
}

func (lib *Library) lend(w http.ResponseWriter, r *http.Request) {
	lib.count("lend")
	lib.mu.Lock()
	busy := lib.faults.Busy > 0
	if busy {
		lib.faults.Busy--
	}
	lib.mu.Unlock()
	if busy {
		reply(w, 409, map[string]any{"error": "busy"})
		return
	}
	w.Header().Set("Location", "/loans/7")
	reply(w, 201, map[string]any{"id": 7, "book": r.PathValue("bookId"), "due": "2030-01-31"})
}

func (lib *Library) loan(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><loan id="%s"><book>b1</book><status>open</status><fees><fee>2.5</fee><fee>1</fee></fees></loan>`, r.PathValue("loanId"))
}

func (lib *Library) job(w http.ResponseWriter, r *http.Request) {
	if lib.count("job:"+r.PathValue("jobId")) < 3 {
		reply(w, 200, map[string]any{"state": "running"})
		return
	}
	reply(w, 200, map[string]any{"state": "done", "result": 42})
}

func (lib *Library) flaky(w http.ResponseWriter, r *http.Request) {
	n := lib.count("flaky:" + r.PathValue("key"))
	lib.mu.Lock()
	fails, after := lib.faults.FlakyFails, lib.faults.RetryAfter
	lib.mu.Unlock()
	if n <= fails {
		if after != "" {
			w.Header().Set("Retry-After", after)
		}
		reply(w, 503, map[string]any{"call": n})
		return
	}
	reply(w, 200, map[string]any{"call": n})
}

// slow answers only when the client gives up, or after a wide hang guard.
func slow(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(30 * time.Second):
	}
}

// echo answers with the request it received.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var names []string
	for k := range r.Header {
		if k != "Accept-Encoding" && k != "User-Agent" && k != "Content-Length" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var headers []string
	for _, k := range names {
		for _, v := range r.Header[k] {
			headers = append(headers, k+": "+v)
		}
	}
	reply(w, 200, map[string]any{
		"method": r.Method, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery,
		"headers": headers, "body": string(body),
	})
}

// page answers with an HTML page that is not XML, as an OAuth server's
// out-of-band page that shows a code is.
func page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Code</title></head>\n<body><main>\n<h1>Authorization code:</h1>\n<code id=\"authorization_code\">%s</code>\n</main></body>\n</html>\n", html.EscapeString(r.PathValue("code")))
}

func status(w http.ResponseWriter, r *http.Request) {
	code, _ := strconv.Atoi(r.PathValue("code"))
	reply(w, code, map[string]any{"code": code})
}
