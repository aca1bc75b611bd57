// Package sandbox is a local HTTPS imitation of the Procore API endpoints used
// by the "first call" OAuth flow, so that collections can run offline in tests
// and demos.
//
// A [Sandbox] holds all state (authorization codes, token pairs, rate-limit
// windows, injected faults) and serves both the login paths (/oauth/*) and the
// API paths (/rest/*) from one [http.Handler]. [Start] runs it on a loopback
// HTTPS listener with a freshly generated self-signed certificate, and
// [Server.Client] returns an [http.Client] that trusts that certificate.
//
// The fixtures are fixed: one OAuth client ([DemoClientID],
// [DemoClientSecret]), one user ([DemoUserID], "carl.contractor@example.com"),
// a service account for client-credentials tokens, the company
// [DemoCompanyID] (app installed) with three projects (two active, one
// inactive, one with an ID above 2^32), and the company [OtherCompanyID],
// which the user belongs to but where the app is not installed.
//
// # Endpoints
//
//	GET  /oauth/authorize             E1: auto-approves and issues a code
//	GET  /oauth/authorize/{code}      E2: out-of-band code display page
//	POST /oauth/token, /oauth/token/  E3: authorization_code, refresh_token, client_credentials
//	GET  /oauth/token/info            E4
//	POST /oauth/revoke                E5: always 200 {}
//	GET  /rest/v1.0/me                E9
//	GET  /rest/v1.0/companies         E10
//	GET  /rest/v1.0/projects          E11 (also /rest/v1.1/projects)
//
// Every /rest/* request passes the bearer check (E6), then the per-token rate
// limit (E7), then, where Procore requires it, the Procore-Company-Id check
// (E8). Unknown paths and wrong methods get 404 {"errors":"Not found"} (E13).
//
// # Fault lab
//
// Config can make the sandbox misbehave the way a client must survive:
// shorter code and token lifetimes (CodeTTL, AccessTokenTTL), a smaller
// rate limit (RateLimit per RateLimitWindow), injected faults (a share
// FailRate of the requests on FailPaths answered FailStatus, 503 by
// default, with a Retry-After of FailRetryAfter), added latency (Latency
// plus up to LatencyJitter) and a Seed that makes codes, tokens, faults and
// jitter reproducible. A request can replace any of these for itself with
// a header, or with the header's query-parameter twin where it cannot set
// headers (a collection's authorize step):
//
//	Sandbox-Latency: 200ms;jitter=50ms         sandbox_latency
//	Sandbox-Fail: 503;retry-after=2;times=2    sandbox_fail (also rate=0.5, or none)
//	Sandbox-Rate-Limit: 5;window=10s           sandbox_rate_limit
//	Sandbox-Code-TTL: 0                        sandbox_code_ttl (GET /oauth/authorize)
//	Sandbox-Token-TTL: 90s                     sandbox_token_ttl (POST /oauth/token)
//
// [LatencyHeader], [FailHeader], [RateLimitHeader], [CodeTTLHeader] and
// [TokenTTLHeader] say what each takes. A malformed value gets 400
// {"errors": "…"} naming the header. Every request is held back for its
// latency first, then gets its injected fault, if any, and only then the
// checks of its endpoint; a fault queued by [Sandbox.FailNext] comes
// before one a header asks for. The seed has no per-request twin: it
// belongs to the instance.
//
// # State across restarts
//
// With Config.StateDir, [Start] keeps in that folder the certificate and
// its key ([CertFileName], [KeyFileName]) and the instance ID, codes and
// token pairs ([StateFileName]), each written atomically with mode 0600:
// after each change (at most ten times a second) and on [Server.Close]. A
// sandbox started again on the same folder, on any port, serves the same
// certificate, so a client's --cacert file ([Server.CertFile]) still
// holds, and accepts the tokens and codes the first one issued, under the
// same instance ID. Under the same Config.Seed it goes on with the seeded
// streams where they stood. A kept certificate less than a day from
// expiry is replaced at start. Rate-limit windows and counted faults are
// not kept.
//
// # Instance identity
//
// Every answer carries a Sandbox-Instance header ([InstanceHeader]) with the
// sandbox's instance ID ([Sandbox.Instance]), 32 hex digits drawn afresh
// for each sandbox (Config.Seed does not fix it). A client that stores the
// ID with the tokens it gets can tell, from any later answer, that it now
// talks to another sandbox, which does not know those tokens. A sandbox
// started with Config.StateDir takes over the ID along with the tokens.
//
// # Deviations from the proposed spec (procore-api.md §8)
//
//   - GET /rest/v1.0/me always returns the user's name, even without
//     company_id or project_id (E9 says null): the flagship collection asserts
//     that name exists.
//   - Besides the registered redirect URIs, any loopback redirect URI
//     (http://127.0.0.1, http://[::1] or http://localhost, any port and path)
//     is accepted, following RFC 8252 §7.3, so a CLI can listen on a free port.
//     Procore itself matches registered URIs exactly.
//   - A token request may carry sandbox_expires_in=N (seconds, at most the
//     configured lifetime) to get a shorter-lived access token; 0 gives one
//     that is already expired, for collections that check the 401. The
//     Sandbox-Token-TTL header does the same, and may also lengthen it.
//   - A denial (sandbox_decision=deny) with the out-of-band redirect URI
//     renders the error page (status 400) instead of redirecting.
//   - One rate-limit window is modelled per token, an hour long unless
//     Config.RateLimitWindow says otherwise; there is no spike window. The
//     window starts with a token's first counted request.
//   - Token-endpoint and revoke parameters are read from the request body
//     (and HTTP Basic), never from the query string; only the sandbox_*
//     twins of the Sandbox-* headers are read from any request's query.
//   - The Sandbox-* request headers and sandbox_* query parameters (Fault
//     lab) and the Sandbox-Instance response header are the sandbox's own;
//     Procore has none of them.
//   - Access tokens are opaque 64-character hex strings, not ES512 JWTs.
//   - AutoApprove is always on: there is no login or consent screen.
//   - Fixtures are Go values; loading them from YAML is not implemented.
//   - What was issued is kept in memory, bounded: past [MaxCodes] unused
//     codes or [MaxTokenPairs] token pairs the oldest are forgotten, and an
//     exchanged code is forgotten at once; a forgotten code or token is
//     refused like one never issued (store.go). Only Config.StateDir keeps
//     it across a restart.
//
// # Concurrency
//
// A Sandbox is safe for concurrent use. Config.Now and Config.Sleep must be
// too (time.Now, ManualClock.Now and the default Sleep are). Config.Rand is read only with the Sandbox's lock
// held, and only to make codes and tokens, so a deterministic reader gives
// reproducible tokens for a fixed sequence of requests. Config.Seed does
// the same for codes, tokens, injected faults and latency jitter at once,
// from separate streams, so a fault drawn does not shift the tokens.
//
// # Where to start
//
// sandbox.go ([Sandbox] and the routes), config.go ([Config]), tls.go
// ([Start] and [Server]), fixtures.go (the fixed data), oauth.go (/oauth/*)
// and rest.go (/rest/*, with ratelimit.go and pagination.go). The fault
// lab is knobs.go (the Sandbox-* headers), faults.go, latency.go and
// random.go (the seeded streams); state.go keeps the state in
// Config.StateDir. describe.go and banner.go write what a sandbox is set
// to and how to use it, as `callsheet sandbox` prints it.
package sandbox
