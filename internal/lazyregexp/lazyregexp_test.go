package lazyregexp

import (
	"slices"
	"testing"
)

// TestNewCompilesNothing: New costs a few allocations however large the
// expression, and an invalid one is found at its first use only.
func TestNewCompilesNothing(t *testing.T) {
	const expr = `^pm\.environment\.set\(["']([^"']+)["'],\s*(\w+)((?:\.\w+|\[\d+\])*)\);?$`
	if n := testing.AllocsPerRun(10, func() { New(expr) }); n > 4 {
		t.Errorf("New allocates %v times, want at most 4", n)
	}
	bad := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic at its first use")
		}
	}()
	bad.MatchString("x")
}

// TestMethods: each method answers as regexp's.
func TestMethods(t *testing.T) {
	re := New(`(\w+)=(\d+)`)
	if !re.MatchString("a=1") || re.MatchString("a=") {
		t.Error("MatchString")
	}
	if got := re.FindStringSubmatch("x b=22"); !slices.Equal(got, []string{"b=22", "b", "22"}) {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if got := re.FindSubmatch([]byte("c=3")); len(got) != 3 || string(got[2]) != "3" {
		t.Errorf("FindSubmatch = %q", got)
	}
	if got := re.FindAllStringSubmatch("h=8 i=9", -1); len(got) != 2 || got[1][2] != "9" {
		t.Errorf("FindAllStringSubmatch = %q", got)
	}
	if got := re.FindStringIndex("  d=4"); !slices.Equal(got, []int{2, 5}) {
		t.Errorf("FindStringIndex = %v", got)
	}
	if got := re.ReplaceAllString("e=5 f=6", "$2"); got != "5 6" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if got := re.ReplaceAllStringFunc("g=7", func(s string) string { return "<" + s + ">" }); got != "<g=7>" {
		t.Errorf("ReplaceAllStringFunc = %q", got)
	}
}
