package runner

import (
	"slices"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/mask"
)

// delivery takes every result a run emits. It reports each at once
// through Options.OnStep, then holds it until it is final: once no later
// step can capture a secret that might have appeared in it, nothing about
// it changes. Results held are masked again with the secrets captured
// since, their exchanges recorded, and delivered in order through
// Options.OnFinal. Included runs emit through their run's delivery.
type delivery struct {
	mask                  *mask.Masker
	rec                   *recorder
	onStep, onFinal       func(*StepResult)
	onMeasure             func(Measure)
	keepBodies, summaries bool
	// countPassed counts passed and skipped results in unseen as they are
	// emitted, and drops them (Retention.CountPassed).
	countPassed bool
	// secretAfter says, for each step, whether a later step (or a
	// finally: step) captures a secret; capturing whether the step
	// itself does.
	secretAfter, capturing []bool
	// streaming is set while a step runs whose results are final as
	// they are emitted: neither it nor a later step captures a secret.
	streaming bool
	// held are the results not yet delivered, each with the number of
	// secrets it was masked with; done are those delivered, in order.
	held []heldResult
	done []*StepResult
	// dropped counts the results Retention.Summaries did not keep.
	dropped map[Outcome]int
	unseen  map[Outcome]int
}

// heldResult is a result waiting to be final, masked with the secrets
// known when it was emitted.
type heldResult struct {
	sr       *StepResult
	maskedBy int
}

// newDelivery prepares the delivery of a run of c, whose secret names
// are secret.
func newDelivery(c *collections.Collection, secret map[string]bool, opts Options, m *mask.Masker, rec *recorder) *delivery {
	captures := func(s *collections.Step) bool {
		return slices.ContainsFunc(s.Captures, func(cp *collections.Capture) bool { return cp.Secret || secret[cp.Name] })
	}
	n := len(c.Steps)
	flags := make([]bool, 2*n)
	d := &delivery{mask: m, rec: rec, onStep: opts.OnStep, onFinal: opts.OnFinal, onMeasure: opts.OnMeasure, keepBodies: opts.KeepBodies,
		summaries: opts.Summaries, countPassed: opts.CountPassed, secretAfter: flags[:n:n], capturing: flags[n:],
		dropped: map[Outcome]int{}, unseen: map[Outcome]int{}}
	later := slices.ContainsFunc(c.Finally, captures)
	for i := n - 1; i >= 0; i-- {
		d.secretAfter[i] = later
		d.capturing[i] = captures(c.Steps[i])
		later = later || d.capturing[i]
	}
	return d
}

// begin notes that step i (len(secretAfter) for the finally: steps)
// begins.
func (d *delivery) begin(i int) {
	d.streaming = i < len(d.secretAfter) && !d.secretAfter[i] && !d.capturing[i]
}

// end notes that step i ended: its results are final unless a later step
// captures a secret.
func (d *delivery) end(i int) {
	if !d.secretAfter[i] {
		d.deliver()
	}
}

// emit gives sr's figures to Options.OnMeasure, masks sr, reports it
// through Options.OnStep and holds it, delivering it at once when it is
// final. A passed step's bodies are dropped first, unless
// Retention.KeepBodies. A result nobody reads (Retention.CountPassed) is
// only counted: it is never masked.
func (d *delivery) emit(sr *StepResult) *StepResult {
	if d.onMeasure != nil {
		d.onMeasure(MeasureOf(sr))
	}
	if d.unread(sr) {
		d.unseen[sr.Outcome]++
		return sr
	}
	maskFields(d.mask, sr) // the bodies kept were masked as the step finished
	sr.mask = d.mask
	d.dropBodies(sr)
	if d.onStep != nil {
		d.onStep(sr)
	}
	d.held = append(d.held, heldResult{sr, d.mask.Count()})
	if d.streaming {
		d.deliver()
	}
	return sr
}

// deliver masks each held result again when secrets were captured since
// it was emitted, records its exchange, then gives it to Options.OnFinal
// and keeps it, or only counts it (Retention.Summaries).
func (d *delivery) deliver() {
	for _, h := range d.held {
		if h.sr.Outcome != NotRun && h.maskedBy < d.mask.Count() {
			maskStep(d.mask, h.sr)
		}
		d.rec.record(h.sr)
		if d.onFinal != nil {
			d.onFinal(h.sr)
		}
		if d.summaries && (h.sr.Outcome == Passed || h.sr.Outcome == Skipped) {
			d.dropped[h.sr.Outcome]++
			continue
		}
		d.done = append(d.done, h.sr)
	}
	clear(d.held)
	d.held = d.held[:0]
}

// unread reports whether no consumer reads sr: it passed or was skipped,
// and Retention.CountPassed is set.
func (d *delivery) unread(sr *StepResult) bool {
	return d.countPassed && (sr.Outcome == Passed || sr.Outcome == Skipped)
}

// counts returns the numbers of results dropped and unseen, nil when none.
func (d *delivery) counts() (dropped, unseen map[Outcome]int) {
	if len(d.dropped) > 0 {
		dropped = d.dropped
	}
	if len(d.unseen) > 0 {
		unseen = d.unseen
	}
	return dropped, unseen
}

// dropBodies lets go of the body excerpts of a step that passed, unless
// Retention.KeepBodies asks for them: only the steps that did not pass
// need their bodies to explain why. It runs when the step's result is
// final (retries and until: have read the response). The sizes stay, and
// Truncated is left as it was.
func (d *delivery) dropBodies(sr *StepResult) {
	if d.keepBodies || sr.Outcome != Passed {
		return
	}
	if sr.Request != nil {
		sr.Request.Body = nil
	}
	if sr.Response != nil {
		sr.Response.Body = nil
	}
	if sr.Message != nil {
		sr.Message.Body = nil
	}
}
