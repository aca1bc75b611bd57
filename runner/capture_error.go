package runner

import (
	"fmt"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/mask"
)

// CaptureError is the error of a capture that found nothing and has no
// default: it names the capture and carries its position, so that the
// failure points at the capture rather than at the request.
type CaptureError struct {
	// Name is the capture's name and Pos its position in the collection.
	Name string
	Pos  collections.Pos
	Err  error
}

// Error formats the error as `capture "name": cause`.
func (e *CaptureError) Error() string { return fmt.Sprintf("capture %q: %v", e.Name, e.Err) }

// Unwrap returns the cause.
func (e *CaptureError) Unwrap() error { return e.Err }

// MaskedCopy returns a copy of e whose cause is masked by m.
func (e *CaptureError) MaskedCopy(m *mask.Masker) error {
	c := *e
	c.Err = m.Err(e.Err)
	return &c
}
