package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
)

// SyntaxError is a malformed runtime expression, condition or template.
type SyntaxError struct {
	// Offset is the byte offset in the parsed text where the problem is.
	Offset int
	// Msg says what is wrong, lower case.
	Msg string
	// Hint is an optional suggestion, such as `did you mean "$inputs"?`.
	Hint string
}

func (e *SyntaxError) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s (%s)", e.Msg, e.Hint)
	}
	return e.Msg
}

// Parse parses s, which must be exactly one runtime expression, such as
// $response.body#/id or $steps.login.outputs.token.
func Parse(s string) (*Expr, error) {
	e, n, err := ParsePrefix(s, nil)
	if err != nil {
		return nil, err
	}
	if n < len(s) {
		return nil, &SyntaxError{Offset: n, Msg: fmt.Sprintf("unexpected %q after %s", rest(s[n:]), e)}
	}
	return e, nil
}

// ParsePrefix parses the runtime expression at the start of s and returns
// it with the number of bytes it spans. Names that may hold any character
// (query and path names, source references, JSON pointers) end at the
// first rune for which stop reports true; a nil stop never ends them.
func ParsePrefix(s string, stop func(rune) bool) (*Expr, int, error) {
	if stop == nil {
		stop = func(rune) bool { return false }
	}
	p := &parser{s: s, stop: stop}
	e, err := p.expr()
	if err != nil {
		return nil, 0, err
	}
	return e, p.i, nil
}

// parser reads one runtime expression.
type parser struct {
	s    string
	i    int
	stop func(rune) bool
}

func (p *parser) errf(at int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) eat(s string) bool {
	if strings.HasPrefix(p.s[p.i:], s) {
		p.i += len(s)
		return true
	}
	return false
}

// expect consumes s or fails saying what was wanted after what.
func (p *parser) expect(s, after string) error {
	if p.eat(s) {
		return nil
	}
	return p.errf(p.i, "expected %q after %s, found %s", s, after, p.found())
}

// found describes the text at the current position for messages.
func (p *parser) found() string {
	if p.i >= len(p.s) {
		return "the end"
	}
	return strconv.Quote(rest(p.s[p.i:]))
}

// rest shortens s for messages.
func rest(s string) string {
	if len(s) > 20 {
		cut := 20
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "…"
	}
	return s
}

