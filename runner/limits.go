package runner

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/callsheet/callsheet/mask"
)

// Limits applied to every run unless Options say otherwise.
const (
	// DefaultMaxBody is the largest response body a step reads, counted
	// after decompression: 50 MiB.
	DefaultMaxBody = 50 << 20
	// DefaultMaxRedirects is how many redirects a request follows.
	DefaultMaxRedirects = 10
)

// ErrBodyTooLarge is matched (with errors.Is) by the *BodyLimitError of a
// step whose response body exceeds the limit.
var ErrBodyTooLarge = errors.New("body exceeds limit")

// BodyLimitError is the cause of an Errored step whose response body is
// larger than Options.MaxBody. The body is never read past the limit: a
// Content-Length above it fails before reading, and a compressed body is
// counted as it is decompressed, so a gzip bomb costs at most the limit.
type BodyLimitError struct {
	// Limit is the limit in bytes.
	Limit int64
	// ContentLength is the size the server declared when that alone
	// exceeded the limit, else -1.
	ContentLength int64
}

// Error reads "body exceeds limit of 50 MiB", with the declared
// Content-Length when that is what exceeded it.
func (e *BodyLimitError) Error() string {
	msg := "body exceeds limit of " + formatSize(e.Limit)
	if e.ContentLength >= 0 {
		msg += fmt.Sprintf(" (Content-Length %d)", e.ContentLength)
	}
	return msg
}

// Is reports whether target is ErrBodyTooLarge.
func (e *BodyLimitError) Is(target error) bool { return target == ErrBodyTooLarge }

// formatSize prints n bytes as MiB or KiB when it is a whole number of them.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readResponseBody reads resp's body up to limit bytes after
// decompression. A gzip body the transport left compressed (because the
// request set Accept-Encoding itself) is decompressed here, so checks see
// the content and the limit counts what it expands to.
func readResponseBody(ctx context.Context, resp *http.Response, limit int64) ([]byte, error) {
	if resp.Request != nil && resp.Request.Method == http.MethodHead {
		// A HEAD response declares the length of a body it has not got.
		return []byte{}, nil
	}
	if resp.ContentLength > limit && !resp.Uncompressed {
		return nil, &BodyLimitError{Limit: limit, ContentLength: resp.ContentLength}
	}
	var r io.Reader = resp.Body
	size := resp.ContentLength
	if !resp.Uncompressed && strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("read gzip body: %w", err)
		}
		defer zr.Close()
		r, size = zr, -1
	}
	return readBody(ctx, r, limit, size)
}

// Pieces of a body of unknown size start at firstPiece bytes (most bodies
// are small) and double up to maxPiece.
const (
	firstPiece = 512
	maxPiece   = 1 << 20
)

// readBody reads r up to limit bytes. size is the expected size (the
// Content-Length) or -1. A body of known size within the limit is read
// into one buffer of that size and a byte, which sees the end. Any other
// body is read into
// pieces, each allocated when the one before is full and never past
// limit+1 bytes in all, and joined once the body has ended within the
// limit: a body over the limit allocates limit+1 bytes, never more, and
// is never copied. When the read fails because ctx is done, the error
// says so (errors.Is(err, context.DeadlineExceeded)).
func readBody(ctx context.Context, r io.Reader, limit, size int64) ([]byte, error) {
	var first [1][]byte // most bodies are one piece
	pieces := first[:0]
	var total int64
	next := int64(firstPiece)
	if size >= 0 && size <= limit {
		next = size + 1
	}
	for {
		p := make([]byte, min(next, limit+1-total))
		n, err := fill(r, p)
		if n > 0 {
			pieces = append(pieces, p[:n])
			total += int64(n)
		}
		if total > limit {
			return nil, &BodyLimitError{Limit: limit, ContentLength: -1}
		}
		if err == io.EOF {
			return join(pieces, total), nil
		}
		if err != nil {
			if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
				return nil, fmt.Errorf("read body: %w (%v)", cause, err)
			}
			return nil, fmt.Errorf("read body: %w", err)
		}
		next = min(max(2*int64(len(p)), firstPiece), maxPiece)
	}
}

// fill reads from r until p is full or r fails; it returns the bytes read
// and r's error (io.EOF at the end of r).
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// join returns the pieces as one slice of total bytes: the piece itself
// when there is one.
func join(pieces [][]byte, total int64) []byte {
	switch len(pieces) {
	case 0:
		return []byte{}
	case 1:
		return pieces[0]
	}
	out := make([]byte, 0, total)
	for _, p := range pieces {
		out = append(out, p...)
	}
	return out
}

// RedirectError is the cause of a step whose redirects were refused: too
// many, a loop, or a Location that is not http or https.
type RedirectError struct {
	// Reason says why, such as "redirect loop" or "stopped after 10
	// redirects".
	Reason string
	// Chain holds the URLs visited, the refused one last.
	Chain []string
}

// Error reads "redirect loop: A -> A -> A" and the like.
func (e *RedirectError) Error() string {
	return e.Reason + ": " + strings.Join(e.Chain, " -> ")
}

// MaskedCopy returns a copy of e whose URLs are masked by m.
func (e *RedirectError) MaskedCopy(m *mask.Masker) error {
	c := &RedirectError{Reason: m.String(e.Reason), Chain: make([]string, len(e.Chain))}
	for i, u := range e.Chain {
		c.Chain[i] = m.String(u)
	}
	return c
}

// checkRedirect returns a CheckRedirect policy that refuses a Location
// whose scheme is not http or https, names a loop when a URL comes a third
// time, and follows at most max redirects. A URL may come twice (A -> B ->
// A: a login sets a cookie and sends the client back), but A -> A -> A, or
// a cycle gone round twice, is a loop whatever the limit.
func checkRedirect(max int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		chain := make([]string, 0, len(via)+1) // mutate:ignore "+ -> -" "1 -> 0" the capacity only: the chain is the same
		for _, v := range via {
			chain = append(chain, v.URL.Redacted())
		}
		next := req.URL.Redacted()
		chain = append(chain, next)
		if s := req.URL.Scheme; s != "http" && s != "https" {
			return &RedirectError{Reason: fmt.Sprintf("redirect to a %q URL refused (only http and https)", s), Chain: chain}
		}
		visits := 0
		for _, u := range chain {
			if u == next {
				visits++
			}
		}
		if visits >= 3 {
			return &RedirectError{Reason: "redirect loop", Chain: chain}
		}
		if len(via) > max {
			return &RedirectError{Reason: fmt.Sprintf("stopped after %d redirects", max), Chain: chain}
		}
		return nil
	}
}

// maxRedirects is the redirect limit of l.
func maxRedirects(l Limits) int {
	switch {
	case l.MaxRedirects > 0:
		return l.MaxRedirects
	case l.MaxRedirects < 0:
		return 0
	}
	return DefaultMaxRedirects
}

// MaxTimeError is the cause of the steps cut short by Options.MaxTime. It
// is context.DeadlineExceeded for errors.Is.
type MaxTimeError struct{ D time.Duration }

// Error reads "run exceeded its max time of 2s".
func (e *MaxTimeError) Error() string { return fmt.Sprintf("run exceeded its max time of %v", e.D) }

// Unwrap returns context.DeadlineExceeded.
func (e *MaxTimeError) Unwrap() error { return context.DeadlineExceeded }

// withMaxTime bounds ctx by d when d is positive.
func withMaxTime(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, d, &MaxTimeError{D: d})
}
