package convert

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
)

// curlCommand is a parsed curl command line.
type curlCommand struct {
	method  string
	urls    []string
	headers [][2]string
	data    []curlData
	forms   []string
	json    []string
	user    string
	cookies []string
	get     bool
	head    bool
	// follow is set by -L: curl follows redirects only when asked.
	follow  bool
	timeout string
	notes   []string
	// dataFiles are the files of -d @FILE and --data-binary @FILE.
	dataFiles []string
}

// curlData is one -d style argument.
type curlData struct {
	text      string
	urlencode bool
}

// curlArgFlags take a value; curlNoArgFlags do not. Flags that change
// nothing in a step are accepted quietly.
var (
	curlArgFlags = map[string]string{
		"-X": "request", "--request": "request",
		"-H": "header", "--header": "header",
		"-d": "data", "--data": "data", "--data-ascii": "data", "--data-binary": "data-binary", "--data-raw": "data-raw",
		"--data-urlencode": "data-urlencode", "--json": "json",
		"-F": "form", "--form": "form", "--form-string": "form-string",
		"-u": "user", "--user": "user",
		"-b": "cookie", "--cookie": "cookie",
		"-A": "user-agent", "--user-agent": "user-agent",
		"-e": "referer", "--referer": "referer",
		"--url": "url",
		"-m":    "max-time", "--max-time": "max-time",
		// Accepted, no effect on the step.
		"-o": "", "--output": "", "-w": "", "--write-out": "", "--connect-timeout": "", "--retry": "",
		"-c": "", "--cookie-jar": "", "-D": "", "--dump-header": "", "--max-redirs": "",
		"--cacert": "note:trust the certificate with `callsheet run --cacert FILE`",
		"-E":       "note:client certificates are not supported", "--cert": "note:client certificates are not supported",
		"-x": "note:set the proxy with HTTPS_PROXY", "--proxy": "note:set the proxy with HTTPS_PROXY",
	}
	curlNoArgFlags = map[string]string{
		"-G": "get", "--get": "get", "-I": "head", "--head": "head",
		"-L": "follow", "--location": "follow",
		"-k":         "note:run with `callsheet run --insecure` to skip certificate checks",
		"--insecure": "note:run with `callsheet run --insecure` to skip certificate checks",
		// Accepted, no effect: callsheet decompresses by default and always
		// shows what it needs.
		"--compressed": "", "-s": "", "--silent": "", "-S": "", "--show-error": "",
		"-v": "", "--verbose": "", "-i": "", "--include": "", "-f": "", "--fail": "", "--fail-with-body": "",
		"-#": "", "--progress-bar": "", "-N": "", "--no-buffer": "", "--http1.1": "", "--http2": "",
		"-O": "", "--remote-name": "", "-g": "", "--globoff": "",
	}
)

