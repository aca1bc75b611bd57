// Package hist records latencies into fixed-memory, mergeable histograms
// at microsecond resolution with at most 1% relative error: HdrHistogram
// (github.com/HdrHistogram/hdrhistogram-go) with two significant figures,
// from 1 µs to 1 hour. A histogram takes the same few kilobytes whatever
// it holds, merges exactly with another (counts add up), and encodes to
// the compressed, base64 HdrHistogram V2 form that other HdrHistogram
// implementations read.
package hist

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

const (
	// lowest and highest bound what a histogram records, in microseconds;
	// a longer latency is recorded as highest.
	lowest  = 1
	highest = int64(time.Hour / time.Microsecond)
	// sigFigs are the significant figures kept: two keep every value
	// within 1/128 of itself (0.78%).
	sigFigs = 2
)

// Histogram is a latency distribution. The zero value is not usable: make
// one with New. A Histogram is not safe for concurrent use.
type Histogram struct {
	h *hdrhistogram.Histogram
}

// New returns an empty Histogram.
func New() *Histogram {
	return &Histogram{h: hdrhistogram.New(lowest, highest, sigFigs)}
}

// Record adds one latency, rounded down to the microsecond; below 1 µs
// counts as 1 µs and above an hour as an hour.
func (h *Histogram) Record(d time.Duration) {
	us := min(max(int64(d/time.Microsecond), lowest), highest)
	_ = h.h.RecordValue(us) // in range by construction
}

// Merge adds every value of o to h.
func (h *Histogram) Merge(o *Histogram) { h.h.Merge(o.h) }

// Reset empties h.
func (h *Histogram) Reset() { h.h.Reset() }

// Count is the number of values recorded.
func (h *Histogram) Count() int64 { return h.h.TotalCount() }

// Quantile returns the value below which the share q (0 to 1) of the
// values fall, within the histogram's precision; 0 when h is empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	return us(h.h.ValueAtQuantile(q * 100))
}

// Min, Max and Mean describe the values recorded; 0 when h is empty.
func (h *Histogram) Min() time.Duration { return us(h.h.Min()) }
func (h *Histogram) Max() time.Duration { return us(h.h.Max()) }
func (h *Histogram) Mean() time.Duration {
	return time.Duration(h.h.Mean() * float64(time.Microsecond))
}

func us(v int64) time.Duration { return time.Duration(v) * time.Microsecond }

// Clone returns a copy of h.
func (h *Histogram) Clone() *Histogram {
	return &Histogram{h: hdrhistogram.Import(h.h.Export())}
}

// Equal reports whether h and o hold the same counts.
func (h *Histogram) Equal(o *Histogram) bool { return h.h.Equals(o.h) }

// MarshalText encodes h in the compressed HdrHistogram V2 form, base64.
func (h *Histogram) MarshalText() ([]byte, error) {
	return h.h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
}

// UnmarshalText decodes what MarshalText wrote. A histogram of another
// range or precision is refused, so that merges stay exact.
func (h *Histogram) UnmarshalText(b []byte) (err error) {
	if len(b) < 12 {
		return errors.New("histogram: encoding too short")
	}
	if err := checkHeader(b); err != nil {
		return err
	}
	defer func() {
		// The library indexes the input without checking its length.
		if r := recover(); r != nil {
			err = fmt.Errorf("histogram: malformed encoding: %v", r)
		}
	}()
	d, err := hdrhistogram.Decode(b)
	if err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	h.h = d
	return nil
}

// maxPayload bounds a decoded histogram's payload: the header and every
// count at its longest (9 bytes of LEB128) fit well within it.
const maxPayload = 64 << 10

