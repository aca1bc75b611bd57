package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// checkContracts loads the OpenAPI descriptions the collections name
// (runner.CheckContracts) and prints, on w, a warning for each request
// step whose method and path match no operation. It returns the
// collections whose descriptions loaded, and the errors of the others,
// rendered on w as load errors are. Unmatched steps do not change the
// exit code: a URL built at run time may still match.
func checkContracts(ctx context.Context, w io.Writer, st console.Style, cols []*collections.Collection) ([]*collections.Collection, []error) {
	var ok []*collections.Collection
	var errs []error
	for _, c := range cols {
		unmatched, err := runner.CheckContracts(ctx, c)
		if ce, isOne := err.(*collections.Error); isOne {
			err = collections.ErrorList{ce} // rendered with its source line
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, u := range unmatched {
			fmt.Fprintln(w, st.Yellow("warning:")+" "+safetext.Line(u.String()))
		}
		ok = append(ok, c)
	}
	return ok, errs
}
