//go:build !unix

package auth

import (
	"context"
	"os"
)

// lockFile creates the lock file but takes no lock between processes on
// this platform: the in-process lock of FileCache still serialises the
// goroutines of one run.
func lockFile(_ context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}
