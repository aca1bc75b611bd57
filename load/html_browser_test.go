package load

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser test opens the HTML report in a real headless Chromium, as
// report's do (see report/html_browser_test.go): it skips only when no
// Chromium is installed, and .ci/browser installs Debian's and runs it.

// chromium returns the Chromium binary, or skips t when none is installed.
func chromium(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CALLSHEET_CHROMIUM"); bin != "" {
		return bin
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if bin, err := exec.LookPath(name); err == nil {
			return bin
		}
	}
	t.Skip("browser test skipped: Chromium is not installed; .ci/browser installs it and runs it")
	return ""
}

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

// pageEvents is what the page did that the test listens for.
type pageEvents struct {
	mu                         sync.Mutex
	requests, dialogs, console []string
}

func (e *pageEvents) add(list *[]string, s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	*list = append(*list, s)
}

// open starts Chromium with a fresh profile and opens file, listening to
// the page's requests, dialogs and console.
func open(t *testing.T, file string) (context.Context, *pageEvents) {
	t.Helper()
	bin := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang guard only
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-extensions", true), chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	ev := &pageEvents{}
	err := chromedp.Listen(ctx, func(e any) {
		switch e := e.(type) {
		case *network.EventRequestWillBeSent:
			ev.add(&ev.requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			ev.add(&ev.dialogs, e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *cdpruntime.EventConsoleAPICalled:
			ev.add(&ev.console, "console."+string(e.Type))
		case *cdpruntime.EventExceptionThrown:
			ev.add(&ev.console, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			ev.add(&ev.console, fmt.Sprintf("log %s: %s", e.Entry.Level, e.Entry.Text))
		}
	})
	if err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	u := (&url.URL{Scheme: "file", Path: file}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.ID("steps"))); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	return ctx, ev
}

func evalIn[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
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
	ctx, ev := open(t, file)

	t.Run("the charts draw every line", func(t *testing.T) {
		type chart struct {
			ID            string
			Width, Height float64
			Lines         []int // points per line
		}
		charts := evalIn[[]chart](t, ctx, `Array.from(document.querySelectorAll("figure")).map(f => {
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
		ys := evalIn[[]float64](t, ctx, `Array.from(document.querySelector("#chart-rate polyline").points).map(p => p.y)`)
		if slices.Min(ys) != slices.Max(ys) {
			t.Errorf("rate points at heights %v, want one height for a steady 200/s", ys)
		}
	})

	t.Run("the tables hold every step and threshold", func(t *testing.T) {
		steps := evalIn[[]string](t, ctx, `Array.from(document.querySelectorAll("#steps tr td:first-child")).map(td => td.textContent)`)
		if want := []string{"login", hostileStep, "all steps"}; !slices.Equal(steps, want) {
			t.Errorf("steps table rows = %q, want %q", steps, want)
		}
		results := evalIn[[]string](t, ctx, `Array.from(document.querySelectorAll("#thresholds tr td:last-child")).map(td => td.textContent)`)
		if want := []string{"passed", "failed"}; !slices.Equal(results, want) {
			t.Errorf("threshold results = %q, want %q", results, want)
		}
		if n := evalIn[int](t, ctx, `document.querySelectorAll("#uncorrected tr").length`); n != 4 {
			t.Errorf("uncorrected table has %d rows, want a heading and 3", n)
		}
	})

	t.Run("nothing is fetched but the page", func(t *testing.T) {
		ev.mu.Lock()
		defer ev.mu.Unlock()
		want := (&url.URL{Scheme: "file", Path: file}).String()
		if len(ev.requests) == 0 || slices.ContainsFunc(ev.requests, func(u string) bool { return u != want }) {
			t.Errorf("requests = %q, want only %q", ev.requests, want)
		}
	})

	t.Run("hostile text runs no script", func(t *testing.T) {
		pwned := evalIn[bool](t, ctx, `"pwned" in window`)
		injected := evalIn[int](t, ctx, `document.querySelectorAll("script, img, iframe, object, embed").length`)
		ev.mu.Lock()
		defer ev.mu.Unlock()
		if pwned || injected != 0 || len(ev.dialogs) > 0 || len(ev.console) > 0 {
			t.Errorf("pwned=%v, %d injected elements, dialogs %q, console %q; want none", pwned, injected, ev.dialogs, ev.console)
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
