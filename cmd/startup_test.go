//go:build unix

package cmd

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// initAllocBudget is what a package of the module may allocate when the
// process starts: enough for a few small tables, not for a compiled
// template or a set of regular expressions, which are made at first use.
const initAllocBudget = 500

// TestStartupAllocations runs `callsheet version` with the runtime's
// init trace and checks the allocations of each package of the module's
// initialisation against initAllocBudget: start-up work that only some
// commands need is done when they need it.
func TestStartupAllocations(t *testing.T) {
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("callsheet version: %v\n%s", err, out)
	}
	line := regexp.MustCompile(`(?m)^init (github\.com/callsheet/callsheet/\S+) @.* (\d+) bytes, (\d+) allocs$`)
	matches := line.FindAllStringSubmatch(string(out), -1)
	if len(matches) == 0 {
		t.Fatalf("no init trace of the module's packages in:\n%s", out)
	}
	for _, m := range matches {
		allocs, _ := strconv.Atoi(m[3])
		if allocs > initAllocBudget {
			t.Errorf("initialising %s allocates %d times (%s bytes), more than %d", m[1], allocs, m[2], initAllocBudget)
		}
	}
}
