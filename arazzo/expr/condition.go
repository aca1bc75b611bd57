package expr

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Condition is a parsed simple condition of a Criterion Object: runtime
// expressions and literals (true, false, null, numbers, 'strings' with two
// quotes for one) combined with == != < <= > >=, ! && ||, parentheses, and
// the property (.name) and index ([0]) operators.
type Condition struct {
	src  string
	root cnode
}

// cnode is a node of a condition; start and end are byte offsets of its
// text in the condition.
type cnode interface {
	span() (start, end int)
}

type (
	litNode struct {
		v          any
		start, end int
	}
	exprNode struct {
		e          *Expr
		start, end int
	}
	notNode struct {
		x          cnode
		start, end int
	}
	groupNode struct {
		x          cnode
		start, end int
	}
	binNode struct {
		op         string
		l, r       cnode
		start, end int
	}
	memberNode struct {
		x          cnode
		a          Accessor
		start, end int
	}
)

func (n *litNode) span() (int, int)    { return n.start, n.end }
func (n *exprNode) span() (int, int)   { return n.start, n.end }
func (n *notNode) span() (int, int)    { return n.start, n.end }
func (n *groupNode) span() (int, int)  { return n.start, n.end }
func (n *binNode) span() (int, int)    { return n.start, n.end }
func (n *memberNode) span() (int, int) { return n.start, n.end }

// String returns the condition as written.
func (c *Condition) String() string { return c.src }

// Exprs calls f with each runtime expression of the condition and its byte
// offset.
func (c *Condition) Exprs(f func(e *Expr, offset int)) {
	var walk func(n cnode)
	walk = func(n cnode) {
		switch t := n.(type) {
		case *exprNode:
			f(t.e, t.start)
		case *notNode:
			walk(t.x)
		case *groupNode:
			walk(t.x)
		case *binNode:
			walk(t.l)
			walk(t.r)
		case *memberNode:
			walk(t.x)
		}
	}
	walk(c.root)
}

// ParseCondition parses a simple condition.
func ParseCondition(s string) (*Condition, error) {
	p := &condParser{src: s}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tkEOF {
		return nil, &SyntaxError{Offset: 0, Msg: "the condition is empty"}
	}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tkEOF {
		return nil, p.unexpected("an operator")
	}
	return &Condition{src: s, root: n}, nil
}

// token kinds of conditions.
const (
	tkEOF = iota
	tkExpr
	tkLit
	tkOp
	tkName
)

type ctoken struct {
	kind       int
	text       string // operator or name
	v          any    // literal value
	e          *Expr
	start, end int
}

type condParser struct {
	src string
	i   int
	tok ctoken
}

// condStop ends names inside conditions: blanks and operator characters.
func condStop(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("()<>=!&|", r)
}

// maxCondDepth bounds the nesting of parentheses and ! in a condition.
const maxCondDepth = 100

func (p *condParser) unexpected(want string) error {
	if p.tok.kind == tkEOF {
		return &SyntaxError{Offset: p.tok.start, Msg: "expected " + want + ", found the end"}
	}
	return &SyntaxError{Offset: p.tok.start, Msg: fmt.Sprintf("expected %s, found %q", want, rest(p.src[p.tok.start:p.tok.end]))}
}

// next reads the next token.
func (p *condParser) next() error {
	for p.i < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.i:])
		if !unicode.IsSpace(r) {
			break
		}
		p.i += size
	}
	start := p.i
	p.tok = ctoken{start: start, end: start}
	if p.i >= len(p.src) {
		return nil
	}
	c := p.src[p.i]
	switch {
	case c == '$':
		e, n, err := ParsePrefix(p.src[p.i:], condStop)
		if err != nil {
			se := err.(*SyntaxError)
			se.Offset += start
			return se
		}
		p.i += n
		p.tok = ctoken{kind: tkExpr, e: e, start: start, end: p.i}
	case c == '\'':
		return p.stringLit()
	case c == '-' || '0' <= c && c <= '9':
		return p.numberLit()
	case isLetter(c) || c == '_':
		word := p.word()
		p.tok = ctoken{kind: tkName, text: word, start: start, end: p.i}
	default:
		return p.operator()
	}
	return nil
}

func (p *condParser) word() string {
	start := p.i
	for p.i < len(p.src) && isStrictByte(p.src[p.i]) {
		p.i++
	}
	return p.src[start:p.i]
}

var operators = []string{"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", "."}

func (p *condParser) operator() error {
	for _, op := range operators {
		if strings.HasPrefix(p.src[p.i:], op) {
			p.tok = ctoken{kind: tkOp, text: op, start: p.i, end: p.i + len(op)}
			p.i += len(op)
			return nil
		}
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.i:])
	err := &SyntaxError{Offset: p.i, Msg: fmt.Sprintf("unexpected %q in the condition", r)}
	switch r {
	case '=':
		err.Hint = "compare with =="
	case '&', '|':
		err.Hint = "write && or ||"
	case '"':
		err.Hint = "strings use single quotes: 'text'"
	}
	return err
}

// stringLit reads a single-quoted string; two quotes stand for one.
func (p *condParser) stringLit() error {
	start := p.i
	var b strings.Builder
	p.i++
	for {
		if p.i >= len(p.src) {
			return &SyntaxError{Offset: start, Msg: "unclosed string", Hint: "close it with '; write '' for a quote inside"}
		}
		if strings.HasPrefix(p.src[p.i:], "''") {
			b.WriteByte('\'')
			p.i += 2
			continue
		}
		if p.src[p.i] == '\'' {
			p.i++
			break
		}
		b.WriteByte(p.src[p.i])
		p.i++
	}
	p.tok = ctoken{kind: tkLit, v: b.String(), start: start, end: p.i}
	return nil
}

