package otlp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/callsheet/callsheet/load"
)

// collector is a loopback OTLP/HTTP receiver that decodes what it is sent
// with the official OTLP types and answers with status and answer.
type collector struct {
	status      int
	contentType string
	answer      []byte
	// hold, when set, keeps each request until the test ends.
	hold chan struct{}

	mu       sync.Mutex
	requests []*colmetrics.ExportMetricsServiceRequest
	headers  []string // method, path and content type of each request
	received []http.Header
	got      chan struct{}
}

// serve starts c on loopback and returns the URL to push to.
func (c *collector) serve(t *testing.T) string {
	c.got = make(chan struct{}, 100)
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	if c.hold != nil {
		t.Cleanup(func() { close(c.hold) })
	}
	return srv.URL
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req colmetrics.ExportMetricsServiceRequest
	err := proto.Unmarshal(b, &req)
	c.mu.Lock()
	c.headers = append(c.headers, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
	c.received = append(c.received, r.Header.Clone())
	c.requests = append(c.requests, &req)
	c.mu.Unlock()
	select {
	case c.got <- struct{}{}:
	default:
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if c.hold != nil {
		<-c.hold
	}
	if c.status == 0 {
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&colmetrics.ExportMetricsServiceResponse{})
		w.Write(out)
		return
	}
	w.Header().Set("Content-Type", c.contentType)
	w.WriteHeader(c.status)
	w.Write(c.answer)
}

// last is the last request c was sent, with the method, path and content
// type it came with.
func (c *collector) last(t *testing.T) (*colmetrics.ExportMetricsServiceRequest, string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.requests) == 0 {
		t.Fatal("the collector got nothing")
	}
	return c.requests[len(c.requests)-1], c.headers[len(c.headers)-1]
}

// lastHeader is the header of the last request c was sent.
func (c *collector) lastHeader(t *testing.T) http.Header {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.received) == 0 {
		t.Fatal("the collector got nothing")
	}
	return c.received[len(c.received)-1]
}

// observed is one data point as the collector decoded it, with what its
// metric says.
type observed struct {
	sum         bool
	temporality metricspb.AggregationTemporality
	monotonic   bool
	description string
	unit        string
	double      bool
	value       float64
	start, time uint64
}

// points flattens the metrics of req into points named name{key=value}.
func points(t *testing.T, req *colmetrics.ExportMetricsServiceRequest) map[string]observed {
	t.Helper()
	out := map[string]observed{}
	for _, rm := range req.GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				o := observed{description: m.GetDescription(), unit: m.GetUnit()}
				dps := m.GetGauge().GetDataPoints()
				if s := m.GetSum(); s != nil {
					o.sum, o.temporality, o.monotonic, dps = true, s.GetAggregationTemporality(), s.GetIsMonotonic(), s.GetDataPoints()
				}
				for _, dp := range dps {
					name := m.GetName()
					for _, a := range dp.GetAttributes() {
						name += "{" + a.GetKey() + "=" + a.GetValue().GetStringValue() + "}"
					}
					p := o
					_, p.double = dp.GetValue().(*metricspb.NumberDataPoint_AsDouble)
					p.value = dp.GetAsDouble() + float64(dp.GetAsInt())
					p.start, p.time = dp.GetStartTimeUnixNano(), dp.GetTimeUnixNano()
					out[name] = p
				}
			}
		}
	}
	return out
}

