package convert

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
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

// pmDynamic maps Postman's dynamic variables to template expressions.
// The faker-made words (names, cities, lorem) become random letters and
// digits of a similar length.
var pmDynamic = map[string]string{
	"$guid":               "uuid()",
	"$randomUUID":         "uuid()",
	"$timestamp":          "unix()",
	"$isoTimestamp":       `now().UTC().Format("2006-01-02T15:04:05.000Z")`,
	"$randomInt":          "random_int(0, 1000)",
	"$randomEmail":        `lower(random_string(10)) + "@example.com"`,
	"$randomExampleEmail": `lower(random_string(10)) + "@example.com"`,
	"$randomUrl":          `"https://" + lower(random_string(8)) + ".example"`,
	"$randomDomainName":   `lower(random_string(8)) + ".example"`,
	"$randomAlphaNumeric": "random_string(1)",
	"$randomBoolean":      "random_int(0, 1) == 1",
	"$randomPassword":     "random_string(15)",
	"$randomPhoneNumber":  `string(random_int(200, 999)) + "-" + string(random_int(200, 999)) + "-" + string(random_int(1000, 9999))`,
	"$randomIP":           `string(random_int(1, 254)) + "." + string(random_int(0, 255)) + "." + string(random_int(0, 255)) + "." + string(random_int(1, 254))`,
	"$randomPrice":        `string(random_int(1, 999)) + "." + string(random_int(10, 99))`,
	"$randomDatePast":     `now() | offset("-" + string(random_int(24, 8760)) + "h")`,
	"$randomDateFuture":   `now() | offset(string(random_int(24, 8760)) + "h")`,
	"$randomDateRecent":   `now() | offset("-" + string(random_int(1, 24)) + "h")`,
}

// template converts Postman's {{name}} references to callsheet templates,
// recording the names read. Dynamic variables ({{$guid}}) become template
// functions; a variable a folder scopes is read under its folder name.
func (b *builder) template(s, step string) string {
	return pmVarRE.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-2])
		if strings.HasPrefix(name, "$") {
			if e, ok := pmDynamic[name]; ok {
				return "{{ " + e + " }}"
			}
			if strings.HasPrefix(name, "$random") {
				b.note(step, fmt.Sprintf("dynamic variable {{%s}} becomes random letters and digits", name))
				return "{{ random_string(10) }}"
			}
		}
		v := varName(name)
		if v != name {
			b.note(step, fmt.Sprintf("variable {{%s}} is renamed %s", name, v))
		}
		if scoped, ok := b.renames[v]; ok {
			v = scoped
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
	var events []*pmEvent
	for i := range pc.Event {
		events = append(events, &pc.Event[i])
	}
	for _, it := range pc.Item {
		b.pmItem(it, "", pc.Auth, events)
	}
	yml, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import postman: %w", err)
	}
	out.Files = append([]File{{Name: fileName(pc.Info.Name), Data: yml}}, out.Files...)
	out.Notes = b.notes
	out.Scripts = b.scripts
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
// inherit and the scripts of the folders above them, which Postman runs
// for each request. A folder's variables hold in the folder only: one
// whose name the collection already uses for another value is renamed
// for the folder's steps.
func (b *builder) pmItem(it *pmItem, prefix string, auth *pmAuth, events []*pmEvent) {
	if it.Auth != nil {
		auth = it.Auth
	}
	events = slices.Clone(events)
	for i := range it.Event {
		events = append(events, &it.Event[i])
	}
	if it.Request == nil {
		saved := b.renames
		b.renames = maps.Clone(b.renames)
		b.folderVars(it.Name, it.Variable)
		p := prefix + it.Name + " / "
		for _, child := range it.Item {
			b.pmItem(child, p, auth, events)
		}
		b.renames = saved
		return
	}
	if it.Request.Auth != nil {
		auth = it.Request.Auth
	}
	b.pmRequest(it, prefix+it.Name, auth, events)
}

