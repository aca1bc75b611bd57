// Package golden compares what a test produced with a golden file under
// testdata, or rewrites the file when the test runs with -update. Each
// test package declares its own -update flag and passes its value.
package golden

import (
	"bytes"
	"os"
	"testing"
)

// Check compares got with the file at path, failing t with both texts
// when they differ. With update it writes got to path instead, so that
// `go test ./pkg -update` refreshes the goldens to review with git diff.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run the test with -update, then review the diff)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
