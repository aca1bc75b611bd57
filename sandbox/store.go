package sandbox

import "errors"

// The sandbox keeps what it issued in memory, like Doorkeeper keeps it in
// its tables, but bounded, so that a long run against it (--iterations of
// a login flow) holds little memory: past MaxCodes unused codes or
// MaxTokenPairs token pairs, the oldest are forgotten, as GitHub forgets a
// user's oldest tokens past its limit. A forgotten code or token is
// refused like one never issued. A code is forgotten once exchanged: a
// second exchange is refused either way.
const (
	// MaxCodes is how many unused authorization codes the sandbox keeps.
	MaxCodes = 1000
	// MaxTokenPairs is how many token pairs (live, expired or revoked)
	// the sandbox keeps.
	MaxTokenPairs = 1000
)

// addCodeLocked stores code, forgetting the oldest codes past MaxCodes.
// The caller holds s.mu.
func (s *Sandbox) addCodeLocked(code string, g *grant) {
	s.changedLocked()
	s.codes[code] = g
	s.codeOrder = append(s.codeOrder, code)
	for len(s.codes) > MaxCodes {
		delete(s.codes, s.codeOrder[0])
		s.codeOrder = s.codeOrder[1:]
	}
	// Exchanged codes leave the map but stay in the order; drop them
	// once they are most of it.
	if len(s.codeOrder) > 2*MaxCodes {
		live := s.codeOrder[:0:0]
		for _, c := range s.codeOrder {
			if s.codes[c] != nil {
				live = append(live, c)
			}
		}
		s.codeOrder = live
	}
}

// addPairLocked stores t, forgetting the oldest pairs past MaxTokenPairs,
// with their rate-limit windows. The caller holds s.mu.
func (s *Sandbox) addPairLocked(t *tokenPair) {
	s.changedLocked()
	s.access[t.access] = t
	if t.refresh != "" {
		s.refresh[t.refresh] = t
	}
	s.pairOrder = append(s.pairOrder, t)
	for len(s.pairOrder) > MaxTokenPairs {
		old := s.pairOrder[0]
		s.pairOrder[0] = nil
		s.pairOrder = s.pairOrder[1:]
		delete(s.access, old.access)
		delete(s.windows, old.access)
		if old.refresh != "" {
			delete(s.refresh, old.refresh)
		}
	}
}

// newSecretLocked returns a new code or token: 64 hex digits from
// cfg.Rand not already in use, since a deterministic Rand may repeat what
// a sandbox whose state this one took over issued. The caller holds s.mu.
func (s *Sandbox) newSecretLocked() (string, error) {
	for range 3 {
		v, err := s.randomHexLocked()
		if err != nil {
			return "", err
		}
		if s.codes[v] == nil && s.access[v] == nil && s.refresh[v] == nil {
			return v, nil
		}
	}
	return "", errors.New("sandbox: Rand repeats codes and tokens already issued")
}

// changedLocked tells the state saver, if any, that what was issued has
// changed. The caller holds s.mu.
func (s *Sandbox) changedLocked() {
	if s.onChange != nil {
		s.onChange()
	}
}
