package otlp

import (
	"encoding/binary"
	"math"
	"time"

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

// defaultResource describes the process that sends the metrics, before
// the environment adds to it (see resourceOf).
func defaultResource() []attribute {
	return []attribute{
		{"service.name", "callsheet"},
		{"telemetry.sdk.language", "go"},
		{"telemetry.sdk.name", "github.com/callsheet/callsheet/load/stream/otlp"},
	}
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

// The wire types of protobuf fields: the low three bits of a field's tag,
// whose other bits are its number.
const (
	varintType  = 0
	fixed64Type = 1
	bytesType   = 2 // length-delimited: strings and embedded messages
	fixed32Type = 5
)

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

// encodeRequest is the ExportMetricsServiceRequest of ms, sent by
// resource, measured at now, the Sums counted from start.
func encodeRequest(resource []attribute, ms []instrument, start, now time.Time) []byte {
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
	data = appendVarint(data, sumTemporality, cumulative)
	data = appendVarint(data, sumMonotonic, 1) // true
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

// appendTag appends the tag of field num, of wire type typ.
func appendTag(b []byte, num, typ uint64) []byte {
	return binary.AppendUvarint(b, num<<3|typ)
}

// appendVarint appends v as the varint field num (an int, enum or bool).
func appendVarint(b []byte, num, v uint64) []byte {
	return binary.AppendUvarint(appendTag(b, num, varintType), v)
}

// appendMessage appends the embedded message m as field num.
func appendMessage(b []byte, num uint64, m []byte) []byte {
	b = binary.AppendUvarint(appendTag(b, num, bytesType), uint64(len(m)))
	return append(b, m...)
}

// appendString appends s as field num.
func appendString(b []byte, num uint64, s string) []byte {
	b = binary.AppendUvarint(appendTag(b, num, bytesType), uint64(len(s)))
	return append(b, s...)
}

// appendFixed64 appends v as the fixed64 (or sfixed64, or double) field
// num.
func appendFixed64(b []byte, num, v uint64) []byte {
	return binary.LittleEndian.AppendUint64(appendTag(b, num, fixed64Type), v)
}

// statusMessage is ": " and the message of the google.rpc.Status in b, ""
// when it has none.
func statusMessage(b []byte) string {
	var msg []byte
	valid := walk(b, func(num, typ uint64, value []byte, _ uint64) {
		if num == rpcStatusMessage && typ == bytesType {
			msg = value
		}
	})
	if !valid || len(msg) == 0 {
		return ""
	}
	return ": " + string(msg)
}

// rejected reads the partial success of the ExportMetricsServiceResponse
// in b: how many data points the collector rejected, and its message.
func rejected(b []byte) (n int64, msg string) {
	var partial []byte
	valid := walk(b, func(num, typ uint64, value []byte, _ uint64) {
		if num == responsePartial && typ == bytesType {
			// Occurrences of an embedded message merge: they read as one.
			partial = append(partial, value...)
		}
	})
	valid = valid && walk(partial, func(num, typ uint64, value []byte, v uint64) {
		switch {
		case num == partialRejected && typ == varintType:
			n = int64(v)
		case num == partialMessage && typ == bytesType:
			msg = string(value)
		}
	})
	if !valid {
		return 0, ""
	}
	return n, msg
}

// maxField is the largest field number of protobuf.
const maxField = 1<<29 - 1

// walk calls f with every field of the message b, in order: its number,
// wire type, and value (bytes when length-delimited, a number when a
// varint). It reports whether b is a well-formed message; f may have
// seen some of the fields of one that is not.
func walk(b []byte, f func(num, typ uint64, value []byte, v uint64)) bool {
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 || tag>>3 == 0 || tag>>3 > maxField {
			return false
		}
		b = b[n:]
		value, size := fieldValue(b, tag>>3, tag&7)
		if size < 0 {
			return false
		}
		var v uint64
		if tag&7 == varintType {
			v, _ = binary.Uvarint(b)
		}
		f(tag>>3, tag&7, value, v)
		b = b[size:]
	}
	return true
}

// The wire types of groups, a form of embedded message OTLP does not use
// but a message may hold.
const (
	startGroupType = 3
	endGroupType   = 4
)

// fieldValue reads the value of field num, of wire type typ, at the start
// of b: its bytes when length-delimited, and its size in b, -1 when b does
// not hold one.
func fieldValue(b []byte, num, typ uint64) ([]byte, int) {
	switch typ {
	case varintType:
		if _, n := binary.Uvarint(b); n > 0 {
			return nil, n
		}
	case fixed64Type:
		if len(b) >= 8 {
			return nil, 8
		}
	case fixed32Type:
		if len(b) >= 4 {
			return nil, 4
		}
	case bytesType:
		l, n := binary.Uvarint(b)
		if n > 0 && l <= uint64(len(b)-n) {
			return b[n : n+int(l)], n + int(l)
		}
	case startGroupType:
		return nil, groupSize(b, num)
	}
	return nil, -1
}

// groupSize is the size of the fields of group num at the start of b and
// of the tag that ends it, -1 when b does not hold them. Within a group,
// field numbers up to 2^31-1 pass, as protobuf's reader lets them.
func groupSize(b []byte, num uint64) int {
	for size := 0; ; {
		tag, n := binary.Uvarint(b[size:])
		if n <= 0 || tag>>3 == 0 || tag>>3 > math.MaxInt32 {
			return -1
		}
		size += n
		if tag&7 == endGroupType {
			if tag>>3 != num {
				return -1
			}
			return size
		}
		_, m := fieldValue(b[size:], tag>>3, tag&7)
		if m < 0 {
			return -1
		}
		size += m
	}
}
