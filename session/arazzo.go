package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/messaging"
	"github.com/callsheet/callsheet/openapi"
	"github.com/callsheet/callsheet/runner"
)

// An Arazzo document (a file whose name ends in .arazzo.yaml, .arazzo.yml
// or .arazzo.json) loads as one unit per workflow, so that --shard,
// --jobs, --bail, --data, --iterations and the selection apply to
// workflows as they do to collections. Each unit has a collection of its
// own, made from the workflow (flowCollection): its name is the
// workflowId, its file the document, its steps the workflow's steps
// (names are stepIds, positions the steps'), its secrets the inputs with
// format: password. It gives the console, the reports and the recorder
// what they read of a collection; the arazzo package runs the workflow
// (flow.run), and every request goes out through the runner (runner.Exec).

// maxResolve bounds reading the source descriptions of a document.
const maxResolve = 30 * time.Second

// IsArazzo reports whether a file name is that of an Arazzo document.
func IsArazzo(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range []string{".arazzo.yaml", ".arazzo.yml", ".arazzo.json"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// isOpenAPIName reports whether a file name is that of an OpenAPI
// description, as Arazzo documents and `callsheet export arazzo` name
// them: openapi.yaml, NAME.openapi.yaml (or .yml). A folder's collections
// leave them out.
func isOpenAPIName(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range []string{".yaml", ".yml"} {
		if lower == "openapi"+ext || strings.HasSuffix(lower, ".openapi"+ext) {
			return true
		}
	}
	return false
}

// isBundledArazzo reports whether name is an Arazzo document bundled
// beside the bundled collections, such as procore/first-call.arazzo.yaml.
func isBundledArazzo(name string) bool {
	if !IsArazzo(name) {
		return false
	}
	info, err := fs.Stat(collections.Bundled(), bundledPath(name))
	return err == nil && !info.IsDir()
}

// bundledPath is name as a path in collections.Bundled.
func bundledPath(name string) string {
	return strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(name)), "/")
}

// flow is one workflow of an Arazzo document, as a unit runs it.
type flow struct {
	doc      *arazzo.Document
	workflow *arazzo.Workflow
	bundled  bool
	coll     *collections.Collection
	// profiles name, by step of the document, the auth profile of its
	// requests.
	profiles map[*arazzo.Step]string
	// ext and pc are the document's extensions and the collection that
	// declares its auth profiles (nil for none).
	ext *extensions
	pc  *collections.Collection
	// fetch reads the source descriptions at http(s) URLs; deferred is set
	// when Load left some unread (arazzo.Sources.Defer).
	fetch    *fetcher
	deferred bool
	// siblings are the flows of every workflow of the document, f too.
	siblings []*flow
}

// arazzoLoad says how documents load: for `callsheet run` (their sources
// at URLs left for Run to fetch) or `callsheet validate` (refused), with
// the variables that say where sources are.
type arazzoLoad struct {
	vars     map[string]any
	validate bool
	fetch    *fetcher
}

// loadArazzo reads, validates and resolves the Arazzo document file (from
// collections.Bundled when bundled) and returns a collection and a flow
// per workflow. defined are the variables defined outside, which the
// auth profiles may use. Errors are a collections.ErrorList when the
// document is at fault: every problem of its source descriptions and its
// extensions, or of its syntax.
func loadArazzo(file string, bundled bool, defined []string, lo *arazzoLoad) ([]*collections.Collection, []*flow, error) {
	src, err := readArazzo(file, bundled)
	if err != nil {
		return nil, nil, err
	}
	doc, err := arazzo.Parse(file, src)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), maxResolve)
	defer cancel()
	urls, _ := sourceVars(doc, lo.vars)
	in := sources(bundled, urls, nil, refuseFetch)
	in.Defer = !lo.validate
	d, resolveErr := arazzo.Resolve(ctx, doc, in)
	ext, extErr := readExtensions(file, src)
	var pc *collections.Collection
	if extErr == nil {
		pc, extErr = ext.profileCollection(file, bundled, defined)
	}
	if err := joinErrors(resolveErr, extErr); err != nil {
		return nil, nil, err
	}
	byStep := map[*arazzo.Step]string{} // the steps of every workflow, which others may call
	for _, w := range doc.Workflows {
		maps.Copy(byStep, ext.profiles(w, d, pc))
	}
	var (
		cols  []*collections.Collection
		flows []*flow
	)
	for _, w := range doc.Workflows {
		f := &flow{doc: doc, workflow: w, bundled: bundled, profiles: byStep, ext: ext, pc: pc, fetch: lo.fetch, deferred: d.Deferred()}
		f.coll = f.collection(src, pc)
		cols, flows = append(cols, f.coll), append(flows, f)
	}
	for _, f := range flows {
		f.siblings = flows
	}
	return cols, flows, nil
}

// joinErrors is one collections.ErrorList of the problems of a and b when
// both are lists, else the first that is not nil.
func joinErrors(a, b error) error {
	var la, lb collections.ErrorList
	if errors.As(a, &la) && errors.As(b, &lb) {
		return slices.Concat(la, lb).Err()
	}
	if a != nil {
		return a
	}
	return b
}

// readArazzo reads an Arazzo document from disk or, bundled, from
// collections.Bundled.
func readArazzo(file string, bundled bool) ([]byte, error) {
	if !bundled {
		info, err := os.Stat(file)
		if err == nil && info.Size() > arazzo.MaxFileSize {
			return nil, fmt.Errorf("load %s: file is larger than %d MiB", file, arazzo.MaxFileSize>>20)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", file, err)
		}
		return src, nil
	}
	src, err := fs.ReadFile(collections.Bundled(), bundledPath(file))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", file, err)
	}
	return src, nil
}

