package convert

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"github.com/callsheet/callsheet/openapi"
)

// ArazzoOptions tune ExportArazzo.
type ArazzoOptions struct {
	// Name is the base name of the files written: NAME.arazzo.yaml, and
	// NAME.openapi.yaml when the description is generated.
	Name string
	// OpenAPI, when set, is the description the document refers to
	// instead of a generated one; OpenAPIURL is its url as the document
	// writes it (relative to the document's folder).
	OpenAPI    *openapi.Description
	OpenAPIURL string
}

// ExportArazzo writes a collection as an Arazzo document with one
// workflow, and an OpenAPI description of the operations its steps call
// (or refers to opts.OpenAPI): vars become inputs (secrets with format
// password and no default), steps become steps calling operations by
// operationId, checks successCriteria, captures outputs that later steps
// read as $steps.<id>.outputs.<name>, auth profiles the steps that get a
// token, and an authorize step one that reads the code from the
// out-of-band page (which needs Arazzo 1.1; the document is 1.0.1
// otherwise). The variables that start URLs become source descriptions,
// one per variable, whose servers a runner overrides by that name. What
// Arazzo cannot express is listed in the notes and written as a comment
// above its step.
func ExportArazzo(c *collections.Collection, opts ArazzoOptions) (*Import, error) {
	if opts.Name == "" {
		opts.Name = azSlug(c.Name)
	}
	x := newAzExporter(c, opts)
	x.vars()
	for _, s := range c.Steps {
		x.step(s)
	}
	for _, s := range c.Finally {
		x.note(s.Name, "finally: steps are not exported: Arazzo has no steps that run after a failure")
	}
	doc, err := encode(x.document(), "")
	if err != nil {
		return nil, fmt.Errorf("export arazzo: %w", err)
	}
	out := &Import{Files: []File{{Name: opts.Name + ".arazzo.yaml", Data: doc}}, Notes: x.notes}
	if opts.OpenAPI == nil {
		desc, err := encode(x.ops.description(c, x.sources), "")
		if err != nil {
			return nil, fmt.Errorf("export arazzo: %w", err)
		}
		out.Files = append(out.Files, File{Name: opts.Name + ".openapi.yaml", Data: desc})
	}
	return out, nil
}

// azExporter holds the state of one export.
type azExporter struct {
	c     *collections.Collection
	opts  ArazzoOptions
	notes []Note
	// names says what each variable name reads at the current step.
	names map[string]azRef
	// inputs are the workflow's inputs, in the order they appear.
	inputs  []*azInput
	secrets map[string]bool
	// secretValues maps the literal values of secret vars to their
	// names: where a collection writes such a value as text, the export
	// reads the input instead, so the value is never written.
	secretValues map[string]string
	// bases are the variables that start URLs.
	bases   map[string]bool
	sources []*azSource
	ops     *azOperations
	steps   []*yaml.Node
	ids     map[string]bool
	outputs []string // workflow outputs: "name=expression"
	// minor is 1 when the document needs Arazzo 1.1.
	minor int
	// profiles maps an auth profile to the expression of its token once
	// the steps that get it are written.
	profiles map[string]string
	// stepNotes are the notes of the step being written, for its comment.
	stepNotes []string
}

func newAzExporter(c *collections.Collection, opts ArazzoOptions) *azExporter {
	x := &azExporter{
		c: c, opts: opts, names: map[string]azRef{}, secrets: map[string]bool{}, secretValues: map[string]string{}, bases: map[string]bool{},
		ops: &azOperations{byKey: map[string]*azOperation{}, ids: map[string]bool{}}, ids: map[string]bool{},
		profiles: map[string]string{},
	}
	for _, n := range c.SecretNames() {
		x.secrets[n] = true
	}
	return x
}

// note records something that was not exported, and keeps it for the
// comment of the step being written.
func (x *azExporter) note(step, text string) {
	if slices.Contains(x.notes, Note{Step: step, Text: text}) {
		return
	}
	x.notes = append(x.notes, Note{Step: step, Text: text})
	if step != "" {
		x.stepNotes = append(x.stepNotes, text)
	}
}

