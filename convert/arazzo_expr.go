package convert

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Expressions of vars that become inputs read from the environment.
var (
	azEnvRE     = lazyregexp.New(`^env\.([A-Za-z_][A-Za-z0-9_]*)$`)
	azEnvIntRE  = lazyregexp.New(`^(int|float)\(env\.([A-Za-z_][A-Za-z0-9_]*)\)$`)
	azEnvElseRE = lazyregexp.New(`^env\.([A-Za-z_][A-Za-z0-9_]*) \?\? "([^"\\]*)"$`)
)

// vars reads the collection's variables: each becomes an input, written
// only if a step reads it, or is inlined where it is used when its value
// is text made of other variables.
func (x *azExporter) vars() {
	for _, v := range x.c.Vars {
		if in := x.varInput(v); in != nil {
			x.inputs = append(x.inputs, in)
			x.names[v.Name] = azRef{expr: "$inputs." + v.Name, input: in}
		}
	}
}

// varInput makes the input of a var, or records it as derived and
// returns nil.
func (x *azExporter) varInput(v *collections.Var) *azInput {
	in := &azInput{name: v.Name, secret: x.secrets[v.Name]}
	val := v.Value
	switch val.Kind {
	case collections.KindString:
		if val.Template.IsLiteral() {
			in.typ, in.def = "string", str(val.Template.Raw)
		} else if !x.envInput(in, val.Template) {
			if x.madeOfNames(val.Template) && !in.secret {
				x.names[v.Name] = azRef{derived: val.Template}
				return nil
			}
			in.description = fmt.Sprintf("callsheet computed it as {{ %s }}", strings.TrimSpace(templateSource(val.Template)))
			in.note = fmt.Sprintf("var %s = %q has no Arazzo form: it became an input without a default", v.Name, val.Template.Raw)
		}
	case collections.KindNull:
	default:
		in.typ = map[collections.Kind]string{collections.KindBool: "boolean", collections.KindInt: "integer",
			collections.KindFloat: "number", collections.KindList: "array", collections.KindMap: "object"}[val.Kind]
		if hasExprs(val) {
			in.note = fmt.Sprintf("var %s holds expressions: it became an input without a default", v.Name)
		} else {
			in.def = x.literalNode(val)
		}
	}
	if in.secret && in.def != nil {
		if in.def.Value != "" {
			x.secretValues[in.def.Value] = v.Name
		}
		in.def = nil
		in.note = fmt.Sprintf("secret %s is exported without its value: give it as an input", v.Name)
	}
	return in
}

// envInput reads {{ env.X }}, {{ int(env.X) }} and {{ env.X ?? "d" }}
// into the input's type, description and default.
func (x *azExporter) envInput(in *azInput, t *collections.Template) bool {
	if len(t.Parts) != 1 || t.Parts[0].Expr == nil {
		return false
	}
	src := t.Parts[0].Expr.Source
	if m := azEnvRE.FindStringSubmatch(src); m != nil {
		in.typ, in.description = "string", "callsheet reads it from the environment variable "+m[1]+"."
		return true
	}
	if m := azEnvIntRE.FindStringSubmatch(src); m != nil {
		in.typ, in.description = map[string]string{"int": "integer", "float": "number"}[m[1]], "callsheet reads it from the environment variable "+m[2]+"."
		return true
	}
	if m := azEnvElseRE.FindStringSubmatch(src); m != nil {
		in.typ, in.def = "string", str(m[2])
		in.description = "callsheet reads it from the environment variable " + m[1] + " when it is set."
		return true
	}
	return false
}

// madeOfNames reports whether a template holds only literal text and
// names of variables (defined before it, or outside the collection).
func (x *azExporter) madeOfNames(t *collections.Template) bool {
	for _, p := range t.Parts {
		if p.Expr != nil && !p.Expr.IsName() {
			return false
		}
	}
	return true
}

func templateSource(t *collections.Template) string {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr != nil {
			b.WriteString(p.Expr.Source)
		}
	}
	return b.String()
}

func hasExprs(v *collections.Value) bool {
	found := false
	v.Exprs(func(*collections.Expr) { found = true })
	return found
}

// azPiece is literal text or an Arazzo runtime expression.
type azPiece struct {
	lit  string
	expr string
}

// pieces translates a template into literal text and expressions.
func (x *azExporter) pieces(t *collections.Template, step string, depth int) []azPiece {
	var out []azPiece
	for _, p := range t.Parts {
		if p.Expr == nil {
			out = append(out, x.literalPieces(p.Literal)...)
			continue
		}
		out = append(out, x.exprPieces(p.Expr, step, depth)...)
	}
	return out
}