// span consumes the longest run of bytes accepted by ok.
func (p *parser) span(ok func(byte) bool) string {
	start := p.i
	for p.i < len(p.s) && ok(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func (p *parser) expr() (*Expr, error) {
	if !p.eat("$") {
		return nil, p.errf(p.i, "a runtime expression starts with $")
	}
	start := p.i
	word := p.span(isLetter)
	kind := Kind(0)
	for k, n := range rootNames {
		if n != "" && n == word {
			kind = Kind(k)
		}
	}
	e := &Expr{Kind: kind}
	switch kind {
	case URL, Method, StatusCode, Self:
		return e, nil
	case Request, Response, Message:
		return e, p.source(e)
	case Inputs, Outputs:
		return e, p.named(e, "$"+word)
	case Steps:
		return e, p.steps(e)
	case Workflows:
		return e, p.workflows(e)
	case SourceDescriptions:
		return e, p.sourceDescription(e)
	case Components:
		return e, p.component(e)
	}
	err := p.errf(start-1, "unknown runtime expression $%s", word)
	if word == "" {
		err.Msg = "expected a name after $, found " + p.found()
	}
	err.Hint = suggestRoot(word)
	return nil, err
}

// suggestRoot names the root closest to word, or lists them all.
func suggestRoot(word string) string {
	if s := collections.Suggest(word, RootNames()); s != "" {
		return fmt.Sprintf("did you mean $%s?", s)
	}
	for _, n := range RootNames() {
		if len(word) >= 3 && strings.HasPrefix(n, word) {
			return fmt.Sprintf("did you mean $%s?", n)
		}
	}
	return "expressions start with $" + strings.Join(RootNames(), ", $")
}

// source parses .header.<token>, .query.<name>, .path.<name>,
// .body[#pointer] or .payload[#pointer].
func (p *parser) source(e *Expr) error {
	after := e.Kind.String()
	if err := p.expect(".", after); err != nil {
		return err
	}
	start := p.i
	word := p.span(isLetter)
	for s, n := range sourceNames {
		if n != "" && n == word {
			e.Source = Source(s)
		}
	}
	switch e.Source {
	case Header:
		if err := p.expect(".", after+".header"); err != nil {
			return err
		}
		e.Name = p.token()
		if e.Name == "" {
			return p.errf(p.i, "expected a header name after %s.header., found %s", after, p.found())
		}
		return nil
	case Query, Path:
		if err := p.expect(".", after+"."+word); err != nil {
			return err
		}
		return p.chars(&e.Name, after+"."+word+".")
	case Body, Payload:
		return p.suffix(e, true)
	}
	err := p.errf(start, "unknown source %q after %s.", word, after)
	if s := collections.Suggest(word, sourceNames[1:]); s != "" {
		err.Hint = fmt.Sprintf("did you mean %q?", s)
	} else {
		err.Hint = "valid sources: header, query, path, body, payload"
	}
	return err
}

// token consumes an HTTP token, stopping early at a stop rune.
func (p *parser) token() string {
	start := p.i
	for p.i < len(p.s) {
		r := rune(p.s[p.i])
		if !isTchar(r) || p.stop(r) {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

// chars consumes a name of one or more CHARs (with \ escapes) into dst.
func (p *parser) chars(dst *string, after string) error {
	var b strings.Builder
	start := p.i
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if p.stop(r) {
			break
		}
		if r == '\\' {
			d, n, err := p.escape()
			if err != nil {
				return err
			}
			b.WriteRune(d)
			p.i += n
			continue
		}
		if !isUnescapedChar(r) || r == utf8.RuneError && size == 1 {
			break
		}
		b.WriteRune(r)
		p.i += size
	}
	if p.i == start {
		return p.errf(p.i, "expected a name after %s, found %s", after, p.found())
	}
	*dst = b.String()
	return nil
}

// escape decodes the backslash escape at the current position.
func (p *parser) escape() (rune, int, error) {
	s := p.s[p.i:]
	if len(s) < 2 {
		return 0, 0, p.errf(p.i, "a name cannot end with \\")
	}
	switch s[1] {
	case '"', '\\', '/':
		return rune(s[1]), 2, nil
	case 'b':
		return '\b', 2, nil
	case 'f':
		return '\f', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'u':
		if len(s) >= 6 {
			if v, err := strconv.ParseUint(s[2:6], 16, 16); err == nil && !isSurrogate(rune(v)) {
				return rune(v), 6, nil
			}
		}
	}
	return 0, 0, p.errf(p.i, "invalid escape %q in a name", rest(s[:min(len(s), 6)]))
}

func isSurrogate(r rune) bool { return 0xD800 <= r && r < 0xE000 }

// named parses .<identifier> and its suffix ($inputs, $outputs).
func (p *parser) named(e *Expr, after string) error {
	if err := p.expect(".", after); err != nil {
		return err
	}
	var err error
	if e.Name, err = p.identifier(after+".", false); err != nil {
		return err
	}
	return p.suffix(e, false)
}

// identifier consumes [A-Za-z0-9_-]+, with dots unless strict.
func (p *parser) identifier(after string, strict bool) (string, error) {
	ok := func(c byte) bool { return isStrictByte(c) || !strict && c == '.' }
	name := p.span(ok)
	if name == "" {
		return "", p.errf(p.i, "expected a name after %s, found %s", after, p.found())
	}
	return name, nil
}

// steps parses .<stepId>.outputs.<name> and its suffix.
func (p *parser) steps(e *Expr) error {
	var err error
	if err = p.expect(".", "$steps"); err != nil {
		return err
	}
	if e.ID, err = p.identifier("$steps.", true); err != nil {
		return err
	}
	after := "$steps." + e.ID
	if err = p.expect(".outputs.", after); err != nil {
		return err
	}
	if e.Name, err = p.identifier(after+".outputs.", false); err != nil {
		return err
	}
	return p.suffix(e, false)
}

// workflows parses .<workflowId>.<inputs|outputs>.<name> and its suffix.
func (p *parser) workflows(e *Expr) error {
	var err error
	if err = p.expect(".", "$workflows"); err != nil {
		return err
	}
	if e.ID, err = p.identifier("$workflows.", true); err != nil {
		return err
	}
	after := "$workflows." + e.ID
	if err = p.expect(".", after); err != nil {
		return err
	}
	start := p.i
	e.Field = p.span(isLetter)
	if e.Field != "inputs" && e.Field != "outputs" {
		err := p.errf(start, "expected inputs or outputs after %s., found %q", after, e.Field)
		if s := collections.Suggest(e.Field, []string{"inputs", "outputs"}); s != "" {
			err.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		return err
	}
	after += "." + e.Field
	if err = p.expect(".", after); err != nil {
		return err
	}
	if e.Name, err = p.identifier(after+".", false); err != nil {
		return err
	}
	return p.suffix(e, false)
}

// sourceDescription parses .<name>.<reference>.
func (p *parser) sourceDescription(e *Expr) error {
	var err error
	if err = p.expect(".", "$sourceDescriptions"); err != nil {
		return err
	}
	if e.ID, err = p.identifier("$sourceDescriptions.", true); err != nil {
		return err
	}
	after := "$sourceDescriptions." + e.ID
	if err = p.expect(".", after); err != nil {
		return err
	}
	return p.chars(&e.Name, after+".")
}

// componentTypes are the component kinds an expression may name.
var componentTypes = []string{"parameters", "successActions", "failureActions"}

// component parses .<type>.<name>.
func (p *parser) component(e *Expr) error {
	if err := p.expect(".", "$components"); err != nil {
		return err
	}
	start := p.i
	e.ID = p.span(isLetter)
	valid := false
	for _, t := range componentTypes {
		valid = valid || t == e.ID
	}
	if !valid {
		err := p.errf(start, "unknown component type %q", e.ID)
		err.Hint = "valid types: " + strings.Join(componentTypes, ", ")
		if s := collections.Suggest(e.ID, componentTypes); s != "" {
			err.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		return err
	}
	after := "$components." + e.ID
	if err := p.expect(".", after); err != nil {
		return err
	}
	var err error
	e.Name, err = p.identifier(after+".", false)
	return err
}

// suffix parses an optional #pointer or property path. After body and
// payload the path may start with a dot; after a name, which may itself
// hold dots, it starts with [.
func (p *parser) suffix(e *Expr, dotted bool) error {
	if p.eat("#") {
		e.HasPointer = true
		return p.pointer(e)
	}
	if p.i < len(p.s) && (p.s[p.i] == '[' || dotted && p.s[p.i] == '.') {
		return p.path(e)
	}
	return nil
}

// pointer parses the JSON pointer after #.
func (p *parser) pointer(e *Expr) error {
	e.Pointer = []string{}
	for p.i < len(p.s) {
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		if p.stop(r) {
			break
		}
		if r != '/' {
			return p.errf(p.i, "a JSON pointer is empty or starts with /, found %s", p.found())
		}
		p.i++
		tok, err := p.pointerToken()
		if err != nil {
			return err
		}
		e.Pointer = append(e.Pointer, tok)
	}
	return nil
}

// pointerToken parses one reference token, decoding ~0 and ~1.
func (p *parser) pointerToken() (string, error) {
	var b strings.Builder
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if r == '/' || p.stop(r) {
			break
		}
		switch {
		case r == '~':
			if p.i+1 >= len(p.s) || (p.s[p.i+1] != '0' && p.s[p.i+1] != '1') {
				return "", p.errf(p.i, "~ in a JSON pointer must be followed by 0 or 1")
			}
			b.WriteByte("~/"[p.s[p.i+1]-'0'])
			p.i += 2
			continue
		case r == '{' || r == '}':
			return "", p.errf(p.i, "%q is not allowed in a JSON pointer", r)
		case r == utf8.RuneError && size == 1:
			return "", p.errf(p.i, "invalid UTF-8 in a JSON pointer")
		}
		b.WriteRune(r)
		p.i += size
	}
	return b.String(), nil
}

// path parses property accessors: .name, [n] and ['name'].
func (p *parser) path(e *Expr) error {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '.':
			p.i++
			name := p.span(isStrictByte)
			if name == "" {
				return p.errf(p.i, "expected a property name after ., found %s", p.found())
			}
			e.Path = append(e.Path, Accessor{Name: name})
		case '[':
			a, err := p.index()
			if err != nil {
				return err
			}
			e.Path = append(e.Path, a)
		default:
			return nil
		}
	}
	return nil
}

// index parses [n] or ['name'].
func (p *parser) index() (Accessor, error) {
	start := p.i
	p.i++
	if p.eat("'") {
		var b strings.Builder
		for {
			if p.i >= len(p.s) {
				return Accessor{}, p.errf(start, "unclosed [' in a property path")
			}
			if p.eat("''") {
				b.WriteByte('\'')
				continue
			}
			if p.eat("']") {
				return Accessor{Name: b.String()}, nil
			}
			if p.eat("'") {
				return Accessor{}, p.errf(p.i, "expected ] after the quoted name")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		}
	}
	digits := p.span(func(c byte) bool { return '0' <= c && c <= '9' })
	n, err := strconv.Atoi(digits)
	if err != nil || len(digits) > 1 && digits[0] == '0' || n > maxIndex {
		return Accessor{}, p.errf(start+1, "expected an index or a quoted name after [, found %s", p.found())
	}
	if !p.eat("]") {
		return Accessor{}, p.errf(p.i, "expected ] after the index, found %s", p.found())
	}
	return Accessor{Index: n, IsIndex: true}, nil
}

// maxIndex bounds array indexes in property paths.
const maxIndex = 1 << 30
