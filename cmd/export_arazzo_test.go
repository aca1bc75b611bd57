package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportArazzoCommand exports the bundled first call into a folder:
// the document and the description beside it, the notes on stderr.
func TestExportArazzoCommand(t *testing.T) {
	dir := t.TempDir()
	o := callsheet(t, nil, "export", "arazzo", "procore/first-call", "-o", dir)
	if o.code != ExitOK {
		t.Fatalf("export arazzo = %d, stderr %s", o.code, o.stderr)
	}
	doc, err := os.ReadFile(filepath.Join(dir, "first-call.arazzo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "first-call.openapi.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"url: first-call.openapi.yaml", "operationId: $sourceDescriptions.login_url.token", "$steps.token.outputs.access_token"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the document lacks %q:\n%s", want, doc)
		}
	}
	if !strings.Contains(o.stderr, "wrote "+filepath.Join(dir, "first-call.arazzo.yaml")) || !strings.Contains(o.stderr, "not exported as it is") {
		t.Errorf("stderr = %s", o.stderr)
	}
}

// TestExportArazzoGivenDescription prints a document that refers to a
// given description, by a path relative to the working folder.
func TestExportArazzoGivenDescription(t *testing.T) {
	o := callsheet(t, nil, "export", "arazzo", "procore/service-account", "--openapi", "../collections/procore/openapi.yaml")
	if o.code != ExitOK {
		t.Fatalf("export arazzo --openapi = %d, stderr %s", o.code, o.stderr)
	}
	if !strings.Contains(o.stdout, "url: ../collections/procore/openapi.yaml") || !strings.Contains(o.stdout, "$sourceDescriptions.base_url.listProjects") {
		t.Errorf("stdout:\n%s", o.stdout)
	}
	if !strings.Contains(o.stderr, `step "companies": the description has no operation GET /rest/v1.0/companies`) {
		t.Errorf("stderr lacks the step left out:\n%s", o.stderr)
	}
}

// TestExportArazzoUsage refuses a command line that has nowhere to write
// the description, or no collection.
func TestExportArazzoUsage(t *testing.T) {
	for _, args := range [][]string{
		{"export", "arazzo", "procore/first-call"},
		{"export", "arazzo", "-o", t.TempDir()},
		{"export", "arazzo", "procore/first-call", "--openapi", "nowhere.yaml"},
	} {
		if o := callsheet(t, nil, args...); o.code != ExitUsage {
			t.Errorf("%v = %d, want %d; stderr %s", args, o.code, ExitUsage, o.stderr)
		}
	}
}

// TestExportArazzoMasks exports a collection whose secret has a literal
// value, which a header also writes as text: neither the files nor the
// output hold it.
func TestExportArazzoMasks(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "flow.yaml")
	src := "vars:\n  base: https://api.example.test\n  key: s3cr3t-export-key\nsecrets: [key]\nsteps:\n  - name: call\n    GET: \"{{ base }}/things\"\n    headers:\n      X-Key: \"{{ key }}\"\n      X-Raw: s3cr3t-export-key\n    expect:\n      status: 200\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	o := callsheet(t, nil, "export", "arazzo", file, "-o", out)
	if o.code != ExitOK {
		t.Fatalf("export arazzo = %d, stderr %s", o.code, o.stderr)
	}
	all := o.stdout + o.stderr
	for _, name := range []string{"flow.arazzo.yaml", "flow.openapi.yaml"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		all += string(data)
	}
	if strings.Contains(all, "s3cr3t-export-key") {
		t.Errorf("the export shows the secret:\n%s", all)
	}
	if !strings.Contains(all, "format: password") || !strings.Contains(all, "secret key is exported without its value") {
		t.Errorf("the export does not say the secret is an input to give:\n%s", all)
	}
}
