package report

import (
	"bytes"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// valuesFixture is a collection whose checks and captures hold a value of
// every type and number kind, and a step with a binary body.
func valuesFixture(t *testing.T) *runner.Result {
	t.Helper()
	num := func(text string) any {
		v, err := eval.ParseNumber(text)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	huge, _ := new(big.Int).SetString("18446744073709551615", 10)
	values := []runner.Typed{
		{Value: int64(-7)}, {Value: huge}, {Value: 2.0}, {Value: math.Copysign(0, -1)}, {Value: 2.5}, {Value: 1e21}, {Value: 1e20},
		{Value: num("0.1000000000000000055511151231257827")}, {Value: num("1e400")},
		{Value: []any{1.0, int64(2), "a", nil, map[string]any{"k": true}}}, {Value: map[string]any{"b": 1.5, "a": []any{}}},
		{Value: nil}, {Value: true}, {Value: "text"}, {Missing: true},
	}
	s := &runner.StepResult{
		Name: "values", Pos: pos(3, 5), Outcome: runner.Failed, Duration: 1234567 * time.Nanosecond,
		Request:  &exchange.Request{Method: "POST", URL: "http://127.0.0.1/v", Header: exchange.Header{{Name: "A", Value: "1"}, {Name: "A", Value: "2"}, {Name: "B", Value: "3"}}, Body: []byte{0xff, 0, 1}, BodySize: 3},
		Response: &exchange.Response{Status: 500, Header: exchange.Header{}, Body: []byte("text"), Size: 9000, Truncated: true, Duration: 999 * time.Microsecond},
	}
	for i, v := range values {
		s.Checks = append(s.Checks, &runner.CheckResult{Pos: pos(4+i, 7), Subject: "json v", Op: collections.OpEq, Expected: v, Actual: values[len(values)-1-i], Passed: i%2 == 0})
		s.Captures = append(s.Captures, &runner.CaptureResult{Name: "c", Value: v, Secret: i == 0})
	}
	return &runner.Result{Name: "values", File: "values.yaml", Start: start.Add(123456789 * time.Nanosecond), Duration: 3 * time.Second, Steps: []*runner.StepResult{s}}
}

func writeWith(t testing.TB, w Writer, results []*runner.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w(&b, results); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readBack(t testing.TB, report []byte) []*runner.Result {
	t.Helper()
	rep, err := ReadJSON(bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	results, err := rep.Results()
	if err != nil {
		t.Fatalf("Results() error = %v", err)
	}
	return results
}

// TestResultsRenderAgain checks that the results read back from a JSON
// report render as the run's did: the same JSON bytes, and the same JUnit
// and TAP but for the bytes that were not UTF-8, which JSON keeps as
// U+FFFD.
func TestResultsRenderAgain(t *testing.T) {
	inputs := []struct {
		name    string
		results []*runner.Result
	}{
		{"no collections", nil},
		{"every outcome", fixture()},
		{"many collections", many(20)},
		{"every value type", []*runner.Result{valuesFixture(t)}},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			report := writeWith(t, JSON, in.results)
			back := readBack(t, report)
			if got := writeWith(t, JSON, back); !bytes.Equal(got, report) {
				t.Errorf("JSON of the results read back differs:\n%s\nwant\n%s", got, report)
			}
			for _, f := range []struct {
				name  string
				write Writer
			}{{"JUnit", JUnit}, {"TAP", TAP}} {
				want := strings.NewReplacer(`\\xff`, "\uFFFD", `\xff`, "\uFFFD").Replace(string(writeWith(t, f.write, in.results)))
				if got := string(writeWith(t, f.write, back)); got != want {
					t.Errorf("%s of the results read back differs:\n%s\nwant\n%s", f.name, got, want)
				}
			}
		})
	}
}

// TestResultsKeepValues checks each value's type and text.
func TestResultsKeepValues(t *testing.T) {
	orig := valuesFixture(t).Steps[0]
	back := readBack(t, writeWith(t, JSON, []*runner.Result{valuesFixture(t)}))[0].Steps[0]
	for i, c := range orig.Checks {
		got := back.Checks[i].Expected
		if got.TypeName() != c.Expected.TypeName() || got.String() != c.Expected.String() || got.Missing != c.Expected.Missing {
			t.Errorf("value %d read back as %s (%s), want %s (%s)", i, got, got.TypeName(), c.Expected, c.Expected.TypeName())
		}
	}
	if !bytes.Equal(back.Request.Body, orig.Request.Body) {
		t.Errorf("binary body read back as %q, want %q", back.Request.Body, orig.Request.Body)
	}
	if back.Duration != orig.Duration.Truncate(time.Microsecond) {
		t.Errorf("duration read back as %v, want %v", back.Duration, orig.Duration.Truncate(time.Microsecond))
	}
}

// shardsOf writes one JSON report per shard: the collections of each file
// go to one of n shards, dealt round-robin by sorted file path, as run
// --shard does.
func shardsOf(t *testing.T, results []*runner.Result, n int) [][]byte {
	t.Helper()
	var files []string
	for _, r := range results {
		files = append(files, r.File)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	shards := make([][]*runner.Result, n)
	for _, r := range results {
		k := slices.Index(files, r.File) % n
		shards[k] = append(shards[k], r)
	}
	var out [][]byte
	for _, s := range shards {
		out = append(out, writeWith(t, JSON, s))
	}
	return out
}

func TestMergeShards(t *testing.T) {
	whole := append(fixture(), valuesFixture(t))
	whole = append(whole, many(6)[2:]...)
	// The run in file order, the order a run of a folder has.
	sorted := slices.Clone(whole)
	slices.SortStableFunc(sorted, func(a, b *runner.Result) int { return strings.Compare(a.File, b.File) })
	want := writeWith(t, JSON, sorted)
	for n := 1; n <= 5; n++ {
		shards := shardsOf(t, whole, n)
		slices.Reverse(shards) // the order of the reports does not matter
		var reps []*JSONReport
		var names []string
		var sum JSONSummary
		for i, b := range shards {
			rep, err := ReadJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
			names = append(names, "shard-"+string(rune('a'+i)))
			sum.Passed += rep.Summary.Passed
			sum.Failed += rep.Summary.Failed
			sum.Errors += rep.Summary.Errors
			sum.NotRun += rep.Summary.NotRun
			sum.Skipped += rep.Summary.Skipped
		}
		merged, err := Merge(reps, names)
		if err != nil {
			t.Fatalf("Merge(%d shards) error = %v", n, err)
		}
		got := writeWith(t, JSON, merged)
		if !bytes.Equal(got, want) {
			t.Errorf("merge of %d shards differs from the whole run's report:\n%s\nwant\n%s", n, got, want)
		}
		rep, _ := ReadJSON(bytes.NewReader(got))
		if rep.Summary != sum {
			t.Errorf("merge of %d shards counts %+v, want the shards' sum %+v", n, rep.Summary, sum)
		}
		// The fixture's runs span 2026-01-02T03:04:05Z to the values
		// collection's end, 3.123456 s later.
		if rep.DurationMS != 3123.456 || !rep.Start.Equal(start) {
			t.Errorf("merge of %d shards spans %v from %v, want 3123.456 ms from %v", n, rep.DurationMS, rep.Start, start)
		}
	}
}

func TestMergeErrors(t *testing.T) {
	read := func(b []byte) *JSONReport {
		rep, err := ReadJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	users := writeWith(t, JSON, fixture()[:1])
	tests := []struct {
		name    string
		reports [][]byte
		want    string
	}{
		{"a file in two reports", [][]byte{users, writeWith(t, JSON, fixture())}, "collection file api/users.yaml is in both r0 and r1: give each shard's report once"},
		{"an unknown outcome", [][]byte{bytes.Replace(users, []byte(`"outcome": "passed"`), []byte(`"outcome": "fine"`), 1)}, `r0: collection "users & <admins>" (api/users.yaml), step "login": unknown outcome "fine"`},
		{"a value of another type", [][]byte{bytes.Replace(users, []byte(`"type": "integer",
                "value": 200`), []byte(`"type": "string",
                "value": 200`), 1)}, `check status: expected: value 200 is integer, but its type says string`},
		{"a body that is not base64", [][]byte{bytes.Replace(users, []byte(`"text": "{\"token\":\"***\"}"`), []byte(`"base64": "%%"`), 1)}, `response body: illegal base64 data`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reps []*JSONReport
			var names []string
			for i, b := range tt.reports {
				reps = append(reps, read(b))
				names = append(names, "r"+string(rune('0'+i)))
			}
			_, err := Merge(reps, names)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// The same report given twice is the same mistake.
	rep := read(users)
	if _, err := Merge([]*JSONReport{rep, rep}, []string{"a.json", "a.json"}); err == nil {
		t.Error("Merge() of one report twice: no error")
	}
}

// FuzzResults feeds ReadJSON and Results any document: they never panic,
// and a report written from results read back reads back to the same
// bytes.
func FuzzResults(f *testing.F) {
	// Small seeds: the engine minimizes each new input, slowly when large.
	f.Add([]byte(`{"version":1,"collections":[{"name":"a","file":"a.yaml","start":"2026-01-02T03:04:05.5Z","duration_ms":1.5,"error":"e","steps":[{"name":"s","file":"a.yaml","line":3,"column":5,"outcome":"failed","duration_ms":2,"error":"x",` +
		`"request":{"method":"GET","url":"u","headers":{"A":["1","2"]},"body":{"base64":"/wAB","size":3,"truncated":false}},"response":{"status":500,"headers":{},"body":{"text":"t","size":9,"truncated":true},"duration_ms":0.999},` +
		`"checks":[{"subject":"json v","op":"eq","line":4,"column":7,"passed":false,"expected":{"type":"integer","value":18446744073709551615},"actual":{"type":"none","value":null},"message":"m"}],` +
		`"captures":[{"name":"c","secret":true,"value":{"type":"array","value":[1.5,{"k":null}]}}]}]}]}`))
	f.Add([]byte(`{"version":1,"collections":[{"name":"b","file":"b.yaml","steps":[{"outcome":"skipped","skip_reason":"r"},{"outcome":"not run"}]},{"name":"a","file":"a.yaml","steps":[]}]}`))
	f.Add([]byte(`{"version":1,"collections":[{"name":"x","duration_ms":1e300,"steps":[]}]}`))
	f.Add([]byte(`{"version":1,"collections":[{"steps":[{"outcome":"passed","checks":[{"expected":{"type":"number","value":1e400}}]}]}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		rep, err := ReadJSON(bytes.NewReader(doc))
		if err != nil {
			return
		}
		results, err := rep.Results()
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := JSON(&first, results); err != nil {
			t.Fatalf("JSON of results read back: %v", err)
		}
		if again := writeWith(t, JSON, readBack(t, first.Bytes())); !bytes.Equal(again, first.Bytes()) {
			t.Errorf("report read back and written again differs:\n%s\nwant\n%s", again, first.Bytes())
		}
	})
}
