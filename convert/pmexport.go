package convert

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// Postman collection v2.1 as the exporter writes it.
type (
	pmOutCollection struct {
		Info     pmOutInfo    `json:"info"`
		Item     []pmOutItem  `json:"item"`
		Variable []pmOutKV    `json:"variable,omitempty"`
		Event    []pmOutEvent `json:"event,omitempty"`
	}
	pmOutInfo struct {
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
		Schema      string `json:"schema"`
	}
	pmOutItem struct {
		Name    string       `json:"name"`
		Request pmOutRequest `json:"request"`
		Event   []pmOutEvent `json:"event,omitempty"`
	}
	pmOutRequest struct {
		Method string     `json:"method"`
		Header []pmOutKV  `json:"header"`
		URL    string     `json:"url"`
		Body   *pmOutBody `json:"body,omitempty"`
	}
	pmOutBody struct {
		Mode       string         `json:"mode"`
		Raw        string         `json:"raw,omitempty"`
		URLEncoded []pmOutKV      `json:"urlencoded,omitempty"`
		FormData   []pmOutKV      `json:"formdata,omitempty"`
		Options    map[string]any `json:"options,omitempty"`
	}
	pmOutKV struct {
		Key         string `json:"key"`
		Value       string `json:"value,omitempty"`
		Type        string `json:"type,omitempty"`
		Src         string `json:"src,omitempty"`
		ContentType string `json:"contentType,omitempty"`
	}
	pmOutEvent struct {
		Listen string         `json:"listen"`
		Script pmOutEventCode `json:"script"`
	}
	pmOutEventCode struct {
		Type string   `json:"type"`
		Exec []string `json:"exec"`
	}
)

// postmanSchema is the schema URL of collection v2.1.
const postmanSchema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

// ExportPostman writes a collection as a Postman collection (v2.1): vars
// become collection variables, steps requests, checks pm.test code and
// captures pm.environment.set. What Postman cannot express (assert:
// expressions, XPath and CSS checks, snapshots, auth profiles, control
// flow, included files) is listed in the notes and left as a comment in
// the request's test script.
func ExportPostman(c *collections.Collection) ([]byte, []Note, error) {
	x := &pmExporter{}
	out := pmOutCollection{Info: pmOutInfo{Name: c.Name, Description: c.Description, Schema: postmanSchema}}
	secret := map[string]bool{}
	for _, n := range c.SecretNames() {
		secret[n] = true
	}
	for _, v := range c.Vars {
		if secret[v.Name] {
			// A secret is never written: the user sets it in Postman.
			out.Variable = append(out.Variable, pmOutKV{Key: v.Name, Type: "secret"})
			x.note("", fmt.Sprintf("secret %s is exported empty: set it in a Postman environment", v.Name))
			continue
		}
		out.Variable = append(out.Variable, pmOutKV{Key: v.Name, Value: x.valueText(v.Value, "vars")})
	}
	for _, s := range append(append([]*collections.Step{}, c.Steps...), c.Finally...) {
		if s.Request() == nil {
			x.note(s.Name, "a step without a request (authorize:, include:, fail:) is not exported")
			continue
		}
		out.Item = append(out.Item, x.item(s, c.Defaults.Headers))
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, nil, fmt.Errorf("export postman: %w", err)
	}
	return append(data, '\n'), x.notes, nil
}

// pmExporter gathers the notes of an export.
type pmExporter struct {
	notes []Note
}

func (x *pmExporter) note(step, text string) {
	x.notes = append(x.notes, Note{Step: step, Text: text})
}

// item writes one step as a request with its test script.
func (x *pmExporter) item(s *collections.Step, defaults []*collections.KeyValue) pmOutItem {
	r := s.Request()
	it := pmOutItem{Name: s.Name, Request: pmOutRequest{Method: r.Method, Header: []pmOutKV{}}}
	raw := x.text(r.URL, s.Name)
	var query []string
	for _, q := range r.Query {
		query = append(query, pmQueryEscape(q.Key)+"="+pmQueryEscape(x.valueText(q.Value, s.Name)))
	}
	if len(query) > 0 {
		sep := "?"
		if strings.Contains(raw, "?") {
			sep = "&"
		}
		raw += sep + strings.Join(query, "&")
	}
	it.Request.URL = raw
	for _, h := range append(append([]*collections.KeyValue{}, defaults...), r.Headers...) {
		it.Request.Header = append(it.Request.Header, pmOutKV{Key: h.Key, Value: x.valueText(h.Value, s.Name)})
	}
	it.Request.Body = x.body(r, s.Name, &it.Request.Header)
	for _, what := range []struct {
		set  bool
		text string
	}{
		{s.If != nil, "if:"}, {s.Flow.Iterates(), "repeat: and for_each:"},
		{s.Flow.Retry != nil || s.Flow.Until != nil, "retry: and until:"}, {s.Auth != "", "auth: " + s.Auth},
	} {
		if what.set {
			x.note(s.Name, what.text+" is not exported")
		}
	}
	if exec := x.tests(s); len(exec) > 0 {
		it.Event = []pmOutEvent{{Listen: "test", Script: pmOutEventCode{Type: "text/javascript", Exec: exec}}}
	}
	return it
}

