package convert

import (
	"encoding/json"
	"net/url"
	"os/exec"
	"strings"
	"testing"
)

// TestShellHelpersEncodeAsCallsheet checks that the shell functions an
// exported command calls encode a value as callsheet encodes a secret:
// urlencode as url.QueryEscape, jsonescape as encoding/json inside a
// string.
func TestShellHelpersEncodeAsCallsheet(t *testing.T) {
	if _, err := exec.LookPath("awk"); err != nil {
		t.Skip("awk is not installed")
	}
	values := []string{"plain", "k+e/y=1 &x", `say "hi" \ back`, "tab\tline\nret\rctl\x01", "é ü 中", "~-._"}
	for _, v := range values {
		wantQuery := url.QueryEscape(v)
		var j strings.Builder
		enc := json.NewEncoder(&j)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
		wantJSON := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(j.String()), `"`), `"`)
		for fn, want := range map[string]string{"urlencode": wantQuery, "jsonescape": wantJSON} {
			cmd := exec.Command("sh", "-c", shellHelpers[fn]+"\nprintf %s \"$("+fn+" \"$V\")\"")
			cmd.Env = append(cmd.Environ(), "V="+v)
			if out, err := cmd.CombinedOutput(); err != nil || string(out) != want {
				t.Errorf("%s %q = %q (%v), want %q", fn, v, out, err, want)
			}
		}
	}
}
