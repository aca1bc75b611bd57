package runner

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
)

// codeVar is the variable that, when given in Options.Vars (--var code=…),
// supplies the authorization code so that authorize steps do not run the
// flow. A code captured by an earlier authorize step does not count.
const codeVar = "code"

// takesCode reports whether c, or a collection it includes, has an
// authorize step: a step that takes the value of codeVar in Options.Vars
// as its authorization code. Only then is that value a secret; in other
// collections code is a variable like any other.
func takesCode(c *collections.Collection) bool {
	seen := map[*collections.Collection]bool{}
	var walk func(*collections.Collection) bool
	walk = func(c *collections.Collection) bool {
		if c == nil || seen[c] {
			return false
		}
		seen[c] = true
		for _, s := range slices.Concat(c.Steps, c.Finally) {
			if s.Authorize() != nil || s.Include() != nil && walk(s.Include().Collection) {
				return true
			}
		}
		return false
	}
	return walk(c)
}

// authorize runs an authorize step: it renders the request, obtains a code
// (from the code variable, or with auth.Authorizer in the mode auth picks)
// and returns the grant as a JSON subject {"code", "state",
// "code_verifier", "redirect_uri"} for the step's checks and captures. The
// code and verifier are secret.
func (rn *run) authorize(ctx context.Context, a *collections.Authorize, sr *StepResult) (*subject, error) {
	req, err := rn.render.authorizeRequest(a)
	if err != nil {
		return nil, err
	}
	var grant auth.Grant
	if code, ok := rn.opts.Vars[codeVar]; ok {
		grant = auth.Grant{Code: eval.Stringify(code), RedirectURI: req.RedirectURI}
	} else if grant, err = rn.runAuthorize(ctx, a, req, sr); err != nil {
		return nil, err
	}
	rn.mask.Add(grant.Code)
	rn.mask.Add(grant.CodeVerifier)
	body, err := json.Marshal(map[string]string{
		"code":          grant.Code,
		"state":         grant.State,
		"code_verifier": grant.CodeVerifier,
		"redirect_uri":  grant.RedirectURI,
	})
	if err != nil {
		return nil, err
	}
	return &subject{body: body}, nil
}

// authorizeRequest renders the templates of an authorize step.
func (rd *renderer) authorizeRequest(a *collections.Authorize) (auth.Request, error) {
	req := auth.Request{PKCE: a.PKCE}
	var scope string
	for _, f := range []struct {
		t   *collections.Template
		dst *string
	}{{a.URL, &req.AuthURL}, {a.ClientID, &req.ClientID}, {a.RedirectURI, &req.RedirectURI}, {a.Scope, &scope}} {
		if f.t == nil {
			continue
		}
		v, err := f.t.Render(rd.scope)
		if err != nil {
			return auth.Request{}, err
		}
		*f.dst = v
	}
	req.Scopes = strings.Fields(scope)
	return req, nil
}

// runAuthorize obtains a code with auth.Authorizer. Only the automatic mode
// is bounded by the request timeout: the others wait for a person.
func (rn *run) runAuthorize(ctx context.Context, a *collections.Authorize, req auth.Request, sr *StepResult) (auth.Grant, error) {
	mode, err := auth.ChooseMode(req, a.Auto || rn.opts.AutoAuthorize, rn.opts.Interactive)
	if err != nil {
		return auth.Grant{}, err
	}
	if mode == auth.ModeAuto {
		var cancel context.CancelFunc
		ctx, cancel = withTimeout(ctx, rn.send.timeout(0))
		defer cancel()
	}
	sr.Request = &exchange.Request{Method: http.MethodGet, URL: req.AuthURL}
	grant, err := authorizer(rn.send.follow, rn.opts.Person).Authorize(ctx, req, mode)
	if err != nil {
		return auth.Grant{}, err
	}
	sr.Request.URL = grant.AuthURL
	return grant, nil
}

// authorizer runs authorization code flows with client and the ways to
// reach a person (browser, prompt).
func authorizer(client *http.Client, p Person) *auth.Authorizer {
	return &auth.Authorizer{Client: client, OpenBrowser: p.OpenBrowser, Prompt: p.PromptIn, Out: p.Prompt}
}
