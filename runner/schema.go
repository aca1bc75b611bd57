package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/callsheet/callsheet/collections"
)

// schemaCheck validates the JSON body against a JSON Schema. Schemas name
// their draft with $schema (draft 4 to 2020-12); without it, 2020-12. The
// error is a runtime error: a schema that cannot be read or compiled.
func (c *checker) schemaCheck(sc *collections.Schema, s *subject) (*CheckResult, error) {
	res := &CheckResult{Pos: sc.Pos, Subject: "schema", Expected: Typed{Value: sc.Path}}
	if sc.Path == "" {
		res.Expected = Typed{Value: "inline schema"}
	}
	sch, err := c.compileSchema(sc)
	if err != nil {
		return nil, err
	}
	if !s.validJSON() {
		res.Message = notJSON
		return res, nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.body))
	if err != nil {
		res.Message = notJSON
		return res, nil
	}
	err = sch.Validate(inst)
	if err == nil {
		res.Passed = true
		return res, nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("schema: %w", err)
	}
	res.Details = violations(verr)
	res.Message = fmt.Sprintf("the body does not match the schema (%d %s)", len(res.Details), pluralWord(len(res.Details), "violation"))
	return res, nil
}

// compileSchema compiles a schema once per run.
func (ch *checker) compileSchema(sc *collections.Schema) (*jsonschema.Schema, error) {
	if sch, ok := ch.schemas[sc]; ok {
		return sch, nil
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(schemaLoader{collFile: ch.file}) // inside the collection's folder (files.go)
	var loc string
	if sc.Path != "" {
		path := sc.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(ch.file), path)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", sc.Path, err)
		}
		loc = abs
	} else {
		doc, err := sc.Inline.Render(ch.scope)
		if err != nil {
			return nil, err
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("inline schema: %w", err)
		}
		parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("inline schema: %w", err)
		}
		loc = fmt.Sprintf("mem:///inline-%d-%d.json", sc.Pos.Line, sc.Pos.Col)
		if err := c.AddResource(loc, parsed); err != nil {
			return nil, fmt.Errorf("inline schema: %w", err)
		}
	}
	sch, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", schemaName(sc), err)
	}
	if ch.schemas == nil {
		ch.schemas = map[*collections.Schema]*jsonschema.Schema{}
	}
	ch.schemas[sc] = sch
	return sch, nil
}

func schemaName(sc *collections.Schema) string {
	if sc.Path != "" {
		return sc.Path
	}
	return "(inline)"
}

// violations lists the leaves of a validation error: each violating
// instance path with the schema keyword and its message, sorted.
func violations(verr *jsonschema.ValidationError) []string {
	p := message.NewPrinter(language.English)
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		at := "/" + strings.Join(e.InstanceLocation, "/")
		kw := strings.Join(e.ErrorKind.KeywordPath(), "/")
		// Some messages already start with their keyword ("maxItems: got 2, want 1").
		msg := e.ErrorKind.LocalizedString(p)
		if path := e.ErrorKind.KeywordPath(); len(path) > 0 {
			msg = strings.TrimPrefix(msg, path[len(path)-1]+": ")
		}
		out = append(out, fmt.Sprintf("at %s: %s: %s", at, kw, msg))
	}
	walk(verr)
	sort.Strings(out)
	return out
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
