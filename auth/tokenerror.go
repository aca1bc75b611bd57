package auth

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// ErrNoRefresh is returned by [Source.Refresh] for a profile that cannot
// get a new token by itself (a fixed bearer token).
var ErrNoRefresh = errors.New("auth: the profile's token cannot be refreshed")

// TokenError is a failed token, refresh or revoke request of a profile. It
// prints the RFC 6749 error code and description the server sent, never the
// response body, a token or the client secret. Err keeps the cause (often
// an *oauth2.RetrieveError) for errors.As.
type TokenError struct {
	// Profile is the profile's name.
	Profile string
	// Op is what was attempted: "exchange the code", "refresh the token",
	// "client credentials", "revoke".
	Op string
	// Status is the HTTP status of the answer; 0 when none arrived.
	Status int
	// Code and Description are the error and error_description fields.
	Code        string
	Description string
	// Err is the cause.
	Err error
	// File is the collection file declaring the profile, named in the
	// hint to log in again; empty shows FILE.
	File string
	// LoginFlags are the flags that hint's command needs (Source.LoginFlags).
	LoginFlags string
}

// loginCommand is the command that logs in profile from file, with flags.
func loginCommand(profile, file, flags string) string {
	if file == "" {
		file = "FILE"
	}
	cmd := fmt.Sprintf("callsheet auth login %s %s", profile, file)
	if flags != "" {
		cmd += " " + flags
	}
	return cmd
}

// Error describes the failure and, for invalid_grant on a refresh, how to
// log in again.
func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "auth profile %q: %s", e.Profile, e.Op)
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, ": %s", printable(e.Code, 64))
		if e.Description != "" {
			fmt.Fprintf(&b, ": %s", printable(e.Description, 300))
		}
		if e.Status != 0 {
			fmt.Fprintf(&b, " (status %d)", e.Status)
		}
	case e.Status != 0:
		fmt.Fprintf(&b, ": status %d", e.Status)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.InvalidGrant() && e.Op == opRefresh {
		fmt.Fprintf(&b, "; the refresh token is no longer valid: log in again with `%s`", loginCommand(e.Profile, e.File, e.LoginFlags))
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *TokenError) Unwrap() error { return e.Err }

// InvalidGrant reports whether the server answered invalid_grant: the
// code or refresh token is expired, revoked or already used.
func (e *TokenError) InvalidGrant() bool { return e.Code == "invalid_grant" }

// The operations of a TokenError.
const (
	opExchange          = "exchange the code"
	opRefresh           = "refresh the token"
	opClientCredentials = "client credentials"
	opRevoke            = "revoke"
)

// tokenError wraps err, taking the code and status of an
// *oauth2.RetrieveError.
func tokenError(profile, op string, err error) error {
	te := &TokenError{Profile: profile, Op: op, Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te.Code, te.Description = re.ErrorCode, re.ErrorDescription
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
	}
	return te
}

// LoginRequiredError is returned for an authorization_code profile that
// has no usable token and may not run the flow on its own.
type LoginRequiredError struct {
	Profile string
	// File is the collection file declaring the profile; empty shows FILE.
	File string
	// Flags are the flags the login command needs (Source.LoginFlags).
	Flags string
}

// Error says how to log in.
func (e *LoginRequiredError) Error() string {
	return fmt.Sprintf("auth profile %q has no cached token: log in first with `%s` "+
		"(or run with --auto-authorize against a server that approves at once)", e.Profile, loginCommand(e.Profile, e.File, e.Flags))
}
