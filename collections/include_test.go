package collections

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// writeTree writes name → content under a new temporary folder and
// returns the folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const loginYAML = `name: login
vars:
  user: nobody
secrets: [password]
steps:
  - name: token
    POST: "{{ base_url }}/token"
    json: { user: "{{ user }}", password: "{{ password }}" }
    capture:
      token: { json: token, secret: true }
      user_id: id
`

func TestLoadInclude(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"login.yaml": loginYAML,
		"suite.yaml": `name: suite
vars:
  admin: alice
steps:
  - name: login
    include: login.yaml
    vars:
      user: "{{ admin }}"
      password: s3cret
      base_url: https://example.com
  - name: me
    GET: "https://example.com/users/{{ user_id }}"
    headers: { Authorization: "Bearer {{ token }}" }
`,
	})
	c, err := Load(filepath.Join(dir, "suite.yaml"), Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	inc := c.Steps[0].Include()
	if inc == nil || inc.Collection == nil {
		t.Fatalf("include step = %+v, want an Include with its collection", c.Steps[0])
	}
	if inc.Path != "login.yaml" || inc.File != filepath.Join(dir, "login.yaml") || inc.Collection.Name != "login" {
		t.Errorf("include = path %q file %q collection %q", inc.Path, inc.File, inc.Collection.Name)
	}
	var names []string
	for _, v := range inc.Vars {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, ","); got != "user,password,base_url" {
		t.Errorf("include vars = %s, want user,password,base_url", got)
	}
	var caps []string
	for _, cp := range c.Steps[0].Captures {
		caps = append(caps, cp.Name)
	}
	if got := strings.Join(caps, ","); got != "token,user_id" {
		t.Errorf("include captures = %s, want token,user_id", got)
	}
	if got := strings.Join(c.SecretNames(), ","); got != "token" {
		t.Errorf("SecretNames = %s, want token (secret capture of the included file)", got)
	}
	if src := c.SourceOf(inc.File); string(src) != loginYAML {
		t.Errorf("SourceOf(included) = %q", src)
	}
}

func TestLoadIncludeFS(t *testing.T) {
	fsys := fstest.MapFS{
		"pack/login.yaml": {Data: []byte(loginYAML)},
		"pack/suite.yaml": {Data: []byte("steps:\n  - include: login.yaml\n    vars: { password: x, base_url: https://example.com }\n  - GET: \"https://example.com/{{ token }}\"\n")},
	}
	c, err := LoadFS(fsys, "pack/suite.yaml", Options{})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if inc := c.Steps[0].Include(); inc == nil || inc.File != "pack/login.yaml" || inc.Collection == nil {
		t.Errorf("include = %+v, want pack/login.yaml loaded from the FS", inc)
	}
}

func TestLoadIncludeErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		load  string
		want  []string
	}{
		{
			name: "cycle names the chain",
			files: map[string]string{
				"a.yaml": "steps:\n  - include: b.yaml\n",
				"b.yaml": "steps:\n  - GET: https://example.com\n  - include: a.yaml\n",
			},
			load: "a.yaml",
			want: []string{"b.yaml:3:14: include cycle: ", "a.yaml includes ", "b.yaml (", "a.yaml:2:14), ", "b.yaml includes ", "a.yaml (", "b.yaml:3:14)"},
		},
		{
			name:  "self include",
			files: map[string]string{"a.yaml": "steps:\n  - include: a.yaml\n"},
			load:  "a.yaml",
			want:  []string{"a.yaml:2:14: include cycle: ", "a.yaml includes ", "a.yaml (", "a.yaml:2:14)"},
		},
		{
			name:  "missing file",
			files: map[string]string{"a.yaml": "steps:\n  - include: nope.yaml\n"},
			load:  "a.yaml",
			want:  []string{"a.yaml:2:14: include nope.yaml: no such file"},
		},
		{
			name: "escaping the folder",
			files: map[string]string{
				"sub/a.yaml": "steps:\n  - include: ../b.yaml\n",
				"b.yaml":     "steps:\n  - GET: https://example.com\n",
			},
			load: "sub/a.yaml",
			want: []string{"include ../b.yaml: the path leads out of the including file's folder"},
		},
		{
			name: "errors of the included file keep its positions",
			files: map[string]string{
				"a.yaml": "steps:\n  - include: b.yaml\n",
				"b.yaml": "steps:\n  - GET: https://example.com/{{ nope }}\n",
			},
			load: "a.yaml",
			want: []string{"b.yaml:2:33: undefined variable \"nope\""},
		},
		{
			name: "request keys refused",
			files: map[string]string{
				"a.yaml": "steps:\n  - include: b.yaml\n    expect: { status: 200 }\n",
				"b.yaml": "steps:\n  - GET: https://example.com\n",
			},
			load: "a.yaml",
			want: []string{"a.yaml:3:5: expect: is not allowed on an include: step"},
		},
		{
			name: "captures are defined only after the include",
			files: map[string]string{
				"a.yaml": "steps:\n  - GET: \"https://example.com/{{ token }}\"\n  - include: b.yaml\n",
				"b.yaml": "steps:\n  - GET: https://example.com\n    capture: { token: t }\n",
			},
			load: "a.yaml",
			want: []string{`"token" is captured by a later step "step 2"`},
		},
		{
			name:  "vars only on include",
			files: map[string]string{"a.yaml": "steps:\n  - GET: https://example.com\n    vars: { a: 1 }\n"},
			load:  "a.yaml",
			want:  []string{"a.yaml:3:5: vars: is only allowed on an include: step"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			_, err := Load(filepath.Join(dir, filepath.FromSlash(tt.load)), Options{})
			if err == nil {
				t.Fatalf("Load(%s) succeeded, want an error", tt.load)
			}
			got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Load(%s) error = %s\nwant it to contain %q", tt.load, got, w)
				}
			}
		})
	}
}

func TestParseIterations(t *testing.T) {
	src := `steps:
  - name: ping
    GET: "https://example.com/{{ index }}"
    repeat: 3
  - name: each
    GET: "https://example.com/{{ item.id }}/{{ index }}"
    for_each: [{ id: 1 }, { id: 2 }]
  - name: each expr
    GET: "https://example.com/{{ item }}"
    for_each: "{{ ids }}"
