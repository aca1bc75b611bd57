package convert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// CurlOptions configures ExportCurl.
type CurlOptions struct {
	// Vars override the collection's vars (--var, --env-file), and may hold
	// values captured by earlier steps.
	Vars map[string]any
	// Secrets names further secret variables.
	Secrets []string
	// LookupEnv reads env.NAME; an unset variable becomes a shell variable.
	LookupEnv func(string) (string, bool)
}

// CurlExporter prints the request steps of one collection as curl command
// lines. Secret values, values captured by earlier steps that it does not
// know, and variables it cannot evaluate are written as shell variables
// ($ACCESS_TOKEN): never a secret in clear.
type CurlExporter struct {
	coll    *collections.Collection
	scope   *collections.Scope
	secrets map[string]bool
	// literals are the known values of secrets, hidden wherever they
	// appear as written (see hideLiterals).
	literals []secretLiteral
	// Needed lists the shell variables the commands read, in order of first
	// use.
	Needed []string
}

// placeholder marks a shell variable inside rendered text; its characters
// survive URL, form and JSON encoding unchanged.
func placeholder(name string) string { return "~~callsheet~" + name + "~~" }

var placeholderRE = regexp.MustCompile(`~~callsheet~([A-Za-z0-9_]+)~~`)

// shellVar is the shell variable that stands for a callsheet variable.
func shellVar(name string) string { return strings.ToUpper(name) }

// NewCurlExporter evaluates the collection's variables for export.
func NewCurlExporter(c *collections.Collection, opts CurlOptions) *CurlExporter {
	lookup := func(name string) (string, bool) {
		if opts.LookupEnv != nil {
			if v, ok := opts.LookupEnv(name); ok {
				return v, true
			}
		}
		return placeholder(name), true
	}
	e := &CurlExporter{coll: c, scope: collections.NewScope(lookup), secrets: map[string]bool{}}
	if c.File != "" {
		e.scope.SetRuntime(collections.Runtime{Dir: filepath.Dir(c.File)})
	}
	for _, n := range c.SecretNames() {
		e.secrets[n] = true
	}
	for _, n := range opts.Secrets {
		e.secrets[n] = true
	}
	for name, v := range opts.Vars {
		if e.secrets[name] {
			e.addLiteral(name, v)
			v = placeholder(shellVar(name))
		}
		e.scope.Set(name, v)
	}
	for _, v := range c.Vars {
		if _, ok := opts.Vars[v.Name]; ok {
			continue
		}
		if e.secrets[v.Name] {
			if x, err := v.Value.RenderString(e.scope); err == nil && !placeholderRE.MatchString(x) {
				e.addLiteral(v.Name, x)
			}
			e.scope.Set(v.Name, placeholder(shellVar(v.Name)))
			continue
		}
		x, err := v.Value.Render(e.scope)
		if err != nil {
			x = placeholder(shellVar(v.Name))
		}
		e.scope.Set(v.Name, x)
	}
	// Captures not given are shell variables.
	for _, s := range c.Steps {
		for _, cp := range s.Captures {
			if !e.scope.Has(cp.Name) || e.secrets[cp.Name] || cp.Secret {
				if cp.Secret {
					e.secrets[cp.Name] = true
				}
				e.scope.Set(cp.Name, placeholder(shellVar(cp.Name)))
			}
		}
	}
	return e
}

// SetCapture records a value captured at run time, used by later commands
// instead of a shell variable. Secret captures stay shell variables.
func (e *CurlExporter) SetCapture(name string, value any, secret bool) {
	if secret || e.secrets[name] {
		return
	}
	e.scope.Set(name, value)
}