// folderVars declares the variables of folder: under their own name when
// the collection has none of that name (or the same value), else under
// the folder's name joined to theirs, which the folder's steps then read.
func (b *builder) folderVars(folder string, vars []pmVariable) {
	for _, v := range vars {
		key := v.Key
		if key == "" || v.Disabled {
			continue
		}
		name := varName(key)
		value := fmt.Sprint(v.Value)
		if old := b.varValue(name); old != nil && old.Value != b.template(value, "") {
			scoped := varName(folder + "_" + key)
			b.renames[name] = scoped
			b.pmVars([]pmVariable{{Key: scoped, Value: v.Value, Type: v.Type}}, "")
			continue
		}
		b.pmVars([]pmVariable{v}, "")
	}
}

// pmRequest converts one request with its scripts and those it inherits.
func (b *builder) pmRequest(it *pmItem, name string, auth *pmAuth, events []*pmEvent) {
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
	// Pre-request scripts run first: the variables they set are declared
	// before the request's templates read them.
	r.expect, r.capture = mapping(), mapping()
	var captures []string
	untranslated := 0
	for _, listen := range []string{"prerequest", "test"} {
		for _, e := range events {
			if e.Listen != listen {
				continue
			}
			out := b.translateScript(scriptSource(*e), listen, name)
			// A collection or folder script runs for each request but is
			// one script of the source: it counts once.
			out.counted = b.counted[e]
			b.counted[e] = true
			captures = append(captures, b.applyScript(r, out)...)
			for _, l := range out.left {
				leftovers = append(leftovers, listen+": "+l)
			}
			untranslated += len(out.left)
		}
	}
	b.pmURL(r, pr.URL, name)
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
	if untranslated > 0 {
		markUntranslated(r, untranslated)
	}
	b.addStep(r.node(), name, captures, leftovers)
}

// markUntranslated makes a step whose script was not wholly translated
// fail until someone translates the rest by hand, so that it never passes
// silently: an assert that says what is missing.
func markUntranslated(r *reqSpec, n int) {
	what := fmt.Sprintf("%d script statements are not translated (listed above this step)", n)
	if n == 1 {
		what = "1 script statement is not translated (listed above this step)"
	}
	list := get(r.expect, "assert")
	if list == nil {
		list = sequence()
		add(r.expect, "assert", list)
	}
	list.Content = append(list.Content, str("'"+what+"' == 'translated'"))
}

// applyScript adds what a script was translated into to the request:
// checks to expect:, captures to capture:, variables to vars. It counts
// the script's statements for the import summary and returns the names
// captured.
func (b *builder) applyScript(r *reqSpec, out scriptOut) []string {
	if !out.counted {
		b.scripts.Statements += out.lines
		b.scripts.Translated += out.translated
	}
	for _, c := range out.checks {
		applyCheck(r.expect, c)
	}
	var names []string
	for _, c := range out.captures {
		node := c.node
		if secretFieldRE.MatchString(c.name) {
			node = withKey(node, "secret", boolNode(true))
			b.secret(c.name)
		}
		if c.conditional {
			b.use(c.name)
			node = withKey(node, "default", str("{{ "+c.name+" }}"))
		}
		setCapture(r.capture, c.name, node)
		names = append(names, c.name)
	}
	for _, v := range out.sets {
		b.setVar(v.name, v.value, "")
	}
	return names
}

// withKey returns a capture as a mapping with key: value added; a path
// shorthand becomes {json: path}.
func withKey(n *yaml.Node, key string, value *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode {
		m := flowMapping()
		add(m, "json", n)
		n = m
	}
	add(n, key, value)
	return n
}

// applyCheck adds a translated check to expect.
func applyCheck(expect *yaml.Node, c *check) {
	switch c.subject {
	case "status":
		addStatus(expect, c.pred)
	case "schema":
		if get(expect, "schema") == nil {
			add(expect, "schema", c.pred)
		}
	case "expr":
		// A value only an expression reads: the check is an assert.
		if e := checkExpr(c); e != "" {
			applyCheck(expect, &check{subject: "assert", pred: str(e)})
		}
	case "assert":
		list := get(expect, "assert")
		if list == nil {
			list = sequence()
			add(expect, "assert", list)
		}
		list.Content = append(list.Content, c.pred)
	case "json", "headers", "cookies":
		sub := get(expect, c.subject)
		if sub == nil {
			sub = mapping()
			add(expect, c.subject, sub)
		}
		addCheck(sub, c.key, c.pred)
	default:
		addCheck(expect, c.subject, c.pred)
	}
}

