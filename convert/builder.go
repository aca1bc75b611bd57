package convert

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/safetext"
)

// builder assembles an imported collection: variables in order, secrets,
// steps with their untranslated leftovers as comments, and the notes that
// list those leftovers.
type builder struct {
	name        string
	description string
	vars        []*varDef
	secrets     []string
	steps       []*yaml.Node
	stepNames   map[string]int
	notes       []Note
	// captured holds the names captured by the steps added so far.
	captured map[string]bool
	// pending are names used by the current step.
	pending []string
	// undeclared are names used before any definition, in order.
	undeclared []string
	// oauthTokens maps an OAuth 2.0 grant to the capture of its token.
	oauthTokens map[string]string
	// auth holds the collection's auth profiles, or is nil.
	auth *yaml.Node
	// renames maps the variables a folder scopes to the names its steps
	// read (Postman importer).
	renames map[string]string
	// scripts counts the script statements seen and translated.
	scripts ScriptCount
	// counted holds the Postman scripts already counted in scripts.
	counted map[*pmEvent]bool
}

// varDef is one collection variable.
type varDef struct {
	name    string
	value   *yaml.Node
	comment string
}

func newBuilder(name string) *builder {
	return &builder{name: name, stepNames: map[string]int{}, captured: map[string]bool{}, counted: map[*pmEvent]bool{}}
}

// varName turns any text into a variable name: invalid characters become
// underscores and a leading digit gets an underscore.
func varName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	if out == "env" {
		out = "env_"
	}
	return out
}

// hasVar reports whether the collection declares name.
func (b *builder) hasVar(name string) bool { return b.varValue(name) != nil }

// setVar declares name with value, or replaces the value of an earlier
// declaration (noting when a different value is replaced).
func (b *builder) setVar(name string, value *yaml.Node, comment string) {
	if old := b.varValue(name); old != nil {
		if old.Value != value.Value {
			b.note("", fmt.Sprintf("variable %q is defined twice (%q, then %q); the first value is kept", name, old.Value, value.Value))
		}
		return
	}
	b.vars = append(b.vars, &varDef{name: name, value: value, comment: comment})
}

// secret marks name as masked.
func (b *builder) secret(name string) {
	if !slices.Contains(b.secrets, name) {
		b.secrets = append(b.secrets, name)
	}
}

// use records that the step being built reads name.
func (b *builder) use(name string) { b.pending = append(b.pending, name) }

// note records something not translated.
func (b *builder) note(step, text string) {
	b.notes = append(b.notes, Note{Step: safetext.Line(step), Text: safetext.Line(text)})
}

// uniqueName returns name, or name (2), name (3)… when it is taken.
func (b *builder) uniqueName(name string) string {
	if name == "" {
		name = "request"
	}
	b.stepNames[name]++
	if n := b.stepNames[name]; n > 1 {
		return b.uniqueName(fmt.Sprintf("%s (%d)", name, n))
	}
	return name
}

// addStep appends a step whose captures are captures. Names the step read
// that are neither variables nor earlier captures are declared as empty
// variables, to be set with --var or --env-file. Leftovers become comments
// above the step and notes.
func (b *builder) addStep(step *yaml.Node, stepName string, captures []string, leftovers []string) {
	for _, n := range b.pending {
		if !b.captured[n] && !b.hasVar(n) && !slices.Contains(b.undeclared, n) {
			b.undeclared = append(b.undeclared, n)
		}
	}
	b.pending = nil
	for _, c := range captures {
		b.captured[c] = true
	}
	if len(leftovers) > 0 {
		lines := []string{"not translated:"}
		for _, l := range leftovers {
			l = safetext.Line(l)
			lines = append(lines, "  "+l)
			b.note(stepName, l)
		}
		step.HeadComment = strings.Join(lines, "\n")
	}
	b.steps = append(b.steps, step)
}

// build renders the collection as YAML, starting with the schema comment.
func (b *builder) build(header string) ([]byte, error) {
	root := mapping()
	add(root, "name", str(b.name))
	if b.description != "" {
		add(root, "description", str(b.description))
	}
	var first []*varDef
	for _, n := range b.undeclared { // each name once
		if !b.hasVar(n) {
			first = append(first, &varDef{name: n, value: str(""), comment: "set with --var " + n + "=… or --env-file"})
		}
	}
	b.vars = append(first, b.vars...)
	b.secrets = slices.DeleteFunc(b.secrets, func(s string) bool { return !b.hasVar(s) && !b.captured[s] })
	if len(b.vars) > 0 {
		vars := mapping()
		for _, v := range b.vars {
			k := add(vars, v.name, v.value)
			k.LineComment = v.comment
		}
		add(root, "vars", vars)
	}
	if len(b.secrets) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, s := range b.secrets {
			seq.Content = append(seq.Content, str(s))
		}
		add(root, "secrets", seq)
	}
	if b.auth != nil && len(b.auth.Content) > 0 {
		add(root, "auth", b.auth)
	}
	steps := sequence()
	steps.Content = b.steps
	add(root, "steps", steps)
	canonicalize(root)
	out, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, header)
	if err != nil {
		return nil, err
	}
	return append([]byte(SchemaComment), spaceSections(out)...), nil
}

// fileName turns a collection name into a file name: lower case words
// joined by dashes, with .yaml.
func fileName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "collection"
	}
	return s + ".yaml"
}
