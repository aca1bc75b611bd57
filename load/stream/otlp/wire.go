package otlp

import (
	"math"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/callsheet/callsheet/load"
)

// instrument is one metric of a push: a cumulative monotonic Sum of
// integers, or a Gauge of integers or doubles.
type instrument struct {
	name, description, unit string
	sum                     bool
	points                  []point
}

// point is one data point of an instrument, with its attributes.
type point struct {
	attributes []attribute
	asDouble   bool
	i          int64
	f          float64
}

// attribute is a key with a string value.
type attribute struct{ key, value string }

// scope is the instrumentation scope the metrics are sent under.
const scope = "github.com/callsheet/callsheet/load"

// resource describes the process that sends the metrics.
var resource = []attribute{
	{"service.name", "callsheet"},
	{"telemetry.sdk.language", "go"},
	{"telemetry.sdk.name", "github.com/callsheet/callsheet/load/stream/otlp"},
}

// instruments are the metrics of p.
func instruments(p load.Progress) []instrument {
	counter := func(name, description string, v int64) instrument {
		return instrument{name: "callsheet.load." + name, description: description, sum: true, points: []point{{i: v}}}
	}
	quantile := func(q string, ms float64) point {
		return point{attributes: []attribute{{"quantile", q}}, asDouble: true, f: ms}
	}
	return []instrument{
		counter("requests", "Requests sent.", p.Requests),
		counter("http_errors", "Requests without a response or with a status of 400 or more.", p.HTTPErrors),
		counter("iterations", "Iterations completed.", p.Iterations),
		counter("dropped_iterations", "Iterations due that could not start.", p.Dropped),
		{name: "callsheet.load.vus", description: "Users running an iteration.", points: []point{{i: int64(p.Point.VUs)}}},
		{name: "callsheet.load.latency", unit: "ms",
			description: "Latency of the last interval's requests, by quantile (corrected in arrival-rate runs).",
			points:      []point{quantile("0.5", p.Point.P50), quantile("0.95", p.Point.P95), quantile("0.99", p.Point.P99)}},
	}
}

// The field numbers of the OTLP messages sent (opentelemetry/proto
// collector/metrics/v1, metrics/v1, resource/v1 and common/v1) and of
// google.rpc.Status.
const (
	requestResourceMetrics = 1 // ExportMetricsServiceRequest.resource_metrics

	resourceMetricsResource = 1 // ResourceMetrics.resource
	resourceMetricsScope    = 2 // ResourceMetrics.scope_metrics
	resourceAttributes      = 1 // Resource.attributes
	scopeMetricsScope       = 1 // ScopeMetrics.scope
	scopeMetricsMetrics     = 2 // ScopeMetrics.metrics
	scopeName               = 1 // InstrumentationScope.name

	metricName        = 1 // Metric.name
	metricDescription = 2 // Metric.description
	metricUnit        = 3 // Metric.unit
	metricGauge       = 5 // Metric.gauge
	metricSum         = 7 // Metric.sum

	dataPoints       = 1 // Gauge.data_points, Sum.data_points
	sumTemporality   = 2 // Sum.aggregation_temporality
	sumMonotonic     = 3 // Sum.is_monotonic
	cumulative       = 2 // AGGREGATION_TEMPORALITY_CUMULATIVE
	pointStartTime   = 2 // NumberDataPoint.start_time_unix_nano
	pointTime        = 3 // NumberDataPoint.time_unix_nano
	pointAsDouble    = 4 // NumberDataPoint.as_double
	pointAsInt       = 6 // NumberDataPoint.as_int
	pointAttributes  = 7 // NumberDataPoint.attributes
	keyValueKey      = 1 // KeyValue.key
	keyValueValue    = 2 // KeyValue.value
	anyValueString   = 1 // AnyValue.string_value
	responsePartial  = 1 // ExportMetricsServiceResponse.partial_success
	partialRejected  = 1 // ExportMetricsPartialSuccess.rejected_data_points
	partialMessage   = 2 // ExportMetricsPartialSuccess.error_message
	rpcStatusMessage = 2 // google.rpc.Status.message
)

