package collections

// IncludedProfile returns the auth profile called name that a file
// included by one of the first n steps of c declares, directly or through
// its own includes (which win over it), and the collection declaring it; nil when none does.
// When several includes declare the name, the last one wins, as at run
// time. Pass len(c.Steps) for n to search every include.
func (c *Collection) IncludedProfile(name string, n int) (*AuthProfile, *Collection) {
	for i := min(n, len(c.Steps)) - 1; i >= 0; i-- {
		inc := c.Steps[i].Include()
		if inc == nil || inc.Collection == nil {
			continue
		}
		// A nested include registers its profiles after the file that
		// includes it, so at run time it wins.
		if p, owner := inc.Collection.IncludedProfile(name, len(inc.Collection.Steps)); p != nil {
			return p, owner
		}
		if p := inc.Collection.Profile(name); p != nil {
			return p, inc.Collection
		}
	}
	return nil, nil
}

// includedProfileNames lists the names of the auth profiles declared by
// the files included by the first n steps of c.
func (c *Collection) includedProfileNames(n int) []string {
	var out []string
	for _, s := range c.Steps[:min(n, len(c.Steps))] {
		if inc := s.Include(); inc != nil && inc.Collection != nil {
			for _, p := range inc.Collection.Auth {
				out = append(out, p.Name)
			}
			out = append(out, inc.Collection.includedProfileNames(len(inc.Collection.Steps))...)
		}
	}
	return out
}