// hangGuard is a context for a test that must not hang.
func hangGuard(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

const latencyHelp = "Latency of the last interval's requests, by quantile (corrected in arrival-rate runs)."

func TestExportOnClose(t *testing.T) {
	c := &collector{}
	ctx := hangGuard(t)
	before := uint64(time.Now().UnixNano())
	// An interval no test reaches: Close alone exports.
	e, err := Start(ctx, c.serve(t), time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	started := uint64(time.Now().UnixNano())
	e.Observe(load.Progress{Requests: 420, HTTPErrors: 7, Iterations: 140, Dropped: 2, Point: &load.Point{Width: 1, VUs: 12, P50: 1.5, P99: 40}})
	closing := uint64(time.Now().UnixNano())
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	closed := uint64(time.Now().UnixNano())
	req, header := c.last(t)
	if header != "POST /v1/metrics application/x-protobuf" {
		t.Errorf("the push came as %q, want POST /v1/metrics application/x-protobuf", header)
	}
	cumulative := metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE
	want := map[string]observed{
		"callsheet.load.requests":               {sum: true, temporality: cumulative, monotonic: true, description: "Requests sent.", value: 420},
		"callsheet.load.http_errors":            {sum: true, temporality: cumulative, monotonic: true, description: "Requests without a response or with a status of 400 or more.", value: 7},
		"callsheet.load.iterations":             {sum: true, temporality: cumulative, monotonic: true, description: "Iterations completed.", value: 140},
		"callsheet.load.dropped_iterations":     {sum: true, temporality: cumulative, monotonic: true, description: "Iterations due that could not start.", value: 2},
		"callsheet.load.vus":                    {description: "Users running an iteration.", value: 12},
		"callsheet.load.latency{quantile=0.5}":  {description: latencyHelp, unit: "ms", double: true, value: 1.5},
		"callsheet.load.latency{quantile=0.95}": {description: latencyHelp, unit: "ms", double: true, value: 0},
		"callsheet.load.latency{quantile=0.99}": {description: latencyHelp, unit: "ms", double: true, value: 40},
	}
	got := points(t, req)
	if len(got) != len(want) {
		t.Errorf("the push has %d points, want %d: %v", len(got), len(want), got)
	}
	for name, w := range want {
		g, ok := got[name]
		if g.time < closing || g.time > closed {
			t.Errorf("%s: time_unix_nano %d, want the time of Close, within [%d, %d]", name, g.time, closing, closed)
		}
		if w.sum && (g.start < before || g.start > started) {
			t.Errorf("%s: start_time_unix_nano %d, want the exporter's start, within [%d, %d]", name, g.start, before, started)
		}
		g.start, g.time = 0, 0
		if !ok || g != w {
			t.Errorf("%s = %+v (sent: %v), want %+v", name, g, ok, w)
		}
	}
}

func TestResourceAndScope(t *testing.T) {
	c := &collector{}
	ctx := hangGuard(t)
	e, err := Start(ctx, c.serve(t), time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	req, _ := c.last(t)
	if len(req.GetResourceMetrics()) != 1 || len(req.GetResourceMetrics()[0].GetScopeMetrics()) != 1 {
		t.Fatalf("the push = %v, want one resource with one scope", req)
	}
	rm := req.GetResourceMetrics()[0]
	attrs := map[string]string{}
	for _, a := range rm.GetResource().GetAttributes() {
		attrs[a.GetKey()] = a.GetValue().GetStringValue()
	}
	want := map[string]string{"service.name": "callsheet", "telemetry.sdk.language": "go", "telemetry.sdk.name": "github.com/callsheet/callsheet/load/stream/otlp"}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("resource attribute %s = %q, want %q (all: %v)", k, attrs[k], v, attrs)
		}
	}
	if name := rm.GetScopeMetrics()[0].GetScope().GetName(); name != "github.com/callsheet/callsheet/load" {
		t.Errorf("scope name = %q, want github.com/callsheet/callsheet/load", name)
	}
}

func TestIntervalPushes(t *testing.T) {
	c := &collector{}
	ctx := hangGuard(t)
	e, err := Start(ctx, c.serve(t), time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Observe(load.Progress{Requests: 5, Point: &load.Point{}})
	for got := 0; got < 3; got++ {
		select {
		case <-c.got:
		case <-ctx.Done():
			t.Fatal("the collector got too few pushes before the hang guard")
		}
	}
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.requests) < 4 {
		t.Fatalf("the collector got %d pushes, want 3 every interval and 1 on Close", len(c.requests))
	}
	const requests = "callsheet.load.requests"
	first := points(t, c.requests[0])[requests]
	for i, req := range c.requests[1:] {
		p, prev := points(t, req)[requests], points(t, c.requests[i])[requests]
		if p.start != first.start || p.time < prev.time || p.value < prev.value {
			t.Errorf("push %d: requests %v at %d from %d; want %v or more, at %d or later, from %d",
				i+1, p.value, p.time, p.start, prev.value, prev.time, first.start)
		}
	}
	if last := points(t, c.requests[len(c.requests)-1])[requests]; last.value != 5 {
		t.Errorf("the last push says %v requests, want 5", last.value)
	}
}

// status is a google.rpc.Status with message msg, in protobuf.
func status(t testing.TB, msg string) []byte {
	b, err := proto.Marshal(&statuspb.Status{Code: 3, Message: msg})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// partial is an ExportMetricsServiceResponse with a partial success.
func partial(t testing.TB, n int64, msg string) []byte {
	b, err := proto.Marshal(&colmetrics.ExportMetricsServiceResponse{
		PartialSuccess: &colmetrics.ExportMetricsPartialSuccess{RejectedDataPoints: n, ErrorMessage: msg}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCollectorAnswers(t *testing.T) {
	const pb = "application/x-protobuf"
	tests := []struct {
		name string
		c    *collector
		want string // in Close's error; "" for none
	}{
		{"200 and a response", &collector{}, ""},
		{"200 and nothing", &collector{status: 200}, ""},
		{"204", &collector{status: 204}, ""},
		{"a warning", &collector{status: 200, contentType: pb, answer: partial(t, 0, "slow down")}, ""},
		{"rejected points", &collector{status: 200, contentType: pb, answer: partial(t, 3, "bad unit")}, "rejected 3 data points: bad unit"},
		{"500 with a status", &collector{status: 500, contentType: pb, answer: status(t, "disk full")}, "answered 500 Internal Server Error: disk full"},
		{"400 in text", &collector{status: 400, contentType: "text/plain", answer: []byte("no")}, "answered 400 Bad Request"},
		{"404 with a broken status", &collector{status: 404, contentType: pb, answer: []byte{0xff}}, "answered 404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := hangGuard(t)
			url := tt.c.serve(t)
			e, err := Start(ctx, url, time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Close(ctx)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), url)) {
				t.Errorf("Close() = %v, want an error with %q and the URL", err, tt.want)
			}
		})
	}
}

func TestCloseSaysEarlierPushesFailed(t *testing.T) {
	c := &collector{status: 503, contentType: "text/plain"}
	ctx := hangGuard(t)
	e, err := Start(ctx, c.serve(t), time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	<-c.got
	<-c.got
	err = e.Close(ctx)
	if err == nil || !strings.Contains(err.Error(), "answered 503") || !strings.Contains(err.Error(), "pushes before it failed") {
		t.Errorf("Close() = %v, want the 503 and the failures before it", err)
	}
}

func TestClosePushesWithinItsContext(t *testing.T) {
	tests := []struct {
		name string
		url  func(t *testing.T) (string, *collector)
		want error
	}{
		{"a collector that does not answer", func(t *testing.T) (string, *collector) {
			c := &collector{hold: make(chan struct{})}
			return c.serve(t), c
		}, context.Canceled},
		{"no collector", func(t *testing.T) (string, *collector) {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			return srv.URL, nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, c := tt.url(t)
			e, err := Start(hangGuard(t), url, time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(hangGuard(t))
			if c != nil {
				go func() { <-c.got; cancel() }()
			} else {
				defer cancel()
			}
			err = e.Close(ctx)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Close() = %v, want an error (%v)", err, tt.want)
			}
		})
	}
}

func TestStartRefuses(t *testing.T) {
	tests := []struct {
		url      string
		interval time.Duration
		want     string
	}{
		{"127.0.0.1:4318", time.Second, `--otlp "127.0.0.1:4318": want an http or https URL, such as http://127.0.0.1:4318`},
		{"ftp://x", time.Second, `--otlp "ftp://x": want an http or https URL`},
		{"http://", time.Second, `--otlp "http://": want an http or https URL`},
		{"ftp://user:s3cret@x", time.Second, `--otlp "ftp://xxxxx@x": want an http or https URL`},
		{"user:s3cret@127.0.0.1:4318", time.Second, `--otlp "xxxxx@127.0.0.1:4318": want an http or https URL`},
		{"http://user:s3cret%zz@x", time.Second, `--otlp: want an http or https URL, such as http://127.0.0.1:4318; the argument does not parse as a URL (it is not shown`},
		{"http://127.0.0.1:4318", 0, "--otlp: the interval 0s is not positive"},
	}
	for _, tt := range tests {
		if _, err := Start(context.Background(), tt.url, tt.interval, nil); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Start(%q, %v) = %v, want %q", tt.url, tt.interval, err, tt.want)
		}
	}
}

// TestStartHidesUserinfo feeds Start arguments that are not collector URLs
// but hold a user name and password: its error shows neither.
func TestStartHidesUserinfo(t *testing.T) {
	for _, url := range []string{
		"us3r:s3cret@127.0.0.1:4318",
		"us3r:s3cret@127.0.0.1:4318/v1/metrics",
		"//us3r:s3cret@127.0.0.1:4318",
		"ftp://us3r:s3cret@127.0.0.1:4318",
		"http://us3r:s3cret@",
		"http:us3r:s3cret@127.0.0.1:4318",
		"mailto:us3r:s3cret@127.0.0.1",
		"http://us3r:s3cret%zz@127.0.0.1:4318",
		"http://us3r:s3cret/x@127.0.0.1:4318",
		"http://us3r:s3cret@[::1",
		"ftp://us3r@x:s3cret@127.0.0.1:4318",
		"http://us3r:s3cret@127.0.0.1:4318\n",
	} {
		_, err := Start(context.Background(), url, time.Second, nil)
		if err == nil || !strings.Contains(err.Error(), "want an http or https URL") ||
			strings.Contains(err.Error(), "us3r") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Start(%q) = %v, want a refusal without the user name and password", url, err)
		}
	}
}

func TestPathOfTheURL(t *testing.T) {
	tests := []struct{ path, want string }{{"", "/v1/metrics"}, {"/", "/v1/metrics"}, {"/otlp/v1/metrics", "/otlp/v1/metrics"}}
	for _, tt := range tests {
		c := &collector{}
		ctx := hangGuard(t)
		e, err := Start(ctx, c.serve(t)+tt.path, time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if _, header := c.last(t); header != "POST "+tt.want+" application/x-protobuf" {
			t.Errorf("URL path %q: the push came as %q, want POST to %s", tt.path, header, tt.want)
		}
	}
}

func TestErrorsHideTheUserinfo(t *testing.T) {
	tests := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"an answer of 500", func(t *testing.T) string { return (&collector{status: 500}).serve(t) }},
		{"no collector", func(t *testing.T) string {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			return srv.URL
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := hangGuard(t)
			url := strings.Replace(tt.url(t), "http://", "http://us3r:s3cret@", 1)
			e, err := Start(ctx, url, time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Close(ctx)
			if err == nil || strings.Contains(err.Error(), "us3r") || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "127.0.0.1") {
				t.Errorf("Close() = %v, want an error naming the collector without its user name and password", err)
			}
		})
	}
}

