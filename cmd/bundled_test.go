package cmd

import (
	"bytes"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
)

// TestRunBundledFolder runs every bundled collection as a folder against
// the sandbox, spelt both ways.
func TestRunBundledFolder(t *testing.T) {
	for _, path := range []string{"procore/", "procore"} {
		got := callsheet(t, nil, "run", "--sandbox", "--jobs", "1", path)
		if got.code != ExitOK {
			t.Errorf("callsheet run --sandbox %s = exit %d\n%s%s", path, got.code, got.stdout, got.stderr)
		}
		for _, name := range collections.BundledNames() {
			if !strings.Contains(got.stdout, "("+name+".yaml, bundled)") {
				t.Errorf("callsheet run --sandbox %s did not run %s:\n%s", path, name, got.stdout)
			}
		}
	}
}

// TestBundledErrorsSayBundled checks that an error in a bundled
// collection names it as bundled: the file is not on the user's disk.
func TestBundledErrorsSayBundled(t *testing.T) {
	got := callsheet(t, nil, "run", "procore/first-call")
	if got.code != ExitUsage || !strings.Contains(got.stderr, "--> procore/first-call.yaml:12:18 (bundled)\n") {
		t.Errorf("callsheet run procore/first-call without its environment = exit %d, stderr:\n%s\nwant 2 and the place marked bundled", got.code, got.stderr)
	}
}

// TestBundledCollectionsAreCanonical checks that every bundled collection
// is in the form callsheet fmt writes.
func TestBundledCollectionsAreCanonical(t *testing.T) {
	for _, name := range collections.BundledNames() {
		src, err := fs.ReadFile(collections.Bundled(), name+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		out, err := convert.Format(src)
		if err != nil || !bytes.Equal(out, src) {
			t.Errorf("%s is not in canonical form (callsheet fmt collections/%s.yaml): %v", name, name, err)
		}
	}
}

// TestDocsAreCanonical checks that the YAML examples of the README and the
// format reference are in the form callsheet fmt writes, except indented
// fragments and a lone comment, which fmt cannot read alone.
func TestDocsAreCanonical(t *testing.T) {
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for _, doc := range []string{"../README.md", "../docs/format.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range block.FindAllSubmatch(text, -1) {
			src := m[1]
			if bytes.HasPrefix(src, []byte(" ")) || bytes.Count(src, []byte("\n")) == 1 && bytes.HasPrefix(src, []byte("#")) {
				continue
			}
			out, err := convert.Format(src)
			if err != nil || !bytes.Equal(out, src) {
				t.Errorf("%s: an example is not in canonical form (%v):\n%s\nfmt writes:\n%s", doc, err, src, out)
			}
		}
	}
}
