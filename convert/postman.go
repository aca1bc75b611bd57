package convert

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// Postman collection v2.0/v2.1 and environment documents, as far as the
// importer reads them.
type (
	pmCollection struct {
		Info struct {
			Name        string          `json:"name"`
			Description json.RawMessage `json:"description"`
			Schema      string          `json:"schema"`
		} `json:"info"`
		Item     []*pmItem    `json:"item"`
		Variable []pmVariable `json:"variable"`
		Auth     *pmAuth      `json:"auth"`
		Event    []pmEvent    `json:"event"`
	}
	pmItem struct {
		Name     string       `json:"name"`
		Item     []*pmItem    `json:"item"`
		Request  *pmRequest   `json:"request"`
		Variable []pmVariable `json:"variable"`
		Auth     *pmAuth      `json:"auth"`
		Event    []pmEvent    `json:"event"`
	}
	pmVariable struct {
		Key      string `json:"key"`
		ID       string `json:"id"`
		Value    any    `json:"value"`
		Type     string `json:"type"`
		Disabled bool   `json:"disabled"`
		Enabled  *bool  `json:"enabled"`
	}
	pmAuth struct {
		Type   string `json:"type"`
		Params map[string]json.RawMessage
	}
	pmEvent struct {
		Listen string `json:"listen"`
		Script struct {
			Exec json.RawMessage `json:"exec"`
		} `json:"script"`
	}
	pmRequest struct {
		Method string          `json:"method"`
		URL    json.RawMessage `json:"url"`
		Header []pmKV          `json:"header"`
		Body   *pmBody         `json:"body"`
		Auth   *pmAuth         `json:"auth"`
	}
	pmKV struct {
		Key      string          `json:"key"`
		Value    string          `json:"value"`
		Disabled bool            `json:"disabled"`
		Type     string          `json:"type"`
		Src      json.RawMessage `json:"src"`
		// ContentType is a form-data part's own content type.
		ContentType string `json:"contentType"`
	}
	pmBody struct {
		Mode       string `json:"mode"`
		Raw        string `json:"raw"`
		URLEncoded []pmKV `json:"urlencoded"`
		FormData   []pmKV `json:"formdata"`
		GraphQL    *struct {
			Query     string `json:"query"`
			Variables string `json:"variables"`
		} `json:"graphql"`
		File *struct {
			Src string `json:"src"`
		} `json:"file"`
		Options struct {
			Raw struct {
				Language string `json:"language"`
			} `json:"raw"`
		} `json:"options"`
		Disabled bool `json:"disabled"`
	}
	pmURL struct {
		Raw      string       `json:"raw"`
		Query    []pmKV       `json:"query"`
		Variable []pmVariable `json:"variable"`
	}
)

// UnmarshalJSON reads an auth block in v2.1 form (a list of key/value
// objects per type) or v2.0 form (an object per type).
func (a *pmAuth) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw["type"], &a.Type); err != nil {
		return fmt.Errorf("auth type: %w", err)
	}
	a.Params = map[string]json.RawMessage{}
	block := raw[a.Type]
	var list []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(block, &list) == nil {
		for _, p := range list {
			a.Params[p.Key] = p.Value
		}
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(block, &obj) == nil {
		a.Params = obj
	}
	return nil
}

// param returns an auth parameter as text.
func (a *pmAuth) param(key string) string {
	raw, ok := a.Params[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}

// pmVarRE matches a Postman variable reference.
var pmVarRE = lazyregexp.New(`\{\{\s*([^{}]+?)\s*\}\}`)

// pmDynamic maps Postman's dynamic variables to expressions.
var pmDynamic = map[string]string{
	"$timestamp":    "now().Unix()",
	"$isoTimestamp": `now().UTC().Format("2006-01-02T15:04:05.000Z")`,
}

// template converts Postman's {{name}} references to callsheet templates,
// recording the names read.
func (b *builder) template(s, step string) string {
	return pmVarRE.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-2])
		if e, ok := pmDynamic[name]; ok {
			return "{{ " + e + " }}"
		}
		v := varName(name)
		if v != name {
			b.note(step, fmt.Sprintf("variable {{%s}} is renamed %s", name, v))
		}
		b.use(v)
		return "{{ " + v + " }}"
	})
}

