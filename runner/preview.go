package runner

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
)

// Preview is one step's request rendered without sending it: its recorded
// form (exchange.Recorded), with every secret named and every value only a
// run would know standing as a placeholder.
type Preview struct {
	Step *collections.Step
	// Request is nil when the step sends no request of its own (an include:)
	// or Err says why it could not be rendered.
	Request *exchange.Recorded
	Err     error
}

// Preview renders the request of every step of c, in order, without
// sending anything, for exporters (`callsheet export curl`). It renders
// with the one renderer a run uses, and the Recorded form names what a run
// would fill in:
//
//   - the value of a secret, given or written in the collection, is never
//     shown: it stands as {{secret:NAME}};
//   - a capture, an unset environment variable or a variable that does not
//     evaluate stands as {{secret:NAME}} too (its value is unknown);
//   - an auth profile's token stands as {{auth:PROFILE}};
//   - a value a function computes from any of them is listed in
//     Request.Computed.
//
// An authorize step's Request holds the authorization URL.
func (r *Runner) Preview(c *collections.Collection, opts Options) []*Preview {
	opts.Exchanges = true
	rn := newRun(r.Client, c, opts)
	scope := eval.NewScope(rn.standInEnv(opts.LookupEnv))
	scope.SetRuntime(opts.Templates.runtime(c))
	rn.setScope(scope)
	rn.previewScope()
	out := make([]*Preview, 0, len(c.Steps))
	for _, s := range c.Steps {
		out = append(out, rn.preview(s))
		for _, cp := range s.Captures {
			if _, given := opts.Vars[cp.Name]; !given || cp.Secret || rn.secretNames[cp.Name] {
				rn.standIn(cp.Name)
			}
		}
	}
	return out
}

// previewScope sets the variables as a run would, except that the value of
// a secret, and a variable that does not evaluate, stand in for themselves.
func (rn *run) previewScope() {
	for name, v := range rn.opts.Vars {
		rn.scope.Set(name, normalizeInt(v))
	}
	for _, v := range rn.coll.Vars {
		if _, overridden := rn.opts.Vars[v.Name]; overridden {
			continue
		}
		x, err := v.Value.Render(rn.scope)
		if err != nil {
			rn.standIn(v.Name)
			continue
		}
		rn.scope.Set(v.Name, x) // a secret's value stands in below
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range rn.secretNames {
			if !yield(n) {
				return
			}
		}
	}) {
		if v, ok := rn.scope.Get(name); ok {
			addNamed(rn.mask, name, v) // where it is written as it is
			rn.standIn(name)
		}
	}
}

// standIn gives name a value that stands for it, named with the masker, so
// that the recorded form shows its placeholder wherever it was sent: a
// unique value whose quote URL and JSON encoding change, so that the
// placeholder says how it was encoded there ({{secret:name:query}} in a
// query, {{secret:name:json}} in a JSON string).
func (rn *run) standIn(name string) {
	v := standInValue()
	rn.secretNames[name] = true
	addNamed(rn.mask, name, v)
	rn.scope.Set(name, v)
}

// standInValue returns a new stand-in value.
func standInValue() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "cs" + hex.EncodeToString(b[:]) + `"x`
}

// standInEnv reads environment variables through lookup; one that is not
// set stands in for itself.
func (rn *run) standInEnv(lookup func(string) (string, bool)) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if lookup != nil {
			if v, ok := lookup(name); ok {
				return v, true
			}
		}
		v := standInValue()
		addNamed(rn.mask, name, v)
		return v, true
	}
}

// preview renders one step.
func (rn *run) preview(s *collections.Step) *Preview {
	p := &Preview{Step: s}
	switch {
	case s.Authorize() != nil:
		req, err := rn.render.authorizeRequest(s.Authorize())
		if err != nil {
			p.Err = rn.mask.Err(err)
			return p
		}
		u, _ := rn.mask.Placeholders(req.URL(""))
		p.Request = &exchange.Recorded{Request: exchange.Request{Method: http.MethodGet, URL: u}}
	case s.Request() != nil:
		req, err := rn.render.request(s.Request())
		if err != nil {
			p.Err = rn.mask.Err(err)
			return p
		}
		auth := ""
		if s.Auth != "" {
			auth = s.Auth
			setBearer(req, "cs-token-"+strings.ReplaceAll(s.Auth, " ", "-"))
		}
		p.Request = &rn.rec.recorded(s.Name, &rawExchange{auth: auth, request: req}).Request
	}
	return p
}
