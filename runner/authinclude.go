package runner

import (
	"fmt"

	"github.com/callsheet/callsheet/auth"
)

// shareSources creates the maps of token sources and imported profiles
// before an include: step copies rn, so that the included run and rn share
// them: a profile fetches its token once, whichever file uses it.
func (rn *run) shareSources() {
	if rn.sources == nil {
		rn.sources = map[string]*auth.Source{}
	}
	if rn.imported == nil {
		rn.imported = map[string]*run{}
	}
}

// importProfiles makes the auth profiles declared by the included run ch
// usable by the steps after the include: step. They are rendered on first
// use in ch's scope, where the included file's vars are defined. A profile
// the using collection declares itself wins over an imported one.
func (rn *run) importProfiles(ch *run) {
	for _, p := range ch.coll.Auth {
		rn.imported[p.Name] = ch
	}
}

// includedProfileRun returns a run of the included collection that
// declares the auth profile name, with its scope initialised as an
// include: step would (the include's vars: rendered in rn's scope), for
// commands that use a profile outside a run (ResolveProfile). It picks the
// declaration collections.Collection.IncludedProfile picks; nil when no
// included file declares name.
func (rn *run) includedProfileRun(name string) (*run, error) {
	steps := rn.coll.Steps
	for i := len(steps) - 1; i >= 0; i-- {
		inc := steps[i].Include()
		if inc == nil || inc.Collection == nil {
			continue
		}
		nested, _ := inc.Collection.IncludedProfile(name, len(inc.Collection.Steps))
		if nested == nil && inc.Collection.Profile(name) == nil {
			continue
		}
		vars, err := rn.includeVars(inc)
		if err != nil {
			return nil, err
		}
		ch := rn.child(inc.Collection, vars, "")
		if err := ch.initScope(); err != nil {
			return nil, fmt.Errorf("include %s: %w", inc.Path, err)
		}
		if nested != nil {
			return ch.includedProfileRun(name)
		}
		return ch, nil
	}
	return nil, nil
}
