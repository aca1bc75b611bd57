package cmd

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// replayOptions are the flags and arguments of `callsheet replay`.
type replayOptions struct {
	run      string
	steps    cli.StringSlice
	state    string
	timeout  time.Duration
	insecure bool
	caFile   string
	noColor  bool
}

// newReplayCommand is `callsheet replay RUN [--step NAME]`.
func newReplayCommand(sys *system) *cli.Command {
	opts := &replayOptions{}
	return &cli.Command{
		Name:      "replay",
		Usage:     "send the requests of a recorded run again, as they were sent, and show what changed",
		ArgsUsage: "RUN",
		Description: "RUN is a run folder, or the ID `callsheet runs` lists (in ./.callsheet/runs).\n" +
			"Requests are sent byte for byte as recorded (no templating). Secrets were\n" +
			"recorded as placeholders; their values come from the state file the run\n" +
			"would use (saved with --state --state-secrets), or --state=FILE. Each\n" +
			"response is compared with the recorded one: status, headers (except Date)\n" +
			"and a JSON diff of the bodies. The replay is recorded as a run too.",
		OnUsageError: onUsageError("replay"),
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "step", Usage: "replay only the exchanges of step `NAME` (repeatable)", Destination: &opts.steps, KeepSpace: true},
			&cli.StringFlag{Name: "state", Usage: "take secret values from the state `FILE` (default: .callsheet/state.json beside the collection)", Destination: &opts.state},
			&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: 30 * time.Second, Destination: &opts.timeout},
			&cli.BoolFlag{Name: "insecure", Usage: "do not verify TLS certificates", Destination: &opts.insecure},
			&cli.StringFlag{Name: "cacert", Usage: "also trust the PEM certificates in `FILE`", Destination: &opts.caFile},
			&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{err: errors.New("name one recorded run (see `callsheet runs`)"), command: "replay"}
			}
			opts.run = c.Args().First()
			return runReplay(c.Context, sys, opts)
		},
	}
}

// runFolder resolves RUN: a folder with an index, or an ID in
// ./.callsheet/runs.
func runFolder(run string) (string, error) {
	for _, dir := range []string{run, filepath.Join(stateDir, runsDir, run)} {
		if _, err := os.Stat(filepath.Join(dir, indexFile)); err == nil {
			return dir, nil
		}
	}
	return "", &usageError{err: fmt.Errorf("no recorded run %q (see `callsheet runs`)", run), command: "replay"}
}

// replaySecrets reads the secret values for a replay from the state file:
// opts.state, else .callsheet/state.json of the folder holding the run's
// .callsheet.
func replaySecrets(opts *replayOptions, dir string, idx *runIndex) (secrets, vars map[string]any, err error) {
	path := opts.state
	if path == "" {
		// dir is <folder>/.callsheet/runs/<id>.
		path = filepath.Join(filepath.Dir(filepath.Dir(dir)), stateFileName)
	}
	sf, err := readState(path)
	if err != nil {
		return nil, nil, err
	}
	secrets, vars = map[string]any{}, map[string]any{}
	if st := sf.Collections[idx.File]; st != nil {
		for _, m := range []map[string]any{st.Vars, st.Captures} {
			for n, v := range m {
				vars[n] = v
				if st.Secret[n] { // placeholders name secrets only
					secrets[n] = v
				}
			}
		}
	}
	return secrets, vars, nil
}

// replayToken gets a token of the auth profile of a recorded collection:
// from the token cache while it is fresh, else refreshed or granted again.
// The profile is rendered with the saved vars.
func replayToken(ctx context.Context, sys *system, client *http.Client, idx *runIndex, profile string, vars map[string]any) (string, error) {
	c, err := collections.Load(idx.File, collections.Options{Defined: slices.Sorted(maps.Keys(vars))})
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	p, err := runner.ResolveProfile(c, profile, runner.Options{Vars: vars, LookupEnv: sys.lookupEnv})
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	cache, err := fileCache(sys)
	if err != nil {
		return "", err
	}
	src := &auth.Source{Profile: p, Cache: cache, Client: client}
	tok, err := src.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	return tok.AccessToken, nil
}

