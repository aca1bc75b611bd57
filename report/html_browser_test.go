package report

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

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// The browser tests open the HTML report in a real headless Chromium,
// driven through the DevTools protocol (chromedp). They skip only when no
// Chromium is installed: .ci/browser installs Debian's and runs them.
// CALLSHEET_CHROMIUM names the binary; CALLSHEET_SCREENSHOT, a PNG file to
// write the page to.

// chromium returns the Chromium binary, or skips t when none is
// installed.
func chromium(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CALLSHEET_CHROMIUM"); bin != "" {
		return bin
	}
	names := []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}
	for _, name := range names {
		if bin, err := exec.LookPath(name); err == nil {
			return bin
		}
	}
	t.Skipf("browser tests skipped: Chromium is not installed (none of %s on PATH, CALLSHEET_CHROMIUM unset); .ci/browser installs it and runs them", strings.Join(names, ", "))
	return ""
}

// hostile is what a server or a collection could send to make the report
// run script: each would set window.pwned, open a dialog and log.
const (
	hostileName = `<img src=x onerror="window.pwned=1;alert(1);console.log('pwned')">`
	hostileBody = `</script><script>window.pwned=2;alert(2);console.log('pwned')</script><svg onload="window.pwned=3">`
	bodyNeedle  = "needle-only-in-a-body"
)

// browserFixture is the fixture with a third collection: a failed step
// whose name and body are hostile, a passed step found only by its body
// and a slow one.
func browserFixture() []*runner.Result {
	step := func(name string, o runner.Outcome, d time.Duration, body string) *runner.StepResult {
		return &runner.StepResult{
			Name: name, Pos: pos(3, 5), Outcome: o, Duration: d,
			Request:  &exchange.Request{Method: "GET", URL: "http://127.0.0.1:8080/" + url.PathEscape(name)},
			Response: &exchange.Response{Status: 200, Proto: "HTTP/1.1", Header: exchange.Header{{Name: "Content-Type", Value: "text/html"}}, Body: []byte(body), Size: int64(len(body))},
		}
	}
	hostile := &runner.Result{
		Name: "hostile " + hostileName, File: "api/hostile.yaml", Start: start.Add(500 * time.Millisecond), Duration: 1200 * time.Millisecond,
		Steps: []*runner.StepResult{
			step(hostileName, runner.Failed, 300*time.Millisecond, hostileBody),
			step("search target", runner.Passed, 100*time.Millisecond, "before "+bodyNeedle+" after"),
			step("slow", runner.Passed, 700*time.Millisecond, "{}"),
		},
	}
	return append(fixture(), hostile)
}

// pageEvents is what the page did that the test listens for.
type pageEvents struct {
	mu       sync.Mutex
	requests []string // the URLs requested
	dialogs  []string
	console  []string // console calls, exceptions and log entries
}

func (e *pageEvents) add(list *[]string, s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	*list = append(*list, s)
}

func (e *pageEvents) snapshot() (requests, dialogs, console []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.requests), slices.Clone(e.dialogs), slices.Clone(e.console)
}

// openInBrowser starts Chromium with a fresh profile, listens to the
// page's requests, dialogs and console, and opens file in a tab.
func openInBrowser(t *testing.T, file string) (context.Context, *pageEvents) {
	t.Helper()
	bin := chromium(t)
	// A hang guard only: the test checks what the page does, not how fast.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
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
			ev.add(&ev.console, fmt.Sprintf("console.%s with %d arguments", e.Type, len(e.Args)))
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
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.ID("charts"))); err != nil {
		t.Fatalf("open %s in Chromium: %v", u, err)
	}
	return ctx, ev
}

// evalJS returns the value of the script expr in the page.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}

// do runs actions in the page.
func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// visible is the script that lists the names of the steps shown.
const visible = `Array.from(document.querySelectorAll("details.step")).filter(d => d.getClientRects().length > 0).map(d => d.querySelector(".name").textContent)`