// azRef is what a variable name reads: an Arazzo expression ($inputs.x,
// $steps.s.outputs.x), or a var whose template is inlined where it is
// used.
type azRef struct {
	expr    string
	derived *collections.Template
	// input is the input expr reads, marked used when a step reads it.
	input *azInput
	// lost names the step whose capture of the name has no Arazzo form.
	lost string
}

// azInput is one property of the workflow's inputs schema.
type azInput struct {
	name, typ, description string
	// def is the default as a YAML node, nil for none.
	def    *yaml.Node
	secret bool
	// used is set when a step reads the input; only those are written.
	used bool
	// note says what the input lost, noted when it is used.
	note string
}

// azSource is a source description: the variable (or host) that starts
// the URLs of its steps, and the server URL it stands for.
type azSource struct {
	name, server string
}

// document assembles the Arazzo document.
func (x *azExporter) document() *yaml.Node {
	root := mapping()
	add(root, "arazzo", str([]string{"1.0.1", "1.1.0"}[x.minor]))
	info := mapping()
	add(info, "title", str(x.c.Name))
	if x.c.Description != "" {
		add(info, "description", str(x.c.Description))
	}
	add(info, "version", str("1.0.0"))
	add(root, "info", info)
	sources := sequence()
	for _, s := range x.sources {
		sd := mapping()
		add(sd, "name", str(s.name))
		add(sd, "url", str(x.descriptionURL()))
		add(sd, "type", str("openapi"))
		sources.Content = append(sources.Content, sd)
	}
	add(root, "sourceDescriptions", sources)
	add(root, "workflows", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{x.workflow()}})
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
}

// descriptionURL is where the document finds the OpenAPI description.
func (x *azExporter) descriptionURL() string {
	if x.opts.OpenAPI != nil {
		return x.opts.OpenAPIURL
	}
	return x.opts.Name + ".openapi.yaml"
}

// workflow assembles the one workflow.
func (x *azExporter) workflow() *yaml.Node {
	w := mapping()
	add(w, "workflowId", str(x.opts.Name))
	add(w, "summary", str(x.c.Name))
	if in := x.inputsSchema(); in != nil {
		add(w, "inputs", in)
	}
	add(w, "steps", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: x.steps})
	if len(x.outputs) > 0 {
		out := mapping()
		for _, o := range x.outputs {
			name, e, _ := strings.Cut(o, "=")
			add(out, name, str(e))
		}
		add(w, "outputs", out)
	}
	return w
}

// inputsSchema is the JSON Schema of the inputs, nil when there are none.
func (x *azExporter) inputsSchema() *yaml.Node {
	if !slices.ContainsFunc(x.inputs, func(in *azInput) bool { return in.used }) {
		return nil
	}
	schema, props, required := mapping(), mapping(), &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	add(schema, "type", str("object"))
	for _, in := range x.inputs {
		if !in.used {
			continue
		}
		p := mapping()
		if in.typ != "" {
			add(p, "type", str(in.typ))
		}
		if in.secret {
			add(p, "format", str("password"))
		}
		if in.description != "" {
			add(p, "description", str(in.description))
		}
		if in.def != nil {
			add(p, "default", in.def)
		} else {
			required.Content = append(required.Content, str(in.name))
		}
		add(props, in.name, p)
	}
	if len(required.Content) > 0 {
		add(schema, "required", required)
	}
	add(schema, "properties", props)
	return schema
}

// azSlugRE matches the characters a workflowId or stepId leaves out.
var azSlugRE = lazyregexp.New(`[^A-Za-z0-9_-]+`)

// azSlug makes an id of a name: runs of other characters become -.
func azSlug(name string) string {
	s := strings.Trim(azSlugRE.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "step"
	}
	return s
}

// stepID returns a stepId for a step name, unique in the workflow.
func (x *azExporter) stepID(name string) string {
	base := azSlug(name)
	id := base
	for i := 2; x.ids[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	x.ids[id] = true
	return id
}