`
	c, err := Parse("it.yaml", []byte(src), Options{Defined: []string{"ids"}})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f := c.Steps[0].Flow; f.Repeat != 3 || !f.Iterates() {
		t.Errorf("repeat flow = %+v", f)
	}
	if f := c.Steps[1].Flow; f.ForEach == nil || f.ForEach.Kind != KindList || len(f.ForEach.Items) != 2 {
		t.Errorf("for_each list = %+v", f.ForEach)
	}
	if f := c.Steps[2].Flow; f.ForEach == nil || f.ForEach.Kind != KindString {
		t.Errorf("for_each expression = %+v", f.ForEach)
	}

	errs := []struct{ name, step, want string }{
		{"item outside for_each", "GET: \"https://e.com/{{ item }}\"", `undefined variable "item"`},
		{"index outside repeat", "GET: \"https://e.com/{{ index }}\"", `undefined variable "index"`},
		{"item under repeat", "GET: \"https://e.com/{{ item }}\"\n    repeat: 2", `undefined variable "item"`},
		{"repeat zero", "GET: https://e.com\n    repeat: 0", "repeat must be a whole number from 1 to 1000"},
		{"for_each scalar", "GET: https://e.com\n    for_each: 3", "for_each must be a list or a {{ expression }}, not an integer"},
		{"both", "GET: https://e.com\n    repeat: 2\n    for_each: [1]", "repeat: and for_each: are both set"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("it.yaml", []byte("steps:\n  - "+tt.step+"\n"), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want it to contain %q", tt.step, err, tt.want)
			}
		})
	}
}
