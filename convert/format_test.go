package convert

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name, input, golden string
	}{
		{"reorders keys, normalises quotes, keeps comments", "messy.yaml", "messy.golden"},
		{"bundled collection", "../../collections/procore/first-call.yaml", "first-call.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := read(t, tt.input)
			out, err := Format(src)
			if err != nil {
				t.Fatalf("Format(%s) error = %v", tt.input, err)
			}
			checkGolden(t, tt.golden, out)
			again, err := Format(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("Format(Format(%s)) changed the output again (err %v):\n%s", tt.input, err, again)
			}
			for _, line := range strings.Split(string(src), "\n") {
				if i := strings.Index(line, "# "); i >= 0 && !strings.Contains(line[:i], `"`) && !strings.Contains(line[:i], `'`) {
					if !strings.Contains(string(out), strings.TrimSpace(line[i:])) {
						t.Errorf("comment %q was lost", line[i:])
					}
				}
			}
			before, err1 := collections.Parse(tt.input, src, collections.Options{})
			after, err2 := collections.Parse(tt.input, out, collections.Options{})
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("Parse before = %v, after = %v", err1, err2)
			}
			if err1 == nil && (len(before.Steps) != len(after.Steps) || before.Name != after.Name) {
				t.Errorf("formatting changed the collection")
			}
		})
	}
	_ = filepath.Join
}