// ImportPostman converts a Postman collection (v2.0 or v2.1 JSON) and,
// when env is not nil, a Postman environment into a collection. Folders
// become step-name prefixes ("Folder / Request") in one collection, so that
// values captured in one folder reach the next as in Postman's runner;
// folder variables join the collection's vars. The environment becomes a
// dotenv file for --env-file.
func ImportPostman(data, env []byte) (*Import, error) {
	var pc pmCollection
	if err := json.Unmarshal(data, &pc); err != nil {
		return nil, fmt.Errorf("import postman: %w", err)
	}
	if pc.Info.Name == "" && len(pc.Item) == 0 {
		return nil, fmt.Errorf("import postman: not a Postman collection (no info.name, no item)")
	}
	b := newBuilder(pc.Info.Name)
	var desc string
	if json.Unmarshal(pc.Info.Description, &desc) == nil {
		b.description = desc
	}
	out := &Import{}
	if env != nil {
		// The environment's names are declared as empty vars where the
		// steps use them; the env file sets them.
		file, err := b.postmanEnv(env, pc.Info.Name)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, file)
	}
	b.pmVars(pc.Variable, "")
	var leftovers []string
	for _, e := range pc.Event {
		leftovers = append(leftovers, scriptLines(e)...)
	}
	for _, l := range leftovers {
		b.note("", "collection script: "+l)
	}
	for _, it := range pc.Item {
		b.pmItem(it, "", pc.Auth)
	}
	header := ""
	if len(leftovers) > 0 {
		header = "collection scripts not translated:\n  " + strings.Join(leftovers, "\n  ")
	}
	yml, err := b.build(header)
	if err != nil {
		return nil, fmt.Errorf("import postman: %w", err)
	}
	out.Files = append([]File{{Name: fileName(pc.Info.Name), Data: yml}}, out.Files...)
	out.Notes = b.notes
	return out, nil
}

// pmVars adds Postman variables to the collection's vars.
func (b *builder) pmVars(vars []pmVariable, step string) {
	for _, v := range vars {
		key := v.Key
		if key == "" {
			key = v.ID
		}
		if key == "" || v.Disabled {
			continue
		}
		name := varName(key)
		var node *yaml.Node
		if s, ok := v.Value.(string); ok {
			node = str(b.template(s, step))
			for _, n := range b.pending {
				if !b.hasVar(n) && !slices.Contains(b.undeclared, n) {
					b.undeclared = append(b.undeclared, n)
				}
			}
			b.pending = nil
		} else {
			node = scalar(v.Value)
		}
		b.setVar(name, node, "")
		if v.Type == "secret" || secretFieldRE.MatchString(name) {
			b.secret(name)
		}
	}
}

// postmanEnv converts a Postman environment to a dotenv file.
func (b *builder) postmanEnv(data []byte, name string) (File, error) {
	var env struct {
		Name   string       `json:"name"`
		Values []pmVariable `json:"values"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return File{}, fmt.Errorf("import postman environment: %w", err)
	}
	var buf strings.Builder
	fmt.Fprintf(&buf, "# Postman environment %q: pass with --env-file; keep this file out of version control.\n", env.Name)
	for _, v := range env.Values {
		if v.Enabled != nil && !*v.Enabled || v.Key == "" {
			continue
		}
		n := varName(v.Key)
		val := fmt.Sprint(v.Value)
		if v.Value == nil {
			val = ""
		}
		fmt.Fprintf(&buf, "%s=%s\n", n, dotenvQuote(val))
		if v.Type == "secret" || secretFieldRE.MatchString(n) {
			b.secret(n)
		}
	}
	envName := env.Name
	if envName == "" {
		envName = name
	}
	return File{Name: strings.TrimSuffix(fileName(envName), ".yaml") + ".env", Data: []byte(buf.String())}, nil
}

// dotenvQuote quotes a value for a dotenv file when it needs it.
func dotenvQuote(s string) string {
	if s == "" || strings.ContainsAny(s, " \t#\"'\\$\n=") {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "$", `\$`).Replace(s) + `"`
	}
	return s
}