// parseCurl parses the words of one command; the first must be curl.
func parseCurl(words []string) (*curlCommand, error) {
	args, err := curlArgs(words)
	if err != nil {
		return nil, err
	}
	c := &curlCommand{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			c.urls = append(c.urls, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			c.urls = append(c.urls, a)
			continue
		}
		name, value, hasValue, expanded := splitCurlFlag(a)
		if expanded != nil {
			args = append(args[:i], append(expanded, args[i+1:]...)...)
			i--
			continue
		}
		action, ok := curlArgFlags[name]
		if !ok {
			c.flag(name)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := c.apply(name, action, value); err != nil {
			return nil, err
		}
	}
	if len(c.urls) == 0 {
		return nil, errors.New("curl command has no URL")
	}
	return c, nil
}

// curlArgs are the arguments of the command words, after a prompt's $ and
// the word curl.
func curlArgs(words []string) ([]string, error) {
	if len(words) > 0 && words[0] == "$" {
		words = words[1:]
	}
	if len(words) == 0 || path.Base(words[0]) != "curl" {
		first := ""
		if len(words) > 0 {
			first = words[0]
		}
		return nil, fmt.Errorf("not a curl command: starts with %q", first)
	}
	return words[1:], nil
}

// splitCurlFlag reads the flag argument a: its name and the value written
// in it (--data=x, -XPOST), or, for several short flags written as one
// (-sSL, -sH 'x: y'), the arguments they stand for.
func splitCurlFlag(a string) (name, value string, hasValue bool, expanded []string) {
	if strings.HasPrefix(a, "--") {
		if n, v, ok := strings.Cut(a, "="); ok && curlArgFlags[n] != "" {
			return n, v, true, nil
		}
		return a, "", false, nil
	}
	if len(a) <= 2 || !isASCII(a) {
		return a, "", false, nil
	}
	flag := a[:2]
	if _, ok := curlArgFlags[flag]; ok {
		return flag, a[2:], true, nil
	}
	var rest []string
	for j, r := range a[1:] {
		f := "-" + string(r)
		rest = append(rest, f)
		if _, ok := curlArgFlags[f]; ok {
			if v := a[2+j:]; v != "" {
				rest = append(rest, v)
			}
			break
		}
	}
	return "", "", false, rest
}

// flag applies the flag name, which takes no value; an unknown one is
// noted as ignored.
func (c *curlCommand) flag(name string) {
	action, ok := curlNoArgFlags[name]
	if !ok {
		c.notes = append(c.notes, fmt.Sprintf("unknown curl flag %s ignored", name))
		return
	}
	switch {
	case action == "get":
		c.get = true
	case action == "head":
		c.head = true
	case action == "follow":
		c.follow = true
	case strings.HasPrefix(action, "note:"):
		c.notes = append(c.notes, fmt.Sprintf("curl %s: %s", name, strings.TrimPrefix(action, "note:")))
	}
}

func (c *curlCommand) apply(name, action, value string) error {
	switch {
	case action == "request":
		c.method = strings.ToUpper(value)
	case action == "header":
		k, v, ok := strings.Cut(value, ":")
		if !ok {
			c.notes = append(c.notes, fmt.Sprintf("curl %s %q: not a header, ignored", name, value))
			return nil
		}
		c.headers = append(c.headers, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	case action == "data", action == "data-binary":
		if strings.HasPrefix(value, "@") {
			c.dataFiles = append(c.dataFiles, value[1:])
			return nil
		}
		if action == "data" {
			value = strings.NewReplacer("\r", "", "\n", "").Replace(value)
		}
		c.data = append(c.data, curlData{text: value})
	case action == "data-raw":
		c.data = append(c.data, curlData{text: value})
	case action == "data-urlencode":
		if n, _, _ := strings.Cut(value, "="); strings.Contains(n, "@") {
			c.notes = append(c.notes, fmt.Sprintf("curl %s %s: a value read from a file is not supported; paste it", name, value))
			return nil
		}
		c.data = append(c.data, curlData{text: value, urlencode: true})
	case action == "json":
		c.json = append(c.json, value)
	case action == "form":
		c.forms = append(c.forms, value)
	case action == "form-string":
		c.forms = append(c.forms, "\x00"+value)
	case action == "user":
		c.user = value
	case action == "cookie":
		if !strings.Contains(value, "=") {
			c.notes = append(c.notes, fmt.Sprintf("curl %s %s: a cookie file is not supported", name, value))
			return nil
		}
		c.cookies = append(c.cookies, value)
	case action == "user-agent":
		c.headers = append(c.headers, [2]string{"User-Agent", value})
	case action == "referer":
		c.headers = append(c.headers, [2]string{"Referer", value})
	case action == "url":
		c.urls = append(c.urls, value)
	case action == "max-time":
		secs, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("%s %q: not a number of seconds", name, value)
		}
		c.timeout = strconv.FormatFloat(secs, 'f', -1, 64) + "s"
	case strings.HasPrefix(action, "note:"):
		c.notes = append(c.notes, fmt.Sprintf("curl %s: %s", name, strings.TrimPrefix(action, "note:")))
	}
	return nil
}

// ImportCurl converts shell text holding one or more curl commands (line
// continuations and quotes as a shell reads them) into one collection
// named name, one step per command. Unknown flags and anything else that
// cannot be expressed are kept as comments and listed in the notes.
func ImportCurl(name, text string) (*Import, error) {
	cmds, err := SplitCommands(text)
	if err != nil {
		return nil, fmt.Errorf("import curl: %w", err)
	}
	if len(cmds) == 0 {
		return nil, errors.New("import curl: no command found")
	}
	b := newBuilder(name)
	for i, words := range cmds {
		c, err := parseCurl(words)
		if err != nil {
			return nil, fmt.Errorf("import curl: command %d: %w", i+1, err)
		}
		r, err := b.curlStep(c)
		if err != nil {
			return nil, fmt.Errorf("import curl: command %d: %w", i+1, err)
		}
		b.addStep(r.node(), r.name, nil, c.notes)
	}
	data, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import curl: %w", err)
	}
	return &Import{Files: []File{{Name: fileName(name), Data: data}}, Notes: b.notes}, nil
}

