package convert

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// secretLiteral is the value of a secret and its shell variable.
type secretLiteral struct {
	value, shellVar string
}

// addLiteral records the value of the secret name, when it is known, so
// that the commands show $NAME where the value appears as written (in a
// URL path, say), as the run's masking does.
func (e *CurlExporter) addLiteral(name string, v any) {
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	if len(s) < collections.MinSecretLen { // as in the run's masking
		return
	}
	e.literals = append(e.literals, secretLiteral{value: s, shellVar: shellVar(name)})
	// The longest first, so a secret holding another is replaced whole.
	slices.SortStableFunc(e.literals, func(a, b secretLiteral) int { return len(b.value) - len(a.value) })
}

// hideLiterals replaces the known secret values in s with the placeholders
// of their shell variables.
func (e *CurlExporter) hideLiterals(s string) string {
	for _, l := range e.literals {
		s = strings.ReplaceAll(s, l.value, placeholder(l.shellVar))
	}
	return s
}

// computedRE matches a placeholder that a template function changed (as
// upper() does), which no longer names a shell variable.
var computedRE = regexp.MustCompile(`(?i)~~callsheet~([a-z0-9_]+)~~`)

// flagComputed replaces placeholders a template function changed with a
// visible marker, and says at the end of the line that the value must be
// set by hand: curl cannot compute it from the shell variable.
func flagComputed(line string) string {
	var names []string
	line = computedRE.ReplaceAllStringFunc(line, func(m string) string {
		name := strings.ToUpper(computedRE.FindStringSubmatch(m)[1])
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		return "<computed from " + name + ">"
	})
	if len(names) == 0 {
		return line
	}
	return line + " # edit: a value computed from $" + strings.Join(names, ", $") + " cannot be written for curl"
}

// hideCredential replaces a credential written as plain text in an
// Authorization, Proxy-Authorization or Cookie header (not through a secret
// variable) with a shell variable named after the header, keeping the
// scheme: "Bearer abc" becomes "Bearer $AUTHORIZATION". The run masks these
// headers whatever their source, and so must the commands.
func hideCredential(header, value string) string {
	name := strings.ToLower(header)
	if name != "authorization" && name != "proxy-authorization" && name != "cookie" {
		return value
	}
	if value == "" || placeholderRE.MatchString(value) {
		return value
	}
	if basic, ok := strings.CutPrefix(value, "Basic "); ok {
		if dec, err := base64.StdEncoding.DecodeString(basic); err == nil && placeholderRE.Match(dec) {
			return value // -u user:$PASSWORD, written by the caller
		}
	}
	v := placeholder(strings.ReplaceAll(strings.ToUpper(header), "-", "_"))
	if scheme, cred, ok := strings.Cut(value, " "); ok && name != "cookie" && cred != "" {
		return scheme + " " + v
	}
	return v
}
