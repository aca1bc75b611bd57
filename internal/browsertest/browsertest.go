// Package browsertest opens an HTML file in a real headless Chromium for
// tests, driven through the DevTools protocol (chromedp), and records what
// the page did: the URLs it requested, the dialogs it opened and its
// console calls, exceptions and log entries.
//
// A test skips only when no Chromium is installed; .ci/browser installs
// Debian's and fails on a skip. CALLSHEET_CHROMIUM names the binary.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
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

// Chromium returns the Chromium binary, or skips t when none is installed.
func Chromium(t *testing.T) string {
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

// Events is what the page did that a test listens for.
type Events struct {
	mu       sync.Mutex
	requests []string // the URLs requested
	dialogs  []string
	console  []string // console calls, exceptions and log entries
}

func (e *Events) add(list *[]string, s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	*list = append(*list, s)
}

// Snapshot returns copies of what the page did so far.
func (e *Events) Snapshot() (requests, dialogs, console []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.requests), slices.Clone(e.dialogs), slices.Clone(e.console)
}

// Open starts Chromium with a fresh profile, listens to the page's
// requests, dialogs (dismissed) and console, opens file in a tab and waits
// until the element with the id ready is there.
func Open(t *testing.T, file, ready string) (context.Context, *Events) {
	t.Helper()
	bin := Chromium(t)
	// A hang guard only: tests check what the page does, not how fast.
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
	ev := &Events{}
	if err := chromedp.Listen(ctx, func(e any) { ev.record(ctx, e) }); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	u := (&url.URL{Scheme: "file", Path: file}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.ID(ready))); err != nil {
		t.Fatalf("open %s in Chromium: %v", u, err)
	}
	return ctx, ev
}

// record keeps one DevTools event the tests look at.
func (ev *Events) record(ctx context.Context, e any) {
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
}

// Eval returns the value of the script expression expr in the page.
func Eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}
