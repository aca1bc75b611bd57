package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// selectCollections are a users collection tagged smoke, an orders
// collection with one slow step and an untagged one.
func selectCollections(t *testing.T) []*collections.Collection {
	t.Helper()
	srcs := map[string]string{
		"users.yaml":  "name: users\ntags: [smoke]\nsteps:\n  - name: list users\n    GET: http://127.0.0.1:1/u\n  - name: get user\n    GET: http://127.0.0.1:1/u/1\n",
		"orders.yaml": "name: orders\nsteps:\n  - name: list orders\n    GET: http://127.0.0.1:1/o\n    tags: [slow]\n  - name: get order\n    GET: http://127.0.0.1:1/o/1\n",
		"other.yaml":  "name: other\nsteps:\n  - name: ping\n    GET: http://127.0.0.1:1/p\n",
	}
	var cols []*collections.Collection
	for _, f := range []string{"users.yaml", "orders.yaml", "other.yaml"} {
		c, err := collections.Parse("dir/"+f, []byte(srcs[f]), collections.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	return cols
}

// TestSelectionKeep checks which collections run and which of their steps
// every filter keeps: "users=all" runs whole, "orders=10" keeps the first
// step only, and a collection missing does not run.
func TestSelectionKeep(t *testing.T) {
	cols := selectCollections(t)
	tests := []struct {
		name string
		sel  Selection
		want string
	}{
		{"nothing selects everything", Selection{}, "users=all orders=all other=all"},
		{"only a collection by name", Selection{Only: []string{"orders"}}, "orders=all"},
		{"only a collection by file", Selection{Only: []string{"users.yaml"}}, "users=all"},
		{"only a step glob", Selection{Only: []string{"get *"}}, "users=01 orders=01"},
		{"skip a collection by file stem", Selection{Skip: []string{"other"}}, "users=all orders=all"},
		{"skip a step", Selection{Skip: []string{"list orders"}}, "users=all orders=01 other=all"},
		{"skip every step drops the collection", Selection{Skip: []string{"* order*"}}, "users=all other=all"},
		{"a tagged collection runs whole", Selection{Tags: []string{"smoke"}}, "users=all"},
		{"a tagged step", Selection{Tags: []string{"slow"}}, "orders=10"},
		{"any of the tags", Selection{Tags: []string{"smoke", "slow"}}, "users=all orders=10"},
		{"tags and only together", Selection{Tags: []string{"smoke"}, Only: []string{"get user"}}, "users=01"},
		{"steps and from do not filter", Selection{Steps: []string{"get order"}, From: "get user"}, "users=all orders=all other=all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range cols {
				keep, runs := tt.sel.keep(c)
				if !runs {
					continue
				}
				desc := "all"
				if keep != nil {
					desc = ""
					for _, k := range keep {
						desc += map[bool]string{true: "1", false: "0"}[k]
					}
				}
				got = append(got, c.Name+"="+desc)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("keep() = %s, want %s", g, tt.want)
			}
		})
	}
}

func TestSelectionRunner(t *testing.T) {
	sel := Selection{Steps: []string{"a"}, WithDeps: true}
	if rs := sel.runner([]bool{true}, true); rs.Reuse || !rs.WithDeps || rs.Steps[0] != "a" || !rs.Keep[0] {
		t.Errorf("runner() = %+v, want the steps, deps and keep, and no reuse with --step", rs)
	}
	if rs := (Selection{}).runner(nil, true); !rs.Reuse || rs.Keep != nil {
		t.Errorf("runner() = %+v, want reuse without --step or --from", rs)
	}
}

func TestCheckStepNames(t *testing.T) {
	cols := selectCollections(t)
	tests := []struct {
		sel      Selection
		wantErr  string
		wantHint string
	}{
		{sel: Selection{Steps: []string{"get user", "list orders"}, From: "get order"}},
		{sel: Selection{Steps: []string{"get usr"}}, wantErr: `no step named "get usr"`, wantHint: `did you mean "get user"?`},
		{sel: Selection{From: "zzzzzzzzzz"}, wantErr: `no step named "zzzzzzzzzz"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.sel), func(t *testing.T) {
			err := tt.sel.checkStepNames(cols)
			var ie *InputError
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("checkStepNames() = %v, want nil", err)
			case tt.wantErr != "" && (!errors.As(err, &ie) || ie.Error() != tt.wantErr || ie.Hint != tt.wantHint):
				t.Errorf("checkStepNames() = %v (hint %q), want %q (hint %q)", err, hintOf(err), tt.wantErr, tt.wantHint)
			}
		})
	}
}

func hintOf(err error) string {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Hint
	}
	return ""
}
