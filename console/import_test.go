package console

import (
	"strings"
	"testing"

	"github.com/callsheet/callsheet/convert"
)

func TestImportNotes(t *testing.T) {
	im := &convert.Import{
		Files:   []convert.File{{Name: "api.yaml"}, {Name: "env/dev.env"}},
		Notes:   []convert.Note{{Step: "login", Text: "pm.sendRequest \x1b[2J is not translated"}},
		Scripts: convert.ScriptCount{Statements: 4, Translated: 3},
	}
	tests := []struct {
		name, outDir string
		sent         []string
		want         []string
	}{
		{"printed", "", nil, []string{"not written: env/dev.env (pass -o DIR to write it)\n",
			"script statements translated: 3 of 4 (75%)", "not translated (1, kept as comments):\n", `\x1b[2J`}},
		{"written", t.TempDir(), []string{"nowhere.bin"}, []string{"put nowhere.bin into ", ": the collection sends it\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			ImportNotes(&b, tt.outDir, im, tt.sent)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("ImportNotes() lacks %q:\n%s", w, b.String())
				}
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Errorf("ImportNotes() lets an escape through:\n%q", b.String())
			}
		})
	}
}

func TestNotExported(t *testing.T) {
	notes := []convert.Note{{Step: "login", Text: "pre-request script"}, {Text: "the tag \x1b[2Jx"}}
	tests := []struct {
		notes      []convert.Note
		inDocument bool
		want       string
	}{
		{nil, false, ""},
		{notes, false, "not exported (2):\n  step \"login\": pre-request script\n  the tag \\x1b[2Jx\n"},
		{notes[:1], true, "not exported as it is (1, also comments in the document):\n  step \"login\": pre-request script\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		NotExported(&b, tt.notes, tt.inDocument)
		if b.String() != tt.want {
			t.Errorf("NotExported(%d notes, %v) = %q, want %q", len(tt.notes), tt.inDocument, b.String(), tt.want)
		}
	}
}
