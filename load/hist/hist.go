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

// Compact is a histogram's counts kept sparsely, bucket by bucket: a few
// kilobytes for a second's latencies, and merged without decoding, so a
// long series of them stays small and cheap to compact. Its text form is
// the Histogram's.
type Compact struct {
	index []int32
	count []int64
}

// Compact returns h's counts, sparsely.
func (h *Histogram) Compact() Compact {
	var c Compact
	for i, n := range h.h.Export().Counts {
		if n != 0 {
			c.index = append(c.index, int32(i))
			c.count = append(c.count, n)
		}
	}
	return c
}

// Histogram returns the histogram c holds.
func (c Compact) Histogram() *Histogram {
	empty := New()
	snap := empty.h.Export()
	for i, idx := range c.index {
		snap.Counts[idx] = c.count[i]
	}
	return &Histogram{h: hdrhistogram.Import(snap)}
}

// Merge returns the counts of c and o together.
func (c Compact) Merge(o Compact) Compact {
	var out Compact
	i, j := 0, 0
	for i < len(c.index) || j < len(o.index) {
		switch {
		case j == len(o.index) || i < len(c.index) && c.index[i] < o.index[j]:
			out.index, out.count = append(out.index, c.index[i]), append(out.count, c.count[i])
			i++
		case i == len(c.index) || o.index[j] < c.index[i]:
			out.index, out.count = append(out.index, o.index[j]), append(out.count, o.count[j])
			j++
		default:
			out.index, out.count = append(out.index, c.index[i]), append(out.count, c.count[i]+o.count[j])
			i, j = i+1, j+1
		}
	}
	return out
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
