package openapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

const (
	jsonType  = "application/json"
	requestID = "5b2c1e9e-2d4b-4f57-9a7e-1e0c6f1a9b21"
)

// TestCheckResponse sends requests to a loopback server that answers as
// each case says, and checks the responses against the same API in every
// version of the format.
func TestCheckResponse(t *testing.T) {
	ok := map[string]string{"Content-Type": jsonType, "X-Total": "2"}
	tests := []struct {
		name, method, target string
		answer               canned
		want                 string
	}{
		{"conforming list", "GET", "/v1/pets",
			canned{200, ok, `[{"id":1,"name":"Rex","tag":null},{"id":2,"name":"Tom","tag":"cat","born":"2020-02-29"}]`}, ""},
		{"wrong type deep in the body", "GET", "/v1/pets",
			canned{200, ok, `[{"id":1,"name":"Rex"},{"id":"2","name":"Tom"}]`},
			"body at /1/id: type: got string, want integer\n"},
		{"required property missing", "GET", "/v1/pets",
			canned{200, ok, `[{"id":1}]`},
			"body at /0: required: missing property 'name'\n"},
		{"header of the wrong type", "GET", "/v1/pets",
			canned{200, map[string]string{"Content-Type": jsonType, "X-Total": "many"}, `[]`},
			"header X-Total: type: got string, want integer\n"},
		{"format and null", "GET", "/v1/pets",
			canned{200, ok, `[{"id":1,"name":"Rex","born":"29 Feb 2020"},{"id":2,"name":null}]`},
			"body at /0/born: format: '29 Feb 2020' is not valid date: parsing time \"29 Feb 2020\" as \"2006-01-02\": cannot parse \"29 Feb 2020\" as \"2006\"\nbody at /1/name: type: got null, want string\n"},
		{"undocumented content type", "GET", "/v1/pets",
			canned{200, map[string]string{"Content-Type": "text/html", "X-Total": "0"}, `<p>pets</p>`},
			"content type: Content-Type text/html is not documented for status 200 (documented: application/json)\n"},
		{"body that is not JSON", "GET", "/v1/pets",
			canned{200, ok, `[{"id":1,`}, "body: the body is not valid JSON: unexpected EOF\n"},
		{"empty body", "GET", "/v1/pets",
			canned{200, ok, ``}, "body: the body is empty; the description documents application/json\n"},
		{"default response", "GET", "/v1/pets",
			canned{503, map[string]string{"Content-Type": jsonType}, `{"code":503,"message":"down"}`}, ""},
		{"default response with a number too big for int32", "GET", "/v1/pets",
			canned{503, map[string]string{"Content-Type": jsonType}, `{"code":3000000000,"message":"down"}`},
			"body at /code: format: 3000000000 is not valid int32: 3000000000 does not fit in 32 bits\n"},
		{"undocumented status", "GET", "/v1/pets/42",
			canned{418, map[string]string{"Content-Type": jsonType}, `{}`},
			"status: status 418 is not documented (documented: 200, 404)\n"},
		{"documented error", "GET", "/v1/pets/42",
			canned{404, map[string]string{"Content-Type": "application/json; charset=utf-8"}, `{"code":404,"message":"no such pet"}`}, ""},
		{"literal path before template", "GET", "/v1/pets/mine",
			canned{200, map[string]string{"Content-Type": jsonType}, `[]`}, ""},
		{"no content", "DELETE", "/v1/pets/42", canned{204, nil, ``}, ""},
		{"body where none is documented", "GET", "/v1/files/report.json",
			canned{200, map[string]string{"Content-Type": jsonType}, `{"size":1}`}, ""},
		{"created pet without its writeOnly secret", "POST", "/v1/pets",
			canned{201, map[string]string{"Content-Type": jsonType}, `{"id":7,"name":"Rex"}`}, ""},
	}
	for _, file := range petstores {
		d, c := load(t, file)
		srv := newServer(t)
		for _, tt := range tests {
			t.Run(filepath.Base(file)+"/"+tt.name, func(t *testing.T) {
				resp, body, req := srv.exchange(t, tt.method, tt.target, nil, "", tt.answer)
				m, err := d.Find(req.method, req.url)
				if err != nil {
					t.Fatalf("Find(%s %s) error = %v", req.method, req.url, err)
				}
				got := describe(c.CheckResponse(m, resp.StatusCode, resp.Header, body))
				if got != tt.want {
					t.Errorf("CheckResponse(%s %s) =\n%s\nwant\n%s", tt.method, tt.target, got, tt.want)
				}
			})
		}
	}
}