// literalPieces splits literal text where it holds the value of a secret
// var, which then reads the secret's input: the same text at run time,
// and the value is not written.
func (x *azExporter) literalPieces(lit string) []azPiece {
	values := slices.Collect(maps.Keys(x.secretValues))
	slices.SortFunc(values, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	for _, value := range values {
		if before, after, found := strings.Cut(lit, value); found {
			in := x.useInput(x.secretValues[value], "", "")
			return slices.Concat(x.literalPieces(before), []azPiece{{expr: in}}, x.literalPieces(after))
		}
	}
	if lit == "" {
		return nil
	}
	return []azPiece{{lit: lit}}
}

// exprPieces translates one {{ expression }}: a name reads what it stands
// for at this step; env.X reads an input X; anything else becomes an
// input too, noted, since Arazzo has no functions or operators.
func (x *azExporter) exprPieces(e *collections.Expr, step string, depth int) []azPiece {
	if e.IsName() {
		ref, ok := x.names[e.Source]
		switch {
		case ok && ref.lost != "":
			x.note(step, fmt.Sprintf("%s is captured by step %q in a way Arazzo cannot express: it became an input", e.Source, ref.lost))
			return []azPiece{{expr: x.useInput(e.Source, "", fmt.Sprintf("callsheet captures it in step %q", ref.lost))}}
		case ok && ref.derived != nil && depth < 32:
			return x.pieces(ref.derived, step, depth+1)
		case ok:
			if ref.input != nil {
				x.use(ref.input)
			}
			return []azPiece{{expr: ref.expr}}
		}
		return []azPiece{{expr: x.useInput(e.Source, "", "")}}
	}
	if m := azEnvRE.FindStringSubmatch(e.Source); m != nil {
		return []azPiece{{expr: x.useInput(m[1], "string", "callsheet reads it from the environment variable "+m[1]+".")}}
	}
	name := azInputName(e.Source)
	x.note(step, fmt.Sprintf("{{ %s }} has no Arazzo form: it became the input %s", e.Source, name))
	return []azPiece{{expr: x.useInput(name, "", fmt.Sprintf("callsheet computed it as {{ %s }}", e.Source))}}
}

// useInput returns the expression of the input name, adding it when it is
// new (a name defined outside the collection, such as --var code=…).
func (x *azExporter) useInput(name, typ, description string) string {
	for _, in := range x.inputs {
		if in.name == name {
			x.use(in)
			return "$inputs." + name
		}
	}
	in := &azInput{name: name, typ: typ, description: description, used: true}
	x.inputs = append(x.inputs, in)
	return "$inputs." + name
}

var azNonNameRE = lazyregexp.New(`[^A-Za-z0-9_]+`)

// use marks an input as read by a step, noting what it lost the first
// time.
func (x *azExporter) use(in *azInput) {
	if !in.used && in.note != "" {
		x.notes = append(x.notes, Note{Text: in.note})
	}
	in.used = true
}

// azInputName makes an input name of an expression's text.
func azInputName(src string) string {
	s := strings.Trim(azNonNameRE.ReplaceAllString(src, "_"), "_")
	if s == "" {
		return "value"
	}
	return s
}

// text translates a template into an Arazzo value: a runtime expression
// when the template is one expression (it keeps its type), else text with
// {$…} expressions embedded.
func (x *azExporter) text(t *collections.Template, step string) (s string, whole bool) {
	ps := x.pieces(t, step, 0)
	if len(ps) == 1 && ps[0].expr != "" {
		return ps[0].expr, true
	}
	var b strings.Builder
	for _, p := range ps {
		if p.expr != "" {
			b.WriteString("{" + p.expr + "}")
			continue
		}
		if strings.Contains(p.lit, "{$") {
			x.note(step, fmt.Sprintf("the text %q holds {$, which Arazzo reads as an expression", p.lit))
		}
		b.WriteString(p.lit)
	}
	out := b.String()
	if azLooksLikeExpr(out) {
		x.note(step, fmt.Sprintf("the text %q starts like a runtime expression, and Arazzo reads it as one", out))
	}
	return out, false
}

// azExprStartRE matches the start of a runtime expression.
var azExprStartRE = lazyregexp.New(`^\$[a-zA-Z]`)

// azLooksLikeExpr reports whether literal text would be read as a runtime
// expression.
func azLooksLikeExpr(s string) bool {
	return azExprStartRE.MatchString(s)
}

// node translates a value into YAML: templates as text, maps and lists
// member by member, numbers as written.
func (x *azExporter) node(v *collections.Value, step string) *yaml.Node {
	switch v.Kind {
	case collections.KindString:
		s, _ := x.text(v.Template, step)
		return str(s)
	case collections.KindList:
		n := sequence()
		for _, it := range v.Items {
			n.Content = append(n.Content, x.node(it, step))
		}
		return n
	case collections.KindMap:
		n := mapping()
		for i, k := range v.Keys {
			add(n, k, x.node(v.Fields[i], step))
		}
		return n
	}
	return x.literalNode(v)
}

// literalNode writes a value without expressions.
func (x *azExporter) literalNode(v *collections.Value) *yaml.Node {
	switch v.Kind {
	case collections.KindInt:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: scalarText(v)}
	case collections.KindFloat:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: scalarText(v)}
	case collections.KindBool:
		return scalar(v.Bool)
	case collections.KindNull:
		return scalar(nil)
	case collections.KindString:
		return str(v.Template.Raw)
	}
	return x.node(v, "")
}

// staticText renders a template whose names are vars with literal values,
// for server URLs; ok is false when a name has no literal value.
func (x *azExporter) staticText(t *collections.Template, depth int) (string, bool) {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr == nil {
			b.WriteString(p.Literal)
			continue
		}
		if !p.Expr.IsName() {
			return "", false
		}
		s, ok := x.staticVar(p.Expr.Source, depth)
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}

// staticVar is the literal value of a var, or of the vars a derived one
// is made of.
func (x *azExporter) staticVar(name string, depth int) (string, bool) {
	ref, ok := x.names[name]
	switch {
	case !ok || depth > 32:
		return "", false
	case ref.derived != nil:
		return x.staticText(ref.derived, depth+1)
	case ref.input != nil && ref.input.def != nil && ref.input.typ == "string":
		return ref.input.def.Value, true
	}
	return "", false
}
