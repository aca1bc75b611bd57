package load

import (
	"slices"
	"sync"
	"time"
)

// idle holds the users of an arrival-rate run that wait for an
// iteration, each by the channel its iteration's due time comes on. The
// next iteration goes to the user that began waiting last: the fewest
// users run, and the others, whose stacks the garbage collector shrinks
// while they wait, are not woken to grow them again at every iteration.
type idle struct {
	mu    sync.Mutex
	users []chan time.Time
}

// push makes the user of w wait.
func (q *idle) push(w chan time.Time) {
	q.mu.Lock()
	q.users = append(q.users, w)
	q.mu.Unlock()
}

// pop takes the user that began waiting last, nil when none waits.
func (q *idle) pop() chan time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.users)
	if n == 0 {
		return nil
	}
	w := q.users[n-1]
	q.users[n-1] = nil
	q.users = q.users[:n-1]
	return w
}

// remove takes the user of w out, reporting whether it was waiting; when
// it was not, pop took it and an iteration is on its way to w.
func (q *idle) remove(w chan time.Time) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.Index(q.users, w)
	if i < 0 {
		return false
	}
	q.users = slices.Delete(q.users, i, i+1)
	return true
}