// TestCheckRequest checks the requests a loopback server received.
func TestCheckRequest(t *testing.T) {
	id := map[string]string{"X-Request-Id": requestID}
	js := map[string]string{"Content-Type": jsonType}
	tests := []struct {
		name, method, target string
		header               map[string]string
		body, want           string
	}{
		{"conforming query and header", "GET", "/v1/pets?limit=5&tag=a&tag=b", id, "", ""},
		{"query below its minimum", "GET", "/v1/pets?limit=0", id, "", "parameter query limit: minimum: got 0, want 1\n"},
		{"query of the wrong type", "GET", "/v1/pets?limit=ten", id, "", "parameter query limit: type: got string, want integer\n"},
		{"required header missing", "GET", "/v1/pets", nil, "", "parameter header X-Request-Id: required but missing\n"},
		{"header of the wrong format", "GET", "/v1/pets", map[string]string{"X-Request-Id": "1234"}, "",
			"parameter header X-Request-Id: format: '1234' is not valid uuid: must have 5 elements\n"},
		{"path parameter of the wrong type", "GET", "/v1/pets/rex", nil, "", "parameter path petId: type: got string, want integer\n"},
		{"conforming body without the readOnly id", "POST", "/v1/pets", js, `{"name":"Rex","secret":"x"}`, ""},
		{"invalid body", "POST", "/v1/pets", js, `{"id":1,"name":"","secret":"x"}`, "body at /name: minLength: got 0, want 1\n"},
		{"missing body", "POST", "/v1/pets", js, "", "body: the request body is required\n"},
		{"body of an undocumented type", "POST", "/v1/pets", map[string]string{"Content-Type": "text/plain"}, `Rex`,
			"content type: Content-Type text/plain is not documented for the request (documented: application/json)\n"},
		{"body where none is documented", "GET", "/v1/pets", map[string]string{"X-Request-Id": requestID, "Content-Type": jsonType}, `{}`,
			"body: the description documents no request body\n"},
	}
	for _, file := range petstores {
		d, c := load(t, file)
		srv := newServer(t)
		for _, tt := range tests {
			t.Run(filepath.Base(file)+"/"+tt.name, func(t *testing.T) {
				_, _, req := srv.exchange(t, tt.method, tt.target, tt.header, tt.body, canned{status: 204})
				m, err := d.Find(req.method, req.url)
				if err != nil {
					t.Fatalf("Find(%s %s) error = %v", req.method, req.url, err)
				}
				got := describe(c.CheckRequest(m, req.url, req.header, req.body))
				if got != tt.want {
					t.Errorf("CheckRequest(%s %s) =\n%s\nwant\n%s", tt.method, tt.target, got, tt.want)
				}
			})
		}
	}
}

// TestViolationLocations checks that each violation names where the
// description says otherwise, following $refs into other files.
func TestViolationLocations(t *testing.T) {
	d, c := load(t, "testdata/petstore/openapi-3.0.yaml")
	srv := newServer(t)
	tests := []struct {
		name, method, target string
		answer               canned
		want                 string
	}{
		{"keyword in a referenced file", "GET", "/v1/pets/1",
			canned{200, map[string]string{"Content-Type": jsonType}, `{"id":"1","name":"Rex"}`},
			"body at /id: type: got string, want integer (testdata/petstore/schemas.yaml:6:7 #/Pet/properties/id/type)"},
		{"required in a referenced file", "GET", "/v1/pets/1",
			canned{200, map[string]string{"Content-Type": jsonType}, `{"id":1}`},
			"body: required: missing property 'name' (testdata/petstore/schemas.yaml:3:3 #/Pet/required)"},
		{"documented header", "GET", "/v1/pets",
			canned{200, map[string]string{"Content-Type": jsonType}, `[]`},
			"header X-Total: required but missing (testdata/petstore/openapi-3.0.yaml:40:13 #/paths/~1pets/get/responses/200/headers/X-Total)"},
		{"status", "GET", "/v1/pets/1",
			canned{500, map[string]string{"Content-Type": jsonType}, `{}`},
			"status: status 500 is not documented (documented: 200, 404) (testdata/petstore/openapi-3.0.yaml:81:7 #/paths/~1pets~1{petId}/get/responses)"},
		{"component schema", "GET", "/v1/pets/1",
			canned{404, map[string]string{"Content-Type": jsonType}, `{"code":404}`},
			"body: required: missing property 'message' (testdata/petstore/openapi-3.0.yaml:147:7 #/components/schemas/Error/required)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body, req := srv.exchange(t, tt.method, tt.target, nil, "", tt.answer)
			m, err := d.Find(req.method, req.url)
			if err != nil {
				t.Fatal(err)
			}
			vs := c.CheckResponse(m, resp.StatusCode, resp.Header, body)
			if len(vs) != 1 {
				t.Fatalf("CheckResponse() = %d violations, want 1:\n%s", len(vs), describe(vs))
			}
			if got := vs[0].String(); got != tt.want {
				t.Errorf("violation = %s\nwant        %s", got, tt.want)
			}
		})
	}
}

func TestKindStrings(t *testing.T) {
	seen := map[string]bool{}
	for k := openapi.KindStatus; k <= openapi.KindParameter; k++ {
		s := k.String()
		if s == "" || strings.HasPrefix(s, "Kind(") || seen[s] {
			t.Errorf("Kind(%d).String() = %q: want a name of its own", int(k), s)
		}
		seen[s] = true
	}
	if s := openapi.Kind(0).String(); s != "Kind(0)" {
		t.Errorf("Kind(0).String() = %q, want Kind(0)", s)
	}
}

// TestCheckWithoutMatchingServer checks a response to a request to a
// server the description does not list: the path decides.
func TestCheckWithoutMatchingServer(t *testing.T) {
	d, _ := load(t, "testdata/petstore/openapi-3.0.yaml")
	srv := newServer(t)
	_, _, req := srv.exchange(t, http.MethodGet, "/pets", nil, "", canned{status: 200})
	if _, err := d.Find(req.method, req.url); err == nil {
		t.Errorf("Find(GET /pets) matched, want no match without the /v1 base path")
	}
}

// TestCheckerConcurrent checks responses from several goroutines with one
// checker, as parallel collections of a run would (run it with -race).
func TestCheckerConcurrent(t *testing.T) {
	d, c := load(t, petstores[0])
	u := &url.URL{Path: "/v1/pets/7"}
	header := http.Header{"Content-Type": {jsonType}}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				m, err := d.Find("GET", u)
				if err != nil {
					errs <- err.Error()
					return
				}
				body := fmt.Sprintf(`{"id":%d,"name":""}`, i)
				if got := describe(c.CheckResponse(m, 200, header, []byte(body))); got != "body at /name: minLength: got 0, want 1\n" {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