// pmItem adds a request, or the requests of a folder, with the auth they
// inherit.
func (b *builder) pmItem(it *pmItem, prefix string, auth *pmAuth) {
	if it.Auth != nil {
		auth = it.Auth
	}
	if it.Request == nil {
		b.pmVars(it.Variable, "")
		p := prefix + it.Name + " / "
		var folderScripts []string
		for _, e := range it.Event {
			folderScripts = append(folderScripts, scriptLines(e)...)
		}
		for _, l := range folderScripts {
			b.note("", fmt.Sprintf("folder %q script: %s", it.Name, l))
		}
		for _, child := range it.Item {
			b.pmItem(child, p, auth)
		}
		return
	}
	if it.Request.Auth != nil {
		auth = it.Request.Auth
	}
	b.pmRequest(it, prefix+it.Name, auth)
}

// pmRequest converts one request with its test scripts.
func (b *builder) pmRequest(it *pmItem, name string, auth *pmAuth) {
	name = b.uniqueName(name)
	pr := it.Request
	r := &reqSpec{name: name, method: strings.ToUpper(pr.Method)}
	if r.method == "" {
		r.method = "GET"
	}
	var leftovers []string
	if !collections.IsMethod(r.method) {
		leftovers = append(leftovers, fmt.Sprintf("method %s is not supported; sent as GET", r.method))
		r.method = "GET"
	}
	var u pmURL
	if err := json.Unmarshal(pr.URL, &u.Raw); err != nil {
		_ = json.Unmarshal(pr.URL, &u)
	}
	rawURL := u.Raw
	for _, pv := range u.Variable {
		if pv.Key != "" {
			rawURL = strings.ReplaceAll(rawURL, "/:"+pv.Key, "/"+fmt.Sprint(pv.Value))
		}
	}
	base, _, _ := strings.Cut(rawURL, "?")
	r.url = b.template(base, name)
	if len(u.Query) > 0 {
		for _, q := range u.Query {
			if q.Disabled {
				continue
			}
			r.query = append(r.query, kv{q.Key, str(b.template(q.Value, name))})
		}
	} else if _, q, ok := strings.Cut(rawURL, "?"); ok {
		if fields, ok := formFields(q); ok {
			for _, f := range fields {
				r.query = append(r.query, kv{f[0], str(b.template(f[1], name))})
			}
		} else {
			r.url = b.template(rawURL, name)
		}
	}
	for _, h := range pr.Header {
		if h.Disabled {
			continue
		}
		v := b.template(h.Value, name)
		if strings.EqualFold(h.Key, "Authorization") {
			v = b.authHeader(v)
		}
		r.headers = append(r.headers, kv{h.Key, str(v)})
	}
	leftovers = append(leftovers, b.pmAuth(r, auth, name)...)
	leftovers = append(leftovers, b.pmBody(r, pr.Body, name)...)

	r.expect, r.capture = mapping(), mapping()
	var captures []string
	for _, e := range it.Event {
		if e.Listen == "test" {
			left, caps := b.pmTests(r, e, name)
			leftovers = append(leftovers, left...)
			captures = append(captures, caps...)
		} else {
			for _, l := range scriptLines(e) {
				leftovers = append(leftovers, e.Listen+": "+l)
			}
		}
	}
	b.addStep(r.node(), name, captures, leftovers)
}

