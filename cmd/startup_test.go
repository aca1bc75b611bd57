//go:build unix

package cmd

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// initAllocBudget is what a package of the module may allocate when the
// process starts: enough for a few small tables and a pointer per lazy
// regular expression, not for a compiled template, a compiled regular
// expression or a YAML node normalized through the encoder, which are
// made at first use.
const initAllocBudget = 100

// dependencyAllocBudget is what each of budgetedDependencies may allocate.
const dependencyAllocBudget = 500

// budgetedDependencies are packages of other modules held to the same
// budget: the JSON Schema library is used through a fork
// (third_party/jsonschema) that compiles its meta-schemas at first use
// rather than at init, which otherwise costs about 21,000 allocations.
var budgetedDependencies = []string{"github.com/santhosh-tekuri/jsonschema/v6"}

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
	packages := []string{`github\.com/callsheet/callsheet/\S+`}
	for _, dep := range budgetedDependencies {
		packages = append(packages, regexp.QuoteMeta(dep))
	}
	line := regexp.MustCompile(`(?m)^init (` + strings.Join(packages, "|") + `) @.* (\d+) bytes, (\d+) allocs$`)
	matches := line.FindAllStringSubmatch(string(out), -1)
	if len(matches) == 0 {
		t.Fatalf("no init trace of the module's packages in:\n%s", out)
	}
	for _, dep := range budgetedDependencies {
		if !strings.Contains(string(out), "init "+dep+" @") {
			t.Errorf("no init trace of %s: is it still linked?", dep)
		}
	}
	for _, m := range matches {
		allocs, _ := strconv.Atoi(m[3])
		budget := initAllocBudget
		if !strings.HasPrefix(m[1], "github.com/callsheet/callsheet/") {
			budget = dependencyAllocBudget
		}
		if allocs > budget {
			t.Errorf("initialising %s allocates %d times (%s bytes), more than %d", m[1], allocs, m[2], budget)
		}
	}
}