// addStatus adds a status check: a status implies its class (200 says
// more than 2xx), and checks that do not imply each other must all hold.
func addStatus(expect *yaml.Node, pred *yaml.Node) {
	old := get(expect, "status")
	class := func(n *yaml.Node) (byte, bool) {
		if n.Kind == yaml.ScalarNode && len(n.Value) == 3 && strings.HasSuffix(n.Value, "xx") {
			return n.Value[0], true
		}
		return 0, false
	}
	code := func(n *yaml.Node) (byte, bool) {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || len(n.Value) != 3 {
			return 0, false
		}
		return n.Value[0], true
	}
	switch {
	case old == nil:
		add(expect, "status", pred)
		return
	case sameNode(old, pred):
		return
	}
	if oc, ok := code(old); ok {
		if nc, ok := class(pred); ok && nc == oc {
			return
		}
	}
	if nc, ok := code(pred); ok {
		if oc, ok := class(old); ok && nc == oc {
			expect.Content[slices.Index(expect.Content, old)] = pred
			return
		}
	}
	asPred := func(n *yaml.Node) *yaml.Node {
		if c, ok := class(n); ok {
			lo := int(c-'0') * 100
			return predicate("between", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{intNode(lo), intNode(lo + 99)}})
		}
		return n
	}
	if _, ok := class(old); ok {
		expect.Content[slices.Index(expect.Content, old)] = asPred(old)
	}
	addCheck(expect, "status", asPred(pred))
}

// pmURL sets the URL and query of a request as Postman sends them: path
// and query encoded as Postman encodes them, and the query moved into
// query: fields when callsheet, encoding them, sends the same bytes.
func (b *builder) pmURL(r *reqSpec, raw json.RawMessage, step string) {
	var u pmURL
	if err := json.Unmarshal(raw, &u.Raw); err != nil {
		_ = json.Unmarshal(raw, &u)
	}
	rawURL := u.Raw
	for _, pv := range u.Variable {
		if pv.Key != "" {
			rawURL = strings.ReplaceAll(rawURL, "/:"+pv.Key, "/"+fmt.Sprint(pv.Value))
		}
	}
	base, query, hasQuery := strings.Cut(rawURL, "?")
	var fields [][2]string
	if len(u.Query) > 0 {
		for _, q := range u.Query {
			if !q.Disabled {
				fields = append(fields, [2]string{q.Key, q.Value})
			}
		}
	} else if hasQuery {
		for _, part := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(part, "=")
			fields = append(fields, [2]string{k, v})
		}
	}
	r.url = b.template(pmEncode(base, false), step)
	var parts []string
	exact := true
	for _, f := range fields {
		k, v := pmEncode(f[0], true), pmEncode(f[1], true)
		parts = append(parts, k+"="+v)
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || url.QueryEscape(dk) != k || !queryValueSafe(v, dv) {
			exact = false
		}
		r.query = append(r.query, kv{dk, str(b.template(dv, step))})
	}
	if !exact {
		r.query = nil
		r.url = b.template(pmEncode(base, false)+"?"+strings.Join(parts, "&"), step)
	}
}

// queryValueSafe reports whether callsheet, encoding the decoded value
// dv of a query field, sends the encoded text v Postman sends. A variable
// is sent as its value encoded.
func queryValueSafe(v, dv string) bool {
	if pmVarRE.MatchString(v) {
		rest := pmVarRE.ReplaceAllString(v, "")
		return url.QueryEscape(rest) == rest
	}
	return url.QueryEscape(dv) == v
}

