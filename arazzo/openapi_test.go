package arazzo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Real descriptions the bridge is tested on.
const (
	procoreAPI = "../collections/procore/openapi.yaml"
	twilioAPI  = "../convert/testdata/openapi/twilio_api_v2010.yaml"
	swaggerAPI = "../openapi/testdata/petstore/swagger-2.0.yaml"
	petsAPI    = "../openapi/testdata/petstore/openapi-3.0.yaml"
)

func readAPI(t *testing.T, location string) *OpenAPI {
	t.Helper()
	api, err := ReadOpenAPI(nil)(context.Background(), location)
	if err != nil {
		t.Fatalf("ReadOpenAPI(%s) error = %v", location, err)
	}
	return api.(*OpenAPI)
}

// TestOpenAPIOperations finds operations of real descriptions by
// operationId and by JSON pointer, with their servers, request media
// types and security schemes.
func TestOpenAPIOperations(t *testing.T) {
	tests := []struct {
		file, id, pointer string
		want              Operation
	}{
		{procoreAPI, "authorize", "/paths/~1oauth~1authorize/get",
			Operation{ID: "authorize", Method: "GET", Path: "/oauth/authorize", ServerURL: "https://login.procore.com"}},
		{procoreAPI, "token", "/paths/~1oauth~1token/post",
			Operation{ID: "token", Method: "POST", Path: "/oauth/token", ServerURL: "https://login.procore.com", ContentType: "application/x-www-form-urlencoded", Security: [][]string{{}, {"client_basic"}}}},
		{procoreAPI, "listProjects", "/paths/~1rest~1v1.0~1projects/get",
			Operation{ID: "listProjects", Method: "GET", Path: "/rest/v1.0/projects", ServerURL: "https://api.procore.com", Security: [][]string{{"procore_oauth"}}}},
		{twilioAPI, "CreateCall", "/paths/~12010-04-01~1Accounts~1{AccountSid}~1Calls.json/post",
			Operation{ID: "CreateCall", Method: "POST", Path: "/2010-04-01/Accounts/{AccountSid}/Calls.json", ServerURL: "https://api.twilio.com", ContentType: "application/x-www-form-urlencoded", Security: [][]string{{"accountSid_authToken"}}}},
		{twilioAPI, "FetchCall", "/paths/~12010-04-01~1Accounts~1{AccountSid}~1Calls~1{Sid}.json/get",
			Operation{ID: "FetchCall", Method: "GET", Path: "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json", ServerURL: "https://api.twilio.com", Security: [][]string{{"accountSid_authToken"}}}},
		{swaggerAPI, "createPet", "/paths/~1pets/post",
			Operation{ID: "createPet", Method: "POST", Path: "/pets", ServerURL: "https://petstore.example.com/v1", ContentType: "application/json", Security: [][]string{{"petstore_auth"}}}},
		{swaggerAPI, "getFile", "/paths/~1files~1{name}.json/get",
			Operation{ID: "getFile", Method: "GET", Path: "/files/{name}.json", ServerURL: "https://petstore.example.com/v1"}},
	}
	apis := map[string]*OpenAPI{}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			api := apis[tt.file]
			if api == nil {
				api = readAPI(t, tt.file)
				apis[tt.file] = api
			}
			byID, ok := api.OperationByID(tt.id)
			if !ok || !reflect.DeepEqual(*byID, tt.want) {
				t.Errorf("OperationByID(%q) = %+v, %v; want %+v", tt.id, byID, ok, tt.want)
			}
			byPtr, ok := api.OperationAt(tt.pointer)
			if !ok || byPtr != byID {
				t.Errorf("OperationAt(%q) = %+v, %v; want the operation %q", tt.pointer, byPtr, ok, tt.id)
			}
			escaped := strings.NewReplacer("{", "%7B", "}", "%7D").Replace(tt.pointer)
			if op, ok := api.OperationAt(escaped); !ok || op != byID {
				t.Errorf("OperationAt(%q) = %+v, %v; want the operation %q", escaped, op, ok, tt.id)
			}
			if !slices.Contains(api.OperationIDs(), tt.id) {
				t.Errorf("OperationIDs() lacks %q", tt.id)
			}
		})
	}
}

