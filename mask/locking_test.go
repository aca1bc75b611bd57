package mask

import (
	"errors"
	"io/fs"
	"testing"
)

// TestMethodsReleaseTheLock calls every method of a Masker and checks that
// each leaves it unlocked, so that the next Add does not wait forever.
func TestMethodsReleaseTheLock(t *testing.T) {
	m := New()
	calls := []struct {
		name string
		call func()
	}{
		{"Add", func() { m.Add("s3cret") }},
		{"Add again", func() { m.Add("s3cret") }},
		{"Name", func() { m.Name("s3cret", "{{secret:s}}") }},
		{"Count", func() { m.Count() }},
		{"IsSecret", func() { m.IsSecret("s3cret") }},
		{"Contains", func() { m.Contains("a s3cret") }},
		{"ContainsBytes", func() { m.ContainsBytes([]byte("a s3cret")) }},
		{"String", func() { m.String("a s3cret") }},
		{"Placeholders", func() { m.Placeholders("a s3cret") }},
		{"Bytes", func() { m.Bytes([]byte("a s3cret")) }},
		{"Prefix", func() { m.Prefix([]byte("a s3cret b"), 4) }},
		{"Prefix without secret", func() { m.Prefix([]byte("plain text"), 4) }},
		{"Header", func() { m.Header("X-Key", "s3cret") }},
		{"AddCredential", func() { m.AddCredential("Authorization", "Bearer t0ken") }},
		{"Err", func() { _ = m.Err(errors.New("s3cret")).Error() }},
		{"Err As", func() { var e *fs.PathError; errors.As(m.Err(errors.New("x")), &e) }},
	}
	for _, c := range calls {
		c.call()
		if !m.mu.TryLock() {
			t.Fatalf("%s left the masker locked", c.name)
		}
		m.mu.Unlock()
	}
}
