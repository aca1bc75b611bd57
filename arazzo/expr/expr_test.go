package expr

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Expr
	}{
		{"$url", Expr{Kind: URL}},
		{"$method", Expr{Kind: Method}},
		{"$statusCode", Expr{Kind: StatusCode}},
		{"$self", Expr{Kind: Self}},
		{"$request.header.Accept", Expr{Kind: Request, Source: Header, Name: "Accept"}},
		{"$response.header.X-Rate-Limit", Expr{Kind: Response, Source: Header, Name: "X-Rate-Limit"}},
		{"$request.query.page size", Expr{Kind: Request, Source: Query, Name: "page size"}},
		{`$request.query.a\"b\u0041`, Expr{Kind: Request, Source: Query, Name: `a"bA`}},
		{"$request.path.id", Expr{Kind: Request, Source: Path, Name: "id"}},
		{"$request.body", Expr{Kind: Request, Source: Body}},
		{"$response.body#/items/0/id", Expr{Kind: Response, Source: Body, HasPointer: true, Pointer: []string{"items", "0", "id"}}},
		{"$response.body#", Expr{Kind: Response, Source: Body, HasPointer: true, Pointer: []string{}}},
		{"$response.body#/a~1b/c~0d/", Expr{Kind: Response, Source: Body, HasPointer: true, Pointer: []string{"a/b", "c~d", ""}}},
		{"$response.body.items[0].id", Expr{Kind: Response, Source: Body, Path: []Accessor{{Name: "items"}, {Index: 0, IsIndex: true}, {Name: "id"}}}},
		{"$response.body['a b']", Expr{Kind: Response, Source: Body, Path: []Accessor{{Name: "a b"}}}},
		{"$message.payload#/status", Expr{Kind: Message, Source: Payload, HasPointer: true, Pointer: []string{"status"}}},
		{"$message.header.correlation", Expr{Kind: Message, Source: Header, Name: "correlation"}},
		{"$inputs.username", Expr{Kind: Inputs, Name: "username"}},
		{"$inputs.user.address.city", Expr{Kind: Inputs, Name: "user.address.city"}},
		{"$inputs.pets[1]", Expr{Kind: Inputs, Name: "pets", Path: []Accessor{{Index: 1, IsIndex: true}}}},
		{"$inputs.order#/items/0", Expr{Kind: Inputs, Name: "order", HasPointer: true, Pointer: []string{"items", "0"}}},
		{"$outputs.token", Expr{Kind: Outputs, Name: "token"}},
		{"$steps.login.outputs.token", Expr{Kind: Steps, ID: "login", Name: "token"}},
		{"$steps.get-pets.outputs.pets#/0/id", Expr{Kind: Steps, ID: "get-pets", Name: "pets", HasPointer: true, Pointer: []string{"0", "id"}}},
		{"$workflows.buy.outputs.orderId", Expr{Kind: Workflows, ID: "buy", Field: "outputs", Name: "orderId"}},
		{"$workflows.buy.inputs.qty", Expr{Kind: Workflows, ID: "buy", Field: "inputs", Name: "qty"}},
		{"$sourceDescriptions.petstore.getPetById", Expr{Kind: SourceDescriptions, ID: "petstore", Name: "getPetById"}},
		{"$sourceDescriptions.petstore.url", Expr{Kind: SourceDescriptions, ID: "petstore", Name: "url"}},
		{"$components.parameters.page", Expr{Kind: Components, ID: "parameters", Name: "page"}},
		{"$components.successActions.my.notify", Expr{Kind: Components, ID: "successActions", Name: "my.notify"}},
		{"$components.failureActions.retry", Expr{Kind: Components, ID: "failureActions", Name: "retry"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Fatalf("Parse(%q) = %+v, want %+v", tt.in, *got, tt.want)
			}
			again, err := Parse(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("Parse(%q.String() = %q) = %+v, %v; want %+v", tt.in, got.String(), again, err, got)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg, hint string
		offset        int
	}{
		{"statusCode", "a runtime expression starts with $", "", 0},
		{"$", "expected a name after $, found the end", "expressions start with $url, $method, $statusCode, $request, $response, $message, $inputs, $outputs, $steps, $workflows, $sourceDescriptions, $components, $self", 0},
		{"$statuscode", "unknown runtime expression $statuscode", "did you mean $statusCode?", 0},
		{"$input.name", "unknown runtime expression $input", "did you mean $inputs?", 0},
		{"$response", `expected "." after $response, found the end`, "", 9},
		{"$response.bdy", `unknown source "bdy" after $response.`, `did you mean "body"?`, 10},
		{"$response.header.", "expected a header name after $response.header., found the end", "", 17},
		{"$request.query.", "expected a name after $request.query., found the end", "", 15},
		{"$request.query.a{b", "unexpected \"{b\" after $request.query.a", "", 16},
		{`$request.query.a\x`, `invalid escape "\\x" in a name`, "", 16},
		{"$response.body#x", "a JSON pointer is empty or starts with /, found \"x\"", "", 15},
		{"$response.body#/a~2", "~ in a JSON pointer must be followed by 0 or 1", "", 17},
		{"$response.body.", "expected a property name after ., found the end", "", 15},
		{"$response.body[x]", "expected an index or a quoted name after [, found \"x]\"", "", 15},
		{"$response.body[01]", "expected an index or a quoted name after [, found \"]\"", "", 15},
		{"$response.body['a", "unclosed [' in a property path", "", 14},
		{"$inputs", `expected "." after $inputs, found the end`, "", 7},
		{"$inputs.", "expected a name after $inputs., found the end", "", 8},
		{"$inputs.a b", `unexpected " b" after $inputs.a`, "", 9},
		{"$steps.a.b.c", `expected ".outputs." after $steps.a, found ".b.c"`, "", 8},
		{"$steps.a.b.outputs.c", `expected ".outputs." after $steps.a, found ".b.outputs.c"`, "", 8},
		{"$workflows.w.output.x", `expected inputs or outputs after $workflows.w., found "output"`, `did you mean "outputs"?`, 13},
		{"$sourceDescriptions.", "expected a name after $sourceDescriptions., found the end", "", 20},
		{"$sourceDescriptions.a.b.c", "", "", -1},
		{"$components.inputs.x", `unknown component type "inputs"`, "valid types: parameters, successActions, failureActions", 12},
		{"$components.parameter.x", `unknown component type "parameter"`, `did you mean "parameters"?`, 12},
		{"$url.x", `unexpected ".x" after $url`, "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := Parse(tt.in)
			if tt.offset < 0 {
				if err != nil {
					t.Fatalf("Parse(%q) error = %v, want none", tt.in, err)
				}
				return
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) = %v, %v; want a *SyntaxError", tt.in, e, err)
			}
			if se.Msg != tt.msg || se.Hint != tt.hint || se.Offset != tt.offset {
				t.Fatalf("Parse(%q) error = {%d %q %q}, want {%d %q %q}", tt.in, se.Offset, se.Msg, se.Hint, tt.offset, tt.msg, tt.hint)
			}
		})
	}
}

