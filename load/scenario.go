package load

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Executor says how a scenario drives its virtual users (VUs).
type Executor string

// The executors.
const (
	// ConstantVUs runs VUs users, each looping over the collection, for
	// Duration.
	ConstantVUs Executor = "constant-vus"
	// RampingVUs moves the number of looping users from StartVUs through
	// each stage's target, linearly over the stage.
	RampingVUs Executor = "ramping-vus"
	// PerVUIterations runs Iterations iterations on each of VUs users, then
	// stops (or at Duration, when set).
	PerVUIterations Executor = "per-vu-iterations"
	// ConstantArrivalRate starts Rate iterations a second for Duration,
	// whatever their latency, on up to MaxVUs users; an iteration due
	// while every user is busy is dropped and counted.
	ConstantArrivalRate Executor = "constant-arrival-rate"
	// RampingArrivalRate moves the arrival rate from StartRate through
	// each stage's target, linearly over the stage.
	RampingArrivalRate Executor = "ramping-arrival-rate"
)

// Executors lists the executors in documentation order.
var Executors = []Executor{ConstantVUs, RampingVUs, PerVUIterations, ConstantArrivalRate, RampingArrivalRate}

// known reports whether e is one of Executors.
func (e Executor) known() bool { return slices.Contains(Executors, e) }

// arrival reports whether e starts iterations at a rate rather than
// looping users.
func (e Executor) arrival() bool { return e == ConstantArrivalRate || e == RampingArrivalRate }

// Stage is one leg of a ramp: over Duration the target (users, or
// iterations a second) moves linearly to Target.
type Stage struct {
	Duration time.Duration `json:"duration"`
	Target   float64       `json:"target"`
}

// Scenario is what a load test runs: an executor and its parameters.
type Scenario struct {
	Executor Executor `json:"executor"`
	// VUs is the number of users of ConstantVUs and PerVUIterations, and
	// the users started ahead of time by the arrival-rate executors.
	VUs int `json:"vus,omitempty"`
	// MaxVUs caps the users of the arrival-rate executors.
	MaxVUs int `json:"max_vus,omitempty"`
	// StartVUs is where RampingVUs starts.
	StartVUs int `json:"start_vus,omitempty"`
	// Duration bounds the run; for the ramping executors it is the sum
	// of the stages.
	Duration time.Duration `json:"duration,omitempty"`
	// Iterations is the iterations of each user of PerVUIterations.
	Iterations int `json:"iterations,omitempty"`
	// Rate is the iterations a second of ConstantArrivalRate; StartRate
	// is where RampingArrivalRate starts.
	Rate      float64 `json:"rate,omitempty"`
	StartRate float64 `json:"start_rate,omitempty"`
	// Stages are the legs of the ramping executors.
	Stages []Stage `json:"stages,omitempty"`
	// GracefulStop is how long iterations under way at the end may take
	// to finish before they are cancelled; 0 means DefaultGracefulStop.
	GracefulStop time.Duration `json:"graceful_stop,omitempty"`
}

// Defaults of a Scenario.
const (
	DefaultGracefulStop = 30 * time.Second
	// DefaultMaxVUs caps the users of an arrival-rate scenario that says
	// neither max_vus nor vus.
	DefaultMaxVUs = 100
	// maxIterationsTime bounds a PerVUIterations scenario without a
	// Duration.
	maxIterationsTime = 10 * time.Minute
)

// Complete fills in what s leaves out: the executor its fields imply
// (stages: ramping; rate: arrival; iterations: per-VU; else constant
// VUs), one user, the duration of its stages, the users of an
// arrival-rate run and the graceful stop. It then checks s.
func (s Scenario) Complete() (Scenario, error) {
	if s.Executor == "" {
		s.Executor = s.implied()
	}
	switch s.Executor {
	case ConstantVUs, PerVUIterations:
		s.VUs = max(s.VUs, 1)
	case RampingVUs, RampingArrivalRate:
		if s.Duration == 0 {
			for _, st := range s.Stages {
				s.Duration += st.Duration
			}
		}
	}
	if s.Executor.arrival() {
		if s.MaxVUs == 0 {
			s.MaxVUs = max(s.VUs, DefaultMaxVUs)
		}
		if s.VUs == 0 {
			s.VUs = min(s.MaxVUs, 10)
		}
	}
	if s.Executor == PerVUIterations && s.Duration == 0 {
		s.Duration = maxIterationsTime
	}
	if s.GracefulStop == 0 {
		s.GracefulStop = DefaultGracefulStop
	}
	return s, s.check()
}

