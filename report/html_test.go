package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, fixture()); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	page := b.String()
	tests := []struct {
		name string
		bad  string
	}{
		{"no script from a response", "<script>"},
		{"no markup from a collection name", "<admins>"},
		{"no external resource", "http-equiv"},
		{"no stylesheet link", "<link"},
		{"no src attribute", " src="},
		{"no raw escape", "\x1b"},
	}
	for _, tt := range tests {
		if strings.Contains(page, tt.bad) {
			t.Errorf("%s: page contains %q", tt.name, tt.bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "users &amp; &lt;admins&gt;", "<details", "1 passed", "1 failed"} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not contain %q", want)
		}
	}
}
