package cmd

import (
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// harOptions is the --har flag of run.
type harOptions struct {
	file string
}

// flags declares --har.
func (o *harOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "har", Usage: "write the run's requests and responses (masked) as HAR 1.2 to `FILE`", Destination: &o.file},
	}
}

// write saves the exchanges of results as HAR, when --har was given.
func (o *harOptions) write(results []*runner.Result) error {
	if o.file == "" {
		return nil
	}
	data, err := convert.ExportHAR(harExchanges(results), version())
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.file, data, 0o600); err != nil {
		return fmt.Errorf("--har: %w", err)
	}
	return nil
}

// harExchanges lists the requests sent, in order. A step's start is the
// run's start plus the durations of the steps before it.
func harExchanges(results []*runner.Result) []convert.HARItem {
	var out []convert.HARItem
	for _, res := range results {
		if res == nil {
			continue
		}
		start := res.Start
		for _, s := range res.Steps {
			begin := start
			start = start.Add(s.Duration)
			if s.Request == nil || s.Response == nil {
				continue
			}
			if begin.IsZero() {
				begin = time.Unix(0, 0)
			}
			out = append(out, convert.HARItem{
				Exchange: exchange.Exchange{Start: begin, Request: s.Request, Response: s.Response},
				Comment:  res.Name + ": " + s.Name,
			})
		}
	}
	return out
}
