package session

import (
	"runtime"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

// heapAtEnd is a Consumer that reads the heap in use when the last unit's
// result comes, with everything before it delivered.
type heapAtEnd struct {
	last int
	heap uint64
}

func (h *heapAtEnd) Start(u *Unit) Run {
	return ResultFunc(func(*runner.Result) {
		if u.Index != h.last {
			return
		}
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.heap = m.HeapInuse
	})
}

func (h *heapAtEnd) End() error { return nil }

// TestRunMemoryFlat runs many iterations of a collection, a few at once:
// a session keeps nothing of a result once its consumers had it, so the
// heap grows by no more than a plan's unit for each iteration.
func TestRunMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "one")})
	heapAfter := func(n int) uint64 {
		s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Iterations: n, Jobs: 4})
		h := &heapAtEnd{last: n - 1}
		run(t, s, srv.Client(), h)
		return h.heap
	}
	const small, large, perUnit = 100, 1000, 1024
	before, after := heapAfter(small), heapAfter(large)
	if growth := int64(after) - int64(before); growth > perUnit*(large-small) {
		t.Errorf("heap in use grew %d bytes from %d to %d iterations, want at most %d bytes each", growth, small, large, perUnit)
	}
	t.Logf("heap in use: %d iterations %d B, %d iterations %d B", small, before, large, after)
}
