package runner

import (
	"strings"
	"testing"

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
// needed of them: each need reads passed steps or something of them.
func TestNeedCountsPassedOnlyWhenNobodyReadsThem(t *testing.T) {
	for _, tt := range []struct {
		needs Needs
		want  bool
	}{
		{Needs{}, true},
		{Needs{Bodies: true}, false},
		{Needs{Exchanges: true}, false},
		{Needs{Passed: true}, false},
		{Needs{Steps: true}, false},
		{Needs{Recording: true}, false},
	} {
		var o Options
		o.Need(tt.needs)
		if o.CountPassed != tt.want {
			t.Errorf("Need(%+v): CountPassed = %v, want %v", tt.needs, o.CountPassed, tt.want)
		}
	}
}