func TestHTMLInBrowser(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(writeHTML(t, HTMLWith(runInfo()), browserFixture())), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, ev := openInBrowser(t, file)
	failures := chromedp.Click(chromedp.ID("failures"))
	if all := evalJS[[]string](t, ctx, visible); len(all) != 9 {
		t.Fatalf("steps shown at first = %q, want all 9", all)
	}

	t.Run("the filter hides passed steps", func(t *testing.T) {
		do(t, ctx, failures)
		want := []string{"list <script>alert('x')</script>\n::set-env name=X::1\\x1b[31m\\xff, 100%: done", "delete", hostileName}
		if shown := evalJS[[]string](t, ctx, visible); !slices.Equal(shown, want) {
			t.Errorf("failures only shows %q, want %q", shown, want)
		}
		// The collection that could not start is a failure too.
		sections := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("section.collection")).filter(s => s.getClientRects().length > 0).map(s => s.querySelector("h2 .name").textContent)`)
		if want := []string{"users & <admins>", "broken", "hostile " + hostileName}; !slices.Equal(sections, want) {
			t.Errorf("failures only shows collections %q, want %q", sections, want)
		}
		do(t, ctx, failures)
		if shown := evalJS[[]string](t, ctx, visible); len(shown) != 9 {
			t.Errorf("after the filter is cleared, shown = %q, want all 9", shown)
		}
	})

	t.Run("search finds a step", func(t *testing.T) {
		clear := chromedp.Evaluate[chromedp.Void](`{const s = document.getElementById("search"); s.value = ""; s.dispatchEvent(new Event("input"))}`)
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"logout", []string{"logout"}},
			{"SLOW", []string{"slow"}},
			{bodyNeedle, []string{"search target"}}, // in its body only: opened
			{"no step has this", nil},
		} {
			do(t, ctx, chromedp.SendKeys(chromedp.ID("search"), tt.query))
			if shown := evalJS[[]string](t, ctx, visible); !slices.Equal(shown, tt.want) {
				t.Errorf("search %q shows %q, want %q", tt.query, shown, tt.want)
			}
			count := evalJS[string](t, ctx, `document.getElementById("shown").textContent`)
			if want := fmt.Sprintf("%d of 9 steps shown", len(tt.want)); count != want {
				t.Errorf("search %q: the counter reads %q, want %q", tt.query, count, want)
			}
			if tt.query == bodyNeedle && !evalJS[bool](t, ctx, `Array.from(document.querySelectorAll("details.step")).find(d => d.querySelector(".name").textContent === "search target").open`) {
				t.Errorf("search %q: the step it found in a body is not opened", tt.query)
			}
			do(t, ctx, clear)
		}
	})

	t.Run("the charts render", func(t *testing.T) {
		type chart struct {
			ID            string
			Width, Height float64
			Bars, Empty   int
		}
		charts := evalJS[[]chart](t, ctx, `Array.from(document.querySelectorAll("figure.chart")).map(f => {
			const r = f.querySelector("svg").getBoundingClientRect();
			const bars = Array.from(f.querySelectorAll("rect.bar"));
			return {ID: f.id, Width: r.width, Height: r.height, Bars: bars.length,
				Empty: bars.filter(b => { const br = b.getBoundingClientRect(); return !(br.width > 0 && br.height > 0); }).length};
		})`)
		// The run's timeline has a bar per collection; the durations chart
		// one per step that took time; each waterfall one per step.
		want := map[string]int{"timeline": 3, "durations": 6, "waterfall-0": 5, "waterfall-1": 1, "waterfall-2": 3}
		got := map[string]int{}
		for _, c := range charts {
			got[c.ID] = c.Bars
			if c.Width <= 0 || c.Height <= 0 || c.Empty > 0 {
				t.Errorf("chart %s is %gx%g px with %d of %d bars empty; want a visible chart", c.ID, c.Width, c.Height, c.Empty, c.Bars)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("charts and their bars = %v, want %v", got, want)
		}
	})

	if shot := os.Getenv("CALLSHEET_SCREENSHOT"); shot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("nothing is fetched but the page", func(t *testing.T) {
		requests, _, _ := ev.snapshot()
		want := (&url.URL{Scheme: "file", Path: file}).String()
		if len(requests) == 0 || slices.ContainsFunc(requests, func(u string) bool { return u != want }) {
			t.Errorf("requests = %q, want only %q", requests, want)
		}
	})

	t.Run("hostile text runs no script", func(t *testing.T) {
		pwned := evalJS[bool](t, ctx, `"pwned" in window`)
		scripts := evalJS[int](t, ctx, `document.querySelectorAll("script").length`)
		injected := evalJS[int](t, ctx, `document.querySelectorAll("img, iframe, object, embed, pre *, .name *").length`)
		name := evalJS[string](t, ctx, `document.querySelectorAll("section.collection")[2].querySelector("h2 .name").textContent`)
		_, dialogs, console := ev.snapshot()
		if pwned || len(dialogs) > 0 || len(console) > 0 {
			t.Errorf("the page ran hostile script or logged: pwned=%v, dialogs %q, console %q", pwned, dialogs, console)
		}
		if scripts != 1 || injected != 0 {
			t.Errorf("page has %d scripts and %d injected elements, want its own script only", scripts, injected)
		}
		if want := "hostile " + hostileName; name != want {
			t.Errorf("hostile name shows as %q, want the text %q", name, want)
		}
	})
}
