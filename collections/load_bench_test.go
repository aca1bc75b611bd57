package collections

import (
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/eval"
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

// TestLoadTenThousandSteps checks that a collection of 10,000 steps loads
// whole, each step with what it was written with and where, and that its
// loaded form, source included, holds under 8 KiB of heap a step (about
// 5.7 KiB when written). How fast it loads is
// BenchmarkLoadSteps's concern (steps=10000).
func TestLoadTenThousandSteps(t *testing.T) {
	const n = 10000
	src := bigCollection(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := Parse("big.yaml", src, Options{})
	if err != nil {
		t.Fatalf("Parse(big) error: %v", err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(c.Steps) != n {
		t.Fatalf("Parse(big) has %d steps, want %d", len(c.Steps), n)
	}
	for _, i := range []int{0, 1, n / 2, n - 1} {
		s := c.Steps[i]
		if want := fmt.Sprintf("step %d", i); s.Name != want || len(s.Captures) != 1 || s.Captures[0].Name != fmt.Sprintf("id%d", i) {
			t.Errorf("Steps[%d] = %q capturing %v, want %q capturing id%d", i, s.Name, s.Captures, want, i)
		}
		// The header takes 5 lines, each step 19.
		if want := 6 + 19*i; len(s.Request().Query) != 1 || s.Pos.Line != want {
			t.Errorf("Steps[%d] at line %d with %d query values, want line %d with 1", i, s.Pos.Line, len(s.Request().Query), want)
		}
	}
	perStep := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	t.Logf("10,000 steps (%d KiB) hold %d bytes of heap a step", len(src)>>10, perStep)
	if perStep > 8<<10 {
		t.Errorf("the loaded collection holds %d bytes of heap a step, want under 8 KiB", perStep)
	}
	runtime.KeepAlive(c)
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
	scope := eval.NewScope(func(name string) (string, bool) { return "4264807", name == "PROCORE_COMPANY_ID" })
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
