// Package layers holds no code: its test checks the module's layering,
// which package may import which, like the Go tree's
// src/go/build/deps_test.go. The table in layers_test.go is the one place
// that says it; a new package, or a new import between packages, starts
// with a line there.
package layers
