package auth

import (
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// GrantType names the way a [Profile] obtains its access tokens.
type GrantType string

// The grant types a profile may use.
const (
	// GrantAuthorizationCode runs the authorization code flow (RFC 6749
	// section 4.1) once, then refreshes with the refresh token it got.
	GrantAuthorizationCode GrantType = "authorization_code"
	// GrantRefreshToken starts from a refresh token given in the profile
	// (RFC 6749 section 6) and keeps the rotated ones in the cache.
	GrantRefreshToken GrantType = "refresh_token"
	// GrantClientCredentials asks for a token with the client's own
	// credentials (RFC 6749 section 4.4), as Procore service accounts do.
	GrantClientCredentials GrantType = "client_credentials"
	// GrantBearer uses a fixed access token given in the profile.
	GrantBearer GrantType = "bearer"
)

// ClientAuth says how the client authenticates at the token endpoint.
type ClientAuth string

// The client authentication methods (RFC 6749 section 2.3.1).
const (
	// ClientAuthBody sends client_id and client_secret in the form body.
	ClientAuthBody ClientAuth = "body"
	// ClientAuthBasic sends them as HTTP Basic credentials.
	ClientAuthBasic ClientAuth = "basic"
)

// Profile is a rendered auth profile: every value is final (templates were
// rendered by the caller). It holds secrets; String redacts them.
type Profile struct {
	// Name is the profile's name in its collection.
	Name string
	// Grant is how tokens are obtained.
	Grant GrantType
	// TokenURL is the token endpoint; unused for GrantBearer.
	TokenURL string
	// AuthorizeURL is the authorization endpoint of GrantAuthorizationCode.
	AuthorizeURL string
	// RevokeURL, when set, is where logout revokes the token (RFC 7009).
	RevokeURL string
	// ClientID and ClientSecret identify the client.
	ClientID     string
	ClientSecret string
	// RedirectURI is the redirect URI of the authorization code flow.
	RedirectURI string
	// Scopes are sent with authorization and client-credentials requests.
	Scopes []string
	// PKCE adds an S256 code challenge to the authorization code flow.
	PKCE bool
	// ClientAuth is ClientAuthBody (the default when empty) or
	// ClientAuthBasic.
	ClientAuth ClientAuth
	// Token is the access token of GrantBearer.
	Token string
	// RefreshToken is the first refresh token of GrantRefreshToken; the
	// rotated ones live in the cache.
	RefreshToken string
	// Auto obtains authorization codes without a person (servers that
	// approve at once, such as the sandbox).
	Auto bool
}

// String describes the profile with its secrets redacted.
func (p Profile) String() string {
	return fmt.Sprintf("{Name:%s Grant:%s TokenURL:%s ClientID:%s ClientSecret:%s Token:%s RefreshToken:%s}",
		p.Name, p.Grant, p.TokenURL, p.ClientID, redacted(p.ClientSecret), redacted(p.Token), redacted(p.RefreshToken))
}

// GoString is like String, for the %#v verb.
func (p Profile) GoString() string { return "auth.Profile" + p.String() }

// Secrets returns the profile's secret values that are set: the client
// secret, the bearer token and the refresh token.
func (p Profile) Secrets() []string {
	var out []string
	for _, s := range []string{p.ClientSecret, p.Token, p.RefreshToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Key identifies the profile's tokens in a [Cache]: the profile name, the
// client ID and the token URL, so that pointing a profile at another
// server or client never reuses a token.
func (p Profile) Key() Key {
	return Key{Profile: p.Name, ClientID: p.ClientID, TokenURL: p.TokenURL}
}

// Validate reports a profile that cannot obtain a token.
func (p Profile) Validate() error {
	var missing []string
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	switch p.Grant {
	case GrantAuthorizationCode:
		need("token_url", p.TokenURL)
		need("authorize_url", p.AuthorizeURL)
		need("client_id", p.ClientID)
	case GrantRefreshToken:
		need("token_url", p.TokenURL)
		need("client_id", p.ClientID)
	case GrantClientCredentials:
		need("token_url", p.TokenURL)
		need("client_id", p.ClientID)
		need("client_secret", p.ClientSecret)
	case GrantBearer:
		need("token", p.Token)
	default:
		return fmt.Errorf("auth profile %q: unknown grant %q", p.Name, p.Grant)
	}
	switch p.ClientAuth {
	case "", ClientAuthBody, ClientAuthBasic:
	default:
		return fmt.Errorf("auth profile %q: unknown client_auth %q (want body or basic)", p.Name, p.ClientAuth)
	}
	if len(missing) > 0 {
		return fmt.Errorf("auth profile %q: %s grant needs %s, which rendered empty", p.Name, p.Grant, strings.Join(missing, ", "))
	}
	return nil
}

// config returns the x/oauth2 configuration of the profile.
func (p Profile) config() *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if p.ClientAuth == ClientAuthBasic {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: p.AuthorizeURL, TokenURL: p.TokenURL, AuthStyle: style},
		RedirectURL:  p.RedirectURI,
		Scopes:       p.Scopes,
	}
}
