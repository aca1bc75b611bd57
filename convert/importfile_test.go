package convert

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

// TestImportFile checks that ImportFile reads each format's file as the
// format's own importer does, named after the file.
func TestImportFile(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		format, path string
		opts         FileOptions
		direct       func() (*Import, error)
	}{
		{"postman", "postman.json", FileOptions{Environment: "testdata/postman.env.json"}, func() (*Import, error) {
			return ImportPostman(read("postman.json"), read("postman.env.json"))
		}},
		{"insomnia", "insomnia-v5.yaml", FileOptions{}, func() (*Import, error) { return ImportInsomnia("insomnia-v5", read("insomnia-v5.yaml")) }},
		{"bruno", "bruno", FileOptions{Name: "shop"}, func() (*Import, error) { return ImportBruno("shop", os.DirFS("testdata/bruno")) }},
		{"http", "shop.http", FileOptions{}, func() (*Import, error) { return ImportHTTPFile("shop", read("shop.http")) }},
		{"har", "login-flow.har", FileOptions{HAR: HAROptions{KeepStatic: true}}, func() (*Import, error) {
			return ImportHAR("login-flow", read("login-flow.har"), HAROptions{KeepStatic: true})
		}},
		{"openapi", "openapi/shop.yaml", FileOptions{Single: true}, func() (*Import, error) {
			d, err := openapi.LoadFile(context.Background(), "testdata/openapi/shop.yaml")
			if err != nil {
				return nil, err
			}
			return ImportOpenAPI(d, OpenAPIOptions{Single: true})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got, err := ImportFile(t.Context(), tt.format, filepath.Join("testdata", tt.path), tt.opts)
			if err != nil {
				t.Fatalf("ImportFile() error = %v", err)
			}
			want, err := tt.direct()
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Files) == 0 || len(got.Files) != len(want.Files) {
				t.Fatalf("ImportFile() made %d files, the importer %d", len(got.Files), len(want.Files))
			}
			for i := range got.Files {
				if got.Files[i].Name != want.Files[i].Name || !bytes.Equal(got.Files[i].Data, want.Files[i].Data) {
					t.Errorf("file %d: %s differs from the importer's %s", i, got.Files[i].Name, want.Files[i].Name)
				}
			}
		})
	}
	if _, err := ImportFile(t.Context(), "bruno", "testdata/shop.http", FileOptions{}); err == nil {
		t.Error("ImportFile(bruno, a file) = nil error, want one saying it is not a folder")
	}
}

func TestImportCommandsName(t *testing.T) {
	for _, format := range []string{"curl", "httpie"} {
		im, err := ImportCommands(format, "", map[string]string{"curl": "curl https://api.example/x", "httpie": "http GET https://api.example/x"}[format])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(im.Files[0].Data, []byte("name: imported "+format)) {
			t.Errorf("%s import without a name:\n%s", format, im.Files[0].Data)
		}
	}
}

// TestImportWriteAndMissing writes an import that sends two files, one
// present in the current folder and one nowhere, and checks the modes
// and what MissingFiles says.
func TestImportWriteAndMissing(t *testing.T) {
	im, err := ImportCurl("upload", "curl -F a=@testdata/shop.http -F b=@nowhere.bin https://api.example/up")
	if err != nil {
		t.Fatal(err)
	}
	im.Files = append(im.Files, File{Name: "env/dev.env", Data: []byte("TOKEN=x\n")})
	sent, err := im.Check()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	written, err := im.Write(dir)
	if err != nil || len(written) != 2 {
		t.Fatalf("Write() = %v, %v", written, err)
	}
	for _, p := range written {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o644)
		if filepath.Ext(p) == ".env" {
			want = 0o600
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
	missing := MissingFiles(dir, sent)
	want := []Missing{{Path: "testdata/shop.http", Here: true}, {Path: "nowhere.bin"}}
	if len(missing) != len(want) || missing[0] != want[0] || missing[1] != want[1] {
		t.Errorf("MissingFiles() = %+v, want %+v", missing, want)
	}
}
