package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// problemsOnly is r as `callsheet run` keeps it once its steps went to
// Parts: only the steps that did not pass.
func problemsOnly(r *runner.Result) *runner.Result {
	cp := *r
	cp.Steps = slices.DeleteFunc(slices.Clone(r.Steps), func(s *runner.StepResult) bool {
		return s.Outcome != runner.Failed && s.Outcome != runner.Errored
	})
	return &cp
}

// streamParts writes results through Parts, filled in reverse order as
// parallel runs may end, and added in order with only their problem
// steps; it returns the report's bytes.
func streamParts(t *testing.T, f Format, results []*runner.Result) []byte {
	t.Helper()
	return streamWith(t, f, results, func(s Stream) {
		parts := make([]*Part, len(results))
		for i, r := range results {
			parts[i] = s.Part(r.File)
		}
		for i := len(results) - 1; i >= 0; i-- {
			for _, st := range results[i].Steps {
				if err := parts[i].Step(st); err != nil {
					t.Fatalf("Step() error = %v", err)
				}
			}
		}
		for i, r := range results {
			if err := s.Add(problemsOnly(r), parts[i]); err != nil {
				t.Fatalf("Add() error = %v", err)
			}
		}
	})
}

// longCollection is one collection of n passed steps and a failed last
// one, each step with about 1 KiB of body excerpts.
func longCollection(n int) *runner.Result {
	r := &runner.Result{Name: "long", File: "long.yaml", Start: start, Duration: time.Second}
	for i := range n {
		s := iteration(i).Steps[0]
		s.Name = fmt.Sprintf("step %d", i+1)
		r.Steps = append(r.Steps, s)
	}
	bad := *fixture()[0].Steps[1]
	r.Steps = append(r.Steps, &bad)
	return r
}

func TestPartSpillsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	s, err := Create(FormatJSON, path)
	if err != nil {
		t.Fatal(err)
	}
	long := longCollection(2 * spillAt / 1024)
	spilled := s.Part(long.File)
	for _, st := range long.Steps {
		if err := spilled.Step(st); err != nil {
			t.Fatal(err)
		}
	}
	if spilled.spilled == nil || spilled.buf.Len() != 0 {
		t.Fatalf("a part of %d steps did not spill to disk", len(long.Steps))
	}
	dropped := s.Part(long.File)
	for _, st := range long.Steps {
		if err := dropped.Step(st); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Fatalf("folder holds %d files, want the report's parts and two spilled parts", len(entries))
	}
	dropped.Discard()
	if err := s.Add(problemsOnly(long), spilled); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "r.json" {
		t.Errorf("folder holds %v, want only r.json", entries)
	}
	rep, err := ReadJSON(bytes.NewReader(mustRead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Collections[0].Steps); got != len(long.Steps) {
		t.Errorf("report holds %d steps, want %d", got, len(long.Steps))
	}
	if rep.Summary.Passed != len(long.Steps)-1 || rep.Summary.Failed != 1 || rep.Collections[0].Outcome != "failed" {
		t.Errorf("summary %+v, outcome %s; want %d passed, 1 failed", rep.Summary, rep.Collections[0].Outcome, len(long.Steps)-1)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPartMemoryFlat shows that one collection's steps given to a Part do
// not stay on the heap: the heap in use after 20,000 steps of about 1 KiB
// each is within a few bytes a step of the heap after 2,000.
func TestPartMemoryFlat(t *testing.T) {
	step := iteration(0).Steps[0]
	assertHeapFlat(t, "steps", 2000, 20000, 16, func(s Stream, n int) func() {
		p := s.Part("chain.yaml")
		for range n {
			if err := p.Step(step); err != nil {
				t.Fatal(err)
			}
		}
		return func() { // the part is measured before it is added
			if err := s.Add(&runner.Result{Name: "chain", File: "chain.yaml"}, p); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestPartKeepsFirstError checks that a Part whose pieces cannot be
// written reports it at Step and at Add, and the report is not written.
func TestPartKeepsFirstError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	s, err := Create(FormatJSON, path)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Part("long.yaml")
	p.dir = filepath.Join(dir, "gone") // spilling will fail
	var stepErr error
	for _, st := range longCollection(2 * spillAt / 1024).Steps {
		if stepErr = p.Step(st); stepErr != nil {
			break
		}
	}
	if stepErr == nil {
		t.Fatal("Step() never failed to spill")
	}
	if err := s.Add(&runner.Result{Name: "long", File: "long.yaml"}, p); err == nil || !strings.Contains(err.Error(), "r.json") {
		t.Errorf("Add() error = %v, want the spill error naming the report", err)
	}
	if err := s.Close(); err == nil {
		t.Error("Close() error = nil after a failed Add")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("report written after a failed part: %v", err)
	}
}

// TestDiscardRemovesOpenParts checks that Discard removes the temporary
// files of Parts that were never added (a run that ended on an error).
func TestDiscardRemovesOpenParts(t *testing.T) {
	dir := t.TempDir()
	s, err := Create(FormatJSON, filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Part("long.yaml")
	for _, st := range longCollection(2 * spillAt / 1024).Steps {
		if err := p.Step(st); err != nil {
			t.Fatal(err)
		}
	}
	if p.spilled == nil {
		t.Fatal("the part did not spill")
	}
	s.Discard()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("folder holds %v after Discard, want nothing", entries)
	}
}

// BenchmarkPartStep gives steps to a JSON Part past its memory budget, as
// a long collection does: each piece goes to the temporary file.
func BenchmarkPartStep(b *testing.B) {
	s, err := Create(FormatJSON, filepath.Join(b.TempDir(), "r.json"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Discard()
	p := s.Part("chain.yaml")
	step := iteration(0).Steps[0]
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Step(step); err != nil {
			b.Fatal(err)
		}
	}
}
