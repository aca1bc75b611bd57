package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// xmllint finds xmllint (Debian's libxml2-utils, which .ci/run installs).
// Only outside CI may a test skip without it.
func xmllint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("xmllint not found under CI: .ci/run must install libxml2-utils")
		}
		t.Skip("xmllint not found: install libxml2-utils (apt-get install libxml2-utils) to validate JUnit reports against the XSD")
	}
	return path
}

func TestJUnitValidAgainstXSD(t *testing.T) {
	lint := xmllint(t)
	tests := []struct {
		name    string
		results []*runner.Result
	}{
		{"every outcome and hostile text", fixture()},
		{"no collections", nil},
		{"collection without steps", []*runner.Result{{Name: "empty", File: "e.yaml"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JUnit(&b, tt.results); err != nil {
				t.Fatalf("JUnit: %v", err)
			}
			file := filepath.Join(t.TempDir(), "junit.xml")
			if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, lint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), file).CombinedOutput()
			if err != nil {
				t.Errorf("xmllint --schema junit.xsd: %v\n%s\n%s", err, out, b.String())
			}
		})
	}
}

func TestJUnitEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, fixture()); err != nil {
		t.Fatalf("JUnit: %v", err)
	}
	// Every token decodes: the document is well-formed XML 1.0.
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("decode JUnit report: %v\n%s", err, b.String())
		}
		switch v := tok.(type) {
		case xml.CharData:
			text.Write(v)
		case xml.StartElement:
			for _, a := range v.Attr {
				text.WriteString(a.Value)
			}
		}
	}
	for _, want := range []string{`\x1b[31m`, `\xff`, "<script>", "api/users.yaml:15:15", "actual:   integer <401>", "expected: integer <200>"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("JUnit text does not contain %q", want)
		}
	}
	if bytes.ContainsRune(b.Bytes(), 0x1b) {
		t.Errorf("JUnit report holds a raw ESC character")
	}
}
