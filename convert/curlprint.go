package convert

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"github.com/callsheet/callsheet/mask"
)

// CurlPrinter writes requests as curl command lines. It prints the request
// as sent, in its recorded form (exchange.Recorded): each secret's
// placeholder becomes a shell variable ($ACCESS_TOKEN), so a command never
// shows a secret and sends, once the variables are set, the bytes the run
// sent. It notes the shell variables its commands read.
type CurlPrinter struct {
	// Dir is the folder of the collection, which file paths are relative
	// to; curl reads them from the current folder.
	Dir string
	// Jar, when set, is a shell word naming a cookie file each command
	// reads and writes (-b and -c), so that a script of commands keeps
	// cookies between them as a run does.
	Jar    string
	needed []string
	// helpers are the shell functions the commands call (urlencode,
	// jsonescape), in order of first use.
	helpers []string
	// edits are the notes of the current command: values it cannot write.
	edits []string
}

// Needed lists the shell variables the commands printed so far read, in
// order of first use.
func (p *CurlPrinter) Needed() []string { return p.needed }

// Command returns the curl command that sends req, the request of step s
// (for its timeout, redirects and a body read from a file), or a comment
// for an authorize step, whose request is the authorization URL. A step
// without an action, such as a step of an Arazzo workflow, is req alone,
// sent with the run's defaults (redirects followed).
func (p *CurlPrinter) Command(req *exchange.Recorded, s *collections.Step) string {
	p.edits = nil
	if s.Authorize() != nil {
		return "# " + s.Name + ": an authorize step has no curl equivalent; open " + p.plain(req.URL) + " in a browser"
	}
	rq := s.Request()
	if rq == nil {
		rq = &collections.Request{}
	}
	args := []string{"curl"}
	switch {
	case req.Method == "HEAD":
		args = append(args, "--head")
	case req.Method != "GET" || req.Body != nil:
		args = append(args, "-X", req.Method)
	}
	if f := rq.FollowRedirects; f == nil || *f {
		args = append(args, "-L")
	}
	args = append(args, p.word(req.URL, req))
	args = append(args, p.headers(req)...)
	args = append(args, p.body(req, rq.Body)...)
	if t := rq.Timeout; t > 0 {
		args = append(args, "--max-time", strconv.FormatFloat(t.Seconds(), 'f', -1, 64))
	}
	if p.Jar != "" {
		args = append(args, "-b", p.Jar, "-c", p.Jar)
	}
	line := strings.Join(args, " ")
	if len(p.edits) > 0 {
		line += " # edit: " + strings.Join(p.edits, "; ")
	}
	return line
}

// headers returns the -H and -u arguments. A multipart body's Content-Type
// is curl's to write (with its own boundary).
func (p *CurlPrinter) headers(req *exchange.Recorded) []string {
	var args []string
	for _, f := range req.Header {
		switch {
		case strings.EqualFold(f.Name, "Content-Type") && len(req.Parts) > 0:
			continue
		case strings.EqualFold(f.Name, "Authorization") && f.Value == "Basic "+exchange.BasicPlaceholder:
			args = append(args, "-u", p.word(req.BasicAuth, req))
			continue
		}
		v := f.Value
		if strings.EqualFold(f.Name, "User-Agent") && v == exchange.DefaultUserAgent {
			continue // callsheet's own; curl sends its own
		}
		if credential(f.Name) && strings.Contains(v, maskText) {
			v = strings.ReplaceAll(v, maskText, exchange.SecretPlaceholder(headerVar(f.Name), ""))
		}
		args = append(args, "-H", p.word(f.Name+": "+v, req))
	}
	return args
}

// maskText is what a masked secret reads.
const maskText = mask.Text

// credential reports the headers whose masked value becomes a shell
// variable named after the header.
func credential(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie":
		return true
	}
	return false
}

// headerVar is the variable standing for a credential header's value.
func headerVar(name string) string { return strings.ReplaceAll(strings.ToLower(name), "-", "_") }

