package runner

import (
	"io"
	"net/http"
	"time"
)

// Options configures one run of a collection.
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
	// Timeout bounds each request (connect, headers and whole body) unless
	// the step or the collection's defaults set one; 0 means 30s.
	Timeout time.Duration
	// Continue runs the remaining steps after a failed one.
	Continue bool
	// AutoAuthorize makes every authorize step fetch the authorization URL
	// and take the code from the redirect (the sandbox approves at once).
	AutoAuthorize bool
	// Interactive says a person is at a terminal: an out-of-band authorize
	// step prints the URL to Prompt and reads the code from PromptIn.
	Interactive bool
	PromptIn    io.Reader
	Prompt      io.Writer
	// OpenBrowser opens a URL for a person; nil opens nothing.
	OpenBrowser func(url string) error
	// BodyLimit is how many bytes of each request and response body a
	// result keeps; 0 means 64 KiB, negative keeps none.
	BodyLimit int
	// OnStep, when set, is called after each step with its result, for live
	// progress.
	OnStep func(*StepResult)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Runner runs collections with one HTTP client. A Runner is safe for
// concurrent use; each Run has its own variables and cookie jar.
type Runner struct {
	// Client sends every request. Its Transport (TLS settings, proxy) is
	// shared; Run copies the client to give each run its own cookie jar.
	Client *http.Client
}

// New returns a Runner that sends requests with client (http.DefaultClient
// when nil).
func New(client *http.Client) *Runner {
	if client == nil {
		client = http.DefaultClient
	}
	return &Runner{Client: client}
}
