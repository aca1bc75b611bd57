package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaFile is the documented JSON Schema of the report.
var schemaFile = filepath.Join("..", "docs", "report-json.schema.json")

func TestJSONMatchesSchema(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture()); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaFile, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("decode report: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("report does not match %s: %v", schemaFile, err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture()); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	// Strict decoding: every field written is a documented field.
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	dec.DisallowUnknownFields()
	var rep JSONReport
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("decode report strictly: %v", err)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&rep); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Errorf("decode → encode changed the report:\n%s\nwant:\n%s", again.String(), b.String())
	}
	back, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if got := back.Collections[0].Steps[1].Outcome; got != "failed" {
		t.Errorf("ReadJSON step 2 outcome = %q, want failed", got)
	}
	if got := back.Summary; got != (JSONSummary{Passed: 1, Failed: 1, Errors: 2, NotRun: 2, Skipped: 1}) {
		t.Errorf("ReadJSON summary = %+v", got)
	}
}

func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "report-json.md"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := JSON(&b, fixture()); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	// Every key the report writes is named in the documentation.
	var walk func(any)
	seen := map[string]bool{}
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !strings.Contains(k, "-") && k != "Content-Type" && k != "Authorization" {
					seen[k] = true
				}
				if k != "headers" && k != "value" {
					walk(e)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	for k := range seen {
		if !bytes.Contains(doc, []byte("`"+k+"`")) {
			t.Errorf("docs/report-json.md does not document the key `%s`", k)
		}
	}
}

func TestReadJSONRejectsOtherVersions(t *testing.T) {
	_, err := ReadJSON(strings.NewReader(`{"version": 99}`))
	if err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("ReadJSON(version 99) error = %v, want a version error", err)
	}
}
