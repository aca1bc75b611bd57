package cmd

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// recordedRun runs doc with --record and the secrets saved, and returns
// the run's folder and what it recorded.
func recordedRun(t *testing.T, doc string, args ...string) (string, []string) {
	t.Helper()
	args = append([]string{"run", doc, "--record", "--state", "--state-secrets"}, args...)
	out := callsheet(t, nil, args...)
	if out.code != ExitOK {
		t.Fatalf("run --record: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	runs, err := os.ReadDir(filepath.Join(filepath.Dir(doc), ".callsheet", "runs"))
	if err != nil || len(runs) != 1 {
		t.Fatalf("recorded runs = %v, %v; want one", runs, err)
	}
	dir := filepath.Join(filepath.Dir(doc), ".callsheet", "runs", runs[0].Name())
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return dir, texts
}

// noSecrets fails when a text holds one of secrets, as it is or in
// base64 (the encoding of recorded bodies).
func noSecrets(t *testing.T, what string, texts []string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, text := range texts {
			if strings.Contains(text, s) || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte(s))) {
				t.Errorf("%s holds the secret %q:\n%s", what, s, text)
			}
		}
	}
}

// bodies are the bodies of a recording's requests, responses and
// messages, decoded (a file holds them in base64).
func bodies(exchanges []*runner.Exchange) []string {
	var out []string
	for _, ex := range exchanges {
		out = append(out, string(ex.Request.Body))
		if ex.Response != nil {
			out = append(out, string(ex.Response.Body))
		}
		if ex.Message != nil {
			out = append(out, string(ex.Message.Body))
		}
	}
	return out
}

// TestArazzoAsyncRecordReplay records the print workflow and replays it:
// the recording keeps the message steps in order with the requests, their
// secrets as the placeholders requests use, and the replay sends the job
// to the shop with the same bytes and receives its status, unchanged.
func TestArazzoAsyncRecordReplay(t *testing.T) {
	api := newLoopAPI(t)
	doc, shop, shopURL := shopSetup(t, shopFlows)
	runDir, texts := recordedRun(t, doc, "--var", "base="+api.URL, "--var", "shop="+shopURL, "--var", "client_secret="+loopSecret)
	idx, exchanges, err := session.ReadRun(runDir)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "the recording", append(texts, bodies(exchanges)...), loopSecret, loopToken)
	var order []string
	for i, ex := range exchanges {
		order = append(order, ex.Step+" "+idx.Exchanges[i].Action)
	}
	if got := strings.Join(order, ", "); got != "login , submit send, status receive, list-projects " {
		t.Fatalf("recorded %q, want the requests and messages in order", got)
	}
	sent := exchanges[1].Message
	for _, want := range []string{`"key":"{{secret:client_secret}}"`, `"bearer":"{{secret:`} {
		if !strings.Contains(string(sent.Body), want) {
			t.Errorf("recorded job %s lacks %s", sent.Body, want)
		}
	}
	if c := exchanges[2].Message.Correlation; c == nil || c.Value != "job-1" || exchanges[2].Message.Timeout != "1m0s" {
		t.Errorf("recorded receive waits for %+v within %q, want job-1 within 1m0s", c, exchanges[2].Message.Timeout)
	}

	out := callsheet(t, nil, "replay", runDir)
	if out.code != ExitOK {
		t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	jobs := shop.Jobs()
	if len(jobs) != 2 || jobs[1] != jobs[0] || !strings.Contains(jobs[1], loopSecret) {
		t.Errorf("the shop received %q, want the job with its secret twice, byte for byte", jobs)
	}
	for _, want := range []string{"= submit  SEND " + shopURL + "  sent (", "= status  RECEIVE " + shopURL + "  received, unchanged", "list-projects"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out.stdout)
		}
	}
	noSecrets(t, "the replay's output", []string{out.stdout + out.stderr}, loopSecret, loopToken)
	runs, err := session.ListRuns(filepath.Dir(runDir), 1)
	if err != nil || runs[0].Kind != "replay" {
		t.Fatalf("newest run = %+v, %v; want the replay", runs, err)
	}
	_, replayed, err := session.ReadRun(filepath.Join(filepath.Dir(runDir), runs[0].ID))
	if err != nil || len(replayed) != 4 || replayed[2].Message == nil || !strings.Contains(string(replayed[2].Message.Body), `"state":"printed"`) {
		t.Fatalf("the replay recorded %v, %v; want the four exchanges, the status received", replayed, err)
	}
	noSecrets(t, "the replay's recording", bodies(replayed), loopSecret, loopToken)
}

