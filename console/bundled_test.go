package console

import (
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestBundled(t *testing.T) {
	var b strings.Builder
	if err := Bundled(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	names := collections.BundledNames()
	if len(names) == 0 || len(lines) < len(names) {
		t.Fatalf("Bundled() printed %d lines for %d collections:\n%s", len(lines), len(names), out)
	}
	for i, name := range names {
		c, err := collections.LoadBundled(name, collections.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f := strings.Fields(lines[i]); len(f) < 3 || f[0] != name || !strings.Contains(lines[i], c.Name) || !strings.HasSuffix(lines[i], Plural(len(c.Steps), "step")) {
			t.Errorf("line %d = %q, want %s, its title %q and its steps", i+1, lines[i], name, c.Name)
		}
	}
	for _, want := range []string{
		"procore/first-call  ", "\nRun one against the local sandbox with `callsheet run --sandbox procore/first-call`, a folder with\n",
		"`callsheet run --sandbox procore/`; copy one out to edit with `callsheet init --from procore/first-call`.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Bundled() lacks %q:\n%s", want, out)
		}
	}
}
