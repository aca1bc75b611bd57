package load

import (
	"fmt"
	"time"
)

// Overrides are the settings of a load test given outside its collection
// (the command line), which replace those of its load: mapping.
type Overrides struct {
	// Scenario holds the values given; Set reports whether the setting of
	// a name was given (executor, vus, max-vus, start-vus, iterations,
	// duration, graceful-stop, rate, start-rate, stages, abort-on-fail).
	Scenario Scenario
	Set      func(name string) bool
	// Stages is the text of the stages given (ParseStages).
	Stages string
	// Thresholds are the texts of thresholds added to the plan's
	// (ParseThreshold).
	Thresholds []string
	// AbortAfter replaces the plan's when abort-on-fail is set.
	AbortAfter time.Duration
}

// Apply replaces in p the settings o gives, and adds o's thresholds. An
// error names the setting as a flag: --stages, --threshold.
func (o Overrides) Apply(p *Plan) error {
	f, sc := o.Scenario, &p.Scenario
	if o.Set("executor") {
		sc.Executor = f.Executor
	}
	ints := map[string]*int{"vus": &sc.VUs, "max-vus": &sc.MaxVUs, "start-vus": &sc.StartVUs, "iterations": &sc.Iterations}
	from := map[string]int{"vus": f.VUs, "max-vus": f.MaxVUs, "start-vus": f.StartVUs, "iterations": f.Iterations}
	for name, dst := range ints {
		if o.Set(name) {
			*dst = from[name]
		}
	}
	o.applyTimes(p)
	if o.Set("stages") {
		stages, err := ParseStages(o.Stages)
		if err != nil {
			return fmt.Errorf("--stages: %w", err)
		}
		sc.Stages = stages
	}
	for _, text := range o.Thresholds {
		th, err := ParseThreshold(text)
		if err != nil {
			return fmt.Errorf("--threshold: %w", err)
		}
		p.Thresholds = append(p.Thresholds, th)
	}
	return nil
}

// applyTimes replaces the durations and rates o gives.
func (o Overrides) applyTimes(p *Plan) {
	f, sc := o.Scenario, &p.Scenario
	if o.Set("duration") {
		sc.Duration = f.Duration
	}
	if o.Set("graceful-stop") {
		sc.GracefulStop = f.GracefulStop
	}
	if o.Set("rate") {
		sc.Rate = f.Rate
	}
	if o.Set("start-rate") {
		sc.StartRate = f.StartRate
	}
	if o.Set("abort-on-fail") {
		p.AbortAfter = o.AbortAfter
	}
}