// pmAuth turns an auth block into headers or query parameters, adding the
// token steps an OAuth 2.0 grant needs.
func (b *builder) pmAuth(r *reqSpec, auth *pmAuth, step string) []string {
	if auth == nil {
		return nil
	}
	p := func(k string) string { return b.template(auth.param(k), step) }
	switch auth.Type {
	case "noauth", "":
	case "bearer":
		r.headers = append(r.headers, kv{"Authorization", str("Bearer " + b.secretValue("token", p("token")))})
	case "basic":
		user, pass := p("username"), b.secretValue("password", p("password"))
		userExpr := strings.Trim(user, "{} ")
		if !strings.HasPrefix(user, "{{") {
			userExpr = fmt.Sprintf("%q", user)
		}
		passExpr := strings.Trim(pass, "{} ")
		if !strings.HasPrefix(pass, "{{") {
			passExpr = fmt.Sprintf("%q", pass)
		}
		r.headers = append(r.headers, kv{"Authorization", str(fmt.Sprintf(`Basic {{ toBase64(%s + ":" + %s) }}`, userExpr, passExpr))})
	case "apikey":
		key, value := p("key"), b.secretValue("api_key", p("value"))
		if auth.param("in") == "query" {
			r.query = append(r.query, kv{key, str(value)})
		} else {
			r.headers = append(r.headers, kv{key, str(value)})
		}
	case "oauth2":
		token := b.oauth2(auth, step)
		prefix := auth.param("headerPrefix")
		if prefix == "" {
			prefix = "Bearer"
		}
		if auth.param("addTokenTo") == "queryParams" {
			r.query = append(r.query, kv{"access_token", str(token)})
		} else {
			r.headers = append(r.headers, kv{"Authorization", str(prefix + " " + token)})
		}
	default:
		return []string{fmt.Sprintf("auth type %s is not supported; add its header by hand", auth.Type)}
	}
	return nil
}

// oauth2 returns the template of the access token of an OAuth 2.0 auth
// block. The first time a grant is seen, it adds the steps that obtain the
// token (an authorize step and a token request for the authorization code
// grant, a token request for the others), capturing access_token.
func (b *builder) oauth2(auth *pmAuth, step string) string {
	if tok := auth.param("accessToken"); tok != "" && auth.param("accessTokenUrl") == "" {
		return b.secretValue("access_token", b.template(tok, step))
	}
	key := auth.param("grant_type") + " " + auth.param("accessTokenUrl") + " " + auth.param("clientId")
	if b.oauthTokens == nil {
		b.oauthTokens = map[string]string{}
	}
	if name, ok := b.oauthTokens[key]; ok {
		return "{{ " + name + " }}"
	}
	tokenVar := "oauth_access_token"
	if n := len(b.oauthTokens); n > 0 {
		tokenVar = fmt.Sprintf("oauth_access_token_%d", n+1)
	}
	b.oauthTokens[key] = tokenVar
	p := func(k string) string { return b.template(auth.param(k), "oauth2") }
	grant := auth.param("grant_type")
	if grant == "" {
		grant = "authorization_code"
	}
	b.setVar("oauth_client_id", str(p("clientId")), "")
	b.setVar("oauth_client_secret", str(p("clientSecret")), "")
	b.secret("oauth_client_secret")
	b.secret(tokenVar)
	tokenURL := p("accessTokenUrl")
	form := []kv{{"grant_type", str(grant)}}
	switch grant {
	case "authorization_code", "authorization_code_with_pkce":
		redirect := p("redirect_uri")
		if redirect == "" {
			redirect = "urn:ietf:wg:oauth:2.0:oob"
		}
		b.setVar("oauth_redirect_uri", str(redirect), "")
		am := mapping()
		add(am, "name", str(b.uniqueName("oauth2 authorize")))
		az := mapping()
		add(az, "url", str(p("authUrl")))
		add(az, "client_id", str("{{ oauth_client_id }}"))
		add(az, "redirect_uri", str("{{ oauth_redirect_uri }}"))
		if s := p("scope"); s != "" {
			add(az, "scope", str(s))
		}
		if grant == "authorization_code_with_pkce" {
			add(az, "pkce", scalar(true))
		}
		add(am, "authorize", az)
		capt := mapping()
		add(capt, "oauth_code", str("code"))
		if grant == "authorization_code_with_pkce" {
			add(capt, "oauth_verifier", str("code_verifier"))
		}
		add(am, "capture", capt)
		b.addStep(am, "oauth2 authorize", []string{"oauth_code", "oauth_verifier"}, nil)
		form[0] = kv{"grant_type", str("authorization_code")}
		form = append(form, kv{"code", str("{{ oauth_code }}")}, kv{"redirect_uri", str("{{ oauth_redirect_uri }}")})
		if grant == "authorization_code_with_pkce" {
			form = append(form, kv{"code_verifier", str("{{ oauth_verifier }}")})
		}
	case "client_credentials":
		if s := p("scope"); s != "" {
			form = append(form, kv{"scope", str(s)})
		}
	case "password_credentials":
		b.setVar("oauth_username", str(p("username")), "")
		b.setVar("oauth_password", str(p("password")), "")
		b.secret("oauth_password")
		form[0] = kv{"grant_type", str("password")}
		form = append(form, kv{"username", str("{{ oauth_username }}")}, kv{"password", str("{{ oauth_password }}")})
	default:
		b.note(step, fmt.Sprintf("OAuth 2.0 grant %s is not supported; set access_token with --var", grant))
		b.setVar("access_token", str(""), "set with --var access_token=…")
		return "{{ access_token }}"
	}
	form = append(form, kv{"client_id", str("{{ oauth_client_id }}")}, kv{"client_secret", str("{{ oauth_client_secret }}")})
	tr := &reqSpec{name: b.uniqueName("oauth2 token"), method: "POST", url: tokenURL, form: form}
	tr.expect = mapping()
	add(tr.expect, "status", scalar(int64(200)))
	tr.capture = mapping()
	c := flowMapping()
	add(c, "json", str("access_token"))
	add(c, "secret", scalar(true))
	add(tr.capture, tokenVar, c)
	b.addStep(tr.node(), tr.name, []string{tokenVar}, nil)
	return "{{ " + tokenVar + " }}"
}