// body writes the request body in the Postman mode that sends it.
func (x *pmExporter) body(r *collections.Request, step string, headers *[]pmOutKV) *pmOutBody {
	b := r.Body
	if b == nil {
		return nil
	}
	switch b.Kind {
	case collections.BodyJSON:
		*headers = append(*headers, pmOutKV{Key: "Content-Type", Value: "application/json"})
		return &pmOutBody{Mode: "raw", Raw: x.jsonText(b.JSON, step), Options: map[string]any{"raw": map[string]string{"language": "json"}}}
	case collections.BodyForm:
		out := &pmOutBody{Mode: "urlencoded"}
		for _, f := range b.Fields {
			out.URLEncoded = append(out.URLEncoded, pmOutKV{Key: f.Key, Value: x.valueText(f.Value, step)})
		}
		return out
	case collections.BodyMultipart:
		out := &pmOutBody{Mode: "formdata"}
		for _, p := range b.Parts {
			kv := pmOutKV{Key: p.Field, Type: "text"}
			if p.File != nil {
				kv.Type, kv.Src = "file", x.text(p.File, step)
			} else {
				kv.Value = x.valueText(p.Value, step)
			}
			if p.ContentType != nil {
				kv.ContentType = x.text(p.ContentType, step)
			}
			out.FormData = append(out.FormData, kv)
		}
		return out
	case collections.BodyRaw:
		return &pmOutBody{Mode: "raw", Raw: x.text(b.Raw, step)}
	}
	return nil
}

// pmReverse maps template expressions to Postman's dynamic variables.
var pmReverse = map[string]string{"uuid()": "$guid", "unix()": "$timestamp", "random_int(0, 1000)": "$randomInt"}

// text writes a template in Postman's {{name}} syntax. An expression that
// is not a plain variable has no Postman form: it is noted, and written
// as it is.
func (x *pmExporter) text(t *collections.Template, step string) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr == nil {
			b.WriteString(p.Literal)
			continue
		}
		src := p.Expr.Source
		switch {
		case isIdent(src):
			b.WriteString("{{" + src + "}}")
		case pmReverse[src] != "":
			b.WriteString("{{" + pmReverse[src] + "}}")
		default:
			x.note(step, fmt.Sprintf("{{ %s }} has no Postman form; set the value by hand", src))
			b.WriteString("{{" + src + "}}")
		}
	}
	return b.String()
}

// valueText writes a scalar value as text.
func (x *pmExporter) valueText(v *collections.Value, step string) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case collections.KindString:
		return x.text(v.Template, step)
	case collections.KindNull:
		return ""
	case collections.KindList, collections.KindMap:
		return x.jsonText(v, step)
	}
	return scalarText(v)
}

// scalarText writes a number or boolean as written.
func scalarText(v *collections.Value) string {
	switch v.Kind {
	case collections.KindBool:
		return strconv.FormatBool(v.Bool)
	case collections.KindInt, collections.KindFloat:
		if v.Literal != "" {
			return v.Literal
		}
		if v.Kind == collections.KindInt {
			return strconv.FormatInt(v.Int, 10)
		}
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	}
	return "null"
}

// jsonText writes a value as compact JSON, keys in order. A string that
// is one template is written as a quoted Postman variable.
func (x *pmExporter) jsonText(v *collections.Value, step string) string {
	switch v.Kind {
	case collections.KindMap:
		parts := make([]string, len(v.Keys))
		for i, k := range v.Keys {
			kb, _ := json.Marshal(k)
			parts[i] = string(kb) + ":" + x.jsonText(v.Fields[i], step)
		}
		return "{" + strings.Join(parts, ",") + "}"
	case collections.KindList:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = x.jsonText(it, step)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case collections.KindString:
		s, _ := json.Marshal(x.text(v.Template, step))
		return string(s)
	}
	return scalarText(v)
}

// pmQueryEscape encodes a query key or value as callsheet does, leaving
// Postman variables alone.
func pmQueryEscape(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		loc := pmVarRE.FindStringIndex(s)
		if loc == nil {
			b.WriteString(queryEscape(s))
			break
		}
		b.WriteString(queryEscape(s[:loc[0]]) + s[loc[0]:loc[1]])
		s = s[loc[1]:]
	}
	return b.String()
}

// queryEscape encodes a query key or value as a run encodes it.
func queryEscape(s string) string { return url.QueryEscape(s) }