// body returns the body's arguments: -F per multipart part, @file for a
// body read with file("path"), else the bytes.
func (p *CurlPrinter) body(req *exchange.Recorded, b *collections.Body) []string {
	switch {
	case req.Body == nil:
		return nil
	case len(req.Parts) > 0:
		var args []string
		for _, part := range req.Parts {
			args = append(args, p.part(part, req)...)
		}
		return args
	case b != nil && b.Kind == collections.BodyRaw && b.Raw != nil:
		if path, ok := fileBodyPath(b.Raw.Raw); ok {
			return []string{"--data-binary", p.word("@"+p.path(path), req)}
		}
	}
	return []string{"--data-binary", p.word(string(req.Body), req)}
}

// part returns the -F (file) or --form-string (text) argument of a part.
func (p *CurlPrinter) part(part exchange.Part, req *exchange.Recorded) []string {
	var spec strings.Builder
	spec.WriteString(part.Name + "=")
	own := ownPartHeaders(part)
	if part.File == "" && len(own) == 0 && part.Header.Get("Content-Type") == "" {
		spec.WriteString(part.Value)
		return []string{"--form-string", p.word(spec.String(), req)}
	}
	if part.File != "" {
		spec.WriteString("@" + p.path(part.File))
		if part.Filename != filepath.Base(part.File) {
			spec.WriteString(";filename=" + formQuote(part.Filename))
		}
	} else {
		spec.WriteString(formQuote(part.Value))
	}
	if ct := part.Header.Get("Content-Type"); ct != "" {
		spec.WriteString(";type=" + ct)
	}
	for _, f := range own {
		spec.WriteString(";headers=" + formQuote(f.Name+": "+f.Value))
	}
	return []string{"-F", p.word(spec.String(), req)}
}

// ownPartHeaders are the fields of a part besides the two curl writes.
func ownPartHeaders(part exchange.Part) exchange.Header {
	var out exchange.Header
	for _, f := range part.Header {
		if !strings.EqualFold(f.Name, "Content-Disposition") && !strings.EqualFold(f.Name, "Content-Type") {
			out = append(out, f)
		}
	}
	return out
}

// formQuote quotes a -F value that holds ; or ", as curl reads it.
func formQuote(s string) string {
	if !strings.ContainsAny(s, `;"`) && !strings.HasPrefix(s, "@") && !strings.HasPrefix(s, "<") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// path is a file path as curl reads it from the current folder.
func (p *CurlPrinter) path(path string) string {
	if filepath.IsAbs(path) || p.Dir == "" {
		return path
	}
	return filepath.Join(p.Dir, path)
}

// plain writes text with its placeholders as $VARIABLES, unquoted, for a
// comment.
func (p *CurlPrinter) plain(s string) string {
	return exchange.ReplacePlaceholders(s, func(ph exchange.Placeholder) string { return "$" + p.variable(ph) })
}

// variable is the shell variable of a placeholder, noted as needed.
func (p *CurlPrinter) variable(ph exchange.Placeholder) string {
	name := shellVar(ph.Name)
	if ph.Kind == "auth" {
		name += "_TOKEN"
	}
	if !slices.Contains(p.needed, name) {
		p.needed = append(p.needed, name)
	}
	return name
}

// shellVar is the shell variable that stands for a callsheet variable.
func shellVar(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, name)
}

// word writes s as one shell word: single quotes for plain text, and where
// it holds placeholders, double quotes around $VARIABLES (a base64 form
// computes the encoding). A value computed from secrets, which no variable
// can write, becomes <computed from NAME> and the command a note to edit it.
func (p *CurlPrinter) word(s string, req *exchange.Recorded) string {
	for _, c := range req.Computed {
		if c.Value != "" && !placeholderIn(c.Value) && strings.Contains(s, c.Value) {
			from := make([]string, len(c.From))
			for i, n := range c.From {
				from[i] = shellVar(n)
			}
			s = strings.ReplaceAll(s, c.Value, "<computed from "+strings.Join(from, ", ")+">")
			p.edits = append(p.edits, "a value computed from $"+strings.Join(from, ", $")+" cannot be written for curl")
		}
	}
	var segs []segment
	last := 0
	for _, loc := range placeholderLocs(s) {
		segs = append(segs, segment{text: s[last:loc.start]}, segment{shell: p.expansion(loc.ph, s, loc.end)})
		last = loc.end
	}
	segs = append(segs, segment{text: s[last:]})
	return joinSegments(segs)
}

