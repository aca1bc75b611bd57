package runner

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// loadTree writes files into a temporary folder and loads main from it,
// telling the loader about defined.
func loadTree(t *testing.T, files map[string]string, main string, defined ...string) *collections.Collection {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := collections.Load(filepath.Join(dir, main), collections.Options{Defined: defined})
	if err != nil {
		t.Fatalf("Load(%s): %v", main, err)
	}
	return c
}

// names lists the names of the results' steps.
func names(res *Result) string {
	out := make([]string, len(res.Steps))
	for i, s := range res.Steps {
		out[i] = s.Name
	}
	return strings.Join(out, "|")
}

// loginServer issues a token for POST /token and checks it on GET /me.
func loginServer(t *testing.T) string {
	t.Helper()
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/token":
			var in struct{ User, Password string }
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Password != "s3cret" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"bad credentials"}`)
				return
			}
			fmt.Fprintf(w, `{"token":"tok-%s","id":42}`, in.User)
		case "/me":
			fmt.Fprintf(w, `{"auth":%q}`, r.Header.Get("Authorization"))
		default:
			http.NotFound(w, r)
		}
	}))
	return ts.URL
}

func TestRunIncludeReturnsCaptures(t *testing.T) {
	url := loginServer(t)
	c := loadTree(t, map[string]string{
		"login.yaml": `name: login
vars:
  user: nobody
  password: none
secrets: [password]
steps:
  - name: token
    POST: "{{ base_url }}/token"
    json: { user: "{{ user }}", password: "{{ password }}" }
    expect: { status: 200 }
    capture:
      token: { json: token, secret: true }
      user_id: id
`,
		"suite.yaml": `name: suite
vars:
  admin: alice
steps:
  - name: login
    include: login.yaml
    vars:
      user: "{{ admin }}"
      password: s3cret
  - name: me
    GET: "{{ base_url }}/me"
    headers: { Authorization: "Bearer {{ token }} {{ user_id }}" }
    expect:
      status: 200
      json: { auth: "Bearer {{ token }} 42" }
`,
	}, "suite.yaml", "base_url")
	var mu sync.Mutex
	var live []string
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base_url": url}, OnStep: func(s *StepResult) {
		mu.Lock()
		defer mu.Unlock()
		live = append(live, s.Name)
	}})
	wantOutcomes(t, res, "passed,passed")
	if got := names(res); got != "login › token|me" {
		t.Errorf("step names = %s, want login › token|me", got)
	}
	if got := strings.Join(live, "|"); got != "login › token|me" {
		t.Errorf("OnStep saw %s, want each step once, renamed", got)
	}
	if v := captured(t, res.Steps[0], "user_id"); v.Value != int64(42) {
		t.Errorf("included capture user_id = %s, want integer <42>", v)
	}
	// The token is secret in the included file: masked in both files' steps.
	for _, s := range res.Steps {
		b, _ := json.Marshal(s.Response)
		if strings.Contains(string(b), "tok-alice") {
			t.Errorf("step %q shows the secret token: %s", s.Name, b)
		}
	}
	if res.Steps[0].Request == nil || strings.Contains(string(res.Steps[0].Request.Body), "s3cret") {
		t.Errorf("included request body shows the secret password: %+v", res.Steps[0].Request)
	}
}

func TestRunIncludeFailure(t *testing.T) {
	url := loginServer(t)
	files := map[string]string{
		"login.yaml": `steps:
  - name: token
    POST: "{{ base_url }}/token"
    json: { user: x, password: "{{ password }}" }
    expect: { status: 200 }
    capture: { token: token }
  - name: after
    GET: "{{ base_url }}/me"
finally:
  - name: cleanup
    GET: "{{ base_url }}/me"
`,
		"outer.yaml": `steps:
  - name: setup
    include: inner.yaml
    vars: { password: "{{ password }}" }
  - name: use
    GET: "{{ base_url }}/me?t={{ token }}"
`,
		"inner.yaml": `steps:
  - name: login
    include: login.yaml
    vars: { password: "{{ password }}" }