// TestOpenAPIMisses lists pointers and ids that name no operation.
func TestOpenAPIMisses(t *testing.T) {
	api := readAPI(t, procoreAPI)
	for _, ptr := range []string{
		"/paths/~1oauth~1token/get",          // no such method
		"/paths/~1oauth~1token/POST",         // methods are lower case
		"/paths/~1oauth~1token",              // a path item
		"/paths/~1oauth~1token/post/extra",   // below an operation
		"/components/schemas/Token",          // not under paths
		"/paths/oauth~1token/post",           // the path without its /
		"/paths/~1oauth~1token~1/post",       // a trailing /
		"/paths/~1oauth~2token/post",         // a broken escape
		"/paths/~1rest~1v1.0~1projects/get~", // a broken escape at the end
	} {
		if op, ok := api.OperationAt(ptr); ok {
			t.Errorf("OperationAt(%q) = %+v, want none", ptr, op)
		}
	}
	if op, ok := api.OperationByID("Token"); ok {
		t.Errorf("OperationByID(Token) = %+v, want none (ids are case-sensitive)", op)
	}
	if got := api.OperationIDs(); !slices.Equal(got, []string{"authorize", "token", "me", "listProjects"}) {
		t.Errorf("OperationIDs() = %v, want the four in document order", got)
	}
}

// TestOpenAPIServers checks how server URLs become absolute: variables
// take their defaults, and relative URLs resolve against a description
// read from the web, not against a local file.
func TestOpenAPIServers(t *testing.T) {
	const desc = `openapi: 3.0.3
info: {title: Servers, version: "1"}
servers:
  - url: '{scheme}://{region}.example.test/{version}'
    variables:
      scheme: {default: https, enum: [https, http]}
      region: {default: eu}
      version: {default: v2}
paths:
  /a:
    get:
      operationId: a
      responses: {"200": {description: ok}}
  /b:
    servers: [{url: /relative/base}]
    get:
      operationId: b
      responses: {"200": {description: ok}}
  /c:
    get:
      operationId: c
      servers: [{url: 'https://c.example.test'}, {url: 'https://other.example.test'}]
      responses: {"200": {description: ok}}
`
	noServers := strings.Replace(desc, "servers:\n  - url: '{scheme}", "x-servers:\n  - url: '{scheme}", 1)
	dir := t.TempDir()
	local := filepath.Join(dir, "servers.yaml")
	if err := os.WriteFile(local, []byte(noServers), 0o644); err != nil {
		t.Fatal(err)
	}
	fetch := func(_ context.Context, location string) ([]byte, error) {
		if location != "https://specs.example.test/apis/servers.yaml" {
			t.Errorf("fetch(%s), want the description's URL", location)
		}
		return []byte(desc), nil
	}
	remote, err := ReadOpenAPI(fetch)(context.Background(), "https://specs.example.test/apis/servers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	localAPI := readAPI(t, local)
	for _, tt := range []struct {
		api  API
		id   string
		want string
	}{
		{remote, "a", "https://eu.example.test/v2"},
		{remote, "b", "https://specs.example.test/relative/base"},
		{remote, "c", "https://c.example.test"},
		{localAPI, "a", "/"}, // no servers is /, left relative for Sources.Servers
		{localAPI, "b", "/relative/base"},
	} {
		op, ok := tt.api.OperationByID(tt.id)
		if !ok || op.ServerURL != tt.want {
			t.Errorf("operation %s: ServerURL = %+v, want %s", tt.id, op, tt.want)
		}
	}
}

// TestReadOpenAPIErrors checks what the reader refuses, and that each
// error names the description and the place in it.
func TestReadOpenAPIErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	split := "https://specs.example.test/split.yaml"
	fetch := func(context.Context, string) ([]byte, error) {
		return []byte("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    $ref: other.yaml#/a\n"), nil
	}
	tests := []struct {
		name, location string
		fetch          func(context.Context, string) ([]byte, error)
		want           string
	}{
		{"missing file", filepath.Join(dir, "nowhere.yaml"), nil, "cannot read " + filepath.Join(dir, "nowhere.yaml") + ": no such file or directory"},
		{"invalid description", broken, nil, "broken.yaml:5:5: invalid paths: operation GET /a/{id} must define exactly all path parameters"},
		{"not a description", filepath.Join("testdata", "run", "borrow.arazzo.yaml"), nil, "not an OpenAPI 3 or Swagger 2.0 description"},
		{"URL without fetcher", "https://specs.example.test/a.yaml", nil, "no fetcher for URLs was given"},
		{"remote $ref to another file", split, fetch, split + `: split.yaml:5:11: $ref "other.yaml#/a": no file other.yaml`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadOpenAPI(tt.fetch)(context.Background(), tt.location)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadOpenAPI(%s) error = %v, want it to contain %q", tt.location, err, tt.want)
			}
		})
	}
}

