package convert

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/golden"
)

var update = flag.Bool("update", false, "update .golden files")

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImport(t *testing.T) {
	tests := []struct {
		name   string
		golden string
		run    func() (*Import, error)
	}{
		{"postman collection and environment", "postman", func() (*Import, error) {
			return ImportPostman(read(t, "postman.json"), read(t, "postman.env.json"))
		}},
		{"procore docs curl commands", "procore-curl", func() (*Import, error) {
			return ImportCurl("Procore docs", string(read(t, "procore.sh")))
		}},
		{"httpie command lines", "httpie", func() (*Import, error) {
			return ImportHTTPie("shop httpie", string(read(t, "httpie.sh")))
		}},
		{".http file (JetBrains and VS Code syntax)", "shop-http", func() (*Import, error) {
			return ImportHTTPFile("shop", read(t, "shop.http"))
		}},
		{"Bruno collection folder with an environment", "bruno", func() (*Import, error) {
			return ImportBruno("bruno", os.DirFS(filepath.Join("testdata", "bruno")))
		}},
		{"Insomnia v4 JSON export with environments", "insomnia-v4", func() (*Import, error) {
			return ImportInsomnia("insomnia", read(t, "insomnia-v4.json"))
		}},
		{"Insomnia v4 YAML export", "insomnia-v4-yaml", func() (*Import, error) {
			return ImportInsomnia("insomnia", read(t, "insomnia-v4.yaml"))
		}},
		{"Insomnia v5 YAML collection with scripts", "insomnia-v5", func() (*Import, error) {
			return ImportInsomnia("insomnia", read(t, "insomnia-v5.yaml"))
		}},
		{"har with static assets", "browse-har", func() (*Import, error) {
			return ImportHAR("browse", read(t, "browse.har"), HAROptions{})
		}},
		{"har with a redirect, a preflight and a WebSocket", "login-flow-har", func() (*Import, error) {
			return ImportHAR("login flow", read(t, "login-flow.har"), HAROptions{})
		}},
		{"har keeping browser headers and preflights", "login-flow-har-all", func() (*Import, error) {
			return ImportHAR("login flow", read(t, "login-flow.har"), HAROptions{KeepStatic: true, KeepBrowserHeaders: true})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := tt.run()
			if err != nil {
				t.Fatalf("import error = %v", err)
			}
			var out bytes.Buffer
			fsys := fstest.MapFS{}
			for _, f := range im.Files {
				out.WriteString("-- " + f.Name + " --\n")
				out.Write(f.Data)
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			// The collection is the first file; the files it includes load
			// with it.
			if _, err := collections.LoadFS(fsys, im.Files[0].Name, collections.Options{}); err != nil {
				t.Errorf("collections.LoadFS(%s) error = %v", im.Files[0].Name, err)
			}
			out.WriteString("-- notes --\n")
			for _, n := range im.Notes {
				out.WriteString(n.String() + "\n")
			}
			checkGolden(t, tt.golden+".golden", out.Bytes())
		})
	}
}