// expansion is the shell expansion standing for a placeholder followed by
// s[end:].
func (p *CurlPrinter) expansion(ph exchange.Placeholder, s string, end int) string {
	v := p.variable(ph)
	ref := "$" + v
	if end < len(s) && isIdentByte(s[end]) {
		ref = "${" + v + "}"
	}
	switch ph.Encoding {
	case "base64":
		return `$(printf %s "` + ref + `" | base64 | tr -d '\n')`
	case "query", "json":
		fn := map[string]string{"query": "urlencode", "json": "jsonescape"}[ph.Encoding]
		if !slices.Contains(p.helpers, fn) {
			p.helpers = append(p.helpers, fn)
		}
		return `$(` + fn + ` "` + ref + `")`
	}
	return ref
}

// shellHelpers define the functions that encode a shell variable as
// callsheet encodes a secret: urlencode as a query or form value (Go's
// url.QueryEscape), jsonescape inside a JSON string (encoding/json).
var shellHelpers = map[string]string{
	"urlencode":  `urlencode() { s=$1 LC_ALL=C awk 'BEGIN { s = ENVIRON["s"]; for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i; for (i = 1; i <= length(s); i++) { c = substr(s, i, 1); if (c ~ /[A-Za-z0-9_.~-]/) printf "%s", c; else if (c == " ") printf "+"; else printf "%%%02X", ord[c] } }'; }`,
	"jsonescape": `jsonescape() { s=$1 LC_ALL=C awk 'BEGIN { s = ENVIRON["s"]; for (i = 1; i < 32; i++) ord[sprintf("%c", i)] = i; for (i = 1; i <= length(s); i++) { c = substr(s, i, 1); if (c == "\"") printf "%s", "\\\""; else if (c == "\\") printf "%s", "\\\\"; else if (c == "\n") printf "%s", "\\n"; else if (c == "\r") printf "%s", "\\r"; else if (c == "\t") printf "%s", "\\t"; else if (c in ord) printf "%s%04x", "\\u", ord[c]; else printf "%s", c } }'; }`,
}

