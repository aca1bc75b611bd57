package session

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

func TestPreview(t *testing.T) {
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent.Add(1) }))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "c.yaml")
	src := "steps:\n  - name: users\n    GET: \"{{ base }}/users\"\n  - name: teams\n    GET: \"{{ base }}/teams\"\n  - name: team\n    GET: \"{{ base }}/teams/1\"\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
	if err != nil {
		t.Fatal(err)
	}
	opts := runner.Options{Vars: map[string]any{"base": srv.URL}}
	tests := []struct {
		steps    []string
		want     []string
		wantHint string
	}{
		{nil, []string{srv.URL + "/users", srv.URL + "/teams", srv.URL + "/teams/1"}, ""},
		{[]string{"team", "users"}, []string{srv.URL + "/users", srv.URL + "/teams/1"}, ""},
		{[]string{"temas"}, nil, `did you mean "teams"?`},
	}
	for _, tt := range tests {
		got, err := Preview(c, opts, tt.steps)
		var ie *InputError
		if tt.wantHint != "" {
			if !errors.As(err, &ie) || ie.Hint != tt.wantHint || got != nil {
				t.Errorf("Preview(%q) = %v, %v; want an InputError hinting %s", tt.steps, got, err, tt.wantHint)
			}
			continue
		}
		var urls []string
		for _, p := range got {
			if p.Err != nil || p.Request == nil {
				t.Fatalf("Preview(%q): step %s: %v", tt.steps, p.Step.Name, p.Err)
			}
			urls = append(urls, p.Request.URL)
		}
		if err != nil || !slices.Equal(urls, tt.want) {
			t.Errorf("Preview(%q) = %q, %v; want %q", tt.steps, urls, err, tt.want)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("Preview sent %d requests, want none", n)
	}
}
