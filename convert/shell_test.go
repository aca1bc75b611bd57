package convert

import (
	"reflect"
	"testing"
	"time"

	"github.com/callsheet/callsheet/exchange"
)

func TestSplitCommands(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{"quotes", `curl -H "A: b c" -d 'x y' url`, [][]string{{"curl", "-H", "A: b c", "-d", "x y", "url"}}},
		{"line continuation", "curl \\\n  -X POST \\\r\n  url", [][]string{{"curl", "-X", "POST", "url"}}},
		{"escapes outside and inside double quotes", `curl a\ b "q\"u\$x\n"`, [][]string{{"curl", "a b", `q"u$x\n`}}},
		{"single quote escape idiom", `curl -d 'it'\''s'`, [][]string{{"curl", "-d", "it's"}}},
		{"ansi-c quotes", `curl -d $'a\nb'`, [][]string{{"curl", "-d", "a\nb"}}},
		{"shell variables", `curl -H "Authorization: Bearer $TOKEN" ${BASE}/x`, [][]string{{"curl", "-H", "Authorization: Bearer {{ env.TOKEN }}", "{{ env.BASE }}/x"}}},
		{"literal dollar", `curl -d 'a=$B' "c$"`, [][]string{{"curl", "-d", "a=$B", "c$"}}},
		{"several commands, comments, pipes", "# get\ncurl a | jq .\n\ncurl b; curl c && echo", [][]string{{"curl", "a"}, {"curl", "b"}, {"curl", "c"}, {"echo"}}},
		{"empty word", `curl -d "" url`, [][]string{{"curl", "-d", "", "url"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitCommands(tt.in)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitCommands(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{`curl 'a`, `curl "a`, `curl $'a`} {
		if _, err := SplitCommands(bad); err == nil {
			t.Errorf("SplitCommands(%q) error = nil, want unterminated quote", bad)
		}
	}
}

func TestImportCurlErrors(t *testing.T) {
	for _, in := range []string{"", "wget http://x", "curl -X", "curl -X POST"} {
		if _, err := ImportCurl("x", in); err == nil {
			t.Errorf("ImportCurl(%q) error = nil, want an error", in)
		}
	}
}

func TestExportHARMarksCutBodies(t *testing.T) {
	x := HARItem{Exchange: exchange.Exchange{
		Start:    time.Unix(0, 0),
		Request:  &exchange.Request{Method: "POST", URL: "http://h/p?a=1&b=x%20y", Body: []byte("abc"), BodySize: 10, Truncated: true},
		Response: &exchange.Response{Status: 200, Body: []byte("ok"), Size: 2, Duration: 1500 * time.Microsecond},
	}}
	data, err := ExportHAR([]HARItem{x}, "dev")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "export.har.golden", data)
}
