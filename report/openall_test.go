package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

func TestOpenAll(t *testing.T) {
	dir := t.TempDir()
	junit, html := filepath.Join(dir, "a", "junit.xml"), filepath.Join(dir, "b", "c", "report.html")
	outs, err := OpenAll([]Target{{Format: FormatJUnit, File: junit}, {Format: FormatTAP}, {Format: FormatHTML, File: html}}, RunInfo{Version: "1"})
	if err != nil || len(outs) != 2 {
		t.Fatalf("OpenAll() = %d outputs, %v; want 2 (no file, no report)", len(outs), err)
	}
	for _, o := range outs {
		if err := o.End(); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{junit, html} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}

	// A report whose folder cannot be made: the one opened before it is
	// discarded and leaves no file.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(dir, "d", "first.json")
	_, err = OpenAll([]Target{{Format: FormatJSON, File: first}, {Format: FormatTAP, File: filepath.Join(blocker, "x.tap")}}, RunInfo{})
	if err == nil || !strings.Contains(err.Error(), "write TAP report") {
		t.Fatalf("OpenAll() error = %v, want one naming the TAP report", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(first))
	if len(entries) != 0 {
		t.Errorf("the JSON report opened first left %d files", len(entries))
	}
}

func TestFilesOpen(t *testing.T) {
	dir := t.TempDir()
	var annotations strings.Builder
	f := Files{JUnit: filepath.Join(dir, "r", "junit.xml"), TAP: filepath.Join(dir, "r", "run.tap"), Annotations: &annotations, HAR: filepath.Join(dir, "h", "run.har")}
	cs, discard, err := f.Open(RunInfo{}, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 4 {
		t.Fatalf("Open() = %d consumers, want the JUnit and TAP reports, the annotations and the HAR file", len(cs))
	}
	_, out1 := cs[0].(*Output)
	_, out2 := cs[1].(*Output)
	_, ann := cs[2].(*Annotations)
	har, isHAR := cs[3].(*HAR)
	if !out1 || !out2 || !ann || !isHAR || har.version != "1.2.3" {
		t.Errorf("Open() = %T, %T, %T, %T; want two reports, the annotations and the HAR file of version 1.2.3", cs[0], cs[1], cs[2], cs[3])
	}
	if info, err := os.Stat(filepath.Join(dir, "h")); err != nil || !info.IsDir() {
		t.Errorf("the HAR file's folder was not made: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "r")); len(entries) != 2 {
		t.Errorf("the reports hold %d files as the run goes, want 2", len(entries))
	}
	discard()
	if entries, _ := os.ReadDir(filepath.Join(dir, "r")); len(entries) != 0 {
		t.Errorf("discard left %d files of the reports", len(entries))
	}

	none, _, err := Files{}.Open(RunInfo{}, "1")
	if err != nil || len(none) != 0 {
		t.Errorf("Files{}.Open() = %d consumers, %v; want none", len(none), err)
	}

	// A HAR file whose folder cannot be made: the report opened before
	// it is discarded.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f = Files{JSON: filepath.Join(dir, "j", "run.json"), HAR: filepath.Join(blocker, "run.har")}
	if _, _, err := f.Open(RunInfo{}, "1"); err == nil || !strings.Contains(err.Error(), "write HAR file "+f.HAR) {
		t.Fatalf("Open() error = %v, want one naming the HAR file", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "j")); len(entries) != 0 {
		t.Errorf("the JSON report opened first left %d files", len(entries))
	}
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	results := []*runner.Result{{Name: "orders", File: "orders.yaml", Steps: []*runner.StepResult{{Name: "list", Outcome: runner.Passed}}}}
	json, tap, html := filepath.Join(dir, "a", "run.json"), filepath.Join(dir, "run.tap"), filepath.Join(dir, "b", "run.html")
	targets := []Target{{Format: FormatJSON, File: json}, {Format: FormatJUnit}, {Format: FormatTAP, File: tap}, {Format: FormatHTML, File: html}}
	var said strings.Builder
	if err := WriteFiles(targets, RunInfo{Version: "9.8.7"}, results, &said); err != nil {
		t.Fatal(err)
	}
	if want := "wrote JSON report " + json + "\nwrote TAP report " + tap + "\nwrote HTML report " + html + "\n"; said.String() != want {
		t.Errorf("WriteFiles said %q, want %q", said.String(), want)
	}
	rep, err := ReadJSONFile(json)
	if err != nil || len(rep.Collections) != 1 || rep.Collections[0].Name != "orders" {
		t.Errorf("the JSON report reads back as %+v, %v; want the collection orders", rep, err)
	}
	if b, err := os.ReadFile(tap); err != nil || !strings.Contains(string(b), "ok 1") {
		t.Errorf("the TAP report = %q, %v; want the passed step", b, err)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "9.8.7") {
		t.Errorf("the HTML report does not show the run's version: %v", err)
	}

	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = WriteFiles([]Target{{Format: FormatTAP, File: filepath.Join(blocker, "x.tap")}}, RunInfo{}, results, &said)
	if err == nil || !strings.Contains(err.Error(), "write TAP report "+filepath.Join(blocker, "x.tap")) {
		t.Errorf("WriteFiles() error = %v, want one naming the TAP report", err)
	}
}
