package runner

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
)

// Options configures one run of a collection. The groups are embedded, so
// that their fields read as Options' own (opts.Timeout, opts.KeepBodies).
type Options struct {
	// Vars override the collection's vars: values from --env-file, then
	// --var (and the sandbox's), already merged by the caller. Captures
	// override them in turn for later steps.
	Vars map[string]any
	// Secrets names further variables whose values are masked.
	Secrets []string
	// LookupEnv reads env.NAME; nil sees no environment (os.LookupEnv in the
	// CLI).
	LookupEnv func(string) (string, bool)
	// State restores what an earlier run saved: its captures, as if their
	// steps had run, and its vars beneath everything that defines them now.
	State *State
	// States holds saved states by collection file (Collection.File), for
	// runs of several collections; State, when set, wins.
	States map[string]*State
	// Select picks the steps to run (the zero value runs all).
	Select Selection
	// Continue runs the remaining steps after a failed one.
	Continue bool
	// Strict fails a request step that checks nothing (no expect:),
	// with ErrNoCheck, so that no step passes on any response.
	Strict bool
	// UpdateSnapshots rewrites every snapshot file with the response
	// instead of comparing.
	UpdateSnapshots bool

	Limits
	AuthOptions
	Person
	Retention

	// OnStep, when set, is called after each step with its result, for live
	// progress.
	OnStep func(*StepResult)
	// OnFinal, when set, is called with each step's result, in order,
	// once it is final: when no later step of the collection (nor a
	// finally: step) captures a secret that may have appeared in it, or
	// at the end of the run, masked again with the secrets captured
	// since OnStep saw it. A report written from OnFinal holds every
	// secret masked without keeping the run's results: with secrets
	// captured early (a login), every later step is final as it ends.
	OnFinal func(*StepResult)
	// OnMeasure, when set, is called after each step, before OnStep,
	// with its figures: a Measure holds no text a secret could be in,
	// so it needs no masking. With Retention.CountPassed, the steps that
	// passed or were skipped reach OnMeasure alone, and are never masked
	// (a load test counts them; only its failures are read whole).
	OnMeasure func(Measure)

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits between retries and for delay:; nil waits with a timer.
	// It returns early with ctx's error when ctx is done.
	Sleep func(ctx context.Context, d time.Duration) error
	// Templates configures the template functions: the clock of now() and
	// the random source of uuid(), random_int and the others.
	Templates TemplateOptions
}

// Limits bound what a run spends and keeps.
type Limits struct {
	// Timeout bounds each request (connect, headers and whole body) unless
	// the step or the collection's defaults set one; 0 means 30s.
	Timeout time.Duration
	// MaxBody caps each response body in bytes, counted after
	// decompression; a larger body errors the step with a
	// *BodyLimitError. 0 means DefaultMaxBody (50 MiB).
	MaxBody int64
	// MaxRedirects is how many redirects a request follows; 0 means
	// DefaultMaxRedirects (10) and a negative value follows none. A loop
	// or a Location that is not http(s) errors the step with a
	// *RedirectError.
	MaxRedirects int
	// MaxTime bounds the whole run; the step under way when it expires
	// errors with a *MaxTimeError cause and the rest are not run. 0 means
	// no bound beyond the per-request timeouts.
	MaxTime time.Duration
	// BodyLimit is how many bytes of each request and response body a
	// result keeps; 0 means 64 KiB, negative keeps none.
	BodyLimit int
}

// AuthOptions configure the auth profiles and the authorize steps.
type AuthOptions struct {
	// AutoAuthorize makes every authorize step fetch the authorization URL
	// and take the code from the redirect (the sandbox approves at once).
	AutoAuthorize bool
	// TokenCache stores the tokens of auth profiles; nil keeps them in
	// memory for this run only. Pass one auth.FileCache (or one
	// auth.MemoryCache) to every run to share tokens between them.
	TokenCache auth.Cache
	// AllowInsecureHTTP lets secrets (tokens, client secrets, credential
	// headers) go over plain http:// to hosts that are not loopback.
	AllowInsecureHTTP bool
	// LoginFlags are the flags, shell-quoted, that the `callsheet auth
	// login` command suggested by an auth error needs to reach the same
	// server as the run (auth.Source.LoginFlags).
	LoginFlags string
}

// Person says whether a person is at a terminal, and how to reach them:
// an authorization that needs someone to approve it asks them.
type Person struct {
	// Interactive says a person is at a terminal: an out-of-band authorize
	// step prints the URL to Prompt and reads the code from PromptIn.
	Interactive bool
	PromptIn    io.Reader
	Prompt      io.Writer
	// OpenBrowser opens a URL for a person; nil opens nothing.
	OpenBrowser func(url string) error
}

