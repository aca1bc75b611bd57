package session

import (
	"context"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// CheckContracts loads the OpenAPI descriptions the collections name
// (runner.CheckContracts), for `callsheet validate`. It returns the
// collections whose descriptions loaded, the request steps of those
// whose method and path match no operation, and an error for each of
// the others, a collections.Error made an ErrorList so that it renders
// with its source line. An unmatched step is a warning, not an error: a
// URL built at run time may still match.
func CheckContracts(ctx context.Context, cols []*collections.Collection) (ok []*collections.Collection, unmatched []runner.UnmatchedStep, errs []error) {
	for _, c := range cols {
		u, err := runner.CheckContracts(ctx, c)
		if ce, isOne := err.(*collections.Error); isOne {
			err = collections.ErrorList{ce}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		unmatched = append(unmatched, u...)
		ok = append(ok, c)
	}
	return ok, unmatched, errs
}