func TestUserinfoIsSentAsBasicAuthorization(t *testing.T) {
	tests := []struct {
		name, headers, want string
	}{
		{"from the URL", "", "Basic dXMzcjpzM2NyZXQ="}, // us3r:s3cret
		{"an Authorization of the environment winning", "Authorization=Bearer t0ken", "Bearer t0ken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &collector{}
			ctx := hangGuard(t)
			url := strings.Replace(c.serve(t), "http://", "http://us3r:s3cret@", 1)
			e, err := Start(ctx, url, time.Hour, env{envHeaders: tt.headers}.lookup)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if got := c.lastHeader(t).Values("Authorization"); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("Authorization = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestErrorsHideTheQuery gives the collector's URL an API key in its
// query: no refusal of the URL and no failed push shows it.
func TestErrorsHideTheQuery(t *testing.T) {
	const key = "k3y-0f-the-c0llect0r"
	for _, url := range []string{"ftp://127.0.0.1:4318/v1/metrics?api_key=" + key, "127.0.0.1:4318?api_key=" + key} {
		if _, err := Start(context.Background(), url, time.Second, nil); err == nil || strings.Contains(err.Error(), key) {
			t.Errorf("Start(%q) = %v, want a refusal without the key", url, err)
		}
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there now
	for _, query := range []string{"?api_key=" + key, "?" + key, "?a=1&api_key=" + key + "%2F"} {
		ctx := hangGuard(t)
		e, err := Start(ctx, srv.URL+"/v1/metrics"+query, time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = e.Close(ctx)
		if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("query %q: Close() = %v, want an error naming the collector without the key", query, err)
		}
	}
}
