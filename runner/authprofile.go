package runner

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/mask"
)

// tokens gives the steps of a run the token sources of their auth
// profiles. A profile is rendered on first use, in the scope of the
// collection that declares it, and its secrets are masked from then on.
// The runs of included collections share the sources, so a profile
// fetches its token once, whichever file uses it.
type tokens struct {
	coll   *collections.Collection
	render *renderer
	mask   *mask.Masker
	opts   AuthOptions
	person Person
	client *http.Client
	now    func() time.Time
	// sources are the token sources of the profiles used so far, by name;
	// imported maps the names of the profiles declared in included files
	// to the tokens of the included run that renders them (include.go).
	// Both are made when a first include: step runs, and shared with the
	// included runs.
	sources  map[string]*auth.Source
	imported map[string]*tokens
}

// included returns the tokens of a run of the included collection c,
// sharing t's sources; the included run sets its renderer.
func (t *tokens) included(c *collections.Collection) *tokens {
	if t.sources == nil {
		t.sources, t.imported = map[string]*auth.Source{}, map[string]*tokens{}
	}
	ch := *t
	ch.coll = c
	return &ch
}

// importProfiles makes the auth profiles declared by the included run
// whose tokens are ch usable by the steps after the include: step. A
// profile the using collection declares itself wins over an imported one.
func (t *tokens) importProfiles(ch *tokens) {
	for _, p := range ch.coll.Auth {
		t.imported[p.Name] = ch
	}
}

// source returns the token source of the profile called name, rendering
// the profile on first use.
func (t *tokens) source(name string) (*auth.Source, error) {
	if src, ok := t.sources[name]; ok {
		return src, nil
	}
	cp := t.coll.Profile(name)
	if cp == nil {
		if owner := t.imported[name]; owner != nil && owner.coll.Profile(name) != nil {
			return owner.source(name)
		}
		return nil, fmt.Errorf("unknown auth profile %q: the include: step of the file declaring it has not run", name)
	}
	p, err := t.render.profile(cp)
	if err != nil {
		return nil, err
	}
	for _, s := range p.Secrets() {
		t.mask.Add(s)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cache := t.opts.TokenCache
	if cache == nil {
		cache = auth.NewMemoryCache()
	}
	src := &auth.Source{
		Profile: p, Cache: cache, Client: t.client, Now: t.now, File: t.coll.File,
		AllowInsecureHTTP: t.opts.AllowInsecureHTTP, Authorizer: authorizer(t.client, t.person),
		LoginFlags: t.opts.LoginFlags,
	}
	switch {
	case p.Grant != auth.GrantAuthorizationCode:
	case p.Auto || t.opts.AutoAuthorize:
		src.Mode = auth.ModeAuto
	case t.person.Interactive:
		if mode, err := auth.ChooseMode(p.AuthRequest(), false, true); err == nil {
			src.Mode = mode
		}
	}
	if t.sources == nil {
		t.sources = map[string]*auth.Source{}
	}
	t.sources[name] = src
	return src, nil
}

// profile renders the templates of a profile into an auth.Profile.
func (rd *renderer) profile(cp *collections.AuthProfile) (auth.Profile, error) {
	p := auth.Profile{
		Name: cp.Name, Grant: auth.GrantType(cp.Grant), PKCE: cp.PKCE,
		ClientAuth: auth.ClientAuth(cp.ClientAuth), Auto: cp.Auto,
	}
	var scope string
	var err error
	cp.Templates(func(key string, t *collections.Template) {
		if err != nil {
			return
		}
		v, rerr := t.Render(rd.scope)
		if rerr != nil {
			err = fmt.Errorf("auth profile %q: %s: %w", cp.Name, key, rerr)
			return
		}
		*profileField(&p, &scope, key) = v
	})
	p.Scopes = strings.Fields(scope)
	return p, err
}

// profileField is the field of p (or scope) that the template of the
// profile's key renders into.
func profileField(p *auth.Profile, scope *string, key string) *string {
	switch key {
	case "token_url":
		return &p.TokenURL
	case "authorize_url":
		return &p.AuthorizeURL
	case "revoke_url":
		return &p.RevokeURL
	case "client_id":
		return &p.ClientID
	case "client_secret":
		return &p.ClientSecret
	case "redirect_uri":
		return &p.RedirectURI
	case "scope":
		return scope
	case "token":
		return &p.Token
	case "refresh_token":
		return &p.RefreshToken
	}
	panic("auth profile: no field for key " + key)
}

// ResolveProfile renders the vars of c (with opts.Vars overriding them, as
// in a run) and then the auth profile called name, for commands that use a
// profile outside a run (`callsheet auth login`).
func ResolveProfile(c *collections.Collection, name string, opts Options) (auth.Profile, error) {
	cp := c.Profile(name)
	if cp == nil {
		if p, _ := c.IncludedProfile(name, len(c.Steps)); p == nil {
			names := make([]string, len(c.Auth))
			for i, p := range c.Auth {
				names[i] = p.Name
			}
			return auth.Profile{}, fmt.Errorf("%s has no auth profile %q (profiles: %s)", c.File, name, strings.Join(names, ", "))
		}
	}
	rn := newRun(nil, c, opts)
	if err := rn.initScope(); err != nil {
		return auth.Profile{}, rn.mask.Err(err)
	}
	if cp == nil {
		// Declared by an included file: render it in that file's scope.
		owner, err := rn.includedProfileRun(name)
		if err != nil {
			return auth.Profile{}, rn.mask.Err(err)
		}
		rn, cp = owner, owner.coll.Profile(name)
	}
	p, err := rn.render.profile(cp)
	if err != nil {
		for _, s := range p.Secrets() {
			rn.mask.Add(s)
		}
		return auth.Profile{}, rn.mask.Err(err)
	}
	return p, p.Validate()
}
