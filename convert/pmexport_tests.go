package convert

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// pmHelpers is JavaScript the test scripts share: cs_get reads a gjson
// path (dotted keys, indexes, # for a length, \-escapes), cs checks one
// predicate as callsheet does (typed equality, an object a subset match).
var pmHelpers = []string{
	`function cs_get(v, path) {`,
	`  if (path === "@this") return {found: true, value: v};`,
	`  var keys = [], cur = "";`,
	`  for (var i = 0; i < path.length; i++) {`,
	`    var ch = path[i];`,
	`    if (ch === "\\" && i + 1 < path.length) { cur += path[++i]; continue; }`,
	`    if (ch === ".") { keys.push(cur); cur = ""; continue; }`,
	`    cur += ch;`,
	`  }`,
	`  keys.push(cur);`,
	`  for (var k = 0; k < keys.length; k++) {`,
	`    if (keys[k] === "#" && Array.isArray(v)) { v = v.length; continue; }`,
	`    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, keys[k])) return {found: false};`,
	`    v = v[keys[k]];`,
	`  }`,
	`  return {found: true, value: v};`,
	`}`,
	`function cs_eq(a, e) {`,
	`  if (Array.isArray(e)) { if (!Array.isArray(a) || a.length !== e.length) return false; for (var i = 0; i < e.length; i++) if (!cs_eq(a[i], e[i])) return false; return true; }`,
	`  if (e !== null && typeof e === "object") { if (a === null || typeof a !== "object" || Array.isArray(a)) return false; for (var k in e) if (!Object.prototype.hasOwnProperty.call(a, k) || !cs_eq(a[k], e[k])) return false; return true; }`,
	`  return a === e;`,
	`}`,
	`function cs_type(a) { if (a === null) return "null"; if (Array.isArray(a)) return "array"; if (typeof a === "number" && Number.isInteger(a)) return "integer"; return typeof a; }`,
	`function cs_len(a) { if (typeof a === "string" || Array.isArray(a)) return a.length; if (a !== null && typeof a === "object") return Object.keys(a).length; return -1; }`,
	`function cs(op, r, e) {`,
	`  if (op === "exists") return r.found === e;`,
	`  if (!r.found) return false;`,
	`  var a = r.value;`,
	`  switch (op) {`,
	`  case "eq": return cs_eq(a, e);`,
	`  case "ne": return !cs_eq(a, e);`,
	`  case "gt": return typeof a === "number" && a > e;`,
	`  case "gte": return typeof a === "number" && a >= e;`,
	`  case "lt": return typeof a === "number" && a < e;`,
	`  case "lte": return typeof a === "number" && a <= e;`,
	`  case "between": return typeof a === "number" && a >= e[0] && a <= e[1];`,
	`  case "contains": return typeof a === "string" ? a.indexOf(e) >= 0 : Array.isArray(a) ? a.some(function (x) { return cs_eq(x, e); }) : a !== null && typeof a === "object" && Object.prototype.hasOwnProperty.call(a, e);`,
	`  case "not_contains": return !cs("contains", r, e);`,
	`  case "starts_with": return typeof a === "string" && a.slice(0, e.length) === e;`,
	`  case "ends_with": return typeof a === "string" && a.length >= e.length && a.slice(a.length - e.length) === e;`,
	`  case "matches": return typeof a === "string" && new RegExp(e).test(a);`,
	`  case "not_matches": return typeof a === "string" && !new RegExp(e).test(a);`,
	`  case "type": return cs_type(a) === e || e === "number" && cs_type(a) === "integer";`,
	`  case "length": return cs_len(a) === e;`,
	`  case "is_empty": return (a === null || cs_len(a) === 0) === e;`,
	`  case "one_of": return e.some(function (x) { return cs_eq(a, x); });`,
	`  case "is_uuid": return (typeof a === "string" && /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(a)) === e;`,
	`  case "is_email": return (typeof a === "string" && /^[^\s@<>]+@[^\s@<>]+$/.test(a)) === e;`,
	`  case "is_url": return (typeof a === "string" && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\/\s]+/.test(a)) === e;`,
	`  case "is_iso_date": return (typeof a === "string" && /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/.test(a)) === e;`,
	`  case "status_in": return [].concat(e).some(function (x) { return typeof x === "string" ? Math.floor(a / 100) === Number(x[0]) : a === x; });`,
	`  }`,
	`  return false;`,
	`}`,
}

