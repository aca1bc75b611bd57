//go:build !race

package collections

// raceEnabled is true under -race, which slows the loader several times.
const raceEnabled = false
