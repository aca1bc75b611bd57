// Command callsheet is callsheet's side of the chain benchmark: it loads
// the bundled collection procore/first-call and runs it with the runner
// against the sandbox N times, as `callsheet run --sandbox` would, with the
// same options the CLI sets (auto-authorize, masking, 64 KiB bodies kept).
//
//	go run ./bench/callsheet -n 300
package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/callsheet/callsheet/bench/internal/harness"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
)

func main() {
	harness.Main("callsheet", setup)
}

func setup(t harness.Target) (harness.Chain, error) {
	vars := map[string]any{
		"login_url":     t.URL,
		"base_url":      t.URL,
		"client_id":     sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret,
		"company_id":    int64(sandbox.DemoCompanyID),
	}
	defined := make([]string, 0, len(vars))
	for name := range vars {
		defined = append(defined, name)
	}
	c, err := collections.LoadBundled("procore/first-call", collections.Options{Defined: defined})
	if err != nil {
		return nil, err
	}
	r := runner.New(t.Client)
	opts := runner.Options{
		Vars:          vars,
		Secrets:       []string{"client_secret"},
		AutoAuthorize: true,
		BodyLimit:     64 << 10,
	}
	return func(ctx context.Context) error {
		res := r.Run(ctx, c, opts)
		if res.Err != nil {
			return res.Err
		}
		for _, s := range res.Steps {
			if s.Outcome != runner.Passed {
				return fmt.Errorf("step %q: %s: %w", s.Name, s.Outcome, errors.Join(s.Err))
			}
		}
		return nil
	}, nil
}
