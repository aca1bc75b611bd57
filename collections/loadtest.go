package collections

import (
	"math"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadTest is the load: mapping: how `callsheet load` runs the collection
// as a load test. A plain `callsheet run` ignores it. The loader checks
// the types and the step names of thresholds; package load checks the
// rest (which executor needs which keys, the threshold expressions).
type LoadTest struct {
	Pos Pos
	// Executor names how users are driven (constant-vus, ramping-vus,
	// per-vu-iterations, constant-arrival-rate, ramping-arrival-rate);
	// empty lets the other keys imply it.
	Executor    string
	ExecutorPos Pos
	VUs         int
	MaxVUs      int
	StartVUs    int
	Iterations  int
	Rate        float64
	StartRate   float64
	Duration    time.Duration
	// GracefulStop is how long iterations under way at the end may run on.
	GracefulStop time.Duration
	Stages       []*LoadStage
	Thresholds   []*LoadThreshold
	// AbortOnFail, when set, stops the test at the first threshold that
	// fails once this much of it has run.
	AbortOnFail time.Duration
}

// LoadStage is one leg of a ramp: over Duration the target moves to
// Target (users, or iterations a second).
type LoadStage struct {
	Pos      Pos
	Duration time.Duration
	Target   float64
}

// LoadThreshold is one threshold as written: Text such as "p95 < 200ms",
// of the step Step ("" for every step).
type LoadThreshold struct {
	Pos  Pos
	Step string
	Text string
}

// loadTest walks the load: mapping.
func (l *loader) loadTest(n *yaml.Node) *LoadTest {
	lt := &LoadTest{Pos: l.pos(n)}
	if n = resolve(n); n.Kind != yaml.MappingNode {
		l.errorAt(n, "for example load: {vus: 10, duration: 30s}", "load must be a mapping, not %s", describe(n))
		return lt
	}
	ps, _ := l.pairs(n, "load")
	for _, p := range l.known(ps, LoadKeys.Name, LoadKeys.Keys) {
		switch p.key {
		case "executor":
			lt.Executor, _ = l.str(resolve(p.value), "executor")
			lt.ExecutorPos = l.pos(p.value)
		case "vus":
			lt.VUs = l.whole(p.value, p.key)
		case "max_vus":
			lt.MaxVUs = l.whole(p.value, p.key)
		case "start_vus":
			lt.StartVUs = l.whole(p.value, p.key)
		case "iterations":
			lt.Iterations = l.whole(p.value, p.key)
		case "rate":
			lt.Rate = l.rate(p.value, p.key)
		case "start_rate":
			lt.StartRate = l.rate(p.value, p.key)
		case "duration":
			lt.Duration = l.duration(p.value, p.key)
		case "graceful_stop":
			lt.GracefulStop = l.duration(p.value, p.key)
		case "abort_on_fail":
			lt.AbortOnFail = l.duration(p.value, p.key)
		case "stages":
			lt.Stages = l.loadStages(p.value)
		case "thresholds":
			lt.Thresholds = l.thresholds(p.value)
		}
	}
	return lt
}

// whole parses a whole number of 0 or more.
func (l *loader) whole(n *yaml.Node, what string) int {
	n = resolve(n)
	i, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil || i < 0 {
		l.errorAt(n, "write a whole number, such as 10", "%s must be a whole number of 0 or more, not %s", what, describeValue(n))
		return 0
	}
	return i
}

// rate parses a number of 0 or more.
func (l *loader) rate(n *yaml.Node, what string) float64 {
	n = resolve(n)
	f, err := strconv.ParseFloat(n.Value, 64)
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		l.errorAt(n, "write a number, such as 200 or 12.5", "%s must be a number of 0 or more, not %s", what, describeValue(n))
		return 0
	}
	return f
}

// loadStages parses the stages: list, each {duration, target}.
func (l *loader) loadStages(n *yaml.Node) []*LoadStage {
	n = resolve(n)
	hint := "for example stages: [{duration: 30s, target: 50}, {duration: 10s, target: 0}]"
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		l.errorAt(n, hint, "stages must be a list of {duration, target}, not %s", describe(n))
		return nil
	}
	var out []*LoadStage
	for _, it := range n.Content {
		it = resolve(it)
		if it.Kind != yaml.MappingNode {
			l.errorAt(it, hint, "a stage must be a mapping of duration and target, not %s", describe(it))
			continue
		}
		st := &LoadStage{Pos: l.pos(it)}
		ps, _ := l.pairs(it, "stage")
		var have []string
		for _, p := range l.known(ps, StageKeys.Name, StageKeys.Keys) {
			have = append(have, p.key)
			if p.key == "duration" {
				st.Duration = l.duration(p.value, "a stage's duration")
			} else {
				st.Target = l.rate(p.value, "a stage's target")
			}
		}
		if len(have) == 2 {
			out = append(out, st)
		} else {
			l.errorAt(it, hint, "a stage needs both duration and target")
		}
	}
	return out
}

// thresholds parses the thresholds: list: each item a threshold, or a
// mapping of a step name to one threshold or a list of them.
func (l *loader) thresholds(n *yaml.Node) []*LoadThreshold {
	n = resolve(n)
	hint := `for example thresholds: ["p95 < 200ms", "checks > 99%", {me: "p99 < 500ms"}]`
	if n.Kind != yaml.SequenceNode {
		l.errorAt(n, hint, "thresholds must be a list, not %s", describe(n))
		return nil
	}
	var out []*LoadThreshold
	for _, it := range n.Content {
		it = resolve(it)
		if it.Kind != yaml.MappingNode {
			if s, ok := l.str(it, "a threshold"); ok {
				out = append(out, &LoadThreshold{Pos: l.pos(it), Text: s})
			}
			continue
		}
		ps, _ := l.pairs(it, "thresholds")
		for _, p := range ps {
			items := []*yaml.Node{resolve(p.value)}
			if items[0].Kind == yaml.SequenceNode {
				items = items[0].Content
			}
			for _, x := range items {
				if s, ok := l.str(resolve(x), "a threshold"); ok {
					out = append(out, &LoadThreshold{Pos: l.pos(x), Step: p.key, Text: s})
				}
			}
		}
	}
	return out
}

// checkThresholdSteps reports a threshold of a step the collection does
// not have.
func (l *loader) checkThresholdSteps(c *Collection) {
	if c.Load == nil {
		return
	}
	var names []string
	for _, s := range slices.Concat(c.Steps, c.Finally) {
		names = append(names, s.Name)
	}
	for _, t := range c.Load.Thresholds {
		if t.Step != "" && !slices.Contains(names, t.Step) {
			hint := ""
			if s := Suggest(t.Step, names); s != "" {
				hint = "did you mean \"" + s + "\"?"
			}
			l.errorf(t.Pos, 0, hint, "threshold of step %q, which the collection does not have", t.Step)
		}
	}
}
