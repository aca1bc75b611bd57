package collections

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Flow is the control flow of a step: when it runs, how often it is tried
// and whether it stops the collection on purpose. Its zero value runs the
// step once, at once.
type Flow struct {
	// Delay waits before the step (and before nothing else).
	Delay time.Duration
	// Retry, when set, runs the step again until its checks pass (and
	// Until holds), at most Retry.Count more times.
	Retry *Retry
	// Until, when set, is an expression that must be true after the step
	// for it to be done; the step is polled until it is (with Retry's
	// count and interval, or DefaultUntil's). It sees the variables,
	// the step's own captures and the response as res.
	Until *Expr
	// Tags label the step for --tag.
	Tags []string
	// Repeat, when above zero, runs the step Repeat times in a row, with
	// index (from 0) in scope; each run is reported as "name [1]", "name
	// [2]", … and the step passes only if every run passes.
	Repeat int
	// ForEach, when set, runs the step once per item of the list it
	// gives (a YAML list, or a template whose value is a list), with item
	// and index (from 0) in scope, reported like Repeat.
	ForEach *Value
}

// The names a repeat: or for_each: step sees besides the variables.
const (
	// ItemName is the current item of for_each:.
	ItemName = "item"
	// IndexName is the number of the current run of repeat: or for_each:,
	// from 0.
	IndexName = "index"
)

// Iterates reports whether the step runs more than once (repeat: or
// for_each:).
func (f *Flow) Iterates() bool { return f.Repeat > 0 || f.ForEach != nil }

// defines reports whether the flow puts name in scope for its own step:
// item and index for repeat: and for_each:.
func (f *Flow) defines(name string) bool {
	switch name {
	case IndexName:
		return f.Iterates()
	case ItemName:
		return f.ForEach != nil
	}
	return false
}

// Retry says how a step is retried.
type Retry struct {
	Pos Pos
	// Count is how many times the step may run again after the first.
	Count int
	// Interval is the wait before the first retry.
	Interval time.Duration
	// Backoff multiplies the wait after each retry (1 keeps it constant).
	Backoff float64
}

// DefaultUntil is the retry an until: without retry: gets: 10 more tries,
// one second apart.
var DefaultUntil = Retry{Count: 10, Interval: time.Second, Backoff: 1}

// flowKey parses one control-flow key of a step; it reports whether the
// key was one.
func (l *loader) flowKey(s *Step, p pair) bool {
	switch p.key {
	case "delay":
		s.Flow.Delay = l.duration(p.value, "delay")
	case "retry":
		s.Flow.Retry = l.retry(p.value)
	case "until":
		s.Flow.Until = l.expression(resolve(p.value), "until", ResName)
	case "tags":
		s.Flow.Tags = l.tags(p.value)
	case "repeat":
		if s.Flow.ForEach != nil {
			l.errorAt(p.keyN, "a step iterates one way: keep repeat: or for_each:", "repeat: and for_each: are both set")
			break
		}
		s.Flow.Repeat = l.count(p.value, "repeat")
	case "for_each":
		if s.Flow.Repeat > 0 {
			l.errorAt(p.keyN, "a step iterates one way: keep repeat: or for_each:", "repeat: and for_each: are both set")
			break
		}
		s.Flow.ForEach = l.forEach(p.value)
	case "vars":
		if s.Include() == nil {
			l.errorAt(p.keyN, "vars: seeds an include: step; collection variables go in the top-level vars:", "vars: is only allowed on an include: step")
		}
	default:
		return false
	}
	return true
}

// retry parses retry: as a mapping {count, interval, backoff} or as a bare
// count.
func (l *loader) retry(n *yaml.Node) *Retry {
	n = resolve(n)
	r := &Retry{Pos: l.pos(n), Interval: time.Second, Backoff: 1}
	if n.Kind == yaml.ScalarNode {
		r.Count = l.count(n, "retry")
		return r
	}
	ps, ok := l.pairs(n, "retry")
	if !ok {
		return r
	}
	for _, p := range l.known(ps, "retry", RetryKeys.Keys) {
		switch p.key {
		case "count":
			r.Count = l.count(p.value, "retry count")
		case "interval":
			r.Interval = l.duration(p.value, "retry interval")
		case "backoff":
			v := resolve(p.value)
			f, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || err != nil || f < 1 || f > 10 {
				l.errorAt(v, "write a factor from 1 (constant) to 10, such as 2 to double each wait", "retry backoff must be a number from 1 to 10, not %s", describe(v))
				continue
			}
			r.Backoff = f
		}
	}
	return r
}

// forEach parses for_each: a list (whose items may hold templates) or one
// string template whose value must be a list at run time.
func (l *loader) forEach(n *yaml.Node) *Value {
	n = resolve(n)
	if n.Kind == yaml.SequenceNode || isString(n) && strings.Contains(n.Value, "{{") {
		return l.value(n)
	}
	l.errorAt(n, `write a list such as [a, b], or an expression giving one, such as "{{ users }}"`, "for_each must be a list or a {{ expression }}, not %s", describe(n))
	return nil
}

// count parses a positive integer of at most 1000.
func (l *loader) count(n *yaml.Node, what string) int {
	n = resolve(n)
	i, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil || i < 1 || i > 1000 {
		l.errorAt(n, "write a whole number from 1 to 1000", "%s must be a whole number from 1 to 1000, not %s", what, describeValue(n))
		return 0
	}
	return i
}

// tags parses a list of tag names (or one name).
func (l *loader) tags(n *yaml.Node) []string {
	n = resolve(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []string
	for _, it := range items {
		if s, ok := l.str(resolve(it), "tag"); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// failStep parses the message of a fail: step.
func (l *loader) failStep(s *Step, p pair) {
	s.Action = &Fail{Pos: l.pos(p.keyN), Message: l.template(p.value, "fail")}
}

// requestless reports whether a key of a step needs a request, and so is
// an error on a fail: step.
func requestless(s *Step, key string) error {
	if !slices.Contains(requestKeys, key) {
		return nil
	}
	switch {
	case s.Include() != nil:
		return fmt.Errorf("%s: is not allowed on an include: step, which runs the included file's steps", key)
	case s.Fail() != nil:
		return fmt.Errorf("%s: is not allowed on a fail: step, which sends nothing", key)
	}
	return nil
}

// requestKeys are the step keys that need a request of the step's own.
var requestKeys = []string{"url", "query", "headers", "timeout", "follow_redirects", "json", "form", "multipart", "body",
	"expect", "capture", "retry", "until", "auth", "openapi", "operation_id"}

// exprs calls fn for the expressions of the flow that read variables
// before the step runs.
func (f *Flow) exprs(fn func(*Expr)) {
	f.ForEach.Exprs(fn)
}

// requestlessHint is the hint of a key requestless refuses.
func requestlessHint(s *Step) string {
	if s.Include() != nil {
		return "an include: step runs the included file; put the request in another step"
	}
	return "a fail: step only stops the collection; put the request in another step"
}
