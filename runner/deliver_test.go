package runner

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// deliveryRun delivers the results of a three-step collection whose
// middle step captures a secret, and notes what OnStep and OnFinal saw.
type deliveryRun struct {
	d              *delivery
	m              *mask.Masker
	steps          []*collections.Step
	stepped, final []string
}

func newDeliveryRun(t *testing.T, r Retention) *deliveryRun {
	c := parse(t, `steps:
  - name: before
    GET: https://example.test/a
  - name: login
    GET: https://example.test/login
    capture:
      token: {json: token, secret: true}
  - name: after
    GET: https://example.test/b
`)
	dr := &deliveryRun{m: mask.New(), steps: c.Steps}
	opts := Options{
		OnStep:    func(sr *StepResult) { dr.stepped = append(dr.stepped, sr.Name) },
		OnFinal:   func(sr *StepResult) { dr.final = append(dr.final, sr.Name+" "+sr.Request.URL) },
		Retention: r,
	}
	dr.d = newDelivery(c, map[string]bool{}, opts, dr.m, newRecorder(r, dr.m))
	return dr
}

// step runs step i to outcome o, its request to url; captured, when set,
// is the secret the step captures.
func (dr *deliveryRun) step(i int, url string, o Outcome, captured string) {
	dr.d.begin(i)
	dr.d.emit(&StepResult{Name: dr.steps[i].Name, Step: dr.steps[i], Outcome: o, Request: &exchange.Request{URL: url}})
	if captured != "" {
		dr.m.Add(captured)
	}
	dr.d.end(i)
}

// TestDeliveryHoldsUntilFinal checks that a result is handed to OnFinal
// only once no later step can capture a secret it shows, masked again
// with the secrets captured since OnStep saw it, and in order; with
// Summaries, passed steps are counted and not kept.
func TestDeliveryHoldsUntilFinal(t *testing.T) {
	dr := newDeliveryRun(t, Retention{Summaries: true})
	dr.step(0, "https://example.test/a?t=tok-12345", Failed, "")
	if len(dr.stepped) != 1 || len(dr.final) != 0 {
		t.Fatalf("after the first step: OnStep %v, OnFinal %v; want it reported, and held (a later step captures a secret)", dr.stepped, dr.final)
	}
	dr.step(1, "https://example.test/login", Passed, "tok-12345")
	dr.step(2, "https://example.test/b", Passed, "")
	dr.d.deliver()
	want := "before https://example.test/a?t=***|login https://example.test/login|after https://example.test/b"
	if got := strings.Join(dr.final, "|"); got != want {
		t.Errorf("OnFinal saw\n%s\nwant\n%s", got, want)
	}
	if len(dr.d.done) != 1 || dr.d.dropped[Passed] != 2 {
		t.Errorf("kept %d results and counted %v, want the failed one kept and two passed counted", len(dr.d.done), dr.d.dropped)
	}
}

// TestDeliveryCountsUnreadSteps checks that with CountPassed the steps
// that passed or were skipped are only counted, never held or handed
// on, while a failed step is still held until final and masked with the
// secret a later step captures.
func TestDeliveryCountsUnreadSteps(t *testing.T) {
	dr := newDeliveryRun(t, Retention{Summaries: true, CountPassed: true})
	dr.step(0, "https://example.test/a?t=tok-12345", Failed, "")
	dr.step(1, "https://example.test/login", Passed, "tok-12345")
	dr.step(2, "https://example.test/b", Skipped, "")
	dr.d.deliver()
	if got := strings.Join(dr.stepped, "|"); got != "before" {
		t.Errorf("OnStep saw %q, want only the failed step", got)
	}
	if got, want := strings.Join(dr.final, "|"), "before https://example.test/a?t=***"; got != want {
		t.Errorf("OnFinal saw %q, want %q", got, want)
	}
	dropped, unseen := dr.d.counts()
	if len(dr.d.done) != 1 || dropped != nil || unseen[Passed] != 1 || unseen[Skipped] != 1 {
		t.Errorf("kept %d results, dropped %v, unseen %v; want the failed one kept, one passed and one skipped unseen", len(dr.d.done), dropped, unseen)
	}
}

