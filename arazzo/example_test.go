package arazzo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/callsheet/callsheet/arazzo"
)

// petAPI is an API with one operation, standing in for an OpenAPI
// description.
type petAPI struct{ server string }

func (a petAPI) OperationByID(id string) (*arazzo.Operation, bool) {
	if id != "getPet" {
		return nil, false
	}
	return &arazzo.Operation{ID: id, Method: "GET", Path: "/pets/{petId}", ServerURL: a.server}, true
}

func (a petAPI) OperationAt(string) (*arazzo.Operation, bool) { return nil, false }

// sender sends requests with net/http.
type sender struct{}

func (sender) Send(ctx context.Context, req *arazzo.Request) (*arazzo.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	for _, f := range req.Header {
		hr.Header.Add(f.Name, f.Value)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return &arazzo.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, err
}

const flows = `
arazzo: 1.1.0
info: {title: Pets, version: "1"}
sourceDescriptions:
  - {name: pets, url: pets.openapi.yaml, type: openapi}
workflows:
  - workflowId: fetch
    inputs:
      type: object
      properties:
        id: {type: integer}
    steps:
      - stepId: get
        operationId: getPet
        parameters:
          - {name: petId, in: path, value: $inputs.id}
        successCriteria:
          - condition: $statusCode == 200 && $response.body.name == 'REX'
        outputs:
          name: $response.body#/name
    outputs:
      name: $steps.get.outputs.name
`

func Example() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pets/{petId}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %q, "name": "Rex"}`, r.PathValue("petId"))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	doc, err := arazzo.Parse("pets.arazzo.yaml", []byte(flows))
	if err != nil {
		fmt.Println(err)
		return
	}
	openAPI := func(context.Context, string) (arazzo.API, error) { return petAPI{server: ts.URL}, nil }
	d, err := arazzo.Resolve(context.Background(), doc, arazzo.Sources{OpenAPI: openAPI})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := &arazzo.Engine{
		Sender: sender{},
		OnStep: func(sr *arazzo.StepResult) {
			fmt.Printf("%s: %s %d, passed %v\n", sr.Step, sr.Request.Method, sr.Response.StatusCode, sr.Passed)
			for _, c := range sr.Criteria {
				fmt.Printf("  %s -> %s\n", c.Condition, c.Trace)
			}
		},
	}
	res, err := e.Run(context.Background(), d, "fetch", map[string]any{"id": "7"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("passed:", res.Passed, "outputs:", res.Outputs)
	// Output:
	// get: GET 200, passed true
	//   $statusCode == 200 && $response.body.name == 'REX' -> 200 == 200 && 'Rex' == 'REX'
	// passed: true outputs: map[name:Rex]
}