`,
	}
	c := loadTree(t, files, "outer.yaml", "base_url", "password")
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base_url": url, "password": "wrong"}})
	if got := outcomes(res); got != "failed,not run,passed,not run" {
		t.Fatalf("outcomes = %s, want failed,not run,passed,not run\n%s", got, describe(res))
	}
	if got := names(res); got != "setup › login › token|setup › login › after|setup › login › cleanup|use" {
		t.Errorf("nested names = %s", got)
	}
	if got := res.Steps[0].Pos.File; filepath.Base(got) != "login.yaml" {
		t.Errorf("included step position file = %s, want login.yaml", got)
	}
}

func TestRunIterations(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.RequestURI())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "bad") {
			w.WriteHeader(http.StatusNotFound)
		}
		fmt.Fprint(w, `{}`)
	}))
	tests := []struct {
		name      string
		steps     string
		vars      map[string]any
		cont      bool
		outcomes  string
		names     string
		wantPaths string
	}{
		{
			name:      "repeat with index",
			steps:     "  - name: ping\n    GET: \"{{ url }}/ping/{{ index }}\"\n    repeat: 3\n    expect: { status: 200 }\n",
			outcomes:  "passed,passed,passed",
			names:     "ping [1]|ping [2]|ping [3]",
			wantPaths: "/ping/0 /ping/1 /ping/2",
		},
		{
			name:      "for_each over a literal list with item",
			steps:     "  - name: user\n    GET: \"{{ url }}/users/{{ item.id }}?i={{ index }}\"\n    for_each: [{ id: 7 }, { id: 9 }]\n",
			outcomes:  "passed,passed",
			names:     "user [1]|user [2]",
			wantPaths: "/users/7?i=0 /users/9?i=1",
		},
		{
			name:      "for_each over a variable",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: \"{{ ids }}\"\n",
			vars:      map[string]any{"ids": []any{"a", "b", "c"}},
			outcomes:  "passed,passed,passed",
			names:     "get [1]|get [2]|get [3]",
			wantPaths: "/a /b /c",
		},
		{
			name:      "a failed iteration stops the rest",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: [ok, bad, ok2]\n    expect: { status: 200 }\n  - name: next\n    GET: \"{{ url }}/next\"\n",
			outcomes:  "passed,failed,not run,not run",
			names:     "get [1]|get [2]|get [3]|next",
			wantPaths: "/ok /bad",
		},
		{
			name:      "every iteration runs under continue",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: [ok, bad, ok2]\n    expect: { status: 200 }\n",
			cont:      true,
			outcomes:  "passed,failed,passed",
			names:     "get [1]|get [2]|get [3]",
			wantPaths: "/ok /bad /ok2",
		},
		{
			name:      "if sees the item",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: [a, b]\n    if: item != \"a\"\n",
			outcomes:  "skipped,passed",
			names:     "get [1]|get [2]",
			wantPaths: "/b",
		},
		{
			name:      "empty list skips the step",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: \"{{ ids }}\"\n",
			vars:      map[string]any{"ids": []any{}},
			outcomes:  "skipped",
			names:     "get",
			wantPaths: "",
		},
		{
			name:      "for_each of a non-list errors",
			steps:     "  - name: get\n    GET: \"{{ url }}/{{ item }}\"\n    for_each: \"{{ ids }}\"\n",
			vars:      map[string]any{"ids": "abc"},
			outcomes:  "error",
			names:     "get",
			wantPaths: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			paths = nil
			mu.Unlock()
			vars := map[string]any{"url": ts.URL}
			defined := []string{"url"}
			for k, v := range tt.vars {
				vars[k] = v
				defined = append(defined, k)
			}
			res := runColl(t, nil, parse(t, "steps:\n"+tt.steps, defined...), Options{Vars: vars, Continue: tt.cont})
			if got := outcomes(res); got != tt.outcomes {
				t.Errorf("outcomes = %s, want %s\n%s", got, tt.outcomes, describe(res))
			}
			if got := names(res); got != tt.names {
				t.Errorf("names = %s, want %s", got, tt.names)
			}
			mu.Lock()
			got := strings.Join(paths, " ")
			mu.Unlock()
			if got != tt.wantPaths {
				t.Errorf("requests = %q, want %q", got, tt.wantPaths)
			}
		})
	}
}
