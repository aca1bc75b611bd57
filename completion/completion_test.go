package completion

import (
	"slices"
	"strings"
	"testing"
)

// tree is a small command line: a root flag, run with a flag that takes
// a value and one that does not, init with --from, completion, and a
// hidden command.
var tree = &Command{
	Flags: []Flag{{Names: []string{"help", "h"}, Usage: "show help"}},
	Subcommands: []*Command{
		{Name: "run", Usage: "run collections", Flags: []Flag{
			{Names: []string{"timeout"}, Usage: "give up after `DURATION`", TakesValue: true},
			{Names: []string{"no-color"}, Usage: "no\tcolour\nat all"},
		}},
		{Name: "init", Flags: []Flag{{Names: []string{"from"}, TakesValue: true}}},
		{Name: "completion", Usage: "print the script"},
		{Name: "export", Aliases: []string{"x"}, Subcommands: []*Command{{Name: "curl", Usage: "curl commands"}}},
		{Name: "__complete", Hidden: true},
	},
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name    string
		words   []string
		current string
		want    []string // all of these, in order where checked exactly
		exact   bool
	}{
		{"commands", nil, "", []string{"run\trun collections", "init", "completion\tprint the script", "export"}, true},
		{"a prefix", nil, "ru", []string{"run\trun collections"}, true},
		{"root flags", nil, "-", []string{"--help\tshow help", "-h\tshow help"}, true},
		{"a command's flags, usage on one line without backquotes", []string{"run"}, "--", []string{"--timeout\tgive up after DURATION", "--no-color\tno colour at all"}, true},
		{"a flag's value is not completed", []string{"run", "--timeout"}, "", nil, true},
		{"after a flag's value, collections", []string{"run", "--timeout", "5s"}, "procore/first", []string{"procore/first-call\tbundled collection"}, false},
		{"--from offers bundled collections", []string{"init", "--from"}, "procore/", []string{"procore/\tevery bundled collection in procore/"}, false},
		{"shells", []string{"completion"}, "", Shells, true},
		{"an alias", []string{"x"}, "", []string{"curl\tcurl commands"}, true},
		{"an unknown command", []string{"nope"}, "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Complete(tree, tt.words, tt.current)
			if tt.exact && !slices.Equal(got, tt.want) {
				t.Errorf("Complete(%q, %q) = %q, want %q", tt.words, tt.current, got, tt.want)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Complete(%q, %q) = %q, lacks %q", tt.words, tt.current, got, w)
				}
			}
		})
	}
}

func TestScript(t *testing.T) {
	for _, sh := range Shells {
		s, ok := Script(sh)
		if !ok || !strings.Contains(s, "__complete") {
			t.Errorf("Script(%s) = %v and no call of __complete", sh, ok)
		}
	}
	if _, ok := Script("tcsh"); ok {
		t.Error("Script(tcsh) = ok, want false")
	}
}
