package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// MaxFailCounts is how many Sandbox-Fail values with times= the sandbox
// counts at once; past it the oldest count is forgotten.
const MaxFailCounts = 1000

// failure is one injected fault: the answer a request gets instead of its
// own.
type failure struct {
	status     int
	retryAfter time.Duration
}

// faultSpec says which requests fail and how.
type faultSpec struct {
	failure
	rate  float64 // share of requests that fail; 0 means none
	times int     // at most this many failures per key; 0 means no limit
}

// FailNext makes the next request to path (compared with the URL path
// exactly, for any method) fail with status before any other check, with a
// Retry-After header when retryAfter is positive. Calls queue up: each
// queued fault answers one request. It panics if status is not 4xx or 5xx.
func (s *Sandbox) FailNext(path string, status int, retryAfter time.Duration) {
	if !isErrorStatus(status) {
		panic(fmt.Sprintf("sandbox: FailNext(%q, %d): status must be 4xx or 5xx", path, status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[path] = append(s.failures[path], failure{status, retryAfter})
}

// takeFailure dequeues the next fault for path.
func (s *Sandbox) takeFailure(path string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failures[path]
	if len(q) == 0 {
		return failure{}, false
	}
	if len(q) == 1 {
		delete(s.failures, path)
	} else {
		s.failures[path] = q[1:]
	}
	return q[0], true
}

// injectedFault returns the fault r gets, if any: one queued by FailNext
// for its path, else the one its Sandbox-Fail asks for, else the
// configured one where Config.FailPaths match.
func (s *Sandbox) injectedFault(r *http.Request, k knobs) (failure, bool) {
	if f, ok := s.takeFailure(r.URL.Path); ok {
		return f, true
	}
	spec, key := s.configFault(), ""
	switch {
	case k.fail != nil:
		spec, key = *k.fail, r.Method+" "+r.URL.Path+" "+k.failText
	case !s.failPathMatches(r.URL.Path):
		return failure{}, false
	}
	if spec.rate <= 0 {
		return failure{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.times > 0 && s.failCounts[key] >= spec.times {
		return failure{}, false
	}
	if spec.rate < 1 && s.dice.Float64() >= spec.rate {
		return failure{}, false
	}
	if spec.times > 0 {
		s.countFailureLocked(key)
	}
	return spec.failure, true
}

func (s *Sandbox) configFault() faultSpec {
	return faultSpec{failure: failure{s.cfg.FailStatus, s.cfg.FailRetryAfter}, rate: s.cfg.FailRate}
}

func (s *Sandbox) failPathMatches(path string) bool {
	if len(s.cfg.FailPaths) == 0 {
		return true
	}
	for _, p := range s.cfg.FailPaths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// countFailureLocked counts one failure for key, forgetting the oldest
// count past MaxFailCounts. The caller holds s.mu.
func (s *Sandbox) countFailureLocked(key string) {
	if s.failCounts[key] == 0 {
		s.failOrder = append(s.failOrder, key)
	}
	s.failCounts[key]++
	for len(s.failOrder) > MaxFailCounts {
		delete(s.failCounts, s.failOrder[0])
		s.failOrder = s.failOrder[1:]
	}
}

func (f failure) write(w http.ResponseWriter) {
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfter(f.retryAfter))
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, f.status, restError{http.StatusText(f.status)})
}
