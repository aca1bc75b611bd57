package runner

// dropBodies lets go of the body excerpts of a step that passed, unless
// Options.KeepBodies asks for them: only the steps that did not pass need
// their bodies to explain why. It runs when the step's result is final
// (retries and until: have read the response), before Options.OnStep sees
// it. The sizes stay, and Truncated is left as it was.
func (rn *run) dropBodies(sr *StepResult) {
	if rn.opts.KeepBodies || sr.Outcome != Passed {
		return
	}
	if sr.Request != nil {
		sr.Request.Body = nil
	}
	if sr.Response != nil {
		sr.Response.Body = nil
	}
}

// summarize keeps only the summary of a step that passed or was skipped,
// with Options.Summaries: what a JUnit or TAP report and the counts read.
// It runs once OnStep has seen the step whole.
func (rn *run) summarize(sr *StepResult) {
	if !rn.opts.Summaries || sr.Outcome != Passed && sr.Outcome != Skipped {
		return
	}
	sr.Request, sr.Response, sr.Checks, sr.Captures = nil, nil, nil, nil
}
