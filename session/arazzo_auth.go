package session

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
)

// The extensions callsheet reads in an Arazzo document, for auth
// profiles (docs/format.md, "Arazzo"):
//
//	x-callsheet-auth: profiles.yaml   # top level: a collection file whose auth: mapping declares the profiles
//	workflows:
//	  - workflowId: …
//	    x-callsheet-auth: procore     # the profile of every step of the workflow
//	    steps:
//	      - stepId: …
//	        x-callsheet-auth: procore # the profile of this step's requests ("" for none)
//
// Without x-callsheet-auth on the step or its workflow, a step whose
// operation's OpenAPI security names a scheme that is also the name of a
// declared profile gets that profile. A step's request then carries the profile's token, refreshed after a 401
// invalid_token, as a collection step with auth: does. The profiles are
// rendered over the run's variables and the vars of the collection that
// declares them; its steps are not run.

// authKey is the extension's key.
const authKey = "x-callsheet-auth"

// extensions are the callsheet extensions of a document.
type extensions struct {
	// file is the collection that declares the profiles, and filePos
	// where the document names it.
	file    string
	filePos collections.Pos
	// workflows and steps name profiles by workflowId, and by workflowId
	// and stepId.
	workflows map[string]named
	steps     map[[2]string]named
}

// named is a profile name and where it is written.
type named struct {
	name string
	pos  collections.Pos
}

// extDoc is the part of a document the extensions are read from.
type extDoc struct {
	Auth      yaml.Node `yaml:"x-callsheet-auth"`
	Workflows []struct {
		ID    string    `yaml:"workflowId"`
		Auth  yaml.Node `yaml:"x-callsheet-auth"`
		Steps []struct {
			ID   string    `yaml:"stepId"`
			Auth yaml.Node `yaml:"x-callsheet-auth"`
		} `yaml:"steps"`
	} `yaml:"workflows"`
}

// readExtensions reads the extensions of the document file, whose source
// src parsed as an Arazzo document.
func readExtensions(file string, src []byte) (*extensions, error) {
	var d extDoc
	if err := yaml.Unmarshal(src, &d); err != nil {
		return nil, fmt.Errorf("load %s: %w", file, err)
	}
	ext := &extensions{workflows: map[string]named{}, steps: map[[2]string]named{}}
	var errs collections.ErrorList
	text := func(n *yaml.Node) (named, bool) {
		if n.Kind == 0 {
			return named{}, false
		}
		p := collections.Pos{File: file, Line: n.Line, Col: n.Column}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" && n.Tag != "!!null" {
			errs = append(errs, &collections.Error{Pos: p, Msg: authKey + " must be a string"})
			return named{}, false
		}
		return named{n.Value, p}, true
	}
	if n, ok := text(&d.Auth); ok {
		ext.file, ext.filePos = n.name, n.pos
	}
	for _, w := range d.Workflows {
		if n, ok := text(&w.Auth); ok {
			ext.workflows[w.ID] = n
		}
		for _, s := range w.Steps {
			if n, ok := text(&s.Auth); ok {
				ext.steps[[2]string{w.ID, s.ID}] = n
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return ext, nil
}

// profiles names the auth profile of each step of w that has one: the
// one its x-callsheet-auth names, else its workflow's, else the first
// profile of pc (the collection declaring the profiles, nil for none)
// named like a security scheme of the step's operation in d. An empty
// x-callsheet-auth gives none.
func (ext *extensions) profiles(w *arazzo.Workflow, d *arazzo.Description, pc *collections.Collection) map[*arazzo.Step]string {
	out := map[*arazzo.Step]string{}
	for _, s := range w.Steps {
		n, ok := ext.steps[[2]string{w.ID, s.ID}]
		if !ok {
			n, ok = ext.workflows[w.ID]
		}
		if !ok && pc != nil {
			n.name = securityProfile(d.Operation(s), pc)
		}
		if n.name != "" {
			out[s] = n.name
		}
	}
	return out
}

// securityProfile is the first profile of pc named like a security
// scheme of op, "" when none is.
func securityProfile(op *arazzo.Operation, pc *collections.Collection) string {
	if op == nil {
		return ""
	}
	for _, alt := range op.Security {
		for _, scheme := range alt {
			if pc.Profile(scheme) != nil {
				return scheme
			}
		}
	}
	return ""
}

// profiles loads the collection the document file names, relative to
// it, whose auth: mapping declares the profiles (nil when it names none),
// and checks that every profile a workflow or step names is one of them.
// defined are the variables defined outside.
func (ext *extensions) profileCollection(file string, bundled bool, defined []string) (*collections.Collection, error) {
	var c *collections.Collection
	if ext.file != "" {
		var err error
		if c, err = ext.load(file, bundled, defined); err != nil {
			return nil, err
		}
	}
	var errs collections.ErrorList
	check := func(n named) {
		if n.name == "" || c != nil && c.Profile(n.name) != nil {
			return
		}
		hint := ""
		if ext.file == "" {
			hint = "declare the profiles in a collection file and name it with " + authKey + " at the top of the document"
		}
		errs = append(errs, &collections.Error{Pos: n.pos, Len: len(n.name), Msg: fmt.Sprintf("no auth profile %q", n.name), Hint: hint})
	}
	for _, n := range ext.workflows {
		check(n)
	}
	for _, n := range ext.steps {
		check(n)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return c, nil
}

// load loads the collection that declares the profiles.
func (ext *extensions) load(file string, bundled bool, defined []string) (*collections.Collection, error) {
	opts := collections.Options{Defined: defined}
	if bundled {
		name := path.Join(path.Dir(bundledPath(file)), filepath.ToSlash(ext.file))
		if _, err := fs.Stat(collections.Bundled(), name); err != nil {
			return nil, fmt.Errorf("%s: %s %s: %w", ext.filePos, authKey, ext.file, err)
		}
		return collections.LoadFS(collections.Bundled(), name, opts)
	}
	p := ext.file
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(file), p)
	}
	return collections.Load(p, opts)
}

// profilesOf loads the collection that declares the auth profiles of the
// unit whose state key (StateKey) is key: the collection itself, or for a
// workflow of an Arazzo document (file#workflowId) the collection its
// x-callsheet-auth names. defined are the variables defined outside.
func profilesOf(key string, defined []string) (*collections.Collection, error) {
	opts := collections.Options{Defined: defined}
	i := strings.LastIndex(key, "#")
	if i < 0 || !IsArazzo(key[:i]) {
		return collections.Load(key, opts)
	}
	file := key[:i]
	_, statErr := os.Stat(file)
	bundled := statErr != nil && isBundledArazzo(file)
	src, err := readArazzo(file, bundled)
	if err != nil {
		return nil, err
	}
	ext, err := readExtensions(file, src)
	if err != nil {
		return nil, err
	}
	if ext.file == "" {
		return nil, fmt.Errorf("%s declares no auth profiles (%s)", file, authKey)
	}
	return ext.load(file, bundled, defined)
}
