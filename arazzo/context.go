package arazzo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// stepContext is what runtime expressions read during a step: the
// request and response, the workflow's inputs and the outputs so far.
type stepContext struct {
	run    *run
	st     *workflowState
	req    *Request
	resp   *Response
	msg    *Message
	called *WorkflowResult
	// pathParams are the values of the path parameters the request used.
	pathParams map[string]string
}

func undefined(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), expr.ErrUndefined)
}

// Lookup implements expr.Context.
func (c *stepContext) Lookup(ref *expr.Expr) (any, error) {
	switch ref.Kind {
	case expr.URL, expr.Method:
		if c.req == nil {
			return nil, undefined("%s: no request was sent", ref)
		}
		if ref.Kind == expr.URL {
			return c.req.URL, nil
		}
		return c.req.Method, nil
	case expr.StatusCode:
		if c.resp == nil {
			return nil, undefined("$statusCode: no response was received")
		}
		return c.resp.StatusCode, nil
	case expr.Request:
		return c.request(ref)
	case expr.Response:
		return c.response(ref)
	case expr.Message:
		return c.message(ref)
	case expr.Inputs:
		return lookupName(c.st.inputs, ref, "input")
	case expr.Outputs:
		if c.called != nil {
			return lookupName(c.called.Outputs, ref, "output of workflow "+c.called.Workflow)
		}
		return lookupName(c.st.outputs, ref, "workflow output")
	}
	return c.document(ref)
}

// document looks up expressions about the document and other steps and
// workflows.
func (c *stepContext) document(ref *expr.Expr) (any, error) {
	switch ref.Kind {
	case expr.Steps:
		outs, ok := c.st.stepOutputs[ref.ID]
		if !ok {
			return nil, undefined("%s: step %q has not passed", ref, ref.ID)
		}
		return lookupName(outs, ref, "output of step "+ref.ID)
	case expr.Workflows:
		res := c.run.done[workflowKey{c.st.d, ref.ID}]
		if res == nil {
			return nil, undefined("%s: workflow %q has not run", ref, ref.ID)
		}
		if ref.Field == "inputs" {
			return lookupName(res.Inputs, ref, "input of workflow "+ref.ID)
		}
		return lookupName(res.Outputs, ref, "output of workflow "+ref.ID)
	case expr.SourceDescriptions:
		return c.st.d.sourceValue(ref)
	case expr.Components:
		return c.component(ref)
	case expr.Self:
		if c.st.d.Document.Self == "" {
			return nil, undefined("$self: the document has no $self")
		}
		return baseURL(c.st.d.Document).String(), nil
	}
	return nil, fmt.Errorf("%s cannot be evaluated", ref)
}

func lookupName(m map[string]any, ref *expr.Expr, what string) (any, error) {
	v, ok := m[ref.Name]
	if !ok {
		return nil, undefined("no %s %q", what, ref.Name)
	}
	return v, nil
}

func (c *stepContext) request(ref *expr.Expr) (any, error) {
	if c.req == nil {
		return nil, undefined("%s: no request was sent", ref)
	}
	switch ref.Source {
	case expr.Header:
		if v, ok := c.req.Get(ref.Name); ok {
			return v, nil
		}
		return nil, undefined("the request has no header %s", ref.Name)
	case expr.Query:
		u, err := url.Parse(c.req.URL)
		if err == nil && u.Query().Has(ref.Name) {
			return u.Query().Get(ref.Name), nil
		}
		return nil, undefined("the request has no query parameter %q", ref.Name)
	case expr.Path:
		if v, ok := c.pathParams[ref.Name]; ok {
			return v, nil
		}
		return nil, undefined("the request has no path parameter %q", ref.Name)
	case expr.Body:
		ct, _ := c.req.Get("Content-Type")
		return bodyValue(ct, c.req.Body), nil
	}
	return nil, undefined("%s: an HTTP request has no %s", ref, ref.Source)
}

func (c *stepContext) response(ref *expr.Expr) (any, error) {
	if c.resp == nil {
		return nil, undefined("%s: no response was received", ref)
	}
	switch ref.Source {
	case expr.Header:
		if vs := c.resp.Header.Values(ref.Name); len(vs) > 0 {
			return vs[0], nil
		}
		return nil, undefined("the response has no header %s", ref.Name)
	case expr.Body:
		return bodyValue(c.resp.Header.Get("Content-Type"), c.resp.Body), nil
	}
	return nil, undefined("%s: an HTTP response has no %s", ref, ref.Source)
}

// message reads the message the step sent or received.
func (c *stepContext) message(ref *expr.Expr) (any, error) {
	if c.msg == nil {
		return nil, undefined("%s: no message was sent or received", ref)
	}
	switch ref.Source {
	case expr.Header:
		if v, ok := c.msg.Get(ref.Name); ok {
			return v, nil
		}
		return nil, undefined("the message has no header %s", ref.Name)
	case expr.Payload:
		return bodyValue(c.msg.ContentType, c.msg.Payload), nil
	}
	return nil, undefined("%s: a message has no %s", ref, ref.Source)
}

// bodyValue is a body as expressions read it: JSON values when the
// content type is JSON, or when none is given and the body is JSON;
// otherwise its text. An empty body is null.
func bodyValue(contentType string, body []byte) any {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if contentType == "" || isJSON(contentType) {
		if v, err := decodeJSON(body); err == nil {
			return v
		}
	}
	return string(body)
}

// decodeJSON decodes one JSON value, numbers as json.Number.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// sourceValue evaluates $sourceDescriptions.<name>.<reference>: an
// operation of that name first, as {operationId, method, path} ({operationId,
// action, channel} for AsyncAPI), else a field of the Source Description
// Object.
func (d *Description) sourceValue(ref *expr.Expr) (any, error) {
	rs := d.sources[ref.ID]
	if rs == nil {
		return nil, undefined("%s: no source description %q", ref, ref.ID)
	}
	if rs.api != nil {
		if op, ok := rs.api.OperationByID(ref.Name); ok {
			return map[string]any{"operationId": op.ID, "method": op.Method, "path": op.Path}, nil
		}
	}
	if rs.async != nil {
		if op, ok := rs.async.OperationByID(ref.Name); ok {
			return map[string]any{"operationId": op.ID, "action": op.Action, "channel": op.Channel.Key}, nil
		}
	}
	if rs.arazzo != nil && rs.arazzo.Document.Workflow(ref.Name) != nil {
		return ref.Name, nil
	}
	switch ref.Name {
	case "name":
		return rs.sd.Name, nil
	case "url":
		return rs.sd.URL, nil
	case "type":
		return rs.typ, nil
	}
	return nil, undefined("%s: source description %q has no operation, workflow or field %q", ref, ref.ID, ref.Name)
}

// component evaluates $components.<type>.<name> to the component's fixed
// fields.
func (c *stepContext) component(ref *expr.Expr) (any, error) {
	comps := c.st.d.Document.Components
	switch ref.ID {
	case "parameters":
		if p := comps.Parameters[ref.Name]; p != nil {
			v, err := p.Value.eval(c)
			if err != nil {
				return nil, err
			}
			return map[string]any{"name": p.Name, "in": p.In, "value": plain(v)}, nil
		}
	case "successActions", "failureActions":
		a := comps.SuccessActions[ref.Name]
		if ref.ID == "failureActions" {
			a = comps.FailureActions[ref.Name]
		}
		if a != nil {
			return map[string]any{"name": a.Name, "type": a.Type}, nil
		}
	}
	return nil, undefined("%s: no such component", ref)
}
