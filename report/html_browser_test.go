package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/browsertest"
	"github.com/callsheet/callsheet/runner"
)

// The browser tests open the HTML report in a real headless Chromium
// (internal/browsertest). CALLSHEET_SCREENSHOT names a PNG file to write
// the page to.

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
	ctx, ev := browsertest.Open(t, file, "charts")
	failures := chromedp.Click(chromedp.ID("failures"))
	if all := browsertest.Eval[[]string](t, ctx, visible); len(all) != 9 {
		t.Fatalf("steps shown at first = %q, want all 9", all)
	}

	t.Run("the filter hides passed steps", func(t *testing.T) {
		do(t, ctx, failures)
		want := []string{"list <script>alert('x')</script>\n::set-env name=X::1\\x1b[31m\\xff, 100%: done", "delete", hostileName}
		if shown := browsertest.Eval[[]string](t, ctx, visible); !slices.Equal(shown, want) {
			t.Errorf("failures only shows %q, want %q", shown, want)
		}
		// The collection that could not start is a failure too.
		sections := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("section.collection")).filter(s => s.getClientRects().length > 0).map(s => s.querySelector("h2 .name").textContent)`)
		if want := []string{"users & <admins>", "broken", "hostile " + hostileName}; !slices.Equal(sections, want) {
			t.Errorf("failures only shows collections %q, want %q", sections, want)
		}
		do(t, ctx, failures)
		if shown := browsertest.Eval[[]string](t, ctx, visible); len(shown) != 9 {
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
			if shown := browsertest.Eval[[]string](t, ctx, visible); !slices.Equal(shown, tt.want) {
				t.Errorf("search %q shows %q, want %q", tt.query, shown, tt.want)
			}
			count := browsertest.Eval[string](t, ctx, `document.getElementById("shown").textContent`)
			if want := fmt.Sprintf("%d of 9 steps shown", len(tt.want)); count != want {
				t.Errorf("search %q: the counter reads %q, want %q", tt.query, count, want)
			}
			if tt.query == bodyNeedle && !browsertest.Eval[bool](t, ctx, `Array.from(document.querySelectorAll("details.step")).find(d => d.querySelector(".name").textContent === "search target").open`) {
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
		charts := browsertest.Eval[[]chart](t, ctx, `Array.from(document.querySelectorAll("figure.chart")).map(f => {
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
		requests, _, _ := ev.Snapshot()
		want := (&url.URL{Scheme: "file", Path: file}).String()
		if len(requests) == 0 || slices.ContainsFunc(requests, func(u string) bool { return u != want }) {
			t.Errorf("requests = %q, want only %q", requests, want)
		}
	})

	t.Run("hostile text runs no script", func(t *testing.T) {
		pwned := browsertest.Eval[bool](t, ctx, `"pwned" in window`)
		scripts := browsertest.Eval[int](t, ctx, `document.querySelectorAll("script").length`)
		injected := browsertest.Eval[int](t, ctx, `document.querySelectorAll("img, iframe, object, embed, pre *, .name *").length`)
		name := browsertest.Eval[string](t, ctx, `document.querySelectorAll("section.collection")[2].querySelector("h2 .name").textContent`)
		_, dialogs, console := ev.Snapshot()
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
