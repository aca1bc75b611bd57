package mask

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// stepError is an error type that keeps a text and wraps a cause, as the
// runner's do.
type stepError struct {
	URL string
	Err error
}

func (e *stepError) Error() string { return "step " + e.URL + ": " + e.Err.Error() }
func (e *stepError) Unwrap() error { return e.Err }
func (e *stepError) MaskedCopy(m *Masker) error {
	return &stepError{URL: m.String(e.URL), Err: m.Err(e.Err)}
}

// plainError keeps a text and has no masked copy.
type plainError struct{ text string }

func (e *plainError) Error() string { return e.text }

// numberError keeps no text.
type numberError struct{ n int }

func (e numberError) Error() string { return fmt.Sprintf("limit %d", e.n) }

func TestErr(t *testing.T) {
	const secret = "s3cr3t-token"
	m := New()
	m.Add(secret)
	cause := &url.Error{Op: "Get", URL: "https://h/?t=" + secret, Err: fmt.Errorf("dial %s: %w", secret, context.DeadlineExceeded)}
	err := m.Err(&stepError{URL: "https://h/?t=" + secret, Err: fmt.Errorf("wrapped: %w", cause)})
	if strings.Contains(err.Error(), secret) {
		t.Errorf("Error() = %q shows the secret", err)
	}
	if u := errors.Unwrap(err); u != nil {
		t.Errorf("Unwrap() = %v, want nil: the chain reads unmasked", u)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("errors.Is(DeadlineExceeded) = false through the masked error")
	}
	var se *stepError
	if !errors.As(err, &se) || strings.Contains(se.URL, secret) || strings.Contains(se.Error(), secret) {
		t.Errorf("errors.As(*stepError) = %v, %+v; want a masked copy", se != nil, se)
	}
	if se != nil && !errors.Is(se, context.DeadlineExceeded) {
		t.Error("the copy of *stepError lost the chain for errors.Is")
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, secret) || strings.Contains(ue.Error(), secret) || ue.Op != "Get" {
		t.Errorf("errors.As(*url.Error) = %+v; want a masked copy", ue)
	}
	// Found again through the copy's masked cause.
	var ue2 *url.Error
	if se != nil && (!errors.As(se, &ue2) || strings.Contains(ue2.Error(), secret)) {
		t.Errorf("errors.As(copy, *url.Error) = %+v; want a masked copy", ue2)
	}
}

func TestErrRefusesUnmaskable(t *testing.T) {
	const secret = "s3cr3t-token"
	m := New()
	m.Add(secret)
	err := m.Err(fmt.Errorf("at %w: %w", &plainError{"user " + secret}, numberError{5}))
	var pe *plainError
	if errors.As(err, &pe) || pe != nil {
		t.Errorf("errors.As(*plainError) = %+v; want nothing: its text shows the secret", pe)
	}
	var ne numberError
	if !errors.As(err, &ne) || ne.n != 5 {
		t.Errorf("errors.As(numberError) = %v, want the error, whose text shows no secret", ne)
	}
	var iface interface{ Error() string }
	if !errors.As(err, &iface) || strings.Contains(iface.Error(), secret) {
		t.Errorf("errors.As(interface) = %v; want an error that shows no secret", iface)
	}
}

func TestErrMasksLaterSecrets(t *testing.T) {
	m := New()
	err := m.Err(errors.New("token later-secret"))
	m.Add("later-secret")
	if got := err.Error(); got != "token ***" {
		t.Errorf("Error() = %q, want the secret added after masking hidden", got)
	}
	if m.Err(err) != err || m.Err(nil) != nil {
		t.Error("Err(masked) wraps again, or Err(nil) is not nil")
	}
}
