package collections

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// sharedProfileYAML declares the auth profile "shared" from its own var.
const sharedProfileYAML = `vars:
  token_value: "{{ env.SHARED_TOKEN }}"
auth:
  shared:
    grant: bearer
    token: "{{ token_value }}"
steps:
  - GET: https://example.com/me
    auth: shared
`

func TestLoadIncludedAuthProfile(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		// want is "" for a collection that loads, else parts of the error.
		want []string
	}{
		{
			name: "a profile of an included file serves later steps",
			files: map[string]string{
				"main.yaml":   "steps:\n  - include: shared.yaml\n  - GET: https://example.com/x\n    auth: shared\n",
				"shared.yaml": sharedProfileYAML,
			},
		},
		{
			name: "through a nested include",
			files: map[string]string{
				"main.yaml":   "steps:\n  - include: mid.yaml\n  - GET: https://example.com/x\n    auth: shared\n",
				"mid.yaml":    "steps:\n  - include: shared.yaml\n",
				"shared.yaml": sharedProfileYAML,
			},
		},
		{
			name: "an include after the step does not serve it",
			files: map[string]string{
				"main.yaml":   "steps:\n  - GET: https://example.com/x\n    auth: shared\n  - include: shared.yaml\n",
				"shared.yaml": sharedProfileYAML,
			},
			want: []string{`main.yaml:3:11: unknown auth profile "shared"`, "included after this step"},
		},
		{
			name: "did you mean covers included profiles",
			files: map[string]string{
				"main.yaml":   "steps:\n  - include: shared.yaml\n  - GET: https://example.com/x\n    auth: sharde\n",
				"shared.yaml": sharedProfileYAML,
			},
			want: []string{`unknown auth profile "sharde"`, `did you mean "shared"?`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			c, err := Load(filepath.Join(dir, "main.yaml"), Options{})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Load() error = %v, want none", err)
				}
				p, owner := c.IncludedProfile("shared", len(c.Steps))
				if p == nil || owner == nil || owner.Profile("shared") != p {
					t.Errorf("IncludedProfile(shared) = %v, %v, want the included declaration", p, owner)
				}
				if p, _ := c.IncludedProfile("shared", 0); p != nil {
					t.Errorf("IncludedProfile(shared, 0) = %v, want nil (no step before)", p)
				}
				return
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Load() error = %v, want an ErrorList", err)
			}
			var msgs []string
			for _, e := range list {
				msgs = append(msgs, e.Error()+" | "+e.Hint)
			}
			got := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Load() errors =\n%s\nwant them to contain %q", got, w)
				}
			}
		})
	}
}
