package collections

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// AuthProfile is a named entry of the top-level auth: mapping: how steps
// that say auth: NAME get their access token. Its string fields are
// templates over the collection's vars (and names defined outside the
// file), rendered once per run when a step first uses the profile.
type AuthProfile struct {
	Pos  Pos
	Name string
	// Grant is authorization_code, refresh_token, client_credentials or
	// bearer.
	Grant    string
	GrantPos Pos
	// TokenURL and AuthorizeURL are the OAuth 2.0 endpoints; RevokeURL,
	// optional, is where `callsheet auth logout` revokes the token.
	TokenURL     *Template
	AuthorizeURL *Template
	RevokeURL    *Template
	ClientID     *Template
	// ClientSecret, Token and RefreshToken are masked in every output.
	ClientSecret *Template
	RedirectURI  *Template
	// Scope is space-separated.
	Scope *Template
	// PKCE adds an S256 code challenge to the authorization code flow.
	PKCE bool
	// ClientAuth is "body" (the default when empty) or "basic".
	ClientAuth string
	// Token is the access token of the bearer grant.
	Token *Template
	// RefreshToken is the first refresh token of the refresh_token grant.
	RefreshToken *Template
	// Auto takes authorization codes without a person (servers that
	// approve at once).
	Auto bool
}

// Templates calls fn with the YAML key and template of every field that is
// set, in documentation order.
func (p *AuthProfile) Templates(fn func(key string, t *Template)) {
	for _, f := range p.templateFields() {
		if *f.t != nil {
			fn(f.key, *f.t)
		}
	}
}

// templateField is a template field of an AuthProfile and its YAML key.
type templateField struct {
	key string
	t   **Template
}

// templateFields lists the template fields of p in documentation order:
// Templates reads them and the loader sets them, so a new field is added
// in one place.
func (p *AuthProfile) templateFields() []templateField {
	return []templateField{
		{"token_url", &p.TokenURL}, {"authorize_url", &p.AuthorizeURL}, {"revoke_url", &p.RevokeURL},
		{"client_id", &p.ClientID}, {"client_secret", &p.ClientSecret}, {"redirect_uri", &p.RedirectURI},
		{"scope", &p.Scope}, {"token", &p.Token}, {"refresh_token", &p.RefreshToken},
	}
}