// curlStep turns a parsed command into a request.
func (b *builder) curlStep(c *curlCommand) (*reqSpec, error) {
	if len(c.urls) > 1 {
		c.notes = append(c.notes, fmt.Sprintf("only the first of %d URLs is imported", len(c.urls)))
	}
	rawURL := c.urls[0]
	if !strings.Contains(rawURL, "://") && !strings.HasPrefix(rawURL, "{{") {
		rawURL = "http://" + rawURL
	}
	r := &reqSpec{method: "GET", timeout: c.timeout, noFollow: !c.follow}
	b.curlHeaders(r, c)
	rawURL, err := b.curlBody(r, c, rawURL)
	if err != nil {
		return nil, err
	}
	if c.head {
		r.method = "HEAD"
	}
	if c.method != "" {
		r.method = c.method
	}
	base, query := splitQuery(rawURL)
	r.url = base
	r.query = b.fields(query)
	r.name = b.uniqueName(stepName(r.method, base))
	if !collections.IsMethod(r.method) {
		return nil, fmt.Errorf("method %s: callsheet sends GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS", r.method)
	}
	return r, nil
}

// curlHeaders sets r's headers from c's -H, -b and -u.
func (b *builder) curlHeaders(r *reqSpec, c *curlCommand) {
	for _, h := range c.headers {
		v := h[1]
		if strings.EqualFold(h[0], "Authorization") {
			v = b.authHeader(v)
		}
		r.headers = append(r.headers, kv{h[0], str(v)})
	}
	if len(c.cookies) > 0 {
		r.headers = append(r.headers, kv{"Cookie", str(b.secretValue("cookie", strings.Join(c.cookies, "; ")))})
	}
	if c.user != "" {
		user, pass, _ := strings.Cut(c.user, ":")
		b.setVar("username", str(user), "")
		tmpl := b.secretValue("password", pass)
		if !strings.HasPrefix(tmpl, "{{") {
			tmpl = "{{ " + strconv.Quote(tmpl) + " }}"
		}
		r.headers = append(r.headers, kv{"Authorization", str(`Basic {{ toBase64(username + ":" + ` + strings.Trim(tmpl, "{} ") + `) }}`)})
	}
}

// curlBody sets r's body and method from c's -F, --json, -d and
// --data-binary, and returns rawURL with the data of -G in its query.
func (b *builder) curlBody(r *reqSpec, c *curlCommand, rawURL string) (string, error) {
	contentType, _ := r.header("Content-Type")
	switch {
	case len(c.forms) > 0:
		r.method = "POST"
		if err := b.curlForms(r, c); err != nil {
			return "", err
		}
		if strings.HasPrefix(strings.ToLower(contentType), "multipart/form-data") {
			r.dropHeader("Content-Type")
		}
	case len(c.json) > 0:
		r.method = "POST"
		curlJSON(r, c)
	case len(c.dataFiles) > 0:
		r.method = "POST"
		b.curlDataFile(r, c, contentType)
	case len(c.data) > 0 && c.get:
		sep := "?"
		if strings.Contains(rawURL, "?") {
			sep = "&"
		}
		rawURL += sep + c.joinedData()
	case len(c.data) > 0:
		r.method = "POST"
		b.curlData(r, c, contentType)
	}
	return rawURL, nil
}

// curlJSON sets r's body from c's --json: as JSON when it is exactly
// that, else as the text with its Content-Type, and accepts JSON.
func curlJSON(r *reqSpec, c *curlCommand) {
	text := strings.Join(c.json, "")
	if n, ok := exactJSON(text); ok {
		r.json = n
	} else {
		r.raw = &text
		r.headers = append(r.headers, kv{"Content-Type", str("application/json")})
	}
	if _, i := r.header("Accept"); i < 0 {
		r.headers = append(r.headers, kv{"Accept", str("application/json")})
	}
}

