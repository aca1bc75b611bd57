package sandbox

import (
	crand "crypto/rand"
	"crypto/sha256"
	"math/rand/v2"
)

// seededStream returns the ChaCha8 stream for purpose ("tokens" or
// "faults") under seed: the same seed and purpose give the same stream,
// different purposes independent ones.
func seededStream(seed, purpose string) *rand.ChaCha8 {
	return rand.NewChaCha8(sha256.Sum256([]byte("callsheet sandbox " + purpose + "\x00" + seed)))
}

// randomStream returns a ChaCha8 stream with a seed from crypto/rand.
func randomStream() *rand.ChaCha8 {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails (crypto/rand.Read docs)
	return rand.NewChaCha8(seed)
}
