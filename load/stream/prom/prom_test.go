package prom

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/callsheet/callsheet/load"
)

// get requests path of the exporter with method, with a hang guard.
func get(t *testing.T, e *Exporter, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+e.Addr()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 30 * time.Second} // a hang guard
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// scrape serves p and returns the body of a scrape of /metrics, after
// checking its status and content type.
func scrape(t *testing.T, p load.Progress) []byte {
	t.Helper()
	e, err := Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.Observe(p)
	resp, b := get(t, e, http.MethodGet, "/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s\n%s", resp.Status, b)
	}
	if got, want := resp.Header.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	return b
}

// sample is one parsed sample: its family's type, its labels and value.
type sample struct {
	kind   dto.MetricType
	labels string
	value  float64
}

// parse reads body with the Prometheus text parser into samples named
// name{labels}, with each family's HELP text.
func parse(t *testing.T, body []byte) (map[string]sample, map[string]string) {
	t.Helper()
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the Prometheus parser refuses the scrape: %v\n%s", err, body)
	}
	samples, help := map[string]sample{}, map[string]string{}
	for name, f := range families {
		help[name] = f.GetHelp()
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			key := name + "{" + strings.Join(labels, ",") + "}"
			samples[key] = sample{kind: f.GetType(), labels: strings.Join(labels, ","), value: v}
		}
	}
	return samples, help
}

// same says whether a and b are the same float, NaN equal to NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

var (
	counter = dto.MetricType_COUNTER
	gauge   = dto.MetricType_GAUGE
)

// scrapes are the figures TestScrape serves, the samples the Prometheus
// parser must read and lines the scrape must hold.
var scrapes = []struct {
	name string
	p    load.Progress
	want map[string]sample
	text []string
}{
	{
		"a running test",
		load.Progress{Elapsed: 3 * time.Second, Requests: 420, HTTPErrors: 7, Iterations: 140, Dropped: 2,
			Point: &load.Point{Width: 1, Requests: 150, VUs: 12, P50: 1.5, P95: 12, P99: 40}},
		map[string]sample{
			"callsheet_load_requests_total{}":               {counter, "", 420},
			"callsheet_load_http_errors_total{}":            {counter, "", 7},
			"callsheet_load_iterations_total{}":             {counter, "", 140},
			"callsheet_load_dropped_iterations_total{}":     {counter, "", 2},
			"callsheet_load_vus{}":                          {gauge, "", 12},
			"callsheet_load_request_rate{}":                 {gauge, "", 150},
			"callsheet_load_latency_seconds{quantile=0.5}":  {gauge, "quantile=0.5", 0.0015},
			"callsheet_load_latency_seconds{quantile=0.95}": {gauge, "quantile=0.95", 0.012},
			"callsheet_load_latency_seconds{quantile=0.99}": {gauge, "quantile=0.99", 0.04},
		},
		[]string{
			"callsheet_load_requests_total 420", "callsheet_load_http_errors_total 7", "callsheet_load_iterations_total 140",
			"callsheet_load_dropped_iterations_total 2", "callsheet_load_vus 12", "callsheet_load_request_rate 150",
			`callsheet_load_latency_seconds{quantile="0.5"} 0.0015`, `callsheet_load_latency_seconds{quantile="0.99"} 0.04`,
			"# TYPE callsheet_load_requests_total counter", "# TYPE callsheet_load_latency_seconds gauge",
			"# HELP callsheet_load_requests_total Requests sent.",
		},
	},
	{
		"before the first interval",
		load.Progress{},
		map[string]sample{
			"callsheet_load_requests_total{}":               {counter, "", 0},
			"callsheet_load_request_rate{}":                 {gauge, "", 0},
			"callsheet_load_latency_seconds{quantile=0.95}": {gauge, "quantile=0.95", 0},
		},
		[]string{"callsheet_load_request_rate 0", "callsheet_load_vus 0"},
	},
	{
		"large and unusual figures",
		load.Progress{Requests: 1 << 40, Point: &load.Point{Width: 0.5, Requests: 3, P50: math.NaN(), P95: math.Inf(1), P99: math.Inf(-1)}},
		map[string]sample{
			"callsheet_load_requests_total{}":               {counter, "", 1 << 40},
			"callsheet_load_request_rate{}":                 {gauge, "", 6},
			"callsheet_load_latency_seconds{quantile=0.5}":  {gauge, "quantile=0.5", math.NaN()},
			"callsheet_load_latency_seconds{quantile=0.95}": {gauge, "quantile=0.95", math.Inf(1)},
			"callsheet_load_latency_seconds{quantile=0.99}": {gauge, "quantile=0.99", math.Inf(-1)},
		},
		[]string{`callsheet_load_latency_seconds{quantile="0.5"} NaN`, `callsheet_load_latency_seconds{quantile="0.95"} +Inf`,
			`callsheet_load_latency_seconds{quantile="0.99"} -Inf`, "callsheet_load_requests_total 1.099511627776e+12"},
	},
}

