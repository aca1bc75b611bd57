package load

import (
	"math"
	"sync"
	"time"
)

// drive runs the executor of the scenario and returns when every user
// has stopped.
func (e *engine) drive() {
	var wg sync.WaitGroup
	switch e.sc.Executor {
	case ConstantVUs:
		for range e.sc.VUs {
			e.spawn(&wg, func(u *user) { e.loop(u, 0, nil) })
		}
	case PerVUIterations:
		for range e.sc.VUs {
			e.spawn(&wg, func(u *user) { e.loop(u, e.sc.Iterations, nil) })
		}
	case RampingVUs:
		e.ramp(&wg)
	default:
		e.arrive(&wg)
	}
	wg.Wait()
}

// spawn starts a user running body.
func (e *engine) spawn(wg *sync.WaitGroup, body func(*user)) {
	u := e.newUser()
	wg.Add(1)
	go func() {
		defer wg.Done()
		body(u)
	}()
}

// loop runs iterations on u until the test ends, n iterations when n is
// above 0, or active (when set) says u is not wanted now.
func (e *engine) loop(u *user, n int, active func() bool) {
	for i := 0; n == 0 || i < n; i++ {
		if e.soft.Err() != nil || active != nil && !active() {
			return
		}
		u.iterate(e.hard, time.Time{})
	}
}

// ramp runs a ramping-VUs scenario: every 50 ms it sets how many users
// should loop, starting users as needed; a user above the target ends
// its iteration and waits to be wanted again.
func (e *engine) ramp(wg *sync.WaitGroup) {
	var (
		mu      sync.Mutex
		target  int
		changed = make(chan struct{})
		started int
	)
	wanted := func(i int) (bool, <-chan struct{}) {
		mu.Lock()
		defer mu.Unlock()
		return i < target, changed
	}
	start := e.col.start
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		n := rampTarget(e.sc.StartVUs, e.sc.Stages, time.Since(start))
		mu.Lock()
		if n != target {
			target = n
			close(changed)
			changed = make(chan struct{})
		}
		mu.Unlock()
		for ; started < n; started++ {
			i := started
			e.spawn(wg, func(u *user) {
				for e.soft.Err() == nil {
					ok, ch := wanted(i)
					if ok {
						e.loop(u, 0, func() bool { ok, _ := wanted(i); return ok })
						continue
					}
					select {
					case <-ch:
					case <-e.soft.Done():
					}
				}
			})
		}
		select {
		case <-e.soft.Done():
			return
		case <-tick.C:
		}
	}
}

// rampTarget is the number of users a ramp of users wants at elapsed:
// linear from the previous target to each stage's, rounded down.
func rampTarget(start int, stages []Stage, elapsed time.Duration) int {
	from := float64(start)
	for _, st := range stages {
		if elapsed < st.Duration {
			f := elapsed.Seconds() / st.Duration.Seconds()
			return int(math.Floor(from + (st.Target-from)*f))
		}
		elapsed -= st.Duration
		from = st.Target
	}
	return int(from)
}

// arrive runs an arrival-rate scenario: iteration i starts at the time
// the schedule gives it on an idle user (the one idle since the shortest
// time, see idle), a new user while there are fewer than MaxVUs, or is
// dropped. Iterations still due when the test ends (the generator fell
// behind, or the test was stopped) are dropped too.
func (e *engine) arrive(wg *sync.WaitGroup) {
	sched := newSchedule(e.sc)
	var waiting idle
	users := 0
	worker := func(u *user) {
		w := make(chan time.Time, 1)
		for {
			waiting.push(w)
			select {
			case due := <-w:
				u.iterate(e.hard, due)
			case <-e.soft.Done():
				if !waiting.remove(w) {
					// Handed an iteration as the test ended: it runs.
					u.iterate(e.hard, <-w)
				}
				return
			}
		}
	}
	for ; users < e.sc.VUs; users++ {
		e.spawn(wg, worker)
	}
	start := e.col.start
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for i := int64(0); ; i++ {
		off, ok := sched.at(i)
		if !ok || off >= e.sc.Duration {
			return
		}
		due := start.Add(off)
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-e.soft.Done():
				e.col.dropped.Add(sched.left(i, e.sc.Duration))
				return
			}
		} else if e.soft.Err() != nil {
			e.col.dropped.Add(sched.left(i, e.sc.Duration))
			return
		}
		if w := waiting.pop(); w != nil {
			w <- due
			continue
		}
		if users >= e.sc.MaxVUs {
			e.col.dropped.Add(1)
			continue
		}
		users++
		e.spawn(wg, func(u *user) {
			u.iterate(e.hard, due)
			worker(u)
		})
	}
}
