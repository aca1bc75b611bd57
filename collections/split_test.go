package collections

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// loadBoth parses src item by item, whatever its size, and whole,
// sharing one expression cache so that equal collections are deeply
// equal. It returns whether the item-by-item parse was used, not
// abandoned for the whole file. It also parses src in batches of the
// default size and fails t unless that agrees with the whole parse.
func loadBoth(t *testing.T, fsys fs.FS, file string, src []byte, opts Options) (split, whole *Collection, splitErr, wholeErr error, used bool) {
	t.Helper()
	newLoader := func(splitAt, batch int, w *loader) *loader {
		l := &loader{file: file, src: src, lines: splitLines(src), opts: opts, inc: includeChain{fsys: fsys}, splitAt: splitAt, splitBatch: batch}
		if w != nil {
			l.exprs = w.exprs
		}
		return l
	}
	w := newLoader(len(src)+1, 0, nil)
	whole = w.parse()
	wholeErr = w.errs.Err()

	batched := newLoader(1, 0, w)
	c := batched.parse()
	assertSame(t, c, whole, batched.errs.Err(), wholeErr)

	s := newLoader(1, 1, w)
	if r, ok := findStepRegion(s.lines); ok {
		_, used = newLoader(1, 1, w).splitParse(r)
	}
	split = s.parse()
	splitErr = s.errs.Err()
	return split, whole, splitErr, wholeErr, used
}

// assertSame fails unless both parses gave the same errors and, without
// errors, deeply equal collections.
func assertSame(t *testing.T, split, whole *Collection, splitErr, wholeErr error) {
	t.Helper()
	if fmt.Sprint(splitErr) != fmt.Sprint(wholeErr) {
		t.Fatalf("errors differ:\nsplit: %v\nwhole: %v", splitErr, wholeErr)
	}
	if wholeErr == nil && !reflect.DeepEqual(split, whole) {
		t.Fatalf("collections differ:\nsplit: %+v\nwhole: %+v", split.Steps, whole.Steps)
	}
}

// TestSplitParseMatchesWhole loads every test and bundled collection item
// by item and whole: same collection, same errors.
func TestSplitParseMatchesWhole(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test collections: %v", err)
	}
	splitCount := 0
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			split, whole, splitErr, wholeErr, used := loadBoth(t, nil, file, src, Options{})
			assertSame(t, split, whole, splitErr, wholeErr)
			if used {
				splitCount++
			}
		})
	}
	bundled := BundledNames()
	if len(bundled) == 0 {
		t.Fatal("no bundled collections")
	}
	for _, name := range bundled {
		name += ".yaml"
		t.Run(name, func(t *testing.T) {
			src, err := fs.ReadFile(Bundled(), name)
			if err != nil {
				t.Fatal(err)
			}
			split, whole, splitErr, wholeErr, used := loadBoth(t, Bundled(), name, src, Options{Defined: []string{"login_url", "base_url", "client_id", "client_secret", "company_id"}})
			assertSame(t, split, whole, splitErr, wholeErr)
			if !used {
				t.Errorf("%s was parsed whole, not item by item", name)
			}
		})
	}
	// Most valid files are plain block lists: the split path must have
	// been taken for them, or this test compares the whole parse with
	// itself.
	if splitCount < 10 {
		t.Errorf("only %d test files were parsed item by item", splitCount)
	}
}

// TestSplitParseEdgeCases covers layouts where a line looks like a step
// item but is not one, and layouts the split must handle itself.
func TestSplitParseEdgeCases(t *testing.T) {
	get := "    GET: https://example.com/%s\n"
	item := func(name string) string { return "  - name: " + name + "\n" + fmt.Sprintf(get, name) }
	cases := []struct {
		name string
		src  string
		// split says whether the item-by-item parse must be used (true)
		// or abandoned for the whole file (false).
		split bool
	}{
		{"plain", "name: c\nsteps:\n" + item("a") + item("b"), true},
		{"key comment", "steps: # the list\n" + item("a") + item("b"), true},
		{"unindented list then finally", "steps:\n- GET: https://a.example\n- GET: https://b.example\nfinally:\n- GET: https://c.example\n", true},
		{"keys after steps", "steps:\n" + item("a") + "vars:\n  x: 1\n", true},
		{"comments between items", "steps:\n" + item("a") + "# a comment at column 0\n\n   # deeper\n" + item("b"), true},
		{"CRLF", strings.ReplaceAll("steps:\n"+item("a")+item("b"), "\n", "\r\n"), true},
		{"document start", "---\nname: c\nsteps:\n" + item("a"), true},
		{"second document", "steps:\n" + item("a") + "---\nsteps:\n" + item("b"), false},
		{"anchor within a step", "steps:\n  - name: a\n    GET: &u https://a.example\n    headers:\n      X-U: *u\n" + item("b"), true},
		{"anchor used by a later step", "steps:\n  - name: a\n    GET: &u https://a.example\n  - name: b\n    GET: *u\n", false},
		{"anchor from x- key merged into steps", "x-base: &base\n  headers:\n    Accept: json\nsteps:\n  - <<: *base\n    GET: https://a.example\n", false},
		{"quoted string with an item-like line", "steps:\n  - name: a\n    GET: https://a.example\n    body: \"one\n  - two\"\n" + item("b"), false},
		{"flow list over lines", "steps:\n  - name: a\n    GET: https://a.example\n    tags: [x,\n  - y]\n" + item("b"), false},
		{"block scalar keeping blank lines", "steps:\n  - name: a\n    POST: https://a.example\n    body: |+\n      text\n\n\n" + item("b"), true},
		{"syntax error in an item", "steps:\n" + item("a") + "  - name: b\n    GET: [\n" + item("c"), false},
		{"tab indentation", "steps:\n" + item("a") + "\t- GET: https://t.example\n", false},
		{"duplicate step names across items", "steps:\n" + item("a") + item("a"), true},
		{"unknown key in an item", "steps:\n" + item("a") + "  - name: b\n    GTE: https://b.example\n", true},
		{"flow steps", "steps: [{GET: https://a.example}]\n", false},
		{"two steps keys", "steps:\n" + item("a") + "steps:\n" + item("b"), false},
		{"quoted steps key too", "\"steps\": []\nsteps:\n" + item("a"), false},
		{"lone carriage return", "steps:\n - 0\r0", false},
		{"unicode line separator", "steps:\n" + item("a") + "  - GET: https://b.example\u2028  - GET: https://c.example\n", false},
		{"no final newline after a block scalar", "steps:\n  - POST: https://a.example\n    body: |\n      text", true},
		{"nested steps key only", "x-other:\n  steps:\n" + item("a") + "steps:\n" + item("b"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			split, whole, splitErr, wholeErr, used := loadBoth(t, nil, "c.yaml", []byte(tc.src), Options{})
			assertSame(t, split, whole, splitErr, wholeErr)
			if used != tc.split {
				t.Errorf("item-by-item parse used: %v, want %v (errors: %v)", used, tc.split, wholeErr)
			}
		})
	}
}

