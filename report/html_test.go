package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// runInfo is the run the info golden shows, with markup and a control
// character in the values a caller gives.
func runInfo() RunInfo {
	return RunInfo{
		Start:   start.Add(-time.Second),
		Version: "v1.2.3 <b>",
		Command: "callsheet run --var 'token=***' api/ <script>\x1b[2J",
		Machine: "ci-7 (linux/amd64, go1.26.8, 2 CPUs)",
		Sources: []string{"shard-1.json", "<shard-2>.json"},
	}
}

func writeHTML(t *testing.T, w Writer, results []*runner.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := w(&b, results); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	return b.String()
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write Writer
	}{{"HTML", HTML}, {"HTMLWith", HTMLWith(runInfo())}} {
		t.Run(tt.name, func(t *testing.T) {
			page := writeHTML(t, tt.write, fixture())
			counts := []struct {
				what string
				n    int
			}{
				{"<script", 1}, // the page's own, checked by TestHTMLPolicy
				{"<style", 1},
				{"http-equiv", 1}, // the policy
				{"<link", 0},
				{" src=", 0},
				{"href=", 0},
				{"url(", 0},
				{"@import", 0},
				{"\x1b", 0},
				{"<b>", 0},
			}
			for _, c := range counts {
				if got := strings.Count(page, c.what); got != c.n {
					t.Errorf("page contains %q %d times, want %d", c.what, got, c.n)
				}
			}
			for _, want := range []string{"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "users &amp; &lt;admins&gt;", "<details", "1 passed", "1 failed"} {
				if !strings.Contains(page, want) {
					t.Errorf("page does not contain %q", want)
				}
			}
		})
	}
}

// TestHTMLPolicy checks that the page's Content-Security-Policy allows its
// own script and style, by their hashes, and nothing else.
func TestHTMLPolicy(t *testing.T) {
	page := writeHTML(t, HTMLWith(runInfo()), fixture())
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no Content-Security-Policy meta tag")
	}
	if i, j := strings.Index(page, m[0]), strings.Index(page, "<style"); i < 0 || j < i {
		t.Error("the policy comes after the style: it must come first")
	}
	policy := html.UnescapeString(m[1])
	hash := func(open, close string) string {
		i := strings.Index(page, open)
		j := strings.Index(page, close)
		if i < 0 || j < i {
			t.Fatalf("page has no %s element", open)
		}
		sum := sha256.Sum256([]byte(page[i+len(open) : j]))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	want := "default-src 'none'; script-src " + hash("<script>", "</script>") + "; style-src " + hash("<style>", "</style>") + "; base-uri 'none'; form-action 'none'"
	if policy != want {
		t.Errorf("policy = %q\nwant     %q", policy, want)
	}
}

// TestHTMLRunInfo checks the run's facts at the top of the page, escaped.
func TestHTMLRunInfo(t *testing.T) {
	page := writeHTML(t, HTMLWith(runInfo()), fixture())
	for _, want := range []string{
		`<time datetime="2026-01-02T03:04:04Z">2026-01-02 03:04:04 UTC</time>`,
		`<dt>duration</dt><dd>2s</dd>`,
		`<dd>v1.2.3 &lt;b&gt;</dd>`,
		`<code>callsheet run --var &#39;token=***&#39; api/ &lt;script&gt;\x1b[2J</code>`,
		`<dd>ci-7 (linux/amd64, go1.26.8, 2 CPUs)</dd>`,
		`<code>shard-1.json</code>, <code>&lt;shard-2&gt;.json</code>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not contain %s", want)
		}
	}
	// Without info, the date is the first collection's start.
	page = writeHTML(t, HTML, fixture())
	if want := `<time datetime="2026-01-02T03:04:05Z">`; !strings.Contains(page, want) {
		t.Errorf("page without info does not contain %s", want)
	}
	for _, absent := range []string{"<dt>version", "<dt>command", "<dt>machine", "<dt>merged from"} {
		if strings.Contains(page, absent) {
			t.Errorf("page without info contains %s", absent)
		}
	}
	checkGolden(t, "report.info.html", []byte(writeHTML(t, HTMLWith(runInfo()), fixture())))
}

// TestCreateHTMLSameBytes checks that CreateHTML streams the bytes of
// HTMLWith.
func TestCreateHTMLSameBytes(t *testing.T) {
	info := runInfo()
	want := writeHTML(t, HTMLWith(info), fixture())
	path := filepath.Join(t.TempDir(), "report.html")
	s, err := CreateHTML(path, info)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fixture() {
		if err := s.Add(r, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("CreateHTML wrote\n%s\nwant\n%s", got, want)
	}
}

// TestHTMLChartData checks the figures the page's script draws from: each
// collection's duration and start, each step's duration, in milliseconds.
func TestHTMLChartData(t *testing.T) {
	page := writeHTML(t, HTML, fixture())
	for _, want := range []string{
		`<section class="collection" data-outcome="error" data-ms="1500" data-start="1767323045000">`,
		`<section class="collection" data-outcome="error" data-ms="0" data-start="1767323047000">`,
		`<details class="step" data-outcome="passed" data-ms="120">`,
		`<details class="step" data-outcome="failed" data-ms="250" open>`,
		`<details class="step" data-outcome="notrun" data-ms="0">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not contain %s", want)
		}
	}
}
