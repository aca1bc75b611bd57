package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.golden")
	tests := []struct {
		name     string
		got      string
		update   bool
		wantFail bool
		wantFile string
	}{
		{"a missing file fails", "a\n", false, true, ""},
		{"update writes the file", "a\n", true, false, "a\n"},
		{"the same text passes", "a\n", false, false, "a\n"},
		{"other text fails and keeps the file", "b\n", false, true, "a\n"},
	}
	for _, tt := range tests {
		r := &recorder{TB: t}
		Check(r, path, []byte(tt.got), tt.update)
		if (r.failed != "") != tt.wantFail {
			t.Errorf("%s: failure %q, want failed %v", tt.name, r.failed, tt.wantFail)
		}
		if b, _ := os.ReadFile(path); string(b) != tt.wantFile {
			t.Errorf("%s: file holds %q, want %q", tt.name, b, tt.wantFile)
		}
	}
}
