package cmd

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/callsheet/callsheet/internal/arazzotest"
)

// The AsyncAPI tests run documents whose steps send print jobs to, and
// receive their statuses from, a loopback WebSocket print shop
// (arazzotest.PrintShop), beside the loop API.

// shopAsyncAPI describes the print shop; its server is replaced by the
// test's with --var shop=ws://….
const shopAsyncAPI = `asyncapi: 3.0.0
info: {title: Print shop, version: 1.0.0}
defaultContentType: application/json
servers:
  shop: {host: printshop.example.test, pathname: /jobs, protocol: ws}
  paper: {host: paper.example.test, protocol: mqtt}
channels:
  jobs:
    address: null
    messages:
      submit: {payload: {type: object}}
      status:
        payload: {type: object}
        correlationId: {location: '$message.payload#/job/ref'}
  stock:
    address: reams
    servers: [{$ref: '#/servers/paper'}]
operations:
  submitJob:
    action: receive
    channel: {$ref: '#/channels/jobs'}
    messages: [{$ref: '#/channels/jobs/messages/submit'}]
  jobStatus:
    action: send
    channel: {$ref: '#/channels/jobs'}
    messages: [{$ref: '#/channels/jobs/messages/status'}]
  orderPaper:
    action: receive
    channel: {$ref: '#/channels/stock'}
`

// shopFlows logs in to the loop API, sends a job carrying the secret
// input and the token, receives its status (which echoes the job) and
// lists the projects of the owner the status names: an output of a
// message read by an HTTP step.
const shopFlows = `arazzo: 1.1.0
info: {title: Print, version: "1"}
sourceDescriptions:
  - {name: base, url: openapi.yaml, type: openapi}
  - {name: shop, url: shop.asyncapi.yaml, type: asyncapi}
workflows:
  - workflowId: print
    inputs:
      type: object
      required: [client_secret]
      properties:
        client_secret: {type: string, format: password}
        pages: {type: integer, default: 7}
    steps:
      - stepId: login
        operationId: $sourceDescriptions.base.login
        requestBody:
          contentType: application/json
          payload: {user: alice, client_secret: $inputs.client_secret}
        outputs:
          token: $response.body#/token
      - stepId: submit
        operationId: $sourceDescriptions.shop.submitJob
        action: send
        requestBody:
          payload: {ref: job-1, pages: $inputs.pages, owner: 7, key: $inputs.client_secret, bearer: $steps.login.outputs.token}
      - stepId: status
        operationId: $sourceDescriptions.shop.jobStatus
        action: receive
        correlationId: job-1
        timeout: 60000 # a hang guard: the receive ends when the message comes
        successCriteria:
          - condition: $message.payload.state == 'printed'
        outputs:
          owner: $message.payload#/echo/owner
          sheets: $message.payload.sheets
      - stepId: list-projects
        operationId: $sourceDescriptions.base.listProjects
        parameters:
          - {name: owner, in: query, value: $steps.status.outputs.owner}
          - {name: Authorization, in: header, value: "Bearer {$steps.login.outputs.token}"}
        successCriteria:
          - condition: $statusCode == 200
`

// shopSetup writes the print documents into a temporary folder, starts a
// print shop and returns the document's path, the shop and its ws:// URL.
func shopSetup(t *testing.T, flows string) (string, *arazzotest.PrintShop, string) {
	t.Helper()
	dir := writeFiles(t, t.TempDir(), map[string]string{"print.arazzo.yaml": flows, "openapi.yaml": loopOpenAPI, "shop.asyncapi.yaml": shopAsyncAPI})
	shop := arazzotest.NewPrintShop()
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	return filepath.Join(dir, "print.arazzo.yaml"), shop, "ws" + strings.TrimPrefix(srv.URL, "http")
}

