package collections

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// hostileLaughs is a "billion laughs" document: levels anchors, each a
// list of width aliases of the one before, used by a step's json: body.
func hostileLaughs(levels, width int) string {
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

// hostileDocs are documents built to exhaust the loader, with the error
// each gets and its position (a column of 0: yaml.v3 gives only the line).
var hostileDocs = []struct {
	name, src, want string
	line, col       int
}{
	{"billion laughs", hostileLaughs(9, 10), "aliases expand to more than 10000 nodes", 5, 20},
	{"wide alias fan-out", hostileLaughs(3, 200), "aliases expand to more than 10000 nodes", 3, 85},
	// yaml.v3 stops at 10,000 levels; the loader's own limit is 200.
	{"20,000-deep flow sequence", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "exceeded max depth of 10000", 3, 0},
	{"20,000-deep flow mapping", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("{a: ", 20000) + "1" + strings.Repeat("}", 20000) + "\n", "exceeded max depth of 10000", 3, 0},
	{"20,000-deep block sequence", "steps:\n  - GET: https://example.com\n    json:\n      " + strings.Repeat("- ", 20000) + "x\n", "exceeded max depth of 10000", 4, 0},
	{"5,000-deep flow sequence", "steps:\n  - GET: https://example.com\n    json: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", "document is nested deeper than 200 levels", 3, 209},
	{"201-deep block sequence", "steps:\n  - GET: https://example.com\n    json:\n      " + strings.Repeat("- ", 201) + "x\n", "document is nested deeper than 200 levels", 4, 403},
	{"duplicate keys name both lines", "steps:\n  - GET: https://example.com\n    headers:\n      Accept: a\n      X: b\n      Accept: c\n", `duplicate key "Accept" in headers`, 6, 7},
}

// TestHostileYAML checks that documents built to exhaust the loader are
// rejected with a clear error at the right position. How fast is
// BenchmarkHostileYAML's concern.
func TestHostileYAML(t *testing.T) {
	for _, tt := range hostileDocs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("hostile.yaml", []byte(tt.src), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%s) error = %v, want %q", tt.name, err, tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse(%s) error = %#v, want an ErrorList of one error", tt.name, err)
			}
			if p := list[0].Pos; p.File != "hostile.yaml" || p.Line != tt.line || p.Col != tt.col {
				t.Errorf("Parse(%s) error at %s, want hostile.yaml:%d:%d", tt.name, p, tt.line, tt.col)
			}
		})
	}
	// The duplicate key names both lines: the error sits on the second,
	// its hint names the first.
	_, err := Parse("dup.yaml", []byte(hostileDocs[len(hostileDocs)-1].src), Options{})
	var list ErrorList
	if !errors.As(err, &list) || !strings.Contains(list[0].Hint, "first set at line 4") {
		t.Errorf("duplicate key error = %#v, want the hint %q", err, "first set at line 4")
	}
}

// BenchmarkHostileYAML measures how long the loader takes to refuse each
// hostile document.
func BenchmarkHostileYAML(b *testing.B) {
	for _, tt := range hostileDocs {
		src := []byte(tt.src)
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Parse("hostile.yaml", src, Options{}); err == nil {
					b.Fatal("Parse accepted a hostile document")
				}
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// countingFS is an fs.FS whose files count the bytes read from them.
type countingFS struct {
	fs.FS
	read *int64
}

func (c countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return countingFile{f, c.read}, nil
}

type countingFile struct {
	fs.File
	read *int64
}

func (c countingFile) Read(p []byte) (int, error) {
	n, err := c.File.Read(p)
	*c.read += int64(n)
	return n, err
}

// TestSizeCap checks that files over MaxFileSize are refused before a
// byte of them is read, from an fs.FS (whose files count the bytes read)
// and from the disk, which Load reads through the same readCapped.
func TestSizeCap(t *testing.T) {
	huge := &fstest.MapFile{Data: make([]byte, MaxFileSize+1)}
	including := []byte("steps:\n  - include: huge.yaml\n")
	small := []byte("steps:\n  - GET: https://example.com\n" + strings.Repeat("#", 1000) + "\n")
	tests := []struct {
		name  string
		files fstest.MapFS
		load  string
		want  string // error; "" for none
		read  int64  // bytes read: none of a refused file
	}{
		{"huge file", fstest.MapFS{"huge.yaml": huge}, "huge.yaml", "load huge.yaml: file is larger than 10 MiB", 0},
		{"huge include", fstest.MapFS{"a.yaml": {Data: including}, "huge.yaml": huge}, "a.yaml", "include huge.yaml: file is larger than 10 MiB", int64(len(including))},
		{"file under the cap", fstest.MapFS{"cap.yaml": {Data: small}}, "cap.yaml", "", int64(len(small))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read int64
			_, err := LoadFS(countingFS{tt.files, &read}, tt.load, Options{})
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("LoadFS(%s) error = %v, want %q", tt.load, err, tt.want)
			}
			if read != tt.read {
				t.Errorf("LoadFS(%s) read %d bytes, want %d", tt.load, read, tt.read)
			}
		})
	}

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
	if _, err := Load(file, Options{}); err == nil || !strings.Contains(err.Error(), "file is larger than 10 MiB") {
		t.Errorf("Load(huge) error = %v, want %q", err, "file is larger than 10 MiB")
	}
}

// TestReadCappedUnknownSize checks that a file whose size is not known
// beforehand is refused once it has given one byte more than MaxFileSize.
func TestReadCappedUnknownSize(t *testing.T) {
	var read int64
	fsys := countingFS{fstest.MapFS{"big.yaml": {Data: make([]byte, MaxFileSize+4096)}}, &read}
	f, err := fsys.Open("big.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := readCapped(unknownSize{f}); !errors.Is(err, errTooLarge) {
		t.Errorf("readCapped(big, size unknown) error = %v, want %v", err, errTooLarge)
	}
	if read != MaxFileSize+1 {
		t.Errorf("readCapped(big, size unknown) read %d bytes, want %d", read, MaxFileSize+1)
	}
}

// unknownSize is a file whose Stat reports size 0, as a pipe's does.
type unknownSize struct{ fs.File }

func (u unknownSize) Stat() (fs.FileInfo, error) {
	info, err := u.File.Stat()
	return zeroSize{info}, err
}

type zeroSize struct{ fs.FileInfo }

func (zeroSize) Size() int64 { return 0 }
