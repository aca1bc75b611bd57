package runner

import (
	"path/filepath"
	"time"

	"github.com/callsheet/callsheet/collections"
)

// TemplateOptions makes the template functions of a run reproducible.
type TemplateOptions struct {
	// Seed, when Seeded is set, seeds the random source of uuid(), ulid(),
	// random_int, random_string and pkce_verifier(): a run with the same
	// seed produces the same values.
	Seed   uint64
	Seeded bool
	// Now, when set, is the clock of now(), unix() and ulid(); a function
	// returning a fixed time freezes it. Durations are not affected.
	Now func() time.Time
}

// runtime builds the template runtime of a run of c: its own random source
// and clock, and the collection's folder for file().
func (o TemplateOptions) runtime(c *collections.Collection) collections.Runtime {
	rt := collections.Runtime{Rand: collections.NewRand(o.Seed, o.Seeded), Now: o.Now}
	if c.File != "" {
		rt.Dir = filepath.Dir(c.File)
	}
	return rt
}