// pmBody sets the body of a request for each Postman body mode.
func (b *builder) pmBody(r *reqSpec, body *pmBody, step string) []string {
	if body == nil || body.Disabled || body.Mode == "" {
		return nil
	}
	var left []string
	kvs := func(list []pmKV) []kv {
		var out []kv
		for _, f := range list {
			if f.Disabled {
				continue
			}
			out = append(out, b.field(f.Key, b.template(f.Value, step)))
		}
		return out
	}
	contentType, _ := r.header("Content-Type")
	switch body.Mode {
	case "raw":
		text := b.template(body.Raw, step)
		isJSON := body.Options.Raw.Language == "json" || strings.Contains(strings.ToLower(contentType), "json") || (contentType == "" && strings.HasPrefix(strings.TrimSpace(text), "{"))
		if isJSON && quoteBareTemplates(text) == text {
			if n, ok := exactJSON(text); ok {
				r.json = n
				if strings.EqualFold(contentType, "application/json") {
					r.dropHeader("Content-Type")
				}
				return nil
			}
		}
		r.raw = &text
	case "urlencoded":
		r.form = kvs(body.URLEncoded)
		r.dropHeader("Content-Type")
	case "formdata":
		for _, f := range body.FormData {
			if f.Disabled {
				continue
			}
			if f.Type == "file" {
				var src string
				var srcs []string
				if json.Unmarshal(f.Src, &src) != nil && json.Unmarshal(f.Src, &srcs) == nil && len(srcs) > 0 {
					src = srcs[0]
					if len(srcs) > 1 {
						left = append(left, fmt.Sprintf("form field %s: only the first of %d files is sent", f.Key, len(srcs)))
					}
				}
				if src == "" {
					left = append(left, fmt.Sprintf("form field %s: file part without a file; set its path", f.Key))
					src = f.Key
				}
				r.parts = append(r.parts, partSpec{field: f.Key, path: src, contentType: f.ContentType})
				continue
			}
			for _, p := range kvs([]pmKV{f}) {
				r.parts = append(r.parts, partSpec{field: p.key, value: p.value, contentType: f.ContentType})
			}
		}
		r.dropHeader("Content-Type")
	case "graphql":
		m := mapping()
		if body.GraphQL != nil {
			add(m, "query", str(b.template(body.GraphQL.Query, step)))
			if v := strings.TrimSpace(body.GraphQL.Variables); v != "" {
				if n, err := jsonNode(quoteBareTemplates(b.template(v, step)), nil); err == nil {
					add(m, "variables", n)
				} else {
					left = append(left, "graphql variables are not valid JSON: "+v)
				}
			}
		}
		r.json = m
		r.dropHeader("Content-Type")
	case "file":
		if body.File == nil || body.File.Src == "" {
			left = append(left, "body mode file without a file; set its path in body:")
			return left
		}
		text := fmt.Sprintf("{{ file(%q) }}", body.File.Src)
		r.raw = &text
		b.note(step, fmt.Sprintf("body file %s is read relative to the collection's folder", body.File.Src))
	default:
		left = append(left, fmt.Sprintf("body mode %s is not supported", body.Mode))
	}
	return left
}

