package load

import (
	"math"
	"time"

	"github.com/callsheet/callsheet/load/hist"
)

// maxPoints bounds a series: past it, neighbouring points are merged
// two by two and the interval doubles, so memory stays flat however long
// the test runs.
const maxPoints = 2048

// Point is one interval of a load test's time series.
type Point struct {
	// T is the end of the interval, in seconds since the start; Width is
	// its length in seconds.
	T     float64 `json:"t"`
	Width float64 `json:"width"`
	// Requests, Errors (no response) and HTTPErrors (no response or
	// status 400 or above) count the requests that ended in the
	// interval; Iterations the iterations that ended, Dropped those that
	// could not start.
	Requests   int64 `json:"requests"`
	Errors     int64 `json:"errors"`
	HTTPErrors int64 `json:"http_errors"`
	Iterations int64 `json:"iterations"`
	Dropped    int64 `json:"dropped"`
	// VUs are the users at the end of the interval.
	VUs int `json:"vus"`
	// P50, P95 and P99 are percentiles, in milliseconds, of the latency
	// of the requests that ended in the interval (the corrected latency
	// in an arrival-rate run); Latency is their histogram, kept sparsely
	// in memory and written as a histogram's text.
	P50     float64      `json:"p50_ms"`
	P95     float64      `json:"p95_ms"`
	P99     float64      `json:"p99_ms"`
	Latency hist.Compact `json:"latency"`
}

// Rate is the requests a second of the interval.
func (p *Point) Rate() float64 { return float64(p.Requests) / p.Width }

// setLatency sets Latency and the percentiles from h.
func (p *Point) setLatency(h *hist.Histogram) {
	p.P50, p.P95, p.P99 = ms(h.Quantile(0.50)), ms(h.Quantile(0.95)), ms(h.Quantile(0.99))
	p.Latency = h.Compact()
}

// ms is d in milliseconds, at microsecond precision.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// add adds o, an interval of the same time, to p: the counts and users
// add up (segments run at once).
func (p *Point) add(o *Point) {
	p.Requests += o.Requests
	p.Errors += o.Errors
	p.HTTPErrors += o.HTTPErrors
	p.Iterations += o.Iterations
	p.Dropped += o.Dropped
	p.VUs += o.VUs
	p.setLatency(p.Latency.Merge(o.Latency).Histogram())
}

// follow joins o, the interval after p, into p: counts add up, the users
// are those at o's end.
func (p *Point) follow(o *Point) {
	vus := o.VUs
	p.add(o)
	p.VUs = vus
	p.T, p.Width = o.T, p.Width+o.Width
}

// compact merges neighbouring points two by two while there are more
// than maxPoints.
func compact(points []*Point) []*Point {
	for len(points) > maxPoints {
		out := points[:0]
		for i := 0; i < len(points); i += 2 {
			p := points[i]
			if i+1 < len(points) {
				p.follow(points[i+1])
			}
			out = append(out, p)
		}
		clear(points[len(out):])
		points = out
	}
	return points
}

// mergeSeries joins the series of segments that ran at once: points are
// matched by their end, rounded to the coarsest width among them (or
// coarser, so that the merge has at most maxPoints points).
func mergeSeries(series ...[]*Point) []*Point {
	width, end := 0.0, 0.0
	for _, s := range series {
		for _, p := range s {
			width, end = max(width, p.Width), max(end, p.T)
		}
	}
	if width == 0 {
		return nil
	}
	width = max(width, end/maxPoints)
	byIndex := map[int]*Point{}
	last := 0
	for _, s := range series {
		for _, p := range s {
			i := max(int(math.Ceil(p.T/width-1e-9)), 1)
			q := byIndex[i]
			if q == nil {
				q = &Point{T: float64(i) * width, Width: width}
				byIndex[i] = q
			}
			q.add(p)
			last = max(last, i)
		}
	}
	out := make([]*Point, 0, last)
	for i := 1; i <= last; i++ {
		p := byIndex[i]
		if p == nil {
			p = &Point{T: float64(i) * width, Width: width} // nothing ended then
		}
		out = append(out, p)
	}
	return compact(out)
}