// sources says how to read the source descriptions of a document: local
// files with package openapi (a bundled document's from
// collections.Bundled), http(s) URLs with fetch; urls replace the url of
// the sources they name, servers the server of their operations.
func sources(bundled bool, urls, servers map[string]string, fetch func(context.Context, string) ([]byte, error)) arazzo.Sources {
	read := arazzo.ReadOpenAPI(fetch)
	if !bundled {
		return arazzo.Sources{OpenAPI: read, Fetch: fetch, URLs: urls, Servers: servers, Protocols: messaging.Protocols()}
	}
	wd, _ := os.Getwd()
	bundledRead := func(ctx context.Context, location string) (arazzo.API, error) {
		// A bundled document's relative urls resolve below the working
		// folder, where the bundled files are named.
		rel, err := filepath.Rel(wd, location)
		if err != nil || !fs.ValidPath(filepath.ToSlash(rel)) {
			return read(ctx, location)
		}
		name := filepath.ToSlash(rel)
		if _, err := fs.Stat(collections.Bundled(), name); err != nil {
			return read(ctx, location)
		}
		d, err := openapi.Load(ctx, collections.Bundled(), name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return arazzo.NewOpenAPI(d, location), nil
	}
	return arazzo.Sources{OpenAPI: bundledRead, Fetch: fetch, URLs: urls, Servers: servers, Protocols: messaging.Protocols()}
}

// collection is the collection of f's unit: named after the workflow,
// with a step per step of the workflow, and the auth profiles, vars and
// secrets of profiles, the collection x-callsheet-auth names (nil for
// none).
func (f *flow) collection(src []byte, profiles *collections.Collection) *collections.Collection {
	w := f.workflow
	c := &collections.Collection{Name: w.ID, Description: w.Summary, File: f.doc.File, Bundled: f.bundled, Source: src}
	if w.Inputs != nil {
		c.Secrets = slices.Clone(w.Inputs.Secret)
	}
	if profiles != nil {
		c.Auth, c.Vars, c.Secrets = profiles.Auth, profiles.Vars, append(c.Secrets, profiles.Secrets...)
	}
	for _, s := range w.Steps {
		c.Steps = append(c.Steps, &collections.Step{Pos: f.pos(s.Pos), Name: s.ID, Auth: f.profiles[s]})
	}
	return c
}

// pos is p marked bundled for a bundled document.
func (f *flow) pos(p arazzo.Pos) collections.Pos {
	p.Bundled = f.bundled
	return p
}

// run runs the workflow of f with r, its inputs taken from opts.Vars, and
// returns the unit's result.
func (f *flow) run(ctx context.Context, r *runner.Runner, opts runner.Options) *runner.Result {
	return r.Exec(ctx, f.coll, opts, func(ctx context.Context, x *runner.Exec) error {
		d, err := arazzo.Resolve(ctx, f.doc, f.sources(r.Client, opts.Vars))
		if err != nil {
			return err
		}
		hub := &messaging.Hub{Client: r.Client}
		defer hub.Close()
		a := &flowRun{f: f, x: x, hub: hub, sent: map[*arazzo.Request]sent{}, ran: map[string]bool{}, steps: map[*arazzo.Step]*collections.Step{}}
		for i, s := range f.workflow.Steps {
			a.steps[s] = f.coll.Steps[i]
		}
		f.secretDefaults(x, opts.Vars)
		engine := &arazzo.Engine{Sender: a, Messenger: a, OnStep: a.step, Sleep: opts.Sleep}
		res, err := engine.Run(ctx, d, f.workflow.ID, opts.Vars)
		a.notReached()
		if err != nil {
			return err // inputs that do not match the schema
		}
		return a.outcome(res)
	})
}

// run runs u with r: its workflow, or its collection.
func (u *Unit) run(ctx context.Context, r *runner.Runner, opts runner.Options) *runner.Result {
	if u.flow != nil {
		return u.flow.run(ctx, r, opts)
	}
	return r.Run(ctx, u.Collection, opts)
}

// shardKey is what --shard deals out for c: its file, or for a workflow of
// an Arazzo document the file and the workflowId (file#workflowId), so
// that the workflows of one document go to different shards.
func shardKey(c *collections.Collection) string {
	if IsArazzo(c.File) {
		return c.File + "#" + c.Name
	}
	return c.File
}

// flowSelection refuses to run part of a workflow: --only, --skip and
// --tag pick whole workflows of an Arazzo document, and --step and --from
// pick steps of collections. keep is what the selection keeps of c.
func (s *Session) flowSelection(c *collections.Collection, keep []bool) error {
	if s.flows[c] == nil {
		return nil
	}
	switch {
	case keep != nil:
		return inputError(fmt.Errorf("%s: --only and --skip pick whole workflows of an Arazzo document (workflow %q), not steps", c.File, c.Name))
	case len(s.opts.Select.Steps) > 0 || s.opts.Select.From != "":
		return inputError(fmt.Errorf("%s: --step and --from pick steps of collections, not of an Arazzo document's workflows", c.File))
	}
	return nil
}

// secretDefaults registers the defaults the inputs schema gives secret
// inputs (format: password) that vars leave out: the run masks the values
// vars give them, and these are sent as well.
func (f *flow) secretDefaults(x *runner.Exec, vars map[string]any) {
	in := f.workflow.Inputs
	if in == nil {
		return
	}
	schema, _ := in.Schema.(map[string]any)
	props, _ := schema["properties"].(map[string]any)
	for _, name := range in.Secret {
		prop, _ := props[name].(map[string]any)
		if v, ok := prop["default"]; ok && vars[name] == nil {
			x.Secret(name, v)
		}
	}
}