// checkHeader reads the header of an encoded histogram before the library
// does, so that a hostile file can neither claim a range that would
// allocate gigabytes nor inflate into one.
func checkHeader(b []byte) error {
	raw, err := base64.StdEncoding.DecodeString(string(b))
	if err != nil || len(raw) < 8 {
		return errors.New("histogram: not a base64 HdrHistogram encoding")
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw[8:]))
	if err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	payload, err := io.ReadAll(io.LimitReader(zr, maxPayload+1))
	if err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	if len(payload) > maxPayload || len(payload) < 40 {
		return fmt.Errorf("histogram: payload of %d bytes is not a histogram of this range", len(payload))
	}
	figs := int32(binary.BigEndian.Uint32(payload[12:]))
	low := int64(binary.BigEndian.Uint64(payload[16:]))
	high := int64(binary.BigEndian.Uint64(payload[24:]))
	if low != lowest || high != highest || figs != sigFigs {
		return fmt.Errorf("histogram: range %d..%d µs at %d figures, want %d..%d at %d", low, high, figs, lowest, highest, sigFigs)
	}
	return nil
}

// CountAtLeast counts the values recorded at or above d, to within the
// histogram's precision around d.
func (h *Histogram) CountAtLeast(d time.Duration) int64 {
	v := int64(d / time.Microsecond)
	var n int64
	for _, b := range h.h.Distribution() {
		if b.From >= v || b.To >= v && h.h.ValuesAreEquivalent(b.From, v) {
			n += b.Count
		}
	}
	return n
}

// Compact is a histogram's counts kept sparsely: for each bucket that
// holds values, in order, the distance from the previous such bucket and
// its count, both as unsigned varints. A second's latencies take a few
// hundred bytes, about 3 a bucket, so a long series of them stays small;
// they merge without decoding into a histogram. Its text form is the
// Histogram's.
type Compact struct {
	buckets []byte
}

// Compact returns h's counts, sparsely.
func (h *Histogram) Compact() Compact {
	var w compactWriter
	for i, n := range h.h.Export().Counts {
		if n != 0 {
			w.put(i, n)
		}
	}
	return w.done()
}

// Histogram returns the histogram c holds.
func (c Compact) Histogram() *Histogram {
	snap := New().h.Export()
	for r := c.reader(); r.next(); {
		snap.Counts[r.index] = r.count
	}
	return &Histogram{h: hdrhistogram.Import(snap)}
}

// Merge returns the counts of c and o together.
func (c Compact) Merge(o Compact) Compact {
	var w compactWriter
	a, b := c.reader(), o.reader()
	more, oMore := a.next(), b.next()
	for more || oMore {
		switch {
		case !oMore || more && a.index < b.index:
			w.put(a.index, a.count)
			more = a.next()
		case !more || b.index < a.index:
			w.put(b.index, b.count)
			oMore = b.next()
		default:
			w.put(a.index, a.count+b.count)
			more, oMore = a.next(), b.next()
		}
	}
	return w.done()
}

// compactWriter builds a Compact bucket by bucket, in order.
type compactWriter struct {
	buf  []byte
	last int
}

func (w *compactWriter) put(index int, count int64) {
	w.buf = binary.AppendUvarint(w.buf, uint64(index-w.last))
	w.buf = binary.AppendUvarint(w.buf, uint64(count))
	w.last = index
}

// done returns the Compact written, in a slice of its own length.
func (w *compactWriter) done() Compact {
	b := make([]byte, len(w.buf))
	copy(b, w.buf)
	return Compact{buckets: b}
}

// compactReader reads a Compact's buckets in order.
type compactReader struct {
	buf   []byte
	index int
	count int64
}

func (c Compact) reader() compactReader { return compactReader{buf: c.buckets} }

// next reads the next bucket into index and count; false at the end.
// Compacts are only made by compactWriter, so they are well formed.
func (r *compactReader) next() bool {
	if len(r.buf) == 0 {
		return false
	}
	delta, n := binary.Uvarint(r.buf)
	count, m := binary.Uvarint(r.buf[n:])
	r.buf = r.buf[n+m:]
	r.index += int(delta)
	r.count = int64(count)
	return true
}

// MarshalText encodes c as its Histogram does.
func (c Compact) MarshalText() ([]byte, error) { return c.Histogram().MarshalText() }

// UnmarshalText decodes what MarshalText wrote.
func (c *Compact) UnmarshalText(b []byte) error {
	var h Histogram
	if err := h.UnmarshalText(b); err != nil {
		return err
	}
	*c = h.Compact()
	return nil
}
