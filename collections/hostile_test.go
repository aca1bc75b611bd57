package collections

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestHostileYAML checks that documents built to exhaust the loader are
// rejected quickly with a clear error.
func TestHostileYAML(t *testing.T) {
	laughs := func(levels, width int) string {
		var b strings.Builder
		b.WriteString("a0: &a0 [lol]\n")
		for i := 1; i < levels; i++ {
			b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
			for j := range width {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("*a" + itoa(i-1))
			}
			b.WriteString("]\n")
		}
		b.WriteString("steps:\n  - GET: https://example.com\n    json: *a" + itoa(levels-1) + "\n")
		return b.String()
	}
	tests := []struct {
		name, src, want string
	}{
		{"billion laughs", laughs(9, 10), "aliases expand to more than 10000 nodes"},
		{"wide alias fan-out", laughs(3, 200), "aliases expand to more than 10000 nodes"},
		// yaml.v3 stops at 10,000 levels; the loader's own limit is 200.
		{"20,000-deep flow sequence", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "exceeded max depth of 10000"},
		{"20,000-deep flow mapping", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("{a: ", 20000) + "1" + strings.Repeat("}", 20000) + "\n", "exceeded max depth of 10000"},
		{"20,000-deep block sequence", "steps:\n  - GET: https://example.com\n    json:\n      " + strings.Repeat("- ", 20000) + "x\n", "exceeded max depth of 10000"},
		{"5,000-deep flow sequence", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", "document is nested deeper than 200 levels"},
		{"201-deep block sequence", "steps:\n  - GET: https://example.com\n    json:\n      " + strings.Repeat("- ", 201) + "x\n", "document is nested deeper than 200 levels"},
		{"duplicate keys name both lines", "steps:\n  - GET: https://example.com\n    headers:\n      Accept: a\n      X: b\n      Accept: c\n", `duplicate key "Accept" in headers`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("hostile.yaml", []byte(tt.src), Options{})
			elapsed := time.Since(start)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%s) error = %v, want %q", tt.name, err, tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 || !list[0].Pos.IsValid() {
				t.Errorf("Parse(%s) error = %#v, want an ErrorList with positions", tt.name, err)
			}
			if elapsed > 2*time.Second {
				t.Errorf("Parse(%s) took %v, want it rejected quickly", tt.name, elapsed)
			}
		})
	}
	// The duplicate key names both lines: the error sits on the second,
	// its hint names the first.
	_, err := Parse("dup.yaml", []byte(tests[len(tests)-1].src), Options{})
	var list ErrorList
	if !errors.As(err, &list) || list[0].Pos.Line != 6 || !strings.Contains(list[0].Hint, "first set at line 4") {
		t.Errorf("duplicate key error = %#v, want line 6 with hint %q", err, "first set at line 4")
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// TestSizeCap checks that files over MaxFileSize are refused before they
// are read, from the disk and from an fs.FS.
func TestSizeCap(t *testing.T) {
	file := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: large to stat, costless to create.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	start := time.Now()
	_, err = Load(file, Options{})
	if err == nil || !strings.Contains(err.Error(), "file is larger than 10 MiB") {
		t.Errorf("Load(huge) error = %v, want %q", err, "file is larger than 10 MiB")
	}
	if elapsed := time.Since(start); elapsed > 100*time.Millisecond {
		t.Errorf("Load(huge) took %v, want it refused before reading", elapsed)
	}

	fsys := fstest.MapFS{"huge.yaml": {Data: make([]byte, MaxFileSize+1)}}
	if _, err := LoadFS(fsys, "huge.yaml", Options{}); err == nil || !strings.Contains(err.Error(), "file is larger than 10 MiB") {
		t.Errorf("LoadFS(huge) error = %v, want %q", err, "file is larger than 10 MiB")
	}
	// An included file of fsys is held to the same cap.
	fsys = fstest.MapFS{
		"a.yaml":    {Data: []byte("steps:\n  - include: huge.yaml\n")},
		"huge.yaml": {Data: make([]byte, MaxFileSize+1)},
	}
	if _, err := LoadFS(fsys, "a.yaml", Options{}); err == nil || !strings.Contains(err.Error(), "include huge.yaml: file is larger than 10 MiB") {
		t.Errorf("LoadFS(include huge) error = %v, want %q", err, "include huge.yaml: file is larger than 10 MiB")
	}
	// A file under the cap is parsed.
	fsys = fstest.MapFS{"cap.yaml": {Data: []byte("steps:\n  - GET: https://example.com\n" + strings.Repeat("#", 1000) + "\n")}}
	if _, err := LoadFS(fsys, "cap.yaml", Options{}); err != nil {
		t.Errorf("LoadFS(cap) error = %v, want nil", err)
	}
}