// implied is the executor s's fields imply.
func (s Scenario) implied() Executor {
	switch {
	case len(s.Stages) > 0 && (s.StartRate > 0 || s.MaxVUs > 0):
		return RampingArrivalRate
	case len(s.Stages) > 0:
		return RampingVUs
	case s.Rate > 0:
		return ConstantArrivalRate
	case s.Iterations > 0:
		return PerVUIterations
	}
	return ConstantVUs
}

// check reports the first thing wrong with a completed scenario.
func (s Scenario) check() error {
	for i, st := range s.Stages {
		if st.Duration <= 0 || st.Target < 0 || math.IsNaN(st.Target) || math.IsInf(st.Target, 0) {
			return fmt.Errorf("stage %d: want a positive duration and a target of 0 or more", i+1)
		}
		if s.Executor == RampingVUs && st.Target != math.Trunc(st.Target) {
			return fmt.Errorf("stage %d: a target number of users must be whole, not %v", i+1, st.Target)
		}
	}
	switch {
	case !s.Executor.known():
		return fmt.Errorf("unknown executor %q (want one of %s)", s.Executor, executorList())
	case s.VUs < 0 || s.MaxVUs < 0 || s.StartVUs < 0 || s.Iterations < 0 || s.Rate < 0 || s.StartRate < 0:
		return errors.New("vus, max_vus, start_vus, iterations, rate and start_rate must not be negative")
	case s.Duration <= 0 && s.Executor != PerVUIterations:
		return fmt.Errorf("%s needs a duration", s.Executor)
	case s.Executor == PerVUIterations && s.Iterations == 0:
		return errors.New("per-vu-iterations needs iterations")
	case s.Executor == ConstantArrivalRate && s.Rate <= 0:
		return errors.New("constant-arrival-rate needs a rate above 0")
	case (s.Executor == RampingVUs || s.Executor == RampingArrivalRate) && len(s.Stages) == 0:
		return fmt.Errorf("%s needs stages", s.Executor)
	case s.Executor.arrival() && s.VUs > s.MaxVUs:
		return fmt.Errorf("vus (%d) must not exceed max_vus (%d)", s.VUs, s.MaxVUs)
	case math.IsInf(s.Rate, 0) || math.IsNaN(s.Rate):
		return errors.New("rate must be a number")
	}
	return nil
}

func executorList() string {
	names := make([]string, len(Executors))
	for i, e := range Executors {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// ParseStages reads stages written DURATION:TARGET,…, such as
// "10s:50,1m:50,10s:0" (--stages).
func ParseStages(text string) ([]Stage, error) {
	var out []Stage
	for _, part := range strings.Split(text, ",") {
		d, t, ok := strings.Cut(strings.TrimSpace(part), ":")
		dur, errD := time.ParseDuration(d)
		target, errT := strconv.ParseFloat(t, 64)
		if !ok || errD != nil || errT != nil {
			return nil, fmt.Errorf("stage %q: want DURATION:TARGET, such as 30s:50", part)
		}
		out = append(out, Stage{Duration: dur, Target: target})
	}
	return out, nil
}

// MostUsers is the most users s may run at once: what a connection pool
// should keep idle per host so that no user waits for a new connection.
func (s Scenario) MostUsers() int {
	n := max(s.VUs, s.MaxVUs, s.StartVUs)
	for _, st := range s.Stages {
		if s.Executor == RampingVUs {
			n = max(n, int(st.Target))
		}
	}
	return max(n, 1)
}
