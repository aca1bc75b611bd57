package console

import (
	"fmt"
	"io"
	"strings"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// Replayed prints what came back for one exchange of a recorded run sent
// again (`callsheet replay`): unchanged, or what changed.
func Replayed(w io.Writer, st Style, rp *session.Replayed) {
	ex := rp.Exchange
	if ex.Message != nil {
		replayedMessage(w, st, rp)
		return
	}
	label := safetext.Line(ex.Step + "  " + ex.Request.Method + " " + ex.Request.URL)
	if rp.TokenErr != nil {
		fmt.Fprintf(w, "  %s %s\n", st.Red("✘"), safetext.Line(rp.TokenErr.Error()))
	}
	switch d := rp.Diff; {
	case rp.Err != nil:
		fmt.Fprintf(w, "  %s %s\n      %s\n", st.Red("✘"), label, safetext.Line(rp.Err.Error()))
	case d == nil:
		fmt.Fprintf(w, "  %s %s  %d  (nothing recorded to compare)\n", st.Yellow("?"), label, rp.Response.Status)
	case d.Empty():
		fmt.Fprintf(w, "  %s %s  %d  unchanged\n", st.Green("="), label, rp.Response.Status)
	default:
		fmt.Fprintf(w, "  %s %s  %s\n", st.Yellow("~"), label, statusChange(d))
		changes(w, d)
	}
}

// replayedMessage prints what became of one recorded message: sent again,
// or received again, unchanged or with what changed.
func replayedMessage(w io.Writer, st Style, rp *session.Replayed) {
	m := rp.Exchange.Message
	label := safetext.Line(rp.Exchange.Step + "  " + strings.ToUpper(m.Action) + " " + m.URL)
	switch d := rp.Diff; {
	case rp.Err != nil:
		fmt.Fprintf(w, "  %s %s\n      %s\n", st.Red("✘"), label, safetext.Line(rp.Err.Error()))
	case d == nil:
		fmt.Fprintf(w, "  %s %s  sent (%s)\n", st.Green("="), label, Plural(int(rp.Message.Size), "byte"))
	case d.Empty():
		fmt.Fprintf(w, "  %s %s  received, unchanged\n", st.Green("="), label)
	default:
		fmt.Fprintf(w, "  %s %s  received, changed\n", st.Yellow("~"), label)
		changes(w, d)
	}
}

// changes prints the header and body changes of d, one a line.
func changes(w io.Writer, d *runner.ResponseDiff) {
	for _, h := range d.Headers {
		fmt.Fprintf(w, "      header %s\n", safetext.Line(h.String()))
	}
	for _, b := range d.Body {
		fmt.Fprintf(w, "      body %s\n", safetext.Line(b.String()))
	}
}

// statusChange describes the status of a diff: "200" or "200 -> 404".
func statusChange(d *runner.ResponseDiff) string {
	if d.OldStatus == d.NewStatus {
		return fmt.Sprint(d.NewStatus)
	}
	return fmt.Sprintf("%d -> %d", d.OldStatus, d.NewStatus)
}