// pmEncode encodes text as Postman does before sending it: bytes outside
// printable ASCII, spaces and (in a query) quotes and angle brackets are
// percent-encoded; percent signs and everything else are kept, so a value
// written encoded is sent as written. {{variables}} are left alone.
func pmEncode(s string, query bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if loc := pmVarRE.FindStringIndex(s[i:]); loc != nil && loc[0] == 0 {
			b.WriteString(s[i : i+loc[1]])
			i += loc[1] - 1
			continue
		}
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || query && c == '\'' || !query && c == '`' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
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
		profile, token := b.oauth2(auth, step)
		prefix := auth.param("headerPrefix")
		if prefix == "" {
			prefix = "Bearer"
		}
		switch {
		case token == "" && prefix == "Bearer" && auth.param("addTokenTo") != "queryParams":
			r.auth = profile
		case token == "":
			token = "{{ " + b.oauthTokenStep(auth, profile) + " }}"
			fallthrough
		case auth.param("addTokenTo") == "queryParams":
			if auth.param("addTokenTo") == "queryParams" {
				r.query = append(r.query, kv{"access_token", str(token)})
				break
			}
			fallthrough
		default:
			r.headers = append(r.headers, kv{"Authorization", str(prefix + " " + token)})
		}
	default:
		return []string{fmt.Sprintf("auth type %s is not supported; add its header by hand", auth.Type)}
	}
	return nil
}

// oauth2 declares the auth profile of an OAuth 2.0 auth block (once per
// grant, token URL and client) and returns its name, with the template of
// the access token Postman stored, if any. A stored token is sent as it
// is, a secret, so that a run in CI needs no person; the profile keeps
// the flow to get a fresh one (callsheet auth login PROFILE FILE). Without
// a stored token the steps use the profile, which never runs an
// interactive flow in CI.
func (b *builder) oauth2(auth *pmAuth, step string) (profile, token string) {
	p := func(k string) string { return b.template(auth.param(k), step) }
	if tok := auth.param("accessToken"); tok != "" {
		token = b.secretValue("access_token", p("accessToken"))
	}
	grant := auth.param("grant_type")
	if grant == "" {
		grant = "authorization_code"
	}
	key := grant + " " + auth.param("accessTokenUrl") + " " + auth.param("clientId")
	if b.oauthTokens == nil {
		b.oauthTokens = map[string]string{}
	}
	if name, ok := b.oauthTokens[key]; ok {
		return name, token
	}
	profile = "postman_oauth2"
	if n := len(b.oauthTokens); n > 0 {
		profile = fmt.Sprintf("postman_oauth2_%d", n+1)
	}
	b.oauthTokens[key] = profile
	m := b.oauth2Profile(auth, grant, step)
	if grant != "password_credentials" {
		if b.auth == nil {
			b.auth = mapping()
		}
		add(b.auth, profile, m)
	}
	if token != "" {
		b.note(step, fmt.Sprintf("the stored OAuth 2.0 token is sent as it is; when it expires, run `callsheet auth login %s FILE` and write auth: %s on the steps", profile, profile))
	}
	return profile, token
}

// oauth2Profile is the auth profile of an OAuth 2.0 auth of grant.
func (b *builder) oauth2Profile(auth *pmAuth, grant, step string) *yaml.Node {
	p := func(k string) string { return b.template(auth.param(k), step) }
	m := mapping()
	switch grant {
	case "authorization_code", "authorization_code_with_pkce":
		add(m, "grant", str("authorization_code"))
		add(m, "authorize_url", str(p("authUrl")))
	case "client_credentials":
		add(m, "grant", str("client_credentials"))
	default:
		add(m, "grant", str(grant)) // password_credentials: a token step sends it
	}
	add(m, "token_url", str(p("accessTokenUrl")))
	add(m, "client_id", str(p("clientId")))
	if sec := p("clientSecret"); sec != "" {
		add(m, "client_secret", str(b.secretValue("client_secret", sec)))
	}
	if strings.HasPrefix(grant, "authorization_code") {
		redirect := p("redirect_uri")
		if redirect == "" {
			redirect = "urn:ietf:wg:oauth:2.0:oob"
		}
		add(m, "redirect_uri", str(redirect))
	}
	if sc := p("scope"); sc != "" {
		add(m, "scope", str(sc))
	}
	if grant == "authorization_code_with_pkce" {
		add(m, "pkce", boolNode(true))
	}
	if auth.param("client_authentication") == "header" {
		add(m, "client_auth", str("basic"))
	}
	return m
}

