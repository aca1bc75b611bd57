package runner

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

func TestPlaceholdersRoundTrip(t *testing.T) {
	secrets := map[string]string{"token": "tok/en+1=2", "pw": "p\"w", "TOKEN": "TOKEN", "word": "secret"}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "Bearer tok/en+1=2", want: "Bearer {{secret:token}}"},
		{name: "query escaped", in: "a=tok%2Fen%2B1%3D2", want: "a={{secret:token:query}}"},
		{name: "base64", in: "Basic dG9rL2VuKzE9Mg==", want: "Basic {{secret:token:base64}}"},
		{name: "json escaped", in: `{"p":"p\"w"}`, want: `{"p":"{{secret:pw:json}}"}`},
		{name: "value equal to its name", in: "Bearer TOKEN", want: "Bearer {{secret:TOKEN}}"},
		{name: "value inside a placeholder's words", in: "a secret and TOKEN", want: "a {{secret:word}} and {{secret:TOKEN}}"},
		{name: "no secret", in: "hello", want: "hello"},
	}
	m := mask.New()
	for _, name := range slices.Sorted(maps.Keys(secrets)) {
		addNamed(m, name, secrets[name])
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, masked := m.Placeholders(tt.in)
			if got != tt.want || masked {
				t.Fatalf("placeholders(%q) = %q, %v, want %q, false", tt.in, got, masked, tt.want)
			}
			req := &exchange.Recorded{Request: exchange.Request{Method: "POST", URL: "http://h/?" + got, Header: exchange.Header{{Name: "X", Value: got}}, Body: []byte(got)}}
			sent, err := req.Restore(secrets)
			if err != nil {
				t.Fatalf("Restore() error = %v", err)
			}
			if sent.URL != "http://h/?"+tt.in || sent.Header.Get("X") != tt.in || string(sent.Body) != tt.in {
				t.Errorf("Restore() = %q, %q, %q, want %q everywhere", sent.URL, sent.Header.Get("X"), sent.Body, tt.in)
			}
		})
	}
}

func TestRestoreErrors(t *testing.T) {
	_, err := (&exchange.Recorded{Request: exchange.Request{URL: "http://h/{{secret:token}}"}}).Restore(nil)
	var me *exchange.MissingSecretsError
	if !errors.As(err, &me) || !slices.Equal(me.Names, []string{"token"}) {
		t.Errorf("Restore() without the value: error = %v, want MissingSecretsError{token}", err)
	}
	_, err = (&exchange.Recorded{Request: exchange.Request{URL: "http://h/"}, Masked: true}).Restore(nil)
	if !errors.Is(err, exchange.ErrMaskedRequest) {
		t.Errorf("Restore() of a masked request: error = %v, want ErrMaskedRequest", err)
	}
}

func TestDiffBodies(t *testing.T) {
	tests := []struct {
		name     string
		old, cur string
		want     []string
	}{
		{name: "same", old: `{"a":1}`, cur: `{"a":1}`},
		{name: "same after reformatting", old: `{"a": 1, "b": [1,2]}`, cur: `{"b":[1,2],"a":1}`},
		{name: "changed value", old: `{"a":{"b":1}}`, cur: `{"a":{"b":2}}`, want: []string{"~ a.b: 1 -> 2"}},
		{name: "type change", old: `{"id":1}`, cur: `{"id":"1"}`, want: []string{`~ id: 1 -> "1"`}},
		{name: "added and removed", old: `{"a":1,"x.y":2}`, cur: `{"a":1,"c":[true]}`, want: []string{"+ c: [true]", `- x\.y: 2`}},
		{name: "array grows", old: `[1]`, cur: `[1,{"k":null}]`, want: []string{`+ 1: {"k":null}`}},
		{name: "not JSON", old: `{"a":1}`, cur: `<html>`, want: []string{"~ (body): 7 bytes -> 6 bytes (not JSON)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range diffBodies([]byte(tt.old), []byte(tt.cur)) {
				got = append(got, c.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("diffBodies(%s, %s) =\n%s\nwant\n%s", tt.old, tt.cur, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDiffResponsesIgnoresDate(t *testing.T) {
	old := &exchange.Response{Status: 200, Header: exchange.Header{{Name: "Date", Value: "Mon"}, {Name: "Etag", Value: "1"}}}
	cur := &exchange.Response{Status: 404, Header: exchange.Header{{Name: "Date", Value: "Tue"}, {Name: "Etag", Value: "2"}}}
	d := DiffResponses(old, cur)
	if d.OldStatus != 200 || d.NewStatus != 404 || len(d.Headers) != 1 || d.Headers[0].String() != "~ Etag: 1 -> 2" {
		t.Errorf("DiffResponses() = %+v, want status 200 -> 404 and only Etag changed", d)
	}
}

// TestReplayRedirectDropsSecrets checks that a replayed request follows
// redirects as a run does: a redirect to another origin (here another
// port of the same host, which Go's own policy trusts) does not carry the
// Authorization header or a header holding a secret.
func TestReplayRedirectDropsSecrets(t *testing.T) {
	seen := make(chan http.Header, 1)
	other := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
	}))
	first := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
	}))
	req := &exchange.Recorded{
		Request: exchange.Request{
			Method: http.MethodGet,
			URL:    first.URL + "/start",
			Header: exchange.Header{{Name: "Authorization", Value: "Bearer {{secret:tok}}"}, {Name: "X-Key", Value: "{{secret:tok}}"}, {Name: "X-Plain", Value: "kept"}},
		},
		Secrets: []string{"tok"},
	}
	resp, err := New(first.Client()).Replay(t.Context(), req, map[string]any{"tok": "replay-secret-1"}, testTimeout)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("Replay() = %v, %v; want status 200", resp, err)
	}
	h := <-seen
	if h.Get("Authorization") != "" || h.Get("X-Key") != "" || h.Get("X-Plain") != "kept" {
		t.Errorf("the other origin got Authorization %q, X-Key %q, X-Plain %q; want none, none, kept", h.Get("Authorization"), h.Get("X-Key"), h.Get("X-Plain"))
	}
}
