package session

// MissingEnv returns, per collection of s, every environment variable it
// reads without a fallback that lookup does not find: all of them before
// anything is sent, rather than one per run.
func (s *Session) MissingEnv(lookup func(string) (string, bool)) []error {
	defined := map[string]bool{}
	for _, n := range s.Defined() {
		defined[n] = true
	}
	given := func(name string) bool { return defined[name] }
	var errs []error
	for _, c := range s.Collections() {
		if list := c.MissingEnv(given, lookup); len(list) > 0 {
			errs = append(errs, list)
		}
	}
	return errs
}