// oauthTokenStep adds, once per grant, a step that obtains a token with
// the resource owner password grant (which auth profiles do not run), and
// returns the capture of its token.
func (b *builder) oauthTokenStep(auth *pmAuth, profile string) string {
	tokenVar := profile + "_token"
	if b.captured[tokenVar] {
		return tokenVar
	}
	p := func(k string) string { return b.template(auth.param(k), "oauth2") }
	form := []kv{{"grant_type", str("password")}, {"username", str(p("username"))},
		{"password", str(b.secretValue("password", p("password")))}, {"client_id", str(p("clientId"))}}
	if sec := p("clientSecret"); sec != "" {
		form = append(form, kv{"client_secret", str(b.secretValue("client_secret", sec))})
	}
	if sc := p("scope"); sc != "" {
		form = append(form, kv{"scope", str(sc)})
	}
	tr := &reqSpec{name: b.uniqueName("oauth2 token"), method: "POST", url: p("accessTokenUrl"), form: form}
	tr.expect = mapping()
	add(tr.expect, "status", intNode(200))
	tr.capture = mapping()
	c := flowMapping()
	add(c, "json", str("access_token"))
	add(c, "secret", boolNode(true))
	add(tr.capture, tokenVar, c)
	b.secret(tokenVar)
	b.addStep(tr.node(), tr.name, []string{tokenVar}, nil)
	return tokenVar
}

// pmBody sets the body of a request for each Postman body mode.
func (b *builder) pmBody(r *reqSpec, body *pmBody, step string) []string {
	if body == nil || body.Disabled || body.Mode == "" {
		return nil
	}
	switch body.Mode {
	case "raw":
		b.pmRaw(r, body, step)
	case "urlencoded":
		r.form = b.pmFields(body.URLEncoded, step)
		r.dropHeader("Content-Type")
	case "formdata":
		left := b.pmFormData(r, body.FormData, step)
		r.dropHeader("Content-Type")
		return left
	case "graphql":
		return b.pmGraphQL(r, body, step)
	case "file":
		if body.File == nil || body.File.Src == "" {
			return []string{"body mode file without a file; set its path in body:"}
		}
		text := fmt.Sprintf("{{ file(%q) }}", body.File.Src)
		r.raw = &text
		b.note(step, fmt.Sprintf("body file %s is read relative to the collection's folder", body.File.Src))
	default:
		return []string{fmt.Sprintf("body mode %s is not supported", body.Mode)}
	}
	return nil
}

// pmFields are the enabled fields of list, their values as templates.
func (b *builder) pmFields(list []pmKV, step string) []kv {
	var out []kv
	for _, f := range list {
		if f.Disabled {
			continue
		}
		out = append(out, b.field(f.Key, b.template(f.Value, step)))
	}
	return out
}

// pmRaw sets a raw body: as JSON when it is JSON exactly, else as text.
func (b *builder) pmRaw(r *reqSpec, body *pmBody, step string) {
	contentType, _ := r.header("Content-Type")
	text := b.template(body.Raw, step)
	isJSON := body.Options.Raw.Language == "json" || strings.Contains(strings.ToLower(contentType), "json") || (contentType == "" && strings.HasPrefix(strings.TrimSpace(text), "{"))
	if isJSON && quoteBareTemplates(text) == text {
		if n, ok := exactJSON(text); ok {
			r.json = n
			if strings.EqualFold(contentType, "application/json") {
				r.dropHeader("Content-Type")
			}
			return
		}
	}
	r.raw = &text
}

// pmFormData sets the multipart parts of a form-data body and returns
// what the user must fix.
func (b *builder) pmFormData(r *reqSpec, fields []pmKV, step string) []string {
	var left []string
	for _, f := range fields {
		if f.Disabled {
			continue
		}
		if f.Type != "file" {
			for _, p := range b.pmFields([]pmKV{f}, step) {
				r.parts = append(r.parts, partSpec{field: p.key, value: p.value, contentType: f.ContentType})
			}
			continue
		}
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
	}
	return left
}

// pmGraphQL sets a GraphQL body: its query and variables as JSON.
func (b *builder) pmGraphQL(r *reqSpec, body *pmBody, step string) []string {
	var left []string
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
	return left
}

// scriptSource returns the text of a script: its exec lines joined.
func scriptSource(e pmEvent) string {
	var lines []string
	var one string
	if json.Unmarshal(e.Script.Exec, &lines) != nil && json.Unmarshal(e.Script.Exec, &one) == nil {
		return one
	}
	return strings.Join(lines, "\n")
}
