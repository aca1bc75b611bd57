package session

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/internal/arazzotest"
	"github.com/callsheet/callsheet/runner"
)

// shopAsyncAPI describes a print shop on one WebSocket channel.
const shopAsyncAPI = `asyncapi: 3.0.0
info: {title: Print shop, version: 1.0.0}
defaultContentType: application/json
servers:
  shop: {host: printshop.example.test, protocol: ws}
channels:
  jobs:
    messages:
      status:
        payload: {type: object}
        correlationId: {location: '$message.payload#/job/ref'}
operations:
  submitJob: {action: receive, channel: {$ref: '#/channels/jobs'}}
  jobStatus: {action: send, channel: {$ref: '#/channels/jobs'}}
`

// shopDoc sends a job the shop drops the first time: the receive times
// out, its failure action sends the job again and retries.
const shopDoc = `arazzo: 1.1.0
info: {title: Print, version: "1"}
sourceDescriptions:
  - {name: shop, url: shop.asyncapi.yaml, type: asyncapi}
workflows:
  - workflowId: resubmit
    steps:
      - stepId: submit
        operationId: submitJob
        action: send
        requestBody: {payload: {ref: j-drop-once, pages: 2}}
      - stepId: status
        operationId: jobStatus
        action: receive
        correlationId: j-drop-once
        timeout: 5000
        onFailure:
          - {name: again, type: retry, stepId: submit}
`

// TestArazzoMessageUnits runs the steps of an AsyncAPI workflow through a
// session: each send and receive is a step with its message, and a
// receive that timed out and was retried is skipped, saying so.
func TestArazzoMessageUnits(t *testing.T) {
	shop := arazzotest.NewPrintShop()
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{"print.arazzo.yaml": shopDoc, "shop.asyncapi.yaml": shopAsyncAPI})
	var vars Vars
	vars.Set(LayerVar, map[string]any{"shop": "ws" + strings.TrimPrefix(srv.URL, "http")})
	s := newSession(t, Options{Paths: []string{filepath.Join(dir, "print.arazzo.yaml")}, Vars: vars, Jobs: 1})
	tr := &trace{needs: runner.Needs{Steps: true, Bodies: true}}
	if sum := run(t, s, http.DefaultClient, tr); sum.Verdict != runner.Passed {
		t.Errorf("verdict = %v, want passed", sum.Verdict)
	}
	var got []string
	for _, st := range tr.results[0].Steps {
		line := st.Name + ": " + st.Outcome.String()
		if st.SkipReason != "" {
			line += " (" + st.SkipReason + ")"
		}
		if m := st.Message; m != nil {
			line += " " + m.Action + " " + string(m.Body)
		}
		got = append(got, line)
	}
	want := []string{
		`submit: passed send {"ref":"j-drop-once","pages":2}`,
		`status: skipped (no message in time: retried by failure action "again")`,
		`submit [attempt 2]: passed send {"ref":"j-drop-once","pages":2}`,
		`status [attempt 2]: passed receive {"echo":{"ref":"j-drop-once","pages":2},"job":{"ref":"j-drop-once"},"sheets":2,"state":"printed"}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := shop.Conns(); n != 1 {
		t.Errorf("%d connections, want one for the workflow", n)
	}
}