// Profile returns the auth profile called name, or nil.
func (c *Collection) Profile(name string) *AuthProfile {
	for _, p := range c.Auth {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Grant types and client authentication methods of auth profiles.
var (
	AuthGrants      = []string{"authorization_code", "refresh_token", "client_credentials", "bearer"}
	AuthClientAuths = []string{"body", "basic"}
)

// authRequired lists, per grant, the keys a profile must have, and
// authAllowed the keys it may have besides grant.
var (
	authRequired = map[string][]string{
		"authorization_code": {"token_url", "authorize_url", "client_id"},
		"refresh_token":      {"token_url", "client_id", "refresh_token"},
		"client_credentials": {"token_url", "client_id", "client_secret"},
		"bearer":             {"token"},
	}
	authAllowed = map[string][]string{
		"authorization_code": {"token_url", "authorize_url", "revoke_url", "client_id", "client_secret", "redirect_uri", "scope", "pkce", "client_auth", "auto"},
		"refresh_token":      {"token_url", "revoke_url", "client_id", "client_secret", "scope", "client_auth", "refresh_token"},
		"client_credentials": {"token_url", "revoke_url", "client_id", "client_secret", "scope", "client_auth"},
		"bearer":             {"token"},
	}
)

// authProfiles walks the top-level auth: mapping of name → profile.
func (l *loader) authProfiles(n *yaml.Node) []*AuthProfile {
	ps, _ := l.pairs(n, "auth")
	var out []*AuthProfile
	for _, p := range ps {
		if !isIdent(p.key) {
			l.errorAt(p.keyN, "use letters, digits and underscores, not starting with a digit", "invalid auth profile name %q", p.key)
			continue
		}
		if prof := l.authProfile(p); prof != nil {
			out = append(out, prof)
		}
	}
	return out
}

// authProfile reads one profile of the top-level auth: mapping, then
// checks its keys against its grant.
func (l *loader) authProfile(p pair) *AuthProfile {
	prof := &AuthProfile{Pos: l.pos(p.keyN), Name: p.key}
	what := fmt.Sprintf("auth profile %q", p.key)
	ps, ok := l.pairs(p.value, what)
	if !ok {
		return nil
	}
	ps, allKnown := l.knownKeys(ps, what, AuthProfileKeys.Keys)
	seen := map[string]*yaml.Node{}
	for _, kv := range ps {
		seen[kv.key] = kv.keyN
		l.authProfileKey(prof, kv, what)
	}
	if _, ok := seen["grant"]; !ok {
		if allKnown {
			l.errorAt(p.keyN, "valid grants: "+strings.Join(AuthGrants, ", "), "%s has no grant", what)
		}
		return prof
	}
	if prof.Grant == "" {
		return prof
	}
	for _, k := range authRequired[prof.Grant] {
		if _, ok := seen[k]; !ok && allKnown {
			l.errorAt(p.keyN, fmt.Sprintf("the %s grant needs %s", prof.Grant, strings.Join(authRequired[prof.Grant], ", ")), "%s has no %s", what, k)
		}
	}
	for _, kv := range ps {
		if kv.key != "grant" && !slices.Contains(authAllowed[prof.Grant], kv.key) {
			l.errorAt(kv.keyN, fmt.Sprintf("the %s grant takes %s", prof.Grant, strings.Join(authAllowed[prof.Grant], ", ")), "%s: is not used by the %s grant", kv.key, prof.Grant)
		}
	}
	return prof
}

// authProfileKey reads one key of the profile prof, which what names.
func (l *loader) authProfileKey(prof *AuthProfile, kv pair, what string) {
	switch kv.key {
	case "grant":
		s, good := l.str(kv.value, "grant")
		if !good {
			return
		}
		prof.Grant, prof.GrantPos = s, l.pos(kv.value)
		if !slices.Contains(AuthGrants, s) {
			l.errorAt(kv.value, suggestHintValues(s, AuthGrants), "unknown grant %q in %s", s, what)
			prof.Grant = ""
		}
	case "client_auth":
		if s, good := l.str(kv.value, "client_auth"); good {
			if slices.Contains(AuthClientAuths, s) {
				prof.ClientAuth = s
			} else {
				l.errorAt(kv.value, suggestHintValues(s, AuthClientAuths), "unknown client_auth %q in %s", s, what)
			}
		}
	case "pkce":
		prof.PKCE, _ = l.boolean(kv.value, "pkce")
	case "auto":
		prof.Auto, _ = l.boolean(kv.value, "auto")
	default:
		t := l.template(kv.value, kv.key)
		for _, f := range prof.templateFields() {
			if f.key == kv.key {
				*f.t = t
			}
		}
	}
}

// suggestHintValues is suggestHint for values rather than keys.
func suggestHintValues(name string, valid []string) string {
	return didYouMean(name, valid, "valid values: "+strings.Join(valid, ", "))
}

// stepAuth reads the auth: NAME key of a step.
func (l *loader) stepAuth(s *Step, p pair) {
	if s.Authorize() != nil {
		l.errorAt(p.keyN, "an authorize step obtains a code; put auth: on request steps", "auth: is not allowed on an authorize step")
		return
	}
	name, ok := l.str(p.value, "auth")
	if !ok {
		return
	}
	s.Auth, s.AuthPos = name, l.pos(p.value)
}

// checkAuth reports steps naming a profile that does not exist and profile
// templates reading names that are neither vars nor defined outside the
// file (profiles are rendered before the steps' captures exist).
func (l *loader) checkAuth(c *Collection) {
	profiles := make([]string, 0, len(c.Auth))
	for _, p := range c.Auth {
		profiles = append(profiles, p.Name)
	}
	sort.Strings(profiles)
	for i, s := range c.Steps {
		if s.Auth == "" || c.Profile(s.Auth) != nil {
			continue
		}
		if p, _ := c.IncludedProfile(s.Auth, i); p != nil {
			continue // declared by a file an earlier step includes (include.go)
		}
		known := append(append([]string{}, profiles...), c.includedProfileNames(i)...)
		hint := "declare it under the top-level auth: mapping, or in a file an earlier include: step includes"
		if p, _ := c.IncludedProfile(s.Auth, len(c.Steps)); p != nil {
			hint = "it is declared in a file included after this step: move that include: step before it"
		} else if len(known) > 0 {
			hint = didYouMean(s.Auth, known, "profiles: "+strings.Join(known, ", "))
		}
		l.errorf(s.AuthPos, len([]rune(s.Auth)), hint, "unknown auth profile %q", s.Auth)
	}

	defined := l.defined()
	for _, v := range c.Vars {
		defined[v.Name] = true
	}
	for _, p := range c.Auth {
		p.Templates(func(_ string, t *Template) {
			t.Exprs(func(e *Expr) {
				for _, name := range e.Names {
					if !defined[name] {
						l.undefined(e, name, names(defined, nil, nil))
					}
				}
			})
		})
	}
}
