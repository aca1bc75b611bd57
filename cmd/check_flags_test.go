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
		if got := callsheet(t, nil, args...); got.code != ExitUsage {
			t.Errorf("callsheet %s = exit %d, want %d\n%s", strings.Join(args, " "), got.code, ExitUsage, got.stderr)
		}
	}
}
