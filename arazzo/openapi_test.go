package arazzo

import (
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// testAPI is a minimal OpenAPI reader for tests: it reads servers[0].url,
// the operations under paths with their operationId, and the first media
// type of their request bodies. The real reader is another package's.
type testAPI struct {
	byID  map[string]*Operation
	byPtr map[string]*Operation
	ids   []string
}

func (a *testAPI) OperationByID(id string) (*Operation, bool) {
	op, ok := a.byID[id]
	return op, ok
}

func (a *testAPI) OperationAt(pointer string) (*Operation, bool) {
	op, ok := a.byPtr[pointer]
	return op, ok
}

func (a *testAPI) OperationIDs() []string { return a.ids }

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadTestAPI reads an OpenAPI file from a local path.
func loadTestAPI(_ context.Context, location string) (API, error) {
	data, err := readFile(location)
	if err != nil {
		return nil, err
	}
	var doc struct {
		OpenAPI string `yaml:"openapi"`
		Servers []struct {
			URL string `yaml:"url"`
		} `yaml:"servers"`
		Paths yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.OpenAPI == "" {
		return nil, fmt.Errorf("%s is not an OpenAPI description", location)
	}
	api := &testAPI{byID: map[string]*Operation{}, byPtr: map[string]*Operation{}}
	server := ""
	if len(doc.Servers) > 0 {
		server = doc.Servers[0].URL
	}
	for i := 0; i+1 < len(doc.Paths.Content); i += 2 {
		path, item := doc.Paths.Content[i].Value, doc.Paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			method := item.Content[j].Value
			if !contains(httpMethods, method) {
				continue
			}
			op, err := testOperation(item.Content[j+1], method, path, server)
			if err != nil {
				return nil, err
			}
			ptr := "/paths/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(path) + "/" + method
			api.byPtr[ptr] = op
			if op.ID != "" {
				api.byID[op.ID] = op
				api.ids = append(api.ids, op.ID)
			}
		}
	}
	return api, nil
}

func testOperation(n *yaml.Node, method, path, server string) (*Operation, error) {
	var raw struct {
		OperationID string `yaml:"operationId"`
		RequestBody struct {
			Content yaml.Node `yaml:"content"`
		} `yaml:"requestBody"`
	}
	if err := n.Decode(&raw); err != nil {
		return nil, err
	}
	op := &Operation{ID: raw.OperationID, Method: strings.ToUpper(method), Path: path, ServerURL: server}
	if c := raw.RequestBody.Content; len(c.Content) > 0 {
		op.ContentType = c.Content[0].Value
	}
	return op, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