// TestArazzoAsyncReplayReceivesNothing replays only the receive of a
// recorded run: no job is sent, so no status comes, and the receive fails
// once the recorded step's timeout is over.
func TestArazzoAsyncReplayReceivesNothing(t *testing.T) {
	api := newLoopAPI(t)
	doc, _, shopURL := shopSetup(t, shopFlows)
	runDir, _ := recordedRun(t, doc, "--var", "base="+api.URL, "--var", "shop="+shopURL, "--var", "client_secret="+loopSecret)
	status := filepath.Join(runDir, "03-status.json")
	data, err := os.ReadFile(status)
	if err != nil || !strings.Contains(string(data), `"timeout": "1m0s"`) {
		t.Fatalf("recorded status %s, %v; want its 1m0s timeout", data, err)
	}
	// A short wait keeps the test short; the wait is not what it checks.
	data = []byte(strings.Replace(string(data), `"timeout": "1m0s"`, `"timeout": "200ms"`, 1))
	if err := os.WriteFile(status, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out := callsheet(t, nil, "replay", runDir, "--step", "status")
	if out.code != ExitError {
		t.Fatalf("replay: exit %d, want %d\n%s%s", out.code, ExitError, out.stdout, out.stderr)
	}
	for _, want := range []string{"✘ status  RECEIVE " + shopURL, "receive on " + shopURL + ": no matching message within 200ms"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out.stdout)
		}
	}
}

// TestArazzoAsyncKafkaRecordReplay records the Kafka workflow, whose job
// carries the secret in a header, and replays it: the header is recorded
// as a placeholder, and the replayed job gets its status again.
func TestArazzoAsyncKafkaRecordReplay(t *testing.T) {
	broker := kafkaShop(t)
	dir := writeFiles(t, t.TempDir(), map[string]string{"kafka.arazzo.yaml": brokerFlows, "broker.asyncapi.json": brokerAsyncAPI})
	runDir, texts := recordedRun(t, filepath.Join(dir, "kafka.arazzo.yaml"), "--var", "broker="+broker, "--var", "api_key="+loopSecret)
	noSecrets(t, "the recording", texts, loopSecret)
	_, exchanges, err := session.ReadRun(runDir)
	if err != nil || len(exchanges) != 2 || exchanges[0].Message == nil {
		t.Fatalf("recorded %v, %v; want the two messages", exchanges, err)
	}
	if got := exchanges[0].Message.Header.Get("X-Api-Key"); got != "{{secret:api_key}}" {
		t.Errorf("recorded X-Api-Key %q, want the placeholder", got)
	}
	out := callsheet(t, nil, "replay", runDir)
	if out.code != ExitOK {
		t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	for _, want := range []string{"= submit  SEND " + broker + "/jobs  sent (11 bytes)", "= status  RECEIVE " + broker + "/statuses  received, unchanged"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out.stdout)
		}
	}
	noSecrets(t, "the replay's output", []string{out.stdout + out.stderr}, loopSecret)
}

// TestArazzoAsyncHAR writes the print workflow's HAR: the job and its
// status are the messages of one WebSocket entry, between the requests,
// as Chrome writes them, and the HAR holds no secret.
func TestArazzoAsyncHAR(t *testing.T) {
	api := newLoopAPI(t)
	doc, _, shopURL := shopSetup(t, shopFlows)
	harFile := filepath.Join(filepath.Dir(doc), "run.har")
	out := callsheet(t, nil, "run", doc, "--har", harFile, "--var", "base="+api.URL, "--var", "shop="+shopURL, "--var", "client_secret="+loopSecret)
	if out.code != ExitOK {
		t.Fatalf("run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "the HAR", []string{string(data)}, loopSecret, loopToken)
	var h convert.HAR
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	var entries []string
	for _, e := range h.Log.Entries {
		entries = append(entries, fmt.Sprintf("%s %s %d %s %d", e.Request.Method, e.Request.URL, e.Response.Status, e.ResourceType, len(e.WebSocketMessages)))
	}
	want := []string{"POST " + api.URL + "/login 200  0", "GET " + shopURL + " 101 websocket 2", "GET " + api.URL + "/projects?owner=7 200  0"}
	if !slices.Equal(entries, want) {
		t.Fatalf("HAR entries:\n%s\nwant\n%s", strings.Join(entries, "\n"), strings.Join(want, "\n"))
	}
	msgs := h.Log.Entries[1].WebSocketMessages
	tests := []struct {
		typ, data string
	}{
		{"send", `{"ref":"job-1","pages":7,"owner":7,"key":"***","bearer":"***"}`},
		{"receive", `"state":"printed"`},
	}
	for i, tt := range tests {
		if m := msgs[i]; m.Type != tt.typ || m.Opcode != 1 || !strings.Contains(m.Data, tt.data) || m.Time <= 0 {
			t.Errorf("message %d = %+v, want a %s text message with %s", i, m, tt.typ, tt.data)
		}
	}
}