func TestParsePrefixStops(t *testing.T) {
	stop := func(r rune) bool { return r == ' ' || r == '=' }
	tests := []struct {
		in   string
		want string
		n    int
	}{
		{"$statusCode == 200", "$statusCode", 11},
		{"$response.header.X-Id== 'a'", "$response.header.X-Id", 21},
		{"$request.query.q == 1", "$request.query.q", 16},
		{"$response.body#/a/b == 1", "$response.body#/a/b", 19},
		{"$response.body.count > 2", "$response.body.count", 20},
	}
	for _, tt := range tests {
		e, n, err := ParsePrefix(tt.in, stop)
		if err != nil || e.String() != tt.want || n != tt.n {
			t.Errorf("ParsePrefix(%q) = %v, %d, %v; want %s, %d", tt.in, e, n, err, tt.want, tt.n)
		}
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		in    string
		parts []string // "text" or "{expr}"
	}{
		{"plain", []string{"plain"}},
		{"", nil},
		{"https://{$inputs.host}/pets/{$steps.a.outputs.id}", []string{"https://", "{$inputs.host}", "/pets/", "{$steps.a.outputs.id}"}},
		{`{"id": "{$inputs.id}", "n": {$inputs.n}}`, []string{`{"id": "`, "{$inputs.id}", `", "n": `, "{$inputs.n}", "}"}},
		{"{$sourceDescriptions.api.url}#/paths/~1pets/get", []string{"{$sourceDescriptions.api.url}", "#/paths/~1pets/get"}},
		{"^2\\d{2}$", []string{"^2\\d{2}$"}},
		{"{{$inputs.a}}", []string{"{", "{$inputs.a}", "}"}},
	}
	for _, tt := range tests {
		tmpl, err := ParseTemplate(tt.in)
		if err != nil {
			t.Fatalf("ParseTemplate(%q) error = %v", tt.in, err)
		}
		var got []string
		for _, p := range tmpl.Parts {
			if p.Expr != nil {
				got = append(got, "{"+p.Expr.String()+"}")
			} else {
				got = append(got, p.Text)
			}
		}
		if !reflect.DeepEqual(got, tt.parts) {
			t.Errorf("ParseTemplate(%q) parts = %q, want %q", tt.in, got, tt.parts)
		}
		if tmpl.String() != tt.in {
			t.Errorf("ParseTemplate(%q).String() = %q", tt.in, tmpl.String())
		}
	}
	for _, bad := range []struct {
		in     string
		offset int
		msg    string
	}{
		{"a{$inputs.x", 1, "unclosed {$ in a string"},
		{"a{$input.x}", 2, "unknown runtime expression $input"},
		{"x{$inputs.}", 10, "expected a name after $inputs., found the end"},
	} {
		_, err := ParseTemplate(bad.in)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != bad.offset || se.Msg != bad.msg {
			t.Errorf("ParseTemplate(%q) error = %v, want %q at %d", bad.in, err, bad.msg, bad.offset)
		}
	}
}