// runReplay sends a recorded run's requests again and prints, per exchange,
// what changed in the response.
func runReplay(ctx context.Context, sys *system, opts *replayOptions) error {
	dir, err := runFolder(opts.run)
	if err != nil {
		return err
	}
	idx, exchanges, err := readRun(dir)
	if err != nil {
		return err
	}
	only := map[string]bool{}
	for _, s := range opts.steps.Value() {
		only[s] = true
	}
	secrets, vars, err := replaySecrets(opts, dir, idx)
	if err != nil {
		return err
	}
	unchecked := &uncheckedHosts{}
	defer unchecked.warn(sys.stderr) // once the replay is over (--insecure)
	client, err := newClient(clientConfig{caFile: opts.caFile, insecure: opts.insecure, unchecked: unchecked})
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()
	r := runner.New(client)
	st := newStyle(sys, sys.stdout, opts.noColor)

	fmt.Fprintf(sys.stdout, "replay %s: %s (%s)\n", safetext.Line(idx.ID), safetext.Line(idx.Collection), safetext.Line(idx.File))
	replay := &runIndex{Time: time.Now().UTC(), Kind: "replay", Collection: idx.Collection, File: idx.File, Replayed: idx.ID, Passed: true}
	var sent []*runner.Exchange
	outcomes := map[string]string{}
	code := ExitOK
	for _, ex := range exchanges {
		if len(only) > 0 && !only[ex.Step] {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		label := safetext.Line(ex.Step + "  " + ex.Request.Method + " " + ex.Request.URL)
		if p := ex.Request.Auth; p != "" && secrets["auth:"+p] == nil {
			if tok, err := replayToken(ctx, sys, client, idx, p, vars); err == nil {
				secrets["auth:"+p] = tok
			} else {
				fmt.Fprintf(sys.stdout, "  %s %s\n", st.red("✘"), safetext.Line(err.Error()))
			}
		}
		resp, err := r.ReplayExchange(ctx, ex, secrets, opts.timeout)
		if err != nil {
			fmt.Fprintf(sys.stdout, "  %s %s\n      %s\n", st.red("✘"), label, safetext.Line(err.Error()))
			code = worse(code, ExitError)
			replay.Passed = false
			outcomes[ex.Step] = runner.Errored.String()
			continue
		}
		sent = append(sent, &runner.Exchange{Step: ex.Step, Request: ex.Request, Response: resp})
		if ex.Response == nil {
			fmt.Fprintf(sys.stdout, "  %s %s  %d  (nothing recorded to compare)\n", st.yellow("?"), label, resp.Status)
			continue
		}
		d := runner.DiffResponses(ex.Response, resp)
		if d.Empty() {
			fmt.Fprintf(sys.stdout, "  %s %s  %d  unchanged\n", st.green("="), label, resp.Status)
			outcomes[ex.Step] = "unchanged"
			continue
		}
		outcomes[ex.Step] = "changed"
		fmt.Fprintf(sys.stdout, "  %s %s  %s\n", st.yellow("~"), label, statusChange(d))
		for _, h := range d.Headers {
			fmt.Fprintf(sys.stdout, "      header %s\n", safetext.Line(h.String()))
		}
		for _, b := range d.Body {
			fmt.Fprintf(sys.stdout, "      body %s\n", safetext.Line(b.String()))
		}
	}
	if len(only) > 0 && len(sent) == 0 && code == ExitOK {
		return &usageError{err: fmt.Errorf("run %s has no exchange of step %s", idx.ID, quoteNames(opts.steps.Value())), command: "replay"}
	}
	rec, err := writeRun(filepath.Dir(dir), replay, sent, outcomes)
	if err != nil {
		return err
	}
	fmt.Fprintf(sys.stdout, "%s %s\n", st.dim("recorded:"), safetext.Line(rec))
	return codeError(code)
}

// statusChange describes the status of a diff: "200" or "200 -> 404".
func statusChange(d *runner.ResponseDiff) string {
	if d.OldStatus == d.NewStatus {
		return fmt.Sprint(d.NewStatus)
	}
	return fmt.Sprintf("%d -> %d", d.OldStatus, d.NewStatus)
}

// quoteNames quotes names and joins them with commas.
func quoteNames(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}
