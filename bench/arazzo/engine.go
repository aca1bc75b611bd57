package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/callsheet/callsheet/arazzo"
)

// runEngine runs a case with callsheet's engine and a plain net/http
// sender, as the runner will once it runs Arazzo documents.
func runEngine(ctx context.Context, c benchCase, url string) (outcome, error) {
	doc, err := arazzo.Load(c.file)
	if err != nil {
		return outcome{}, err
	}
	d, err := arazzo.Resolve(ctx, doc, arazzo.Sources{OpenAPI: arazzo.ReadOpenAPI(nil), Servers: map[string]string{"library": url}})
	if err != nil {
		return outcome{}, err
	}
	o := outcome{steps: map[string]string{}}
	e := &arazzo.Engine{
		Sender:      &arazzo.HTTPSender{Client: &http.Client{Timeout: 30 * time.Second}},
		MaxStepRuns: c.maxSteps,
		OnStep: func(s *arazzo.StepResult) {
			o.steps[s.Workflow+"/"+s.Step] += map[bool]string{true: "P", false: "F"}[s.Passed]
		},
	}
	res, err := e.Run(ctx, d, c.workflow, c.inputs)
	var inputErr *arazzo.InputError
	if errors.As(err, &inputErr) {
		return o, nil // refused before anything was sent: the workflow fails
	}
	if err != nil {
		return outcome{}, err
	}
	o.passed = res.Passed
	return o, nil
}
