package cmd

import "github.com/urfave/cli/v2"

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