// Command returns the curl command line of a request step, or a comment
// line for an authorize step.
func (e *CurlExporter) Command(s *collections.Step) (string, error) {
	if s.Request == nil {
		u := ""
		if s.Authorize != nil {
			u, _ = s.Authorize.URL.Render(e.scope)
		}
		return e.finish("# " + s.Name + ": an authorize step has no curl equivalent; open " + u + " in a browser"), nil
	}
	req := s.Request
	raw, err := req.URL.Render(e.scope)
	if err != nil {
		return "", fmt.Errorf("step %q: url: %w", s.Name, err)
	}
	if len(req.Query) > 0 {
		q, err := e.form(req.Query)
		if err != nil {
			return "", fmt.Errorf("step %q: query: %w", s.Name, err)
		}
		if strings.Contains(raw, "?") {
			raw += "&" + q
		} else {
			raw += "?" + q
		}
	}
	args := []string{"curl"}
	switch {
	case req.Method == "HEAD":
		args = append(args, "--head")
	case req.Method != "GET" || req.Body != nil:
		args = append(args, "-X", req.Method)
	}
	if req.FollowRedirects == nil || *req.FollowRedirects {
		args = append(args, "-L")
	}
	args = append(args, e.quote(raw))
	var headers [][2]string
	set := map[string]bool{}
	for _, kv := range req.Headers {
		set[strings.ToLower(kv.Key)] = true
	}
	for _, list := range [][]*collections.KeyValue{e.defaultsFor(set), req.Headers} {
		for _, kv := range list {
			v, err := kv.Value.RenderString(e.scope)
			if err != nil {
				return "", fmt.Errorf("step %q: header %s: %w", s.Name, kv.Key, err)
			}
			headers = append(headers, [2]string{kv.Key, v})
		}
	}
	hasCT := slices.ContainsFunc(headers, func(h [2]string) bool { return strings.EqualFold(h[0], "Content-Type") })
	for i := range headers {
		headers[i][1] = hideCredential(headers[i][0], headers[i][1])
	}
	for _, h := range headers {
		if strings.EqualFold(h[0], "Authorization") && strings.HasPrefix(h[1], "Basic ") {
			if dec, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h[1], "Basic ")); err == nil && placeholderRE.Match(dec) {
				args = append(args, "-u", e.quote(string(dec)))
				continue
			}
		}
		if strings.EqualFold(h[0], "Content-Type") && req.Body != nil && req.Body.Kind == collections.BodyMultipart {
			continue
		}
		args = append(args, "-H", e.quote(h[0]+": "+h[1]))
	}
	if b := req.Body; b != nil {
		switch b.Kind {
		case collections.BodyJSON:
			x, err := b.JSON.Render(e.scope)
			if err != nil {
				return "", fmt.Errorf("step %q: json: %w", s.Name, err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(x); err != nil {
				return "", fmt.Errorf("step %q: json: %w", s.Name, err)
			}
			if !hasCT {
				args = append(args, "-H", e.quote("Content-Type: application/json"))
			}
			args = append(args, "--data-raw", e.quote(strings.TrimSuffix(buf.String(), "\n")))
		case collections.BodyForm:
			f, err := e.form(b.Fields)
			if err != nil {
				return "", fmt.Errorf("step %q: form: %w", s.Name, err)
			}
			args = append(args, "--data-raw", e.quote(f))
		case collections.BodyMultipart:
			for _, kv := range b.Fields {
				v, err := kv.Value.RenderString(e.scope)
				if err != nil {
					return "", fmt.Errorf("step %q: multipart %s: %w", s.Name, kv.Key, err)
				}
				args = append(args, "--form-string", e.quote(kv.Key+"="+v))
			}
			for _, f := range b.Files {
				p, err := f.Path.Render(e.scope)
				if err != nil {
					return "", fmt.Errorf("step %q: multipart %s: %w", s.Name, f.Field, err)
				}
				if !filepath.IsAbs(p) && e.coll.File != "" {
					p = filepath.Join(filepath.Dir(e.coll.File), p)
				}
				spec := f.Field + "=@" + p
				if f.Filename != nil {
					fn, _ := f.Filename.Render(e.scope)
					spec += ";filename=" + fn
				}
				if f.ContentType != nil {
					ct, _ := f.ContentType.Render(e.scope)
					spec += ";type=" + ct
				}
				args = append(args, "-F", e.quote(spec))
			}
		case collections.BodyRaw:
			data, ok := e.bodyFile(b.Raw)
			if ok {
				data = "@" + data
			} else if data, err = b.Raw.Render(e.scope); err != nil {
				return "", fmt.Errorf("step %q: body: %w", s.Name, err)
			}
			if !hasCT {
				args = append(args, "-H", e.quote("Content-Type: text/plain; charset=utf-8"))
			}
			args = append(args, "--data-binary", e.quote(data))
		}
	}
	if req.Timeout > 0 {
		args = append(args, "--max-time", fmt.Sprint(req.Timeout.Seconds()))
	}
	return flagComputed(strings.Join(args, " ")), nil
}

// defaultsFor returns the collection's default headers the step does not
// set itself.
func (e *CurlExporter) defaultsFor(set map[string]bool) []*collections.KeyValue {
	var out []*collections.KeyValue
	for _, kv := range e.coll.Defaults.Headers {
		if !set[strings.ToLower(kv.Key)] {
			out = append(out, kv)
		}
	}
	return out
}

// form encodes fields as the runner does.
func (e *CurlExporter) form(kvs []*collections.KeyValue) (string, error) {
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		v, err := kv.Value.RenderString(e.scope)
		if err != nil {
			return "", err
		}
		parts[i] = url.QueryEscape(kv.Key) + "=" + url.QueryEscape(v)
	}
	return strings.Join(parts, "&"), nil
}

