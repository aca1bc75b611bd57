package runner

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestScalarsSentAsWritten checks that vars and header, query and form
// values YAML would read as another number (or as a boolean or a date in
// YAML 1.1) are sent as the text the user wrote.
func TestScalarsSentAsWritten(t *testing.T) {
	var (
		mu   sync.Mutex
		seen *http.Request
		form string
	)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		r.ParseForm()
		seen = r
		form = r.PostForm.Encode()
	})).URL
	values := []string{"NO", "1.10", "01234", "0x1F", "2024-01-02", "0o17", "1e3", "+12", "1_000", "18446744073709551616", "yes", "off", "~x"}
	var vars, query, headers, fields strings.Builder
	for i, v := range values {
		name := string(rune('a' + i))
		vars.WriteString("  " + name + ": " + v + "\n")
		query.WriteString("      q" + name + ": \"{{ " + name + " }}\"\n      w" + name + ": " + v + "\n")
		headers.WriteString("      X-" + name + ": " + v + "\n")
		fields.WriteString("      " + name + ": \"{{ " + name + " }}\"\n")
	}
	src := "vars:\n" + vars.String() +
		"steps:\n  - name: send\n    POST: \"{{ base }}/\"\n    query:\n" + query.String() +
		"    headers:\n" + headers.String() + "    form:\n" + fields.String()
	res := runYAML(t, src, map[string]any{"base": base})
	wantOutcomes(t, res, "passed")

	mu.Lock()
	defer mu.Unlock()
	q := seen.URL.Query()
	for i, v := range values {
		name := string(rune('a' + i))
		if got := q.Get("q" + name); got != v {
			t.Errorf("query q%s from var %s = %q, want %q", name, v, got, v)
		}
		if got := q.Get("w" + name); got != v {
			t.Errorf("query w%s written %s = %q, want %q", name, v, got, v)
		}
		if got := seen.Header.Get("X-" + name); got != v {
			t.Errorf("header X-%s written %s = %q, want %q", name, v, got, v)
		}
		if got := seen.PostForm.Get(name); got != v {
			t.Errorf("form field %s from var %s = %q, want %q (form %s)", name, v, got, v, form)
		}
	}
}

// TestPlainNumbersKeepTheirType checks that numbers written in their plain
// form stay numbers: a JSON body gets numbers, not strings.
func TestPlainNumbersKeepTheirType(t *testing.T) {
	var (
		mu   sync.Mutex
		body []byte
	)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		body = make([]byte, r.ContentLength)
		r.Body.Read(body)
	})).URL
	src := "vars:\n  n: 42\n  f: 2.5\n  neg: -7\n  v: 1.10\nsteps:\n  - name: send\n    POST: \"{{ base }}/\"\n    json:\n      n: \"{{ n }}\"\n      f: \"{{ f }}\"\n      neg: \"{{ neg }}\"\n      v: \"{{ v }}\"\n      sum: \"{{ n + 1 }}\"\n"
	res := runYAML(t, src, map[string]any{"base": base})
	wantOutcomes(t, res, "passed")
	mu.Lock()
	defer mu.Unlock()
	if want := `{"n":42,"f":2.5,"neg":-7,"v":"1.10","sum":43}`; string(body) != want {
		t.Errorf("JSON body = %s, want %s", body, want)
	}
}
