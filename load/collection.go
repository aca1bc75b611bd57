package load

import (
	"strconv"
	"time"

	"github.com/callsheet/callsheet/collections"
)

// Plan is what a collection's load: mapping says: the scenario, the
// thresholds and when a failing threshold stops the test.
type Plan struct {
	Scenario   Scenario
	Thresholds []Threshold
	AbortAfter time.Duration
}

// PlanOf reads the load: mapping of c (an empty Plan when c has none).
// A threshold that does not parse is a *collections.Error at its line;
// the scenario is checked later, once flags have changed it
// (Scenario.Complete).
func PlanOf(c *collections.Collection) (Plan, error) {
	lt := c.Load
	if lt == nil {
		return Plan{}, nil
	}
	p := Plan{AbortAfter: lt.AbortOnFail, Scenario: Scenario{
		Executor: Executor(lt.Executor), VUs: lt.VUs, MaxVUs: lt.MaxVUs, StartVUs: lt.StartVUs,
		Duration: lt.Duration, Iterations: lt.Iterations, Rate: lt.Rate, StartRate: lt.StartRate,
		GracefulStop: lt.GracefulStop,
	}}
	for _, st := range lt.Stages {
		p.Scenario.Stages = append(p.Scenario.Stages, Stage{Duration: st.Duration, Target: st.Target})
	}
	var errs collections.ErrorList
	if lt.Executor != "" && !Executor(lt.Executor).known() {
		errs = append(errs, &collections.Error{Pos: lt.ExecutorPos, Msg: "unknown executor " + strconv.Quote(lt.Executor),
			Hint: "valid executors: " + executorList()})
	}
	for _, lth := range lt.Thresholds {
		th, err := parseExpr(lth.Text, lth.Step)
		if err != nil {
			errs = append(errs, &collections.Error{Pos: lth.Pos, Msg: err.Error()})
			continue
		}
		th.Pos = lth.Pos
		p.Thresholds = append(p.Thresholds, th)
	}
	return p, errs.Err()
}