// encoded returns the data as curl sends it.
func (d curlData) encoded() string {
	if !d.urlencode {
		return d.text
	}
	if name, content, ok := strings.Cut(d.text, "="); ok {
		return name + "=" + url.QueryEscape(content)
	}
	return url.QueryEscape(strings.TrimPrefix(d.text, "="))
}

// joinedData is the -d style arguments joined with "&", as curl sends them.
func (c *curlCommand) joinedData() string {
	parts := make([]string, len(c.data))
	for i, d := range c.data {
		parts[i] = d.encoded()
	}
	return strings.Join(parts, "&")
}

// curlData sets the body of -d style arguments: JSON when the content type
// says so, form fields when the text is a form, else the text itself.
func (b *builder) curlData(r *reqSpec, c *curlCommand, contentType string) {
	text := c.joinedData()
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "json") {
		if n, ok := exactJSON(text); ok {
			r.json = n
			if ct == "application/json" {
				r.dropHeader("Content-Type")
			}
			return
		}
	}
	if ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		if fields, ok := formFields(text); ok {
			r.form = b.fields(fields)
			r.dropHeader("Content-Type")
			return
		}
	}
	r.raw = &text
	if contentType == "" {
		r.headers = append(r.headers, kv{"Content-Type", str("application/x-www-form-urlencoded")})
	}
}

// curlForms turns -F arguments into multipart fields and files.
func (b *builder) curlForms(r *reqSpec, c *curlCommand) error {
	for _, f := range c.forms {
		literal := strings.HasPrefix(f, "\x00")
		f = strings.TrimPrefix(f, "\x00")
		name, value, ok := strings.Cut(f, "=")
		if !ok {
			return fmt.Errorf("-F %q: want NAME=VALUE", f)
		}
		switch {
		case !literal && strings.HasPrefix(value, "@"):
			if strings.TrimSpace(strings.Split(value[1:], ";")[0]) == "" {
				return fmt.Errorf("-F %q: no file name after @", f)
			}
			r.parts = append(r.parts, curlFilePart(name, value[1:]))
		case !literal && strings.HasPrefix(value, "<"):
			c.notes = append(c.notes, fmt.Sprintf("curl -F %s: a field read from a file is not supported; paste its text", f))
		default:
			part := partSpec{field: name}
			if !literal {
				if v, params, ok := strings.Cut(value, ";type="); ok {
					value, part.contentType = v, params
				}
			}
			part.value = b.field(name, value).value
			r.parts = append(r.parts, part)
		}
	}
	return nil
}

// curlFilePart is the part of -F name=@spec: the file, with the file name
// and type spec gives. A type curl would guess otherwise than callsheet is
// written out, so the part is sent as curl sent it.
func curlFilePart(name, spec string) partSpec {
	params := strings.Split(spec, ";")
	part := partSpec{field: name, path: params[0]}
	for _, p := range params[1:] {
		k, v, _ := strings.Cut(p, "=")
		switch strings.TrimSpace(k) {
		case "type":
			part.contentType = v
		case "filename":
			part.filename = strings.Trim(v, `"`)
		}
	}
	if guess := curlFileType(part.path); part.contentType == "" && guess != exchange.FileContentType(part.path) {
		part.contentType = guess
	}
	return part
}

// curlTypes are the content types curl gives a -F file by extension; any
// other file is application/octet-stream.
var curlTypes = map[string]string{
	".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
	".svg": "image/svg+xml", ".txt": "text/plain", ".htm": "text/html", ".html": "text/html",
	".pdf": "application/pdf", ".xml": "application/xml",
}

// curlFileType is the content type curl gives the file name.
func curlFileType(name string) string {
	if ct, ok := curlTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// stepName names a step after its method and the last segments of its URL
// path: "POST /oauth/token".
func stepName(method, rawURL string) string {
	p := rawURL
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		p = u.EscapedPath()
	} else if i := strings.Index(rawURL, "://"); i >= 0 {
		rest := rawURL[i+3:]
		if j := strings.Index(rest, "/"); j >= 0 {
			p = rest[j:]
		} else {
			p = "/"
		}
	} else if _, after, ok := strings.Cut(rawURL, "}}"); ok {
		p = after
	}
	if p == "" {
		p = "/"
	}
	return method + " " + p
}

// isASCII reports whether s holds only ASCII characters, which short
// flags are made of.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
