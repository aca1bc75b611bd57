package collections

import (
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bigCollection is a collection of n steps, each with headers, a query, a
// JSON body, checks and a capture used by the next step.
func bigCollection(n int) []byte {
	var b strings.Builder
	b.WriteString("name: big\nvars:\n  base: https://api.example.com\n  token: abc\nsteps:\n")
	for i := range n {
		prev := "token"
		if i > 0 {
			prev = fmt.Sprintf("id%d", i-1)
		}
		fmt.Fprintf(&b, `  - name: step %d
    POST: "{{ base }}/items/{{ %s }}"
    headers:
      Authorization: "Bearer {{ token }}"
    query:
      page: %d
    json:
      name: item %d
      parent: "{{ %s }}"
      tags: [a, b]
    expect:
      status: 201
      headers:
        Content-Type: { contains: json }
      json:
        name: item %d
        count: { gt: 0 }
    capture:
      id%d: id
`, i, prev, i, i, prev, i, i)
	}
	return []byte(b.String())
}

// TestLoadTenThousandSteps checks the target: a collection of 10,000 steps
// loads and validates in under a second. Other processes share the
// machine, so the test counts the CPU time the process spends (on every
// thread, the garbage collector's included) rather than the wall clock,
// and takes the best of three attempts; -race, several times slower,
// skips it.
func TestLoadTenThousandSteps(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test: not in -short or -race runs")
	}
	src := bigCollection(10000)
	best, bestWall := time.Duration(1<<63-1), time.Duration(0)
	for range 3 {
		runtime.GC()
		cpu0, start := cpuTime(t), time.Now()
		c, err := Parse("big.yaml", src, Options{})
		cpu, wall := cpuTime(t)-cpu0, time.Since(start)
		if err != nil {
			t.Fatalf("Parse(big) error: %v", err)
		}
		if len(c.Steps) != 10000 {
			t.Fatalf("Parse(big) has %d steps, want 10000", len(c.Steps))
		}
		if cpu < best {
			best, bestWall = cpu, wall
		}
		if best < time.Second {
			break
		}
	}
	t.Logf("10,000 steps (%d KiB) loaded and validated in %v of CPU time (%v of wall time)", len(src)>>10, best, bestWall)
	if best > time.Second {
		t.Errorf("Parse of 10,000 steps took %v of CPU time at best, want under 1s", best)
	}
}

func BenchmarkLoadBundled(b *testing.B) {
	src, err := fs.ReadFile(Bundled(), "procore/first-call.yaml")
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Defined: []string{"login_url", "base_url", "client_id", "client_secret", "company_id"}}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("procore/first-call.yaml", src, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadSteps(b *testing.B) {
	for _, n := range []int{100, 10000} {
		src := bigCollection(n)
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Parse("big.yaml", src, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseTemplate(b *testing.B) {
	for _, s := range []string{
		"https://api.example.com/items",
		"{{ base_url }}/rest/v1.0/projects",
		"Bearer {{ access_token }}",
		"{{ int(env.PROCORE_COMPANY_ID) }}",
	} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseTemplate(s, Pos{File: "f", Line: 1, Col: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderTemplate(b *testing.B) {
	scope := NewScope(func(name string) (string, bool) { return "4264807", name == "PROCORE_COMPANY_ID" })
	scope.Set("base_url", "https://127.0.0.1:8443")
	scope.Set("access_token", strings.Repeat("a", 64))
	scope.Set("company_id", int64(4264807))
	for _, s := range []string{
		"https://api.example.com/items",
		"{{ base_url }}/rest/v1.0/projects",
		"Bearer {{ access_token }}",
		"{{ company_id }}",
		"{{ int(env.PROCORE_COMPANY_ID) }}",
	} {
		tmpl, err := ParseTemplate(s, Pos{File: "f", Line: 1, Col: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tmpl.Render(scope); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
