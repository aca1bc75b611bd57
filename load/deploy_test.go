package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// The launchers in deploy/ are checked as far as this machine allows: the
// YAML parses into what Kubernetes and GitHub Actions read, the collection
// they carry loads, and the commands they run, run by sh with stand-ins
// for go and callsheet, pass --segment K/N for every K.

// stubs writes stand-ins for go (does nothing) and callsheet (records its
// arguments in args.txt and writes a summary where --json says) into a
// folder for PATH.
func stubs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go": "#!/bin/sh\nexit 0\n",
		"callsheet": `#!/bin/sh
echo "$@" >> "` + dir + `/args.txt"
while [ $# -gt 0 ]; do
  if [ "$1" = "--json" ]; then echo '{"summary": true}' > "$2"; fi
  shift
done
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runScript runs script with sh, the stubs first on PATH and env set,
// and returns its stdout.
func runScript(t *testing.T, dir, script string, env ...string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), append(env, "PATH="+dir+":"+os.Getenv("PATH"))...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, errOut.String())
	}
	return out.String()
}

func TestKubernetesIndexedJob(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "deploy", "kubernetes", "load-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type container struct {
		Command []string
		Args    []string
		Env     []struct{ Name, Value string }
	}
	var job struct {
		Kind string
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int
			Parallelism    int
			Template       struct {
				Spec struct{ Containers []container }
			}
		}
	}
	var collection string
	dec := yaml.NewDecoder(f)
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("load-job.yaml: %v", err)
		}
		var head struct {
			Kind string
			Data map[string]string
		}
		if err := doc.Decode(&head); err != nil {
			t.Fatal(err)
		}
		switch head.Kind {
		case "ConfigMap":
			collection = head.Data["api.yaml"]
		case "Job":
			if err := doc.Decode(&job); err != nil {
				t.Fatal(err)
			}
		}
	}
	spec := job.Spec
	if spec.CompletionMode != "Indexed" || spec.Completions != 4 || spec.Parallelism != 4 || len(spec.Template.Spec.Containers) != 1 {
		t.Fatalf("job spec = %+v, want an Indexed Job of 4 completions run at once, one container", spec)
	}
	c := spec.Template.Spec.Containers[0]
	var env []string
	for _, e := range c.Env {
		env = append(env, e.Name+"="+e.Value)
	}
	if !slices.Contains(env, "SEGMENTS=4") || !slices.Equal(c.Command, []string{"sh", "-c"}) || len(c.Args) != 1 {
		t.Fatalf("container = %+v, want sh -c SCRIPT with SEGMENTS=4", c)
	}
	dir := stubs(t)
	for i := range 4 {
		out := runScript(t, dir, strings.ReplaceAll(c.Args[0], "/collection/", dir+"/"), append(env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))...)
		if out != "{\"summary\": true}\n" {
			t.Errorf("index %d: stdout %q, want the summary alone", i, out)
		}
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args.txt"))
	for k := 1; k <= 4; k++ {
		if !strings.Contains(string(args), fmt.Sprintf("--segment %d/4 ", k)) {
			t.Errorf("no pod ran --segment %d/4; callsheet ran with:\n%s", k, args)
		}
	}
	checkCollection(t, collection, "base_url")
}

// checkCollection loads a launcher's collection and plans its test.
func checkCollection(t *testing.T, src string, defined ...string) {
	t.Helper()
	c, err := collections.Parse("api.yaml", []byte(src), collections.Options{Defined: defined})
	if err != nil {
		t.Fatalf("the launcher's collection does not load: %v", err)
	}
	p, err := PlanOf(c)
	if err == nil {
		_, err = p.Scenario.Complete()
	}
	if err != nil || len(p.Thresholds) == 0 {
		t.Errorf("the launcher's load: mapping: %v, %d thresholds", err, len(p.Thresholds))
	}
}

func TestCIMatrix(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "deploy", "ci", "github-actions-load.yml"))
	if err != nil {
		t.Fatal(err)
	}
	type step struct{ Run, Uses string }
	var wf struct {
		Jobs map[string]struct {
			Needs    string
			Strategy struct{ Matrix map[string][]int }
			Env      map[string]string
			Steps    []step
		}
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("github-actions-load.yml: %v", err)
	}
	seg, merge := wf.Jobs["segment"], wf.Jobs["merge"]
	if !slices.Equal(seg.Strategy.Matrix["segment"], []int{1, 2, 3, 4}) || seg.Env["SEGMENTS"] != "4" {
		t.Fatalf("segment job: matrix %v, SEGMENTS %q; want 1 to 4 of 4", seg.Strategy.Matrix, seg.Env["SEGMENTS"])
	}
	if merge.Needs != "segment" || !slices.ContainsFunc(merge.Steps, func(s step) bool { return strings.HasPrefix(s.Run, "callsheet load merge ") }) {
		t.Errorf("merge job = %+v, want it after the segments, running callsheet load merge", merge)
	}
	i := slices.IndexFunc(seg.Steps, func(s step) bool { return strings.HasPrefix(s.Run, "callsheet load ") })
	if i < 0 {
		t.Fatal("no segment step runs callsheet load")
	}
	dir := stubs(t)
	for _, k := range seg.Strategy.Matrix["segment"] {
		script := strings.ReplaceAll(seg.Steps[i].Run, "${{ matrix.segment }}", fmt.Sprint(k))
		runScript(t, dir, script, "SEGMENTS="+seg.Env["SEGMENTS"])
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args.txt"))
	for k := 1; k <= 4; k++ {
		if !strings.Contains(string(args), fmt.Sprintf("--segment %d/4 --json segment-%d.json", k, k)) {
			t.Errorf("no job ran --segment %d/4; callsheet ran with:\n%s", k, args)
		}
	}
}