// twilioFlow is an Arazzo workflow over Twilio's published description:
// one step by operationId, one by operationPath with both path
// parameters.
const twilioFlow = `arazzo: 1.0.1
info: {title: Twilio calls, version: "1"}
sourceDescriptions:
  - {name: twilio, url: twilio.yaml, type: openapi}
workflows:
  - workflowId: call
    inputs:
      type: object
      properties:
        account: {type: string}
    steps:
      - stepId: create
        operationId: CreateCall
        parameters:
          - {name: AccountSid, in: path, value: $inputs.account}
        requestBody:
          payload: {To: "+15550100", From: "+15550199", Url: "https://demo.example.test/twiml"}
        successCriteria:
          - condition: $statusCode == 201
        outputs:
          sid: $response.body#/sid
      - stepId: fetch
        operationPath: '{$sourceDescriptions.twilio.url}#/paths/~12010-04-01~1Accounts~1{AccountSid}~1Calls~1{Sid}.json/get'
        parameters:
          - {name: AccountSid, in: path, value: $inputs.account}
          - {name: Sid, in: path, value: $steps.create.outputs.sid}
        successCriteria:
          - condition: $statusCode == 200 && $response.body#/status == 'queued'
`

// TestOpenAPITwilioFlow resolves a workflow against the Twilio description
// through the bridge and runs it against a loopback server in Twilio's
// place: the steps send what the operations document.
func TestOpenAPITwilioFlow(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"sid": "CA42", "status": "queued"})
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	file := filepath.Join(dir, "twilio.arazzo.yaml")
	if err := os.WriteFile(file, []byte(twilioFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(twilioAPI)
	if err != nil {
		t.Fatal(err)
	}
	src := Sources{OpenAPI: ReadOpenAPI(nil), URLs: map[string]string{"twilio": abs}, Servers: map[string]string{"twilio": srv.URL}}
	d, err := Resolve(context.Background(), doc, src)
	if err != nil {
		t.Fatalf("Resolve error = %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	res, err := (&Engine{Sender: &HTTPSender{Client: srv.Client()}}).Run(ctx, d, "call", map[string]any{"account": "AC1"})
	if err != nil || !res.Passed {
		t.Fatalf("Run = %+v, %v; want it passed", res, err)
	}
	want := []string{
		"POST /2010-04-01/Accounts/AC1/Calls.json application/x-www-form-urlencoded To=%2B15550100&From=%2B15550199&Url=https%3A%2F%2Fdemo.example.test%2Ftwiml",
		"GET /2010-04-01/Accounts/AC1/Calls/CA42.json  ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the server received\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
