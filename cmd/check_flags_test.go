package cmd

import (
	"strings"
	"testing"
)

func TestRunCheckFlagsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--seed", "x", "ok.yaml"},
		{"run", "--now", "yesterday", "ok.yaml"},
	} {
		dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": "steps:\n  - GET: http://127.0.0.1:1/\n"})
		args[len(args)-1] = dir + "/ok.yaml"
		// The error names the flag: exit 2 alone could be any usage error.
		if got := callsheet(t, nil, args...); got.code != ExitUsage || !strings.Contains(got.stderr, "error: "+args[1]+` "`+args[2]+`"`) {
			t.Errorf("callsheet %s = exit %d, want %d and an error naming %s\n%s", strings.Join(args, " "), got.code, ExitUsage, args[1], got.stderr)
		}
	}
}