// scriptLines returns the meaningful lines of a script.
func scriptLines(e pmEvent) []string {
	var lines []string
	var one string
	if json.Unmarshal(e.Script.Exec, &lines) != nil && json.Unmarshal(e.Script.Exec, &one) == nil {
		lines = strings.Split(one, "\n")
	}
	var out []string
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			if t := strings.TrimSpace(part); t != "" && !strings.HasPrefix(t, "//") {
				out = append(out, t)
			}
		}
	}
	return out
}

// Patterns of Postman test scripts that have a callsheet equivalent.
var (
	pmStatusRE   = lazyregexp.New(`^pm\.response\.to\.have\.status\((\d{3})\);?$`)
	pmCodeRE     = lazyregexp.New(`^pm\.expect\(pm\.response\.code\)\.to\.(?:eql|equal|be\.equal|eq)\((\d{3})\);?$`)
	pmJSONVarRE  = lazyregexp.New(`^(?:var|let|const)\s+(\w+)\s*=\s*pm\.response\.json\(\);?$`)
	pmExpectRE   = lazyregexp.New(`^pm\.expect\((\w+)((?:\.\w+|\[\d+\])*)\)\.to\.(?:eql|equal|eq|deep\.equal|be\.equal)\((.+)\);?$`)
	pmExistRE    = lazyregexp.New(`^pm\.expect\((\w+)((?:\.\w+|\[\d+\])*)\)\.to\.(?:exist|not\.be\.undefined|be\.ok);?$`)
	pmTypeRE     = lazyregexp.New(`^pm\.expect\((\w+)((?:\.\w+|\[\d+\])*)\)\.to\.be\.(?:a|an)\(["'](\w+)["']\);?$`)
	pmSetRE      = lazyregexp.New(`^pm\.(?:environment|collectionVariables|globals|variables)\.set\(["']([^"']+)["'],\s*(\w+)((?:\.\w+|\[\d+\])*)\);?$`)
	pmHeaderRE   = lazyregexp.New(`^pm\.response\.to\.have\.header\(["']([^"']+)["']\);?$`)
	pmBodyRE     = lazyregexp.New(`^pm\.expect\(pm\.response\.text\(\)\)\.to\.include\((.+)\);?$`)
	pmTestOpenRE = lazyregexp.New(`^pm\.test\(.*function\s*\(\)\s*\{$|^pm\.test\(.*\(\)\s*=>\s*\{$`)
	pmCloseRE    = lazyregexp.New(`^\}\);?$`)
	pmIndexRE    = lazyregexp.New(`\[(\d+)\]`)
)

// gjsonPath turns a JavaScript member chain (.a.b[0].c) into a gjson path.
func gjsonPath(chain string) string {
	chain = pmIndexRE.ReplaceAllString(chain, ".$1")
	return strings.TrimPrefix(chain, ".")
}

