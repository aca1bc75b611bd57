package convert

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzImportCurl checks that ImportCurl never panics on any command line
// and that every YAML file it writes is well-formed YAML.
func FuzzImportCurl(f *testing.F) {
	for _, s := range []string{
		"curl https://example.com",
		"curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' https://api.example.com/items",
		"curl -u user:pass --data-urlencode 'q=a b' 'https://h/p?x=1&y=2'",
		"curl -F file=@photo.jpg -F name=x https://h/upload",
		"curl 'https://h/{{ x }}' -H $'X: \\x1b[31m'",
		"curl \\\n  -H 'A: b' \\\n  https://h/",
		"curl -d @- https://h < body.json",
		"curl \"unterminated",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		imp, err := ImportCurl("fuzz", cmd)
		if err != nil || imp == nil {
			return
		}
		for _, file := range imp.Files {
			if !strings.HasSuffix(file.Name, ".yaml") && !strings.HasSuffix(file.Name, ".yml") {
				continue
			}
			var n yaml.Node
			if err := yaml.Unmarshal(file.Data, &n); err != nil {
				t.Fatalf("ImportCurl(%q) wrote invalid YAML in %s: %v\n%s", cmd, file.Name, err, file.Data)
			}
		}
	})
}