// Retention says what a run keeps of each result beyond what every result
// holds; Options.Need sets it from what the run's consumers need.
type Retention struct {
	// KeepBodies keeps the body excerpts of steps that passed. Without
	// it, only steps that did not pass (failed or errored) keep their
	// request and response bodies, which is all that explaining a failure
	// needs; a passed step's Request.Body and Response.Body are nil
	// (their sizes stay), so that long runs hold little memory, and they
	// are never masked. Set it for a consumer that shows passed steps'
	// bodies (a verbose console, a JSON or HTML report, a HAR file).
	// until: still sees the response body.
	KeepBodies bool
	// Summaries keeps of the steps that passed or were skipped only
	// their number, in Result.Dropped, once OnFinal has seen them whole:
	// Result.Steps holds the steps that failed, errored or did not run,
	// whole. A collection of many steps then holds nothing per passed
	// step. Set it when nothing after OnFinal reads passed steps (the
	// summary line, reports written from OnFinal).
	Summaries bool
	// CountPassed counts the steps that passed or were skipped as they
	// end, in Result.Unseen, and does nothing else with them: they are
	// not held, masked again, recorded or given to OnStep or OnFinal.
	// Set it when no consumer reads such steps (a quiet console and no
	// report): a long run then keeps nothing of them.
	CountPassed bool
	// Exchanges sets StepResult.Exchange, the recorded form of each step's
	// exchange, for a consumer that prints requests with their secrets
	// named (the curl lines of -vv).
	Exchanges bool
	// Record keeps each exchange, secret-free, in Result.Exchanges.
	Record bool
	// NoState leaves Result.State nil, for runs whose consumers save no
	// state (a load test's iterations, a run without --watch or a state
	// file): building it copies every variable of the scope.
	NoState bool
}

// Needs is what a consumer of a run's results reads of them beyond what
// every result holds. A run keeps what one of its consumers needs and no
// more (Options.Need), so that a long run holds little memory.
type Needs struct {
	// Bodies are the body excerpts of the steps that passed
	// (Retention.KeepBodies).
	Bodies bool
	// Steps are the steps that passed or were skipped, whole in
	// Result.Steps once the run ended; without them a run keeps their
	// number (Retention.Summaries).
	Steps bool
	// Passed are the steps that passed or were skipped, given to OnStep
	// and OnFinal as they end; without them a run only counts them
	// (Retention.CountPassed).
	Passed bool
	// Exchanges are the recorded form of each step's exchange,
	// StepResult.Exchange (Retention.Exchanges).
	Exchanges bool
	// Recording is every exchange of the run, in Result.Exchanges
	// (Retention.Record).
	Recording bool
	// State is the variables and captures the run ends with, in
	// Result.State (else Retention.NoState).
	State bool
}

// Or returns what n or m needs.
func (n Needs) Or(m Needs) Needs {
	return Needs{
		Bodies:    n.Bodies || m.Bodies,
		Steps:     n.Steps || m.Steps,
		Passed:    n.Passed || m.Passed,
		Exchanges: n.Exchanges || m.Exchanges,
		Recording: n.Recording || m.Recording,
		State:     n.State || m.State,
	}
}

// Need sets the Retention of o to what n needs.
func (o *Options) Need(n Needs) {
	read := n.Bodies || n.Steps || n.Passed || n.Exchanges || n.Recording // of the passed steps
	o.Retention = Retention{KeepBodies: n.Bodies, Summaries: !n.Steps, CountPassed: !read,
		Exchanges: n.Exchanges, Record: n.Recording, NoState: !n.State}
}

// TemplateOptions makes the template functions of a run reproducible.
type TemplateOptions struct {
	// Seed, when Seeded is set, seeds the random source of uuid(), ulid(),
	// random_int, random_string and pkce_verifier(): a run with the same
	// seed produces the same values.
	Seed   uint64
	Seeded bool
	// Now, when set, is the clock of now(), unix() and ulid(); a function
	// returning a fixed time freezes it. Durations are not affected.
	Now func() time.Time
}

// runtime builds the template runtime of a run of c: its own random source
// and clock, and the collection's folder for file().
func (o TemplateOptions) runtime(c *collections.Collection) eval.Runtime {
	rt := eval.Runtime{Now: o.Now}
	if o.Seeded {
		rt.Rand = eval.NewRand(o.Seed, true)
	} // else seeded from crypto/rand when a function first needs it
	if c.File != "" {
		rt.Dir = filepath.Dir(c.File)
	}
	return rt
}

// Runner runs collections with one HTTP client. A Runner is safe for
// concurrent use; each Run has its own variables and cookie jar.
type Runner struct {
	// Client sends every request. Its Transport (TLS settings, proxy) is
	// shared; Run copies the client to give each run its own cookie jar.
	Client *http.Client
	// contracts keeps the OpenAPI descriptions of the collections run
	// (contract.go).
	contracts contractCache
}

// New returns a Runner that sends requests with client (http.DefaultClient
// when nil).
func New(client *http.Client) *Runner {
	if client == nil {
		client = http.DefaultClient
	}
	return &Runner{Client: client}
}
