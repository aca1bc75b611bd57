package runner

import (
	"fmt"
	"regexp"
	"sync"
)

// regexpCache holds compiled patterns shared by every run of a Runner:
// running a collection many times (the chain benchmark, --iterations,
// --data rows) compiles each pattern once instead of once per run. A
// *regexp.Regexp is safe for concurrent use, and so is the cache.
type regexpCache struct {
	m sync.Map // pattern → *regexp.Regexp
}

// get returns pattern compiled, compiling it the first time. Invalid
// patterns are not cached.
func (c *regexpCache) get(pattern string) (*regexp.Regexp, error) {
	if re, ok := c.m.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	actual, _ := c.m.LoadOrStore(pattern, re)
	return actual.(*regexp.Regexp), nil
}