// Helpers returns the definitions of the shell functions the commands
// printed so far call, one a line.
func (p *CurlPrinter) Helpers() []string {
	out := make([]string, len(p.helpers))
	for i, h := range p.helpers {
		out[i] = shellHelpers[h]
	}
	return out
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// segment is a piece of a shell word: literal text or a shell expansion.
type segment struct{ text, shell string }

// shellSafeRE matches words that need no quotes.
var shellSafeRE = lazyregexp.New(`^[A-Za-z0-9_@%+=:,./-]+$`)

// joinSegments quotes the segments into one word: unquoted when it is plain
// and safe, in one pair of double quotes when the literal text allows, else
// as adjacent single-quoted and double-quoted pieces ($'…' for bytes a
// terminal would not show).
func joinSegments(segs []segment) string {
	expands := slices.ContainsFunc(segs, func(s segment) bool { return s.shell != "" })
	if !expands {
		text := segs[0].text
		if shellSafeRE.MatchString(text) {
			return text
		}
		return singleQuote(text)
	}
	if !slices.ContainsFunc(segs, func(s segment) bool { return !doubleQuotable(s.text) }) {
		var b strings.Builder
		b.WriteByte('"')
		for _, s := range segs {
			b.WriteString(s.text + s.shell)
		}
		b.WriteByte('"')
		return b.String()
	}
	var b strings.Builder
	for _, s := range segs {
		if s.shell != "" {
			b.WriteString(`"` + s.shell + `"`)
		} else if s.text != "" {
			b.WriteString(singleQuote(s.text))
		}
	}
	return b.String()
}

// doubleQuotable reports whether text reads the same inside double quotes.
func doubleQuotable(text string) bool {
	return printable(text) && !strings.ContainsAny(text, "$`\\\"!")
}

// printable reports whether text is valid UTF-8 without control characters
// other than newline and tab.
func printable(text string) bool {
	if !utf8.ValidString(text) {
		return false
	}
	for _, r := range text {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// singleQuote quotes text for the shell: '…', or $'…' with escapes when it
// holds bytes a terminal would not show.
func singleQuote(text string) string {
	if printable(text) {
		return "'" + strings.ReplaceAll(text, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\' || c == '\'':
			b.WriteString(`\` + string(c))
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString("'")
	return b.String()
}

// placeholderLoc is a placeholder found at s[start:end].
type placeholderLoc struct {
	start, end int
	ph         exchange.Placeholder
}

// placeholderLocs finds the placeholders of s, in order.
func placeholderLocs(s string) []placeholderLoc {
	var out []placeholderLoc
	offset := 0
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			return out
		}
		var found *exchange.Placeholder
		end := -1
		if j := strings.Index(rest[i:], "}}"); j >= 0 {
			tag := rest[i : i+j+2]
			exchange.ReplacePlaceholders(tag, func(ph exchange.Placeholder) string {
				found = &ph
				return ""
			})
			end = i + j + 2
		}
		if found == nil {
			offset, rest = offset+i+2, rest[i+2:]
			continue
		}
		out = append(out, placeholderLoc{start: offset + i, end: offset + end, ph: *found})
		offset, rest = offset+end, rest[end:]
	}
}

// placeholderIn reports whether s holds a placeholder.
func placeholderIn(s string) bool { return len(placeholderLocs(s)) > 0 }

// fileBodyRE matches a body that is one file("path") call with a literal
// path.
var fileBodyRE = lazyregexp.New(`^\{\{\s*file\(("(?:[^"\\]|\\.)*")\)\s*\}\}$`)

// fileBodyPath returns the literal path of a body template that is one
// file("path") call, as written.
func fileBodyPath(raw string) (string, bool) {
	m := fileBodyRE.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	p, err := strconv.Unquote(m[1])
	return p, err == nil && p != ""
}

// CurlStep is one step to write as a curl command: the step and its request
// in recorded form (runner.Preview makes them), or why it has none.
type CurlStep struct {
	Step    *collections.Step
	Request *exchange.Recorded
	Err     error
}

// CurlScript writes steps as a shell script of curl commands, each under a
// comment naming its step, after a first comment naming the shell variables
// to set. dir is the collection's folder.
func CurlScript(steps []CurlStep, dir string) string {
	p := &CurlPrinter{Dir: dir, Jar: `"$COOKIES"`}
	var lines []string
	for _, st := range steps {
		switch {
		case st.Err != nil:
			lines = append(lines, "# "+st.Step.Name, "# cannot be written: "+oneLine(st.Err.Error()))
		case st.Request != nil:
			lines = append(lines, "# "+st.Step.Name, p.Command(st.Request, st.Step))
		}
	}
	var out strings.Builder
	if len(p.needed) > 0 {
		fmt.Fprintf(&out, "# set these shell variables first: %s\n", strings.Join(p.needed, " "))
	}
	for _, h := range p.Helpers() {
		out.WriteString(h + "\n")
	}
	out.WriteString("# cookies are kept between the commands, as in a run\nCOOKIES=${COOKIES:-$(mktemp)}\n")
	for _, l := range lines {
		out.WriteString(l + "\n")
	}
	return out.String()
}

// oneLine joins the lines of s.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CollectionDir is the folder of a collection file, which the paths it
// names are relative to; "" for a bundled collection.
func CollectionDir(file string) string {
	if file == "" {
		return ""
	}
	return filepath.Dir(file)
}
