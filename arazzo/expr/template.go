package expr

import (
	"strings"
)

// Template is a string with runtime expressions embedded in braces, such
// as https://{$inputs.host}/pets/{$steps.create.outputs.id}. A brace that
// is not followed by $ is literal text, so JSON and XML payload templates
// keep their own braces.
type Template struct {
	Parts []Part
}

// Part is literal text or one embedded expression.
type Part struct {
	Text string
	Expr *Expr
	// Offset is the byte offset of the part in the template: of its text,
	// or of the expression's $.
	Offset int
}

// ParseTemplate splits s into literal text and {$…} expressions.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{}
	text, textAt := strings.Builder{}, 0
	flush := func() {
		if text.Len() > 0 {
			t.Parts = append(t.Parts, Part{Text: text.String(), Offset: textAt})
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "{$") {
			if text.Len() == 0 {
				textAt = i
			}
			text.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, &SyntaxError{Offset: i, Msg: "unclosed {$ in a string", Hint: "close the embedded expression with }"}
		}
		e, err := Parse(s[i+1 : i+end])
		if err != nil {
			se := err.(*SyntaxError)
			se.Offset += i + 1
			return nil, se
		}
		flush()
		t.Parts = append(t.Parts, Part{Expr: e, Offset: i + 1})
		i += end + 1
	}
	flush()
	return t, nil
}

// HasExprs reports whether the template embeds any expression.
func (t *Template) HasExprs() bool {
	for _, p := range t.Parts {
		if p.Expr != nil {
			return true
		}
	}
	return false
}

// String returns the template with each expression in canonical form.
func (t *Template) String() string {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr != nil {
			b.WriteString("{" + p.Expr.String() + "}")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// Render evaluates each embedded expression and joins the parts, turning
// values into text as Text does.
func (t *Template) Render(ctx Context) (string, error) {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr == nil {
			b.WriteString(p.Text)
			continue
		}
		v, err := p.Expr.Eval(ctx)
		if err != nil {
			return "", err
		}
		s, err := Text(v)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}