// TestArazzoAsyncRun runs the print workflow with -vv and the reports:
// the message steps show as steps with their messages, the output of the
// received message reaches the HTTP step, and no output shows the secret
// input or the token, which the job and its echoed status carry.
func TestArazzoAsyncRun(t *testing.T) {
	api := newLoopAPI(t)
	doc, shop, shopURL := shopSetup(t, shopFlows)
	dir := filepath.Dir(doc)
	out := callsheet(t, nil, "run", doc, "-vv", "--var", "base="+api.URL, "--var", "shop="+shopURL, "--var", "client_secret="+loopSecret,
		"--report-json", filepath.Join(dir, "r.json"), "--report-junit", filepath.Join(dir, "r.xml"), "--report-html", filepath.Join(dir, "r.html"))
	if out.code != ExitOK {
		t.Fatalf("run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if jobs := shop.Jobs(); len(jobs) != 1 || !strings.Contains(jobs[0], `"key":"`+loopSecret+`"`) {
		t.Errorf("the shop received %q, want the job with the secret as written", jobs)
	}
	if n := api.counts()["/projects"]; n != 1 {
		t.Errorf("/projects hits = %d, want 1 (owner from the message, 401 otherwise)", n)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	checkShown(t, []shownCase{
		{"console -vv", out.stdout + out.stderr, []string{
			"✔ submit  SEND " + shopURL, "✔ status  RECEIVE " + shopURL, "✔ list-projects",
			`> {"ref":"job-1","pages":7,"owner":7,"key":"***","bearer":"***"}`, `"state":"printed"`, `"key":"***"`, "4 passed",
		}},
		{"JSON report", read("r.json"), []string{`"action": "send"`, `"action": "receive"`, `"protocol": "ws"`, `\"key\":\"***\"`, `$message.payload.state == 'printed'`}},
		{"JUnit report", read("r.xml"), []string{`name="submit"`, `name="status"`, `name="list-projects"`}},
		{"HTML report", read("r.html"), []string{"<h3>Message</h3>", "RECEIVE " + shopURL, `&#34;key&#34;:&#34;***&#34;`}},
	})
}

// TestArazzoAsyncCriterionFails shows a failed criterion on a received
// message as a failed check of its step.
func TestArazzoAsyncCriterionFails(t *testing.T) {
	api := newLoopAPI(t)
	doc, _, shopURL := shopSetup(t, shopFlows)
	out := callsheet(t, nil, "run", doc, "--var", "base="+api.URL, "--var", "shop="+shopURL, "--var", "client_secret="+loopSecret, "--var", "pages=500")
	if out.code != ExitFailed {
		t.Fatalf("run: exit %d, want %d\n%s%s", out.code, ExitFailed, out.stdout, out.stderr)
	}
	for _, want := range []string{"✘ status", "$message.payload.state == 'printed'", `actual:   string <"rejected">`, "print.arazzo.yaml:33:24", "list-projects"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, out.stdout)
		}
	}
}