// mapContext is a Context over a map from the canonical form of a
// reference to its value.
type mapContext map[string]any

func (m mapContext) Lookup(ref *Expr) (any, error) {
	v, ok := m[ref.String()]
	if !ok {
		return nil, errors.Join(errors.New(ref.String()+" is not set"), ErrUndefined)
	}
	return v, nil
}

func TestEval(t *testing.T) {
	ctx := mapContext{
		"$statusCode":               200,
		"$response.body":            map[string]any{"items": []any{map[string]any{"id": "p1"}}, "a/b": true},
		"$inputs.user":              map[string]any{"address": map[string]any{"city": "Oslo"}},
		"$inputs.user.name":         "exact",
		"$steps.s.outputs.list":     []any{1, 2},
		"$response.header.X-Count":  "7",
		"$workflows.w.outputs.done": false,
	}
	tests := []struct {
		in      string
		want    any
		wantErr string
	}{
		{"$statusCode", 200, ""},
		{"$response.body#/items/0/id", "p1", ""},
		{"$response.body#/a~1b", true, ""},
		{"$response.body.items[0].id", "p1", ""},
		{"$inputs.user.address.city", "Oslo", ""},
		{"$inputs.user.name", "exact", ""},
		{"$steps.s.outputs.list[1]", 2, ""},
		{"$workflows.w.outputs.done", false, ""},
		{"$response.body#/items/1", nil, "$response.body#/items/1: at /items/1: index 1 is past the end of an array of 1: undefined"},
		{"$response.body#/items/x", nil, `$response.body#/items/x: at /items/x: "x" is not an array index`},
		{"$response.body#/items/0/id/x", nil, `$response.body#/items/0/id/x: at /items/0/id/x: a string has no member "x"`},
		{"$inputs.nobody", nil, "$inputs.nobody is not set\nundefined"},
		{"$inputs.user.zip", nil, `$inputs.user.zip: at .zip: no member "zip": undefined`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Eval(ctx)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Eval(%s) = %v, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Eval(%s) = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
}

func TestRender(t *testing.T) {
	ctx := mapContext{
		"$inputs.host": "api.test",
		"$inputs.n":    3,
		"$inputs.obj":  map[string]any{"b": 1, "a": []any{true, nil}},
		"$inputs.none": nil,
	}
	tmpl, err := ParseTemplate("https://{$inputs.host}/x?n={$inputs.n}&o={$inputs.obj}&z={$inputs.none}")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tmpl.Render(ctx)
	want := `https://api.test/x?n=3&o={"a":[true,null],"b":1}&z=null`
	if err != nil || got != want {
		t.Fatalf("Render = %q, %v; want %q", got, err, want)
	}
	bad, _ := ParseTemplate("{$inputs.missing}")
	if _, err := bad.Render(ctx); !errors.Is(err, ErrUndefined) {
		t.Fatalf("Render of a missing input: error = %v, want ErrUndefined", err)
	}
}

func TestRootNamesCoverKinds(t *testing.T) {
	for k := URL; k <= Self; k++ {
		if strings.Contains(k.String(), "?") {
			t.Errorf("Kind %d has no name", k)
		}
	}
}
