package sandbox

import (
	"net/http"
	"strconv"
	"time"
)

// rateLimitBody is Procore's 429 text, sent whichever window tripped.
const rateLimitBody = "You have surpassed the max number of requests for an hour. Please wait until your limit resets."

// rateLimit is a request budget: limit requests in each window.
type rateLimit struct {
	limit  int
	window time.Duration
}

// rateLimit returns the budget a request is judged against: its
// Sandbox-Rate-Limit, else the Config's.
func (s *Sandbox) rateLimit(k knobs) rateLimit {
	rl := rateLimit{s.cfg.RateLimit, s.cfg.RateLimitWindow}
	if k.rate != nil {
		rl.limit = k.rate.limit
		if k.rate.window > 0 {
			rl.window = k.rate.window
		}
	}
	return rl
}

// rateWindow is one access token's budget in its current window.
type rateWindow struct {
	start time.Time
	used  int
}

// windowLocked returns key's current window of length d, opening a new one
// if none is open at now. The caller holds s.mu.
func (s *Sandbox) windowLocked(key string, now time.Time, d time.Duration) *rateWindow {
	win := s.windows[key]
	if win == nil || !now.Before(win.start.Add(d)) {
		win = &rateWindow{start: now}
		s.windows[key] = win
	}
	return win
}

// takeRate counts one request against key's budget under rl and sets the
// X-Rate-Limit-* headers. When the budget is spent it writes the 429 answer
// and returns false.
func (s *Sandbox) takeRate(w http.ResponseWriter, key string, rl rateLimit) bool {
	s.mu.Lock()
	now := s.now()
	win := s.windowLocked(key, now, rl.window)
	allowed := win.used < rl.limit
	if allowed {
		win.used++
	}
	remaining, reset := max(rl.limit-win.used, 0), win.start.Add(rl.window)
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(rl.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if !allowed {
		h.Set("Retry-After", retryAfter(reset.Sub(now)))
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(rateLimitBody))
	}
	return allowed
}

// retryAfter formats d as whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.FormatInt(max(int64((d+time.Second-1)/time.Second), 1), 10)
}

// ExhaustRateLimit spends the whole budget of accessToken in its current
// window, so its next API call gets 429 until the window resets.
func (s *Sandbox) ExhaustRateLimit(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.windowLocked(accessToken, s.now(), s.cfg.RateLimitWindow).used = s.cfg.RateLimit
}
