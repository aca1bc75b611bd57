package console

import (
	"strings"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

func TestWriteDetailsEscapes(t *testing.T) {
	// Details quote the response (a snapshot's text lines, schema
	// violations, an expression's operands): they are escaped like it.
	hostile := "\x1b[2J\n::add-mask::x"
	for _, subject := range []string{"expression `res.body == \"\"`", "body snapshot"} {
		var b strings.Builder
		writeDetails(&b, &runner.CheckResult{Subject: subject, Details: []string{hostile, "plain"}})
		got := b.String()
		if strings.Contains(got, "\x1b") || strings.Contains(got, "\n::") || !strings.Contains(got, `\x1b[2J\n:\x3aadd-mask::x`) {
			t.Errorf("writeDetails(Subject: %q, Details: %q) = %q, want the details escaped", subject, hostile, got)
		}
		if !strings.Contains(got, "plain") {
			t.Errorf("writeDetails(Subject: %q) = %q, want it to hold the detail \"plain\"", subject, got)
		}
	}
}
