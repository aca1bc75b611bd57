package console

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
)

// Runs prints a table of recorded runs: ID, time, kind, collection,
// result and how many exchanges each kept.
func Runs(w io.Writer, runs []*session.RunIndex) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tKIND\tCOLLECTION\tRESULT\tEXCHANGES")
	for _, r := range runs {
		result := "passed"
		if !r.Passed {
			result = "failed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", safetext.Line(r.ID), r.Time.Local().Format("2006-01-02 15:04:05"), safetext.Line(r.Kind), safetext.Line(r.Collection), result, len(r.Exchanges))
	}
	return tw.Flush()
}

// Tokens prints a table of cached tokens: profile, token URL, client ID,
// expiry and whether a refresh token is kept, never a token.
func Tokens(w io.Writer, entries []*auth.Entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tTOKEN URL\tCLIENT ID\tEXPIRES\tREFRESH TOKEN")
	for _, e := range entries {
		expires := "never"
		if !e.Expiry.IsZero() {
			expires = e.Expiry.Local().Format(time.RFC3339)
			if time.Until(e.Expiry) <= 0 {
				expires += " (expired)"
			}
		}
		refresh := "no"
		if e.RefreshToken != "" {
			refresh = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", safetext.Line(e.Profile), safetext.Line(e.TokenURL), safetext.Line(shorten(e.ClientID)), expires, refresh)
	}
	return tw.Flush()
}

// shorten cuts a long client ID for the status table.
func shorten(s string) string {
	if len(s) <= 16 {
		return s
	}
	return s[:12] + "…"
}