// numberLit reads a JSON number.
func (p *condParser) numberLit() error {
	start := p.i
	for p.i < len(p.src) && strings.IndexByte("+-.0123456789eE", p.src[p.i]) >= 0 {
		p.i++
	}
	text := p.src[start:p.i]
	if !isJSONNumber(text) {
		return &SyntaxError{Offset: start, Msg: fmt.Sprintf("invalid number %q", text)}
	}
	p.tok = ctoken{kind: tkLit, v: json.Number(text), start: start, end: p.i}
	return nil
}

func (p *condParser) isOp(op string) bool { return p.tok.kind == tkOp && p.tok.text == op }

func (p *condParser) or(depth int) (cnode, error) {
	return p.binary(depth, "||", p.and)
}

func (p *condParser) and(depth int) (cnode, error) {
	return p.binary(depth, "&&", p.not)
}

// binary parses operands joined by op, left to right.
func (p *condParser) binary(depth int, op string, operand func(int) (cnode, error)) (cnode, error) {
	l, err := operand(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp(op) {
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := operand(depth)
		if err != nil {
			return nil, err
		}
		ls, _ := l.span()
		_, re := r.span()
		l = &binNode{op: op, l: l, r: r, start: ls, end: re}
	}
	return l, nil
}

func (p *condParser) not(depth int) (cnode, error) {
	if !p.isOp("!") {
		return p.comparison(depth)
	}
	if depth >= maxCondDepth {
		return nil, &SyntaxError{Offset: p.tok.start, Msg: "the condition is nested too deeply"}
	}
	start := p.tok.start
	if err := p.next(); err != nil {
		return nil, err
	}
	x, err := p.not(depth + 1)
	if err != nil {
		return nil, err
	}
	_, end := x.span()
	return &notNode{x: x, start: start, end: end}, nil
}

var comparisons = []string{"==", "!=", "<", "<=", ">", ">="}

func (p *condParser) comparison(depth int) (cnode, error) {
	l, err := p.postfix(depth)
	if err != nil {
		return nil, err
	}
	for _, op := range comparisons {
		if !p.isOp(op) {
			continue
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		r, err := p.postfix(depth)
		if err != nil {
			return nil, err
		}
		ls, _ := l.span()
		_, re := r.span()
		return &binNode{op: op, l: l, r: r, start: ls, end: re}, nil
	}
	return l, nil
}

// postfix parses a primary followed by .name, [n] or ['name'].
func (p *condParser) postfix(depth int) (cnode, error) {
	x, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp(".") || p.isOp("[") {
		start, _ := x.span()
		a, end, err := p.accessor()
		if err != nil {
			return nil, err
		}
		x = &memberNode{x: x, a: a, start: start, end: end}
	}
	return x, nil
}

// accessor parses .name, [n] or ['name'] after an operand.
func (p *condParser) accessor() (Accessor, int, error) {
	dot := p.isOp(".")
	if err := p.next(); err != nil {
		return Accessor{}, 0, err
	}
	var a Accessor
	switch {
	case dot && p.tok.kind == tkName:
		a = Accessor{Name: p.tok.text}
	case dot:
		return a, 0, p.unexpected("a property name")
	case p.tok.kind == tkLit:
		a = p.indexAccessor()
		if a.Name == "" && !a.IsIndex {
			return a, 0, p.unexpected("an index or a quoted name")
		}
	default:
		return a, 0, p.unexpected("an index or a quoted name")
	}
	nameEnd := p.tok.end
	if err := p.next(); err != nil {
		return a, 0, err
	}
	if dot {
		return a, nameEnd, nil
	}
	if !p.isOp("]") {
		return a, 0, p.unexpected("]")
	}
	end := p.tok.end
	return a, end, p.next()
}

// indexAccessor turns the literal token inside [ ] into an accessor.
func (p *condParser) indexAccessor() Accessor {
	switch v := p.tok.v.(type) {
	case string:
		return Accessor{Name: v}
	case json.Number:
		if n, err := strconv.Atoi(v.String()); err == nil && n >= 0 && n <= maxIndex && isDigits(v.String()) {
			return Accessor{Index: n, IsIndex: true}
		}
	}
	return Accessor{}
}

func (p *condParser) primary(depth int) (cnode, error) {
	t := p.tok
	switch {
	case t.kind == tkExpr:
		return &exprNode{e: t.e, start: t.start, end: t.end}, p.next()
	case t.kind == tkLit:
		return &litNode{v: t.v, start: t.start, end: t.end}, p.next()
	case t.kind == tkName:
		v, ok := map[string]any{"true": true, "false": false, "null": nil}[t.text]
		if !ok {
			err := p.unexpected("a runtime expression or a literal")
			err.(*SyntaxError).Hint = "strings are quoted: '" + t.text + "'"
			return nil, err
		}
		return &litNode{v: v, start: t.start, end: t.end}, p.next()
	case p.isOp("("):
		return p.group(depth)
	}
	return nil, p.unexpected("a runtime expression or a literal")
}

func (p *condParser) group(depth int) (cnode, error) {
	if depth >= maxCondDepth {
		return nil, &SyntaxError{Offset: p.tok.start, Msg: "the condition is nested too deeply"}
	}
	start := p.tok.start
	if err := p.next(); err != nil {
		return nil, err
	}
	x, err := p.or(depth + 1)
	if err != nil {
		return nil, err
	}
	if !p.isOp(")") {
		return nil, p.unexpected(")")
	}
	end := p.tok.end
	return &groupNode{x: x, start: start, end: end}, p.next()
}