func TestScrape(t *testing.T) {
	for _, tt := range scrapes {
		t.Run(tt.name, func(t *testing.T) {
			body := scrape(t, tt.p)
			samples, help := parse(t, body)
			if len(samples) != 9 || len(help) != 7 {
				t.Errorf("the scrape has %d samples in %d families, want 9 in 7:\n%s", len(samples), len(help), body)
			}
			for key, want := range tt.want {
				if got, ok := samples[key]; !ok || got.kind != want.kind || got.labels != want.labels || !same(got.value, want.value) {
					t.Errorf("%s = %+v (served: %v), want %+v", key, got, ok, want)
				}
			}
			for _, want := range tt.text {
				if !strings.Contains(string(body), want+"\n") {
					t.Errorf("scrape lacks %q:\n%s", want, body)
				}
			}
			if strings.Contains(string(body), "go_goroutines") {
				t.Error("the scrape holds the Go runtime's metrics; the exporter serves only the test's")
			}
		})
	}
}

func TestHelpOfEveryFamily(t *testing.T) {
	_, help := parse(t, scrape(t, load.Progress{}))
	for _, m := range metrics {
		if help[m.name] != m.help {
			t.Errorf("HELP of %s = %q, want %q", m.name, help[m.name], m.help)
		}
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		name, help, value string
	}{
		{"plain", "Requests sent.", "0.5"},
		{"backslashes", `C:\load\ and \n`, `a\b\\c`},
		{"line feeds", "two\nlines\n", "one\ntwo"},
		{"double quotes", `say "hi"`, `"quoted" \"`},
		{"unicode", "Latenz — 99 %", "ü\u2028"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := []metric{{"m", tt.help, "gauge", []label{{"l", tt.value}, {"k", "v"}}, func(load.Progress) float64 { return 1 }}}
			var b bytes.Buffer
			expose(&b, ms, load.Progress{Point: &load.Point{}})
			samples, help := parse(t, b.Bytes())
			if help["m"] != tt.help {
				t.Errorf("HELP = %q, want %q\n%s", help["m"], tt.help, b.String())
			}
			if len(samples) != 1 || samples["m{l="+tt.value+",k=v}"].value != 1 {
				t.Errorf("samples = %+v, want m{l=%q,k=v} 1\n%s", samples, tt.value, b.String())
			}
		})
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {420, "420"}, {0.0015, "0.0015"}, {1e21, "1e+21"}, {1.5e-7, "1.5e-07"},
		{math.MaxFloat64, "1.7976931348623157e+308"}, {math.NaN(), "NaN"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.v); got != tt.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tt.v, got, tt.want)
		}
		var parser expfmt.TextParser
		f, err := parser.TextToMetricFamilies(strings.NewReader("m " + formatFloat(tt.v) + "\n"))
		if err != nil || !same(f["m"].GetMetric()[0].GetUntyped().GetValue(), tt.v) {
			t.Errorf("the Prometheus parser reads %q as %v, %v; want %v", formatFloat(tt.v), f, err, tt.v)
		}
	}
}

func TestOnlyGetMetrics(t *testing.T) {
	e, err := Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/metrics", http.StatusOK},
		{http.MethodHead, "/metrics", http.StatusOK},
		{http.MethodPost, "/metrics", http.StatusMethodNotAllowed},
		{http.MethodGet, "/", http.StatusNotFound},
	}
	for _, tt := range tests {
		if resp, _ := get(t, e, tt.method, tt.path); resp.StatusCode != tt.want {
			t.Errorf("%s %s: %s, want %d", tt.method, tt.path, resp.Status, tt.want)
		}
	}
}