// encodeRequest is the ExportMetricsServiceRequest of ms, measured at now,
// the Sums counted from start.
func encodeRequest(ms []instrument, start, now time.Time) []byte {
	var res []byte
	for _, a := range resource {
		res = appendMessage(res, resourceAttributes, encodeAttribute(a))
	}
	sm := appendMessage(nil, scopeMetricsScope, appendString(nil, scopeName, scope))
	for _, m := range ms {
		sm = appendMessage(sm, scopeMetricsMetrics, encodeMetric(m, start, now))
	}
	rm := appendMessage(nil, resourceMetricsResource, res)
	rm = appendMessage(rm, resourceMetricsScope, sm)
	return appendMessage(nil, requestResourceMetrics, rm)
}

// encodeMetric is the Metric of m.
func encodeMetric(m instrument, start, now time.Time) []byte {
	b := appendString(nil, metricName, m.name)
	b = appendString(b, metricDescription, m.description)
	if m.unit != "" {
		b = appendString(b, metricUnit, m.unit)
	}
	var data []byte
	for _, p := range m.points {
		data = appendMessage(data, dataPoints, encodePoint(p, start, now, m.sum))
	}
	if !m.sum {
		return appendMessage(b, metricGauge, data)
	}
	data = protowire.AppendTag(data, sumTemporality, protowire.VarintType)
	data = protowire.AppendVarint(data, cumulative)
	data = protowire.AppendTag(data, sumMonotonic, protowire.VarintType)
	data = protowire.AppendVarint(data, protowire.EncodeBool(true))
	return appendMessage(b, metricSum, data)
}

// encodePoint is the NumberDataPoint of p; a Sum's point has a start time,
// a Gauge's none.
func encodePoint(p point, start, now time.Time, sum bool) []byte {
	var b []byte
	if sum {
		b = appendFixed64(b, pointStartTime, uint64(start.UnixNano()))
	}
	b = appendFixed64(b, pointTime, uint64(now.UnixNano()))
	if p.asDouble {
		b = appendFixed64(b, pointAsDouble, math.Float64bits(p.f))
	} else {
		b = appendFixed64(b, pointAsInt, uint64(p.i))
	}
	for _, a := range p.attributes {
		b = appendMessage(b, pointAttributes, encodeAttribute(a))
	}
	return b
}

// encodeAttribute is the KeyValue of a, its value a string AnyValue.
func encodeAttribute(a attribute) []byte {
	b := appendString(nil, keyValueKey, a.key)
	return appendMessage(b, keyValueValue, appendString(nil, anyValueString, a.value))
}

// appendMessage appends the embedded message m as field num.
func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

// appendString appends s as field num.
func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// appendFixed64 appends v as the fixed64 (or sfixed64, or double) field
// num.
func appendFixed64(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(b, v)
}

// statusMessage is ": " and the message of the google.rpc.Status in b, ""
// when it has none.
func statusMessage(b []byte) string {
	if msg, _, ok := field(b, rpcStatusMessage); ok && len(msg) > 0 {
		return ": " + string(msg)
	}
	return ""
}

// rejected reads the partial success of the ExportMetricsServiceResponse
// in b: how many data points the collector rejected, and its message.
func rejected(b []byte) (int64, string) {
	partial, _, ok := field(b, responsePartial)
	if !ok {
		return 0, ""
	}
	_, n, _ := field(partial, partialRejected)
	msg, _, _ := field(partial, partialMessage)
	return int64(n), string(msg)
}

// field finds field num of the message b, its last occurrence as protobuf
// reads it: its bytes when length-delimited, its number when a varint. ok
// is false when b has no such field or is no protobuf message.
func field(b []byte, num protowire.Number) (raw []byte, v uint64, ok bool) {
	for len(b) > 0 {
		n, typ, size := protowire.ConsumeTag(b)
		if size < 0 {
			return nil, 0, false
		}
		b = b[size:]
		switch {
		case n == num && typ == protowire.BytesType:
			raw, size = protowire.ConsumeBytes(b)
			ok = size >= 0
		case n == num && typ == protowire.VarintType:
			v, size = protowire.ConsumeVarint(b)
			ok = size >= 0
		default:
			size = protowire.ConsumeFieldValue(n, typ, b)
		}
		if size < 0 {
			return nil, 0, false
		}
		b = b[size:]
	}
	return raw, v, ok
}
