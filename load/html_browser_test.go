package load

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// The browser test opens the HTML report in a real headless Chromium
// (internal/browsertest), as report's do.

// hostileStep is a step name that would run script if the page let it.
const hostileStep = `<img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=2</script>`

// browserSummary is a finished arrival-rate summary with a hostile step
// name and failure message, thresholds and five intervals.
func browserSummary(t *testing.T) *Summary {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := newCollector(start, true)
	for sec := 1; sec <= 5; sec++ {
		for i := range 100 {
			c.step(result("login", 200, time.Duration(i+sec)*time.Millisecond, true), time.Millisecond)
			c.step(result(hostileStep, []int{200, 503}[i%2], 3*time.Millisecond, i%2 == 0), 0)
			c.iteration()
		}
		c.vus.Store(int64(sec))
		c.tick(start.Add(time.Duration(sec) * time.Second))
	}
	s := c.snapshot()
	s.Collection, s.File, s.Start, s.Seconds = "api "+hostileStep, "api.yaml", start, 5
	s.Scenario, _ = Scenario{Rate: 200, Duration: 5 * time.Second}.Complete()
	s.Segments = []Segment{{K: 1, N: 1}}
	s.Steps[1].Samples[0].Message = "status: " + hostileStep
	s.finish()
	var ts []Threshold
	for _, text := range []string{"p95 < 1s", "checks > 99%"} {
		th, _ := ParseThreshold(text)
		ts = append(ts, th)
	}
	s.Evaluate(ts)
	return s
}

func TestHTMLReportInBrowser(t *testing.T) {
	file := filepath.Join(t.TempDir(), "load.html")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := browserSummary(t).WriteHTML(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, ev := browsertest.Open(t, file, "steps")

	t.Run("the charts draw every line", func(t *testing.T) {
		type chart struct {
			ID            string
			Width, Height float64
			Lines         []int // points per line
		}
		charts := browsertest.Eval[[]chart](t, ctx, `Array.from(document.querySelectorAll("figure")).map(f => {
			const r = f.querySelector("svg.chart").getBoundingClientRect();
			return {ID: f.id, Width: r.width, Height: r.height,
				Lines: Array.from(f.querySelectorAll("polyline")).map(p => p.points.numberOfItems)};
		})`)
		want := "chart-rate [5] chart-latency [5 5 5] chart-users [5] chart-errors [5 5]"
		var got []string
		for _, c := range charts {
			got = append(got, fmt.Sprint(c.ID, " ", c.Lines))
			if c.Width <= 0 || c.Height <= 0 {
				t.Errorf("chart %s is %gx%g px, want it visible", c.ID, c.Width, c.Height)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("charts = %q, want %q", strings.Join(got, " "), want)
		}
		// The rate line is flat at 200/s: every point at one height.
		ys := browsertest.Eval[[]float64](t, ctx, `Array.from(document.querySelector("#chart-rate polyline").points).map(p => p.y)`)
		if slices.Min(ys) != slices.Max(ys) {
			t.Errorf("rate points at heights %v, want one height for a steady 200/s", ys)
		}
	})

	t.Run("the tables hold every step and threshold", func(t *testing.T) {
		steps := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#steps tr td:first-child")).map(td => td.textContent)`)
		if want := []string{"login", hostileStep, "all steps"}; !slices.Equal(steps, want) {
			t.Errorf("steps table rows = %q, want %q", steps, want)
		}
		results := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#thresholds tr td:last-child")).map(td => td.textContent)`)
		if want := []string{"passed", "failed"}; !slices.Equal(results, want) {
			t.Errorf("threshold results = %q, want %q", results, want)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#uncorrected tr").length`); n != 4 {
			t.Errorf("uncorrected table has %d rows, want a heading and 3", n)
		}
	})

	t.Run("nothing is fetched but the page", func(t *testing.T) {
		requests, _, _ := ev.Snapshot()
		want := (&url.URL{Scheme: "file", Path: file}).String()
		if len(requests) == 0 || slices.ContainsFunc(requests, func(u string) bool { return u != want }) {
			t.Errorf("requests = %q, want only %q", requests, want)
		}
	})

	t.Run("hostile text runs no script", func(t *testing.T) {
		pwned := browsertest.Eval[bool](t, ctx, `"pwned" in window`)
		injected := browsertest.Eval[int](t, ctx, `document.querySelectorAll("script, img, iframe, object, embed").length`)
		_, dialogs, console := ev.Snapshot()
		if pwned || injected != 0 || len(dialogs) > 0 || len(console) > 0 {
			t.Errorf("pwned=%v, %d injected elements, dialogs %q, console %q; want none", pwned, injected, dialogs, console)
		}
	})

	if shot := os.Getenv("CALLSHEET_SCREENSHOT"); shot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(shot, png, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
