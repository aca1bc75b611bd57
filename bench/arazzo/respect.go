package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/arazzo"
)

// respectChecks turns off the checks respect makes of its own against the
// OpenAPI description (status, content type, schema), so that only what
// the Arazzo document says decides a step.
const respectChecks = `{"STATUS_CODE_CHECK":"off","CONTENT_TYPE_CHECK":"off","SCHEMA_CHECK":"off"}`

// respectRun is a workflow or step of respect's --json-output: a step
// that runs a workflow is a workflow with the step's id.
type respectRun struct {
	Type          string       `json:"type"`
	WorkflowID    string       `json:"workflowId"`
	StepID        string       `json:"stepId"`
	Status        string       `json:"status"`
	ExecutedSteps []respectRun `json:"executedSteps"`
}

// respectReport is the part of respect's --json-output the comparison
// reads.
type respectReport struct {
	Files map[string]struct {
		ExecutedWorkflows []respectRun `json:"executedWorkflows"`
	} `json:"files"`
}

// respect returns a runner that runs a case with Redocly's respect at
// path.
func respect(path string) func(ctx context.Context, c benchCase, url string) (outcome, error) {
	return func(ctx context.Context, c benchCase, url string) (outcome, error) {
		file, err := filepath.Abs(c.file)
		if err != nil {
			return outcome{}, err
		}
		dir, err := os.MkdirTemp("", "respect-")
		if err != nil {
			return outcome{}, err
		}
		defer os.RemoveAll(dir)
		report := filepath.Join(dir, "report.json")
		args := []string{"respect", file, "--workflow", c.workflow, "--server", "library=" + url,
			"--json-output", report, "--severity", respectChecks}
		for k, v := range c.inputs {
			args = append(args, "--input", fmt.Sprintf("%s=%v", k, v))
		}
		if c.maxSteps > 0 {
			args = append(args, "--max-steps", strconv.Itoa(c.maxSteps))
		}
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Dir = filepath.Dir(file)
		cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
		out, _ := cmd.CombinedOutput() // a failed workflow exits 1
		data, err := os.ReadFile(report)
		if err != nil {
			return outcome{}, fmt.Errorf("respect wrote no report: %s", lastLine(out))
		}
		return readRespect(data, out, c)
	}
}

// readRespect reads the verdicts of a respect run. Its report leaves out
// the workflows a workflow depends on, those a goto action runs and the
// steps a retry action runs, so the verdicts of steps come from its
// console output, read with the document's step ids to tell which
// workflow a step line belongs to. The report gives the verdicts of the
// steps that run workflows, which the console does not show, and that of
// the workflow.
func readRespect(data, console []byte, c benchCase) (outcome, error) {
	var r respectReport
	if err := json.Unmarshal(data, &r); err != nil {
		return outcome{}, fmt.Errorf("respect's report: %w", err)
	}
	doc, err := arazzo.Load(c.file)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{steps: map[string]string{}}
	for _, f := range r.Files {
		for _, w := range f.ExecutedWorkflows {
			o.callers(w)
			if w.WorkflowID == c.workflow {
				o.passed = w.Status == "success"
			}
		}
	}
	consoleSteps(console, doc, o.steps)
	return o, nil
}

// callers adds the verdicts of the steps that ran workflows.
func (o outcome) callers(w respectRun) {
	for _, s := range w.ExecutedSteps {
		if s.Type == "workflow" {
			if s.StepID != "" {
				o.steps[w.WorkflowID+"/"+s.StepID] += verdictOf(s.Status)
			}
			o.callers(s)
		}
	}
}

func verdictOf(status string) string {
	if status == "success" {
		return "P"
	}
	return "F"
}

var (
	ansiRE     = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	runningRE  = regexp.MustCompile(`^Running workflow \S+ / (\S+)`)
	stepLineRE = regexp.MustCompile(`^([✓✗]) [A-Z]+ \S+ - step (\S+)$`)
)

// consoleSteps reads the step lines of respect's console output. A step
// belongs to the latest workflow started that has a step of that id.
func consoleSteps(console []byte, doc *arazzo.Document, steps map[string]string) {
	var started []string
	for _, line := range strings.Split(ansiRE.ReplaceAllString(string(console), ""), "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\u00a0", " "))
		if m := runningRE.FindStringSubmatch(line); m != nil {
			started = append(started, m[1])
			continue
		}
		m := stepLineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for i := len(started) - 1; i >= 0; i-- {
			if w := doc.Workflow(started[i]); w != nil && w.Step(m[2]) != nil {
				steps[started[i]+"/"+m[2]] += map[string]string{"✓": "P", "✗": "F"}[m[1]]
				started = started[:i+1]
				break
			}
		}
	}
}

// lastLine is the last line of output that is not blank.
func lastLine(out []byte) string {
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "no output"
	}
	return lines[len(lines)-1]
}
