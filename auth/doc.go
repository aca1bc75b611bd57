// Package auth implements the authorization-request step of the OAuth 2.0
// authorization code grant (RFC 6749 section 4.1) for callsheet collections.
//
// An [Authorizer] builds the authorization URL with golang.org/x/oauth2
// (always with a random state, and with a PKCE S256 challenge (RFC 7636) when
// asked), then obtains the authorization code in one of three ways, chosen by
// the caller with a [Mode] (or by [ChooseMode]):
//
//   - [ModeAuto] visits the URL with an *http.Client, without following
//     redirects blindly, and reads the code from the redirect Location or
//     from an out-of-band display page. It suits sandboxes and test servers
//     that approve without a user.
//   - [ModeLoopback] listens on a loopback redirect URI (RFC 8252 section 7.3)
//     such as http://127.0.0.1:0/callback, lets a browser visit the URL and
//     receives the redirect.
//   - [ModeOOBPrompt] shows the URL and reads the code (or the whole redirect
//     URL) the user pastes on a terminal.
//
// The result is a [Grant]: the code, with the state, PKCE verifier and
// redirect URI needed to exchange it for a token.
//
// The package never writes to the process's standard streams: it writes to
// and reads from the io.Writer and io.Reader it is given. Errors are typed
// ([AuthorizationError], [StateMismatchError], [CodeNotFoundError],
// [CodeNeededError], [ErrNoCode]), start with "authorize: " and never contain
// an authorization code, a PKCE verifier or a token.
//
// # Profiles and the token cache
//
// A [Profile] (authorization_code, refresh_token, client_credentials or
// bearer) gets its tokens through a [Source], a thin layer over
// golang.org/x/oauth2 that passes the caller's *http.Client with the
// oauth2.HTTPClient context key. Tokens are kept in a [Cache]:
// [MemoryCache], or [FileCache] (one 0600 JSON file per profile, client ID
// and token URL in a 0700 folder, written atomically under a file lock; a
// damaged file is moved aside with a warning to the caller and its profile
// gets a new token). Concurrent callers needing a new token cause one token request. A
// cached token that another instance of the server refuses (a sandbox
// started again names a new [InstanceHeader]) is replaced quietly by the
// profile's grant. Failed token requests are *[TokenError] values that
// print the RFC 6749 error, never a token or the client secret.
// [CheckInsecureHTTP] refuses secrets over plain http:// to hosts that are
// not loopback.
//
// # Where to start
//
// authorize.go ([Authorizer]) and mode.go, then auto.go, loopback.go and
// oob.go, one per [Mode]; profile.go and source.go for token sources,
// cache.go for the caches, instance.go for the server instance; errors.go
// and tokenerror.go for the typed errors.
package auth