// need records the shell variables s reads in Needed.
func (e *CurlExporter) need(s string) {
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(e.Needed, m[1]) {
			e.Needed = append(e.Needed, m[1])
		}
	}
}

// finish records the shell variables of a line and writes them as $NAME.
func (e *CurlExporter) finish(s string) string {
	e.need(s)
	return placeholderRE.ReplaceAllString(s, "$$$1")
}

// shellSafeRE matches words that need no quotes.
var shellSafeRE = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// quote writes one shell word: single quotes for plain text, double quotes
// when it reads shell variables.
func (e *CurlExporter) quote(s string) string {
	s = e.hideLiterals(s)
	e.need(s)
	if !placeholderRE.MatchString(s) {
		if shellSafeRE.MatchString(s) {
			return s
		}
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	last := 0
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	for _, loc := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(esc.Replace(s[last:loc[0]]))
		name := s[loc[2]:loc[3]]
		next := byte(0)
		if loc[1] < len(s) {
			next = s[loc[1]]
		}
		if next == '_' || next >= 'A' && next <= 'Z' || next >= 'a' && next <= 'z' || next >= '0' && next <= '9' {
			b.WriteString("${" + name + "}")
		} else {
			b.WriteString("$" + name)
		}
		last = loc[1]
	}
	b.WriteString(esc.Replace(s[last:]))
	b.WriteByte('"')
	return b.String()
}

// ExportCurl returns the curl commands of the collection's steps (all of
// them, or those named in only), preceded by a comment naming the shell
// variables to set.
func ExportCurl(c *collections.Collection, opts CurlOptions, only []string) (string, error) {
	e := NewCurlExporter(c, opts)
	var lines []string
	found := map[string]bool{}
	for _, s := range c.Steps {
		if len(only) > 0 && !slices.Contains(only, s.Name) {
			continue
		}
		found[s.Name] = true
		line, err := e.Command(s)
		if err != nil {
			return "", fmt.Errorf("export curl: %w", err)
		}
		lines = append(lines, "# "+s.Name, line)
	}
	for _, n := range only {
		if !found[n] {
			names := make([]string, len(c.Steps))
			for i, s := range c.Steps {
				names[i] = s.Name
			}
			hint := ""
			if sug := collections.Suggest(n, names); sug != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", sug)
			}
			return "", fmt.Errorf("export curl: no step named %q%s", n, hint)
		}
	}
	var out strings.Builder
	if len(e.Needed) > 0 {
		fmt.Fprintf(&out, "# set these shell variables first: %s\n", strings.Join(e.Needed, " "))
	}
	for _, l := range lines {
		out.WriteString(l + "\n")
	}
	return out.String(), nil
}
