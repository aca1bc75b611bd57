package arazzo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compileSchema compiles the JSON Schema at pointer inside the document
// tree, so that $refs such as #/components/inputs/pagination resolve in
// the document. The document's location is its file:// URL, so relative
// $refs name files beside it.
func compileSchema(file string, tree any, pointer string) (*jsonschema.Schema, error) {
	loc := fileURL(file)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(loc, tree); err != nil {
		return nil, schemaError(err, loc, file)
	}
	s, err := c.Compile(loc + "#" + pointer)
	if err != nil {
		return nil, schemaError(err, loc, file)
	}
	return s, nil
}

// schemaError shortens a compilation error: the violations of the
// metaschema, or the message with the document's URL replaced by its
// name.
func schemaError(err error, loc, file string) error {
	var sve *jsonschema.SchemaValidationError
	var verr *jsonschema.ValidationError
	if errors.As(err, &sve) && errors.As(sve.Err, &verr) {
		return errors.New(strings.Join(violations(verr), "; "))
	}
	return errors.New(strings.ReplaceAll(err.Error(), loc, file))
}

// fileURL is the file:// URL of a local path.
func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// InputError reports inputs that do not match a workflow's inputs
// schema.
type InputError struct {
	Workflow string
	// Violations lists each problem as "at /path: keyword: message",
	// sorted.
	Violations []string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("inputs of workflow %q do not match its schema: %s", e.Workflow, strings.Join(e.Violations, "; "))
}

// validate checks inputs, JSON values, against the schema.
func (in *Inputs) validate(workflow string, inputs map[string]any) error {
	if in == nil || in.compiled == nil {
		return nil
	}
	raw, err := json.Marshal(inputs)
	if err != nil {
		return fmt.Errorf("inputs of workflow %q: %w", workflow, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("inputs of workflow %q: %w", workflow, err)
	}
	err = in.compiled.Validate(inst)
	var verr *jsonschema.ValidationError
	if errors.As(err, &verr) {
		return &InputError{Workflow: workflow, Violations: violations(verr)}
	}
	return err
}

// violations lists the leaves of a validation error.
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
		out = append(out, fmt.Sprintf("at %s: %s", at, e.ErrorKind.LocalizedString(p)))
	}
	walk(verr)
	sort.Strings(out)
	return out
}
