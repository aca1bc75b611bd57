package expr

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestCondition(t *testing.T) {
	ctx := mapContext{
		"$statusCode":              200,
		"$response.body":           map[string]any{"count": json.Number("3"), "data": []any{"a"}, "name": "Rex", "ok": true, "empty": []any{}},
		"$response.header.X-Count": "12",
		"$inputs.threshold":        json.Number("2.5"),
		"$inputs.flag":             "TRUE",
	}
	tests := []struct {
		cond   string
		passed bool
		trace  string
		err    string
	}{
		{"$statusCode == 200", true, "200 == 200", ""},
		{"$statusCode == 404", false, "200 == 404", ""},
		{"$statusCode != 404", true, "200 != 404", ""},
		{"$statusCode >= 200 && $statusCode < 300", true, "200 >= 200 && 200 < 300", ""},
		{"$statusCode < 200 || $statusCode > 299", false, "200 < 200 || 200 > 299", ""},
		{"$statusCode == 500 && $response.body#/missing", false, "200 == 500 && $response.body#/missing", ""},
		{"$response.body.count > $inputs.threshold", true, "3 > 2.5", ""},
		{"$response.body#/count == 3.0", true, "3 == 3.0", ""},
		{"$response.header.X-Count > 9", true, "'12' > 9", ""},
		{"$response.header.X-Count == 12", true, "'12' == 12", ""},
		{"$response.body.name == 'rex'", true, "'Rex' == 'rex'", ""},
		{"$response.body.name < 'S'", true, "'Rex' < 'S'", ""},
		{"$response.body.data != null", true, `["a"] != null`, ""},
		{"$response.body#/empty/0 == null", true, "null == null", ""},
		{"$response.body.missing == null", true, "null == null", ""},
		{"$response.header.None == null", true, "null == null", ""},
		{"null < 1", false, "null < 1", ""},
		{"$response.body.ok", true, "true", ""},
		{"!$response.body.ok", false, "!true", ""},
		{"!($statusCode == 404)", true, "!(200 == 404)", ""},
		{"$inputs.flag == true", true, "'TRUE' == true", ""},
		{"$response.body.data[0] == 'A'", true, "'a' == 'A'", ""},
		{"($response.body).name == 'Rex'", true, "'Rex' == 'Rex'", ""},
		{"'it''s' == 'IT''S'", true, "'it''s' == 'IT''S'", ""},
		{"$response.body.data == $response.body.data", true, `["a"] == ["a"]`, ""},
		{"$response.body#/missing", false, "null", ""},
		{"$response.body.name", false, "'Rex'", "the condition gives a string 'Rex', not a boolean"},
		{"$response.body.name && true", false, "'Rex' && true", "&& needs booleans, not a string 'Rex'"},
		{"$response.body.name > 3", false, "'Rex' > 3", "cannot compare 'Rex' with 3"},
		{"$response.body.name == 3", false, "'Rex' == 3", ""},
		{"true > false", false, "true > false", "booleans are not ordered"},
		{"$response.body.name.first == 'x'", false, "$response.body.name.first == 'x'", `$response.body.name.first: at .name.first: a string has no member "first"`},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			c, err := ParseCondition(tt.cond)
			if err != nil {
				t.Fatalf("ParseCondition(%q) error = %v", tt.cond, err)
			}
			res, err := c.Eval(ctx)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if res.Passed != tt.passed || res.Trace != tt.trace || gotErr != tt.err {
				t.Fatalf("Eval(%q) = %v %q, error %q; want %v %q, error %q", tt.cond, res.Passed, res.Trace, gotErr, tt.passed, tt.trace, tt.err)
			}
		})
	}
}

func TestConditionOperands(t *testing.T) {
	c, err := ParseCondition("$statusCode == 200")
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Eval(mapContext{"$statusCode": 404})
	if err != nil || res.Op != "==" || res.Left != 404 || res.Right != json.Number("200") {
		t.Fatalf("Eval = %+v, %v; want == with 404 and 200", res, err)
	}
	c, _ = ParseCondition("$statusCode == 200 && true")
	if res, _ := c.Eval(mapContext{"$statusCode": 200}); res.Op != "" {
		t.Fatalf("Eval of && gives Op %q, want none", res.Op)
	}
}

func TestConditionErrors(t *testing.T) {
	tests := []struct {
		cond   string
		offset int
		msg    string
		hint   string
	}{
		{"", 0, "the condition is empty", ""},
		{"$statusCode = 200", 12, "unexpected '=' in the condition", "compare with =="},
		{"$statusCode == 200 & true", 19, "unexpected '&' in the condition", "write && or ||"},
		{`$response.body.name == "x"`, 23, "unexpected '\"' in the condition", "strings use single quotes: 'text'"},
		{"$statusCode == ok", 15, `expected a runtime expression or a literal, found "ok"`, "strings are quoted: 'ok'"},
		{"$statusCode ==", 14, "expected a runtime expression or a literal, found the end", ""},
		{"($statusCode == 200", 19, "expected ), found the end", ""},
		{"$statusCode == 200)", 18, `expected an operator, found ")"`, ""},
		{"'abc", 0, "unclosed string", "close it with '; write '' for a quote inside"},
		{"$status == 1", 0, "unknown runtime expression $status", "did you mean $statusCode?"},
		{"1 == 01", 5, `invalid number "01"`, ""},
		{"$inputs.a[x] == 1", 10, `expected an index or a quoted name after [, found "x] == 1"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			_, err := ParseCondition(tt.cond)
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset != tt.offset || se.Msg != tt.msg || se.Hint != tt.hint {
				t.Fatalf("ParseCondition(%q) error = %#v, want {%d %q %q}", tt.cond, err, tt.offset, tt.msg, tt.hint)
			}
		})
	}
}

func TestConditionNesting(t *testing.T) {
	deep := ""
	for range 150 {
		deep += "("
	}
	if _, err := ParseCondition(deep + "true"); err == nil {
		t.Fatal("ParseCondition of 150 nested parentheses: no error")
	}
}
