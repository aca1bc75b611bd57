package mask

import (
	"errors"
	"fmt"
	"net/url"
	"testing"
)

// TestErrAsNotInChain finds nothing, and leaves the target alone, when no
// error of the chain has the type asked for.
func TestErrAsNotInChain(t *testing.T) {
	m := New()
	m.Add("s3cr3t-token")
	err := m.Err(fmt.Errorf("get: %w", numberError{3}))
	var ue *url.Error
	if errors.As(err, &ue) || ue != nil {
		t.Errorf("errors.As(*url.Error) = true, %v; want false and nil", ue)
	}
	var pe *plainError
	if errors.As(err, &pe) || pe != nil {
		t.Errorf("errors.As(*plainError) = true, %v; want false and nil", pe)
	}
}