// TestArazzoAsyncProtocols: validate accepts the print document, and
// refuses, as run does before anything is sent, a step on a server whose
// protocol callsheet does not run, naming where.
func TestArazzoAsyncProtocols(t *testing.T) {
	doc, shop, shopURL := shopSetup(t, shopFlows)
	if out := callsheet(t, nil, "validate", doc); out.code != ExitOK {
		t.Errorf("validate: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	paper := strings.Replace(shopFlows, `    steps:
      - stepId: login`, `    steps:
      - stepId: order-paper
        operationId: $sourceDescriptions.shop.orderPaper
        action: send
        requestBody: {payload: {reams: 2}}
      - stepId: login`, 1)
	if err := os.WriteFile(doc, []byte(paper), 0o644); err != nil {
		t.Fatal(err)
	}
	api := newLoopAPI(t)
	for _, args := range [][]string{
		{"validate", doc},
		{"run", doc, "--var", "base=" + api.URL, "--var", "shop=" + shopURL, "--var", "client_secret=" + loopSecret},
	} {
		out := callsheet(t, nil, args...)
		text := out.stdout + out.stderr
		if out.code == ExitOK {
			t.Errorf("%s: exit 0\n%s", args[0], text)
		}
		for _, want := range []string{
			`step "order-paper" sends or receives over mqtt (server "paper", `, `shop.asyncapi.yaml:6:47), a protocol callsheet does not run`,
			"print.arazzo.yaml:16:22", "callsheet runs messages over ws, wss, kafka",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: output lacks %q:\n%s", args[0], want, text)
			}
		}
	}
	if n := api.counts()["/login"]; n != 0 || len(shop.Jobs()) != 0 {
		t.Errorf("the refused run sent %d logins and %d jobs", n, len(shop.Jobs()))
	}
}

// brokerAsyncAPI describes jobs and statuses on a Kafka cluster (2.6, in
// JSON); statuses carry the job's id in a header.
const brokerAsyncAPI = `{
  "asyncapi": "2.6.0",
  "info": {"title": "Print jobs on Kafka", "version": "1.0.0"},
  "servers": {"broker": {"url": "broker.example.test:9092", "protocol": "kafka"}},
  "channels": {
    "jobs": {"subscribe": {"operationId": "submitJob", "message": {"$ref": "#/components/messages/Job"}}},
    "statuses": {"publish": {"operationId": "jobStatus", "message": {"$ref": "#/components/messages/Status"}}}
  },
  "components": {"messages": {
    "Job": {"contentType": "application/json", "payload": {"type": "object"}},
    "Status": {"contentType": "application/json", "payload": {"type": "object"}, "correlationId": {"location": "$message.header#/jobId"}}
  }}
}`

// brokerFlows sends a job with its id and the secret key as headers and
// receives the status whose jobId header matches.
const brokerFlows = `arazzo: 1.1.0
info: {title: Kafka print, version: "1"}
sourceDescriptions:
  - {name: broker, url: broker.asyncapi.json, type: asyncapi}
workflows:
  - workflowId: kafka-print
    inputs:
      type: object
      properties:
        api_key: {type: string, format: password}
    steps:
      - stepId: submit
        operationId: submitJob
        action: send
        parameters:
          - {name: jobId, in: header, value: k-9}
          - {name: X-Api-Key, in: header, value: $inputs.api_key}
        requestBody:
          payload: {pages: 3}
      - stepId: status
        operationId: jobStatus
        action: receive
        correlationId: k-9
        timeout: 60000 # a hang guard: the receive ends when the message comes
        successCriteria:
          - condition: $message.header.jobId == 'k-9'
          - condition: $message.payload.pages == 3
        outputs:
          pages: $message.payload.pages
`

// kafkaShop starts an in-process Kafka cluster on loopback and a printer
// that answers each record of jobs with two on statuses: another job's,
// then one with the job's headers and payload. It returns the cluster's
// kafka:// URL.
func kafkaShop(t *testing.T) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "jobs", "statuses"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics("jobs"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done; cl.Close() })
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
				other := &kgo.Record{Topic: "statuses", Value: []byte(`{"pages":1}`), Headers: []kgo.RecordHeader{{Key: "jobId", Value: []byte("k-1")}}}
				mine := &kgo.Record{Topic: "statuses", Value: r.Value, Headers: r.Headers}
				cl.ProduceSync(ctx, other, mine)
			})
		}
	}()
	return "kafka://" + c.ListenAddrs()[0]
}

// TestArazzoAsyncKafka runs the Kafka workflow with -vv: the job's
// headers go out as record headers, the status is picked by its jobId
// header, and the secret header is masked.
func TestArazzoAsyncKafka(t *testing.T) {
	broker := kafkaShop(t)
	dir := writeFiles(t, t.TempDir(), map[string]string{"kafka.arazzo.yaml": brokerFlows, "broker.asyncapi.json": brokerAsyncAPI})
	out := callsheet(t, nil, "run", filepath.Join(dir, "kafka.arazzo.yaml"), "-vv", "--var", "broker="+broker, "--var", "api_key="+loopSecret)
	if out.code != ExitOK {
		t.Fatalf("run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	text := out.stdout + out.stderr
	if strings.Contains(text, loopSecret) {
		t.Errorf("shows the secret:\n%s", text)
	}
	for _, want := range []string{
		"✔ submit  SEND " + broker + "/jobs", "✔ status  RECEIVE " + broker + "/statuses",
		"> jobId: k-9", "> X-Api-Key: ***", "< jobId: k-9", `< {"pages":3}`, "2 passed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

// TestArazzoAsyncInsecure refuses to send a message carrying a secret
// over plain ws:// to a host that is not loopback, before connecting.
func TestArazzoAsyncInsecure(t *testing.T) {
	api := newLoopAPI(t)
	doc, _, _ := shopSetup(t, shopFlows)
	out := callsheet(t, nil, "run", doc, "--var", "base="+api.URL, "--var", "shop=ws://printshop.invalid:9", "--var", "client_secret="+loopSecret)
	if out.code == ExitOK {
		t.Fatalf("run: exit 0\n%s", out.stdout)
	}
	text := out.stdout + out.stderr
	for _, want := range []string{"! submit", "refusing to send a secret over plain ws:// to printshop.invalid:9", "--allow-insecure-http"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, loopSecret) {
		t.Errorf("shows the secret:\n%s", text)
	}
}
