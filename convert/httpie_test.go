package convert

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/internal/wiretest"
)

// httpieCases are HTTPie command lines; BASE stands for the server's
// host and port.
var httpieCases = []string{
	`http BASE/users`,
	`http POST BASE/users name=Ann 'city=Zürich' age:=30 price:=1.50 tags:='["a", 1]' X-Trace:abc q==1`,
	`http -f POST BASE/login user=ann 'pass=s3cret word'`,
	`http --form POST BASE/upload title=Report doc@a.png`,
	`http PUT BASE/items/7 Authorization:'Bearer abc' ok:=true`,
	`http -a ann:pw DELETE BASE/items/7`,
	`http --raw 'plain text body' POST BASE/raw Content-Type:text/plain`,
}

// TestSendsWhatHTTPieSends runs each command with HTTPie and, imported,
// with callsheet at the same raw-byte server: the bytes match but for the
// fields each client adds of its own (User-Agent, Accept, Accept-Encoding,
// Connection, and the Content-Length: 0 Python's requests adds to a
// DELETE without a body, which Go's client never writes).
func TestSendsWhatHTTPieSends(t *testing.T) {
	httpie, err := exec.LookPath("http")
	if err != nil {
		t.Skip("HTTPie is not installed")
	}
	for _, line := range httpieCases {
		t.Run(line, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\nbytes"), 0o644)
			host := strings.TrimPrefix(srv.URL, "http://")
			cmdLine := strings.ReplaceAll(line, "BASE", host)
			words, err := SplitCommands(cmdLine)
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"--ignore-stdin", "--print=", "--timeout", "10"}, words[0][1:]...)
			cmd := exec.CommandContext(t.Context(), httpie, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("http: %v\n%s", err, out)
			}
			want := only(t, srv.Take())
			im, err := ImportHTTPie("wire", cmdLine)
			if err != nil {
				t.Fatal(err)
			}
			got := callsheetSends(t, srv, dir, string(im.Files[0].Data))
			want = strings.Replace(dropFields(want, "connection"), "content-length: 0\n", "", 1)
			if got != want {
				t.Errorf("callsheet sent\n%s\nHTTPie sent\n%s\ncollection:\n%s", got, want, im.Files[0].Data)
			}
		})
	}
}

// dropFields removes the lines of the named fields from a Compared form.
func dropFields(compared string, names ...string) string {
	var out []string
	for _, l := range strings.Split(compared, "\n") {
		drop := false
		for _, n := range names {
			drop = drop || strings.HasPrefix(l, n+":")
		}
		if !drop {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
