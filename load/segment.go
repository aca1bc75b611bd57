package load

import (
	"fmt"
	"strconv"
	"strings"
)

// Segment is share K of N of a load test (--segment K/N): N processes,
// on one machine or many, each run share K of the users or of the rate,
// and `callsheet load merge` joins their summaries. The zero Segment is
// the whole test.
type Segment struct {
	K int `json:"k"`
	N int `json:"n"`
}

// ParseSegment reads K/N, with 1 <= K <= N.
func ParseSegment(s string) (Segment, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 1 || k > n {
		return Segment{}, fmt.Errorf("--segment %q: want K/N with 1 <= K <= N, such as 2/4", s)
	}
	return Segment{K: k, N: n}, nil
}

// Whole reports whether g is the whole test.
func (g Segment) Whole() bool { return g.N <= 1 }

// String formats g as K/N.
func (g Segment) String() string {
	if g.Whole() {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", g.K, g.N)
}

// count is share K of n whole things: the N shares add up to n exactly.
func (g Segment) count(n int) int {
	if g.Whole() {
		return n
	}
	return n*g.K/g.N - n*(g.K-1)/g.N
}

// Share returns the part of a completed scenario that segment g runs:
// its share of the users (VUs, MaxVUs, StartVUs and the targets of a
// ramp of users, dealt so that the N shares add up to the whole) or of
// the rate (Rate, StartRate and a ramp's targets, divided by N). The
// durations and each user's iterations stay the same.
func (s Scenario) Share(g Segment) Scenario {
	if g.Whole() {
		return s
	}
	out := s
	out.VUs, out.StartVUs = g.count(s.VUs), g.count(s.StartVUs)
	out.Stages = append([]Stage(nil), s.Stages...)
	if s.Executor.arrival() {
		out.MaxVUs = max(g.count(s.MaxVUs), 1)
		out.Rate, out.StartRate = s.Rate/float64(g.N), s.StartRate/float64(g.N)
		for i := range out.Stages {
			out.Stages[i].Target /= float64(g.N)
		}
		return out
	}
	for i := range out.Stages {
		out.Stages[i].Target = float64(g.count(int(s.Stages[i].Target)))
	}
	return out
}