// jsLiteral parses a JavaScript literal (number, string, boolean, null)
// into a YAML node.
func jsLiteral(s string) (*yaml.Node, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "'") && strings.HasSuffix(s, "'") && len(s) >= 2 {
		inner := strings.ReplaceAll(s[1:len(s)-1], `\'`, `'`)
		b, _ := json.Marshal(inner)
		s = string(b)
	}
	n, err := jsonNode(s, nil)
	if err != nil || n.Kind != yaml.ScalarNode {
		return nil, false
	}
	return n, true
}

// pmTests translates the common pm.test patterns of a test script into
// checks and captures; other lines are returned.
func (b *builder) pmTests(r *reqSpec, e pmEvent, step string) (left, captures []string) {
	jsonVars := map[string]bool{inlineJSONVar: true}
	status := func(code string) {
		add(r.expect, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: code})
	}
	sub := func(key string) *yaml.Node {
		if n := get(r.expect, key); n != nil {
			return n
		}
		n := mapping()
		add(r.expect, key, n)
		return n
	}
	for _, orig := range scriptLines(e) {
		l := normaliseScriptLine(orig)
		var m []string
		switch {
		case pmTestOpenRE.MatchString(l), pmCloseRE.MatchString(l):
		case get(r.expect, "status") == nil && pmStatusRE.MatchString(l):
			status(pmStatusRE.FindStringSubmatch(l)[1])
		case get(r.expect, "status") == nil && pmCodeRE.MatchString(l):
			status(pmCodeRE.FindStringSubmatch(l)[1])
		case sameStatus(r.expect, l):
		case pmJSONVarRE.MatchString(l):
			jsonVars[pmJSONVarRE.FindStringSubmatch(l)[1]] = true
		case func() bool { m = pmExpectRE.FindStringSubmatch(l); return m != nil && jsonVars[m[1]] && m[2] != "" }():
			lit, ok := jsLiteral(m[3])
			if !ok {
				left = append(left, orig)
				continue
			}
			addCheck(sub("json"), gjsonPath(m[2]), lit)
		case func() bool { m = pmExistRE.FindStringSubmatch(l); return m != nil && jsonVars[m[1]] && m[2] != "" }():
			pred := flowMapping()
			add(pred, "exists", scalar(true))
			addCheck(sub("json"), gjsonPath(m[2]), pred)
		case func() bool { m = pmTypeRE.FindStringSubmatch(l); return m != nil && jsonVars[m[1]] && m[2] != "" }():
			t := map[string]string{"string": "string", "number": "number", "boolean": "boolean", "array": "array", "object": "object", "null": "null"}[m[3]]
			if t == "" {
				left = append(left, orig)
				continue
			}
			pred := flowMapping()
			add(pred, "type", str(t))
			addCheck(sub("json"), gjsonPath(m[2]), pred)
		case func() bool { m = pmSetRE.FindStringSubmatch(l); return m != nil && jsonVars[m[2]] && m[3] != "" }():
			name := varName(m[1])
			path := gjsonPath(m[3])
			if secretFieldRE.MatchString(name) {
				c := flowMapping()
				add(c, "json", str(path))
				add(c, "secret", scalar(true))
				setCapture(r.capture, name, c)
				b.secret(name)
			} else {
				setCapture(r.capture, name, str(path))
			}
			captures = append(captures, name)
		case pmHeaderRE.MatchString(l):
			pred := flowMapping()
			add(pred, "exists", scalar(true))
			addCheck(sub("headers"), pmHeaderRE.FindStringSubmatch(l)[1], pred)
		case get(r.expect, "body") == nil && pmBodyRE.MatchString(l):
			lit, ok := jsLiteral(pmBodyRE.FindStringSubmatch(l)[1])
			if !ok || lit.ShortTag() != "!!str" {
				left = append(left, orig)
				continue
			}
			pred := flowMapping()
			add(pred, "contains", lit)
			add(r.expect, "body", pred)
		default:
			left = append(left, orig)
		}
	}
	return left, captures
}