// TestSplitParseAliasBudget spreads aliases over many items, each under
// the limit and all together over it: the whole file's limit applies.
func TestSplitParseAliasBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("steps:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - name: s%d\n    POST: https://a.example\n    json:\n      a: &a%d [x, x, x, x, x, x, x, x, x, x]\n      b: [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n      c: [", i, i, i, i, i, i, i, i, i, i, i, i)
		for j := range 40 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i)
		}
		b.WriteString("]\n")
	}
	src := []byte(b.String())
	split, whole, splitErr, wholeErr, used := loadBoth(t, nil, "c.yaml", src, Options{})
	assertSame(t, split, whole, splitErr, wholeErr)
	if used || wholeErr == nil || !strings.Contains(wholeErr.Error(), "aliases expand to more than") {
		t.Fatalf("want the alias limit from the whole file, got split=%v err=%v", used, wholeErr)
	}
}

// FuzzSplitParse checks that parsing the steps item by item and parsing
// the whole file agree on every input: same errors, same collection.
func FuzzSplitParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("steps:\n  - GET: https://a.example\n    body: \"x\n  - y\"\n  - GET: https://b.example\n"))
	f.Add([]byte("steps:\n- GET: &u https://a.example\n- GET: *u\nfinally:\n- GET: https://c.example\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			return
		}
		split, whole, splitErr, wholeErr, _ := loadBoth(t, nil, "f.yaml", src, Options{})
		assertSame(t, split, whole, splitErr, wholeErr)
	})
}

// TestSplitParseEndsOnlyAtTheTopLevel gives lists followed by a line at
// the items' indentation that is no item: the whole file's parse decides
// (a syntax error), never the items parsed one by one, which can read
// such a line as part of the last item or as the steps key's value.
func TestSplitParseEndsOnlyAtTheTopLevel(t *testing.T) {
	for _, src := range []string{
		"steps:\n  - GET: https://a.example\n  - GET: https://b.example\n  !",
		"steps:\n  - GET: https://a.example\n  -\n  !",
		"steps:\n  - GET: \n    body: A\n  -\n  !",
		"steps:\n  - GET: https://a.example\n  !\n  - GET: https://b.example\n",
		"steps:\n  - GET: https://a.example\n  x\n",
		"steps:\n  - GET: https://a.example\n  &a\n",
		"steps:\n  - GET: https://a.example\n  - &x\n  GET: https://b.example\n",
		"steps:\n  - GET: https://a.example\n  - !t\n  GET: https://b.example\n",
	} {
		split, whole, splitErr, wholeErr, used := loadBoth(t, nil, "f.yaml", []byte(src), Options{})
		assertSame(t, split, whole, splitErr, wholeErr)
		if used || wholeErr == nil {
			t.Errorf("%q: split parse used %v, whole file's error %v; want the whole file's parse and its error", src, used, wholeErr)
		}
	}
}

// TestSplitParseStopsParsingAhead gives a file whose items break the alias
// limit early and go on for thousands of items, parsed one item a batch:
// the split parse fails, and the goroutine parsing batches ahead ends
// instead of parsing the rest or waiting forever.
func TestSplitParseStopsParsingAhead(t *testing.T) {
	var b strings.Builder
	b.WriteString("steps:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - name: s%d\n    POST: https://a.example\n    json:\n      a: &a%d [x, x, x, x, x, x, x, x, x, x]\n      b: [", i, i)
		for j := range 50 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i)
		}
		b.WriteString("]\n")
	}
	for i := range 3000 {
		fmt.Fprintf(&b, "  - name: t%d\n    GET: https://a.example/%d\n", i, i)
	}
	src := []byte(b.String())
	before := runtime.NumGoroutine()
	l := &loader{file: "c.yaml", src: src, lines: splitLines(src), splitAt: 1, splitBatch: 1}
	r, ok := findStepRegion(l.lines)
	if !ok {
		t.Fatal("no step region")
	}
	if _, used := l.splitParse(r); used {
		t.Fatal("the split parse was used, want it abandoned at the alias limit")
	}
	for deadline := time.Now().Add(30 * time.Second); runtime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) { // a hang guard, not a speed check
			t.Fatalf("%d goroutines 30 s after the split parse failed, %d before: the batch parser did not stop", runtime.NumGoroutine(), before)
		}
	}
}
