// Package lazyregexp is a regular expression compiled at its first use,
// so that one declared at package level costs nothing when a process
// starts: every package's variables are initialised at start-up, whether
// or not the command that runs needs them.
package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled, with regexp.MustCompile, the
// first time one of its methods is called. It is safe for concurrent use.
type Regexp struct {
	expr     string
	once     sync.Once
	compiled *regexp.Regexp
}

// New returns the regular expression expr, not yet compiled: one small
// allocation. An invalid expr panics at its first use.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// re returns the compiled expression, compiling it the first time.
func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(func() { r.compiled = regexp.MustCompile(r.expr) })
	return r.compiled
}

// MatchString is regexp.Regexp's.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// FindStringSubmatch is regexp.Regexp's.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

// FindSubmatch is regexp.Regexp's.
func (r *Regexp) FindSubmatch(b []byte) [][]byte { return r.re().FindSubmatch(b) }

// FindAllStringSubmatch is regexp.Regexp's.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}

// FindStringIndex is regexp.Regexp's.
func (r *Regexp) FindStringIndex(s string) []int { return r.re().FindStringIndex(s) }

// ReplaceAllString is regexp.Regexp's.
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }

// ReplaceAllStringFunc is regexp.Regexp's.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}
