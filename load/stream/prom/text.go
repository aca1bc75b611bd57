package prom

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/load"
)

// metric is one sample served: its family's name, help text and type
// ("counter" or "gauge"), its labels, and how it is read from the latest
// progress. Samples of one family follow each other.
type metric struct {
	name, help, kind string
	labels           []label
	value            func(load.Progress) float64
}

// label is one label of a sample.
type label struct{ name, value string }

// latencyHelp is the help text of callsheet_load_latency_seconds.
const latencyHelp = "Latency of the last interval's requests, by quantile (corrected in arrival-rate runs)."

// metrics are the samples served, their families in the order of their
// names.
var metrics = []metric{
	{"callsheet_load_dropped_iterations_total", "Iterations due that could not start.", "counter", nil,
		func(p load.Progress) float64 { return float64(p.Dropped) }},
	{"callsheet_load_http_errors_total", "Requests without a response or with a status of 400 or more.", "counter", nil,
		func(p load.Progress) float64 { return float64(p.HTTPErrors) }},
	{"callsheet_load_iterations_total", "Iterations completed.", "counter", nil,
		func(p load.Progress) float64 { return float64(p.Iterations) }},
	{"callsheet_load_latency_seconds", latencyHelp, "gauge", []label{{"quantile", "0.5"}},
		func(p load.Progress) float64 { return p.Point.P50 / 1000 }},
	{"callsheet_load_latency_seconds", latencyHelp, "gauge", []label{{"quantile", "0.95"}},
		func(p load.Progress) float64 { return p.Point.P95 / 1000 }},
	{"callsheet_load_latency_seconds", latencyHelp, "gauge", []label{{"quantile", "0.99"}},
		func(p load.Progress) float64 { return p.Point.P99 / 1000 }},
	{"callsheet_load_request_rate", "Requests a second over the last interval.", "gauge", nil, requestRate},
	{"callsheet_load_requests_total", "Requests sent.", "counter", nil,
		func(p load.Progress) float64 { return float64(p.Requests) }},
	{"callsheet_load_vus", "Users running an iteration.", "gauge", nil,
		func(p load.Progress) float64 { return float64(p.Point.VUs) }},
}

// requestRate is the request rate of p's interval, 0 before the first.
func requestRate(p load.Progress) float64 {
	if p.Point.Width == 0 {
		return 0
	}
	return p.Point.Rate()
}

// expose writes the samples ms read from p to b in the text exposition
// format, version 0.0.4: a HELP and a TYPE line before the first sample
// of each family.
func expose(b *bytes.Buffer, ms []metric, p load.Progress) {
	for i, m := range ms {
		if i == 0 || ms[i-1].name != m.name {
			b.WriteString("# HELP " + m.name + " " + helpEscaper.Replace(m.help) + "\n")
			b.WriteString("# TYPE " + m.name + " " + m.kind + "\n")
		}
		b.WriteString(m.name)
		for j, l := range m.labels {
			if j == 0 {
				b.WriteByte('{')
			} else {
				b.WriteByte(',')
			}
			b.WriteString(l.name + `="` + labelEscaper.Replace(l.value) + `"`)
		}
		if len(m.labels) > 0 {
			b.WriteByte('}')
		}
		b.WriteString(" " + formatFloat(m.value(p)) + "\n")
	}
}

// helpEscaper and labelEscaper escape HELP text and label values as the
// format asks: a backslash and a line feed in both, a double quote in
// label values.
var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// formatFloat spells v as the format reads it: Go's shortest float
// syntax, and NaN, +Inf and -Inf.
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
