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
