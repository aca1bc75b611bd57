package convert

import (
	"strings"
	"testing"
)

// TestCurlFormsRefuseMalformed checks that a -F argument curl itself could
// not send is refused with its text, rather than written as a half part.
func TestCurlFormsRefuseMalformed(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"curl -F=@ 0", "no file name after @"},
		{"curl -F 'doc=@;type=text/plain' https://h/up", "no file name after @"},
		{"curl -F nofield https://h/up", "want NAME=VALUE"},
	} {
		_, err := ImportCurl("bad form", tc.cmd)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ImportCurl(%q) error = %v, want it to say %q", tc.cmd, err, tc.want)
		}
	}
}

// TestPartWithoutValue checks that a part with neither a file nor a value
// (a HAR file part whose file name was not recorded) is written as an empty
// text part, not as a null the formatter cannot read.
func TestPartWithoutValue(t *testing.T) {
	for _, p := range []partSpec{{field: "a"}, {field: "a", contentType: "text/plain"}} {
		n := p.node()
		if n == nil {
			t.Fatalf("%+v.node() = nil", p)
		}
		if n.Kind == 0 {
			t.Errorf("%+v.node() has no kind", p)
		}
		if p.contentType != "" && get(n, "value") == nil {
			t.Errorf("%+v.node() has no value key", p)
		}
	}
}