// TestRecorderKeepsUntilFinal checks that the recorder keeps nothing
// unless asked to, and records a step's exchange when the step is final,
// naming the secrets known by then.
func TestRecorderKeepsUntilFinal(t *testing.T) {
	m := mask.New()
	sr := &StepResult{Name: "s", Request: &exchange.Request{Method: "GET", URL: "https://h/?k=late-secret", Header: exchange.Header{}}}
	off := newRecorder(Retention{}, m)
	off.keep(sr)
	off.record(sr)
	if sr.Exchange != nil || len(off.made()) != 0 {
		t.Fatal("a recorder asked for nothing recorded an exchange")
	}
	rec := newRecorder(Retention{Exchanges: true, Record: true}, m)
	rec.keep(sr)
	sr.Request.URL = "masked in the result"
	addNamed(m, "key", "late-secret")
	rec.record(sr)
	if sr.Exchange == nil || sr.Exchange.Request.URL != "https://h/?k={{secret:key}}" {
		t.Errorf("Exchange = %+v, want the request as sent, its secret named", sr.Exchange)
	}
	if len(rec.recordings) != 1 || len(rec.raw) != 0 {
		t.Errorf("recordings %d, raw kept %d; want 1 and 0", len(rec.recordings), len(rec.raw))
	}
}

// TestNeedCountsPassedOnlyWhenNobodyReadsThem checks that Options.Need
// counts passed steps without handing them on only when nothing is
// needed of them (each need but State reads passed steps or something of
// them), and keeps Result.State only when it is needed.
func TestNeedCountsPassedOnlyWhenNobodyReadsThem(t *testing.T) {
	for _, tt := range []struct {
		needs                Needs
		countPassed, noState bool
	}{
		{Needs{}, true, true},
		{Needs{Bodies: true}, false, true},
		{Needs{Exchanges: true}, false, true},
		{Needs{Passed: true}, false, true},
		{Needs{Steps: true}, false, true},
		{Needs{Recording: true}, false, true},
		{Needs{State: true}, true, false},
		{Needs{Steps: true, State: true}, false, false},
	} {
		var o Options
		o.Need(tt.needs)
		if o.CountPassed != tt.countPassed || o.NoState != tt.noState {
			t.Errorf("Need(%+v): CountPassed = %v, NoState = %v; want %v, %v", tt.needs, o.CountPassed, o.NoState, tt.countPassed, tt.noState)
		}
	}
}

// TestDeliveryMeasuresEveryStep checks that OnMeasure gets the figures of
// every step, and that with CountPassed a step that passed is never
// masked (nothing reads it) while a failed one is masked before OnStep
// sees it.
func TestDeliveryMeasuresEveryStep(t *testing.T) {
	c := parse(t, "steps:\n  - name: a\n    GET: https://example.test/a\n  - name: b\n    GET: https://example.test/b\n")
	m := mask.New()
	m.Add("tok-12345")
	var measures []Measure
	var stepped []string
	opts := Options{
		OnMeasure: func(x Measure) { measures = append(measures, x) },
		OnStep:    func(sr *StepResult) { stepped = append(stepped, sr.Request.URL) },
		Retention: Retention{Summaries: true, CountPassed: true},
	}
	d := newDelivery(c, map[string]bool{}, opts, m, newRecorder(opts.Retention, m))
	result := func(i int, o Outcome, status int, took time.Duration, checks ...bool) *StepResult {
		sr := &StepResult{Name: c.Steps[i].Name, Step: c.Steps[i], Outcome: o,
			Request:  &exchange.Request{URL: "https://example.test/" + c.Steps[i].Name + "?t=tok-12345"},
			Response: &exchange.Response{Status: status, Duration: took}}
		for _, p := range checks {
			sr.Checks = append(sr.Checks, &CheckResult{Passed: p})
		}
		return sr
	}
	passed := result(0, Passed, 200, 3*time.Millisecond, true)
	failed := result(1, Failed, 500, 5*time.Millisecond, true, false)
	for i, sr := range []*StepResult{passed, failed} {
		d.begin(i)
		d.emit(sr)
		d.end(i)
	}
	d.deliver()
	want := []Measure{
		{Name: "a", Outcome: Passed, Responded: true, Status: 200, Latency: 3 * time.Millisecond, ChecksPassed: 1},
		{Name: "b", Outcome: Failed, Responded: true, Status: 500, Latency: 5 * time.Millisecond, ChecksPassed: 1, ChecksFailed: 1},
	}
	if !slices.Equal(measures, want) {
		t.Errorf("OnMeasure got\n%+v\nwant\n%+v", measures, want)
	}
	if got, want := strings.Join(stepped, "|"), "https://example.test/b?t=***"; got != want {
		t.Errorf("OnStep saw %q, want only the failed step, masked: %q", got, want)
	}
	if got := passed.Request.URL; got != "https://example.test/a?t=tok-12345" {
		t.Errorf("the passed step nobody reads was masked: %q", got)
	}
}