// tests writes the checks and captures of a step as a Postman test
// script: one pm.test per check, then the captures.
func (x *pmExporter) tests(s *collections.Step) []string {
	var body []string
	e := s.Expect
	if e != nil {
		if e.Status != nil {
			body = append(body, x.checkTests("status", "{found: true, value: pm.response.code}", e.Status, s.Name)...)
		}
		for _, c := range e.Headers {
			body = append(body, x.checkTests("header "+c.Subject, fmt.Sprintf("cs_header(%s)", jsString(c.Subject)), c, s.Name)...)
		}
		for _, c := range e.JSON {
			body = append(body, x.checkTests("json "+c.Subject, fmt.Sprintf("cs_get(cs_json(), %s)", jsString(c.Subject)), c, s.Name)...)
		}
		if e.Body != nil {
			body = append(body, x.checkTests("body", "{found: true, value: pm.response.text()}", e.Body, s.Name)...)
		}
		if e.Duration != nil {
			body = append(body, x.checkTests("duration", "{found: true, value: pm.response.responseTime}", e.Duration, s.Name)...)
		}
		for _, c := range e.Cookies {
			body = append(body, x.checkTests("cookie "+c.Subject, fmt.Sprintf("{found: pm.cookies.has(%[1]s), value: pm.cookies.get(%[1]s)}", jsString(c.Subject)), c, s.Name)...)
		}
		for _, what := range []struct {
			n    int
			text string
		}{{len(e.XPath), "xpath:"}, {len(e.CSS), "css:"}, {len(e.Asserts), "assert:"}, {boolInt(e.Schema != nil), "schema:"}, {boolInt(e.Snapshot != nil), "snapshot:"}} {
			if what.n > 0 {
				x.note(s.Name, what.text+" checks are not exported")
				body = append(body, "// not exported: "+what.text+" checks")
			}
		}
	}
	body = append(body, x.captures(s)...)
	if len(body) == 0 {
		return nil
	}
	head := append([]string{}, pmHelpers...)
	head = append(head,
		`function cs_json() { try { return pm.response.json(); } catch (err) { return undefined; } }`,
		`function cs_header(name) { return {found: pm.response.headers.has(name), value: pm.response.headers.get(name)}; }`,
		// Variables set from a file hold text; cs_var reads one back
		// typed, as a capture is.
		`function cs_var(v) { if (typeof v !== "string") return v; try { return JSON.parse(v); } catch (err) { return v; } }`)
	return append(head, body...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkTests writes one pm.test per predicate of a check.
func (x *pmExporter) checkTests(subject, actual string, c *collections.Check, step string) []string {
	var out []string
	for _, p := range c.Predicates {
		want, ok := x.expectedJS(p.Expected, step)
		if !ok {
			out = append(out, fmt.Sprintf("// not exported: %s %s", subject, p.Op))
			continue
		}
		name := jsString(subject + " " + string(p.Op))
		out = append(out, fmt.Sprintf(`pm.test(%s, function () { pm.expect(cs(%s, %s, %s), %s).to.be.true; });`,
			name, jsString(string(p.Op)), actual, want, name))
	}
	return out
}

// expectedJS writes an expected value as a JavaScript literal; a
// template reads Postman variables.
func (x *pmExporter) expectedJS(v *collections.Value, step string) (string, bool) {
	if v == nil {
		return "null", true
	}
	switch v.Kind {
	case collections.KindString:
		t := v.Template
		if len(t.Parts) == 1 && t.Parts[0].Expr != nil {
			if !isIdent(t.Parts[0].Expr.Source) {
				x.note(step, fmt.Sprintf("expected value {{ %s }} is not exported", t.Parts[0].Expr.Source))
				return "", false
			}
			return fmt.Sprintf("cs_var(pm.variables.get(%s))", jsString(t.Parts[0].Expr.Source)), true
		}
		if !t.IsLiteral() {
			return fmt.Sprintf("pm.variables.replaceIn(%s)", jsString(x.text(t, step))), true
		}
		return jsString(t.Raw), true
	case collections.KindList:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			js, ok := x.expectedJS(it, step)
			if !ok {
				return "", false
			}
			parts[i] = js
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case collections.KindMap:
		parts := make([]string, len(v.Keys))
		for i, k := range v.Keys {
			js, ok := x.expectedJS(v.Fields[i], step)
			if !ok {
				return "", false
			}
			parts[i] = jsString(k) + ": " + js
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	}
	return scalarText(v), true
}

// captures writes the captures of a step as pm.environment.set calls.
func (x *pmExporter) captures(s *collections.Step) []string {
	var out []string
	for _, c := range s.Captures {
		var value string
		switch c.Source {
		case collections.FromJSON:
			value = fmt.Sprintf("cs_get(cs_json(), %s)", jsString(c.Path))
		case collections.FromHeader:
			value = fmt.Sprintf("cs_header(%s)", jsString(c.Path))
		case collections.FromStatus:
			value = "{found: true, value: pm.response.code}"
		case collections.FromBody:
			value = "{found: true, value: pm.response.text()}"
		case collections.FromCookie:
			value = fmt.Sprintf("{found: pm.cookies.has(%[1]s), value: pm.cookies.get(%[1]s)}", jsString(c.Query))
		default:
			x.note(s.Name, fmt.Sprintf("capture %s (%s) is not exported", c.Name, c.Source))
			out = append(out, "// not exported: capture "+c.Name)
			continue
		}
		out = append(out, fmt.Sprintf(`(function () { var r = %s; if (r.found) pm.environment.set(%s, r.value); })();`, value, jsString(c.Name)))
	}
	return out
}

// jsString writes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
