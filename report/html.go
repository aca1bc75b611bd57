package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// The page's style and script are constants, inline, allowed by their
// hashes in the page's Content-Security-Policy, which allows nothing
// else: no other script (an injected one, or an inline event handler),
// no other style, no image, font, frame or connection. The script reads
// the page and writes only text and attributes, never markup.
var (
	//go:embed html.css
	pageStyle string
	//go:embed html.js
	pageScript string
	// pagePolicy is made, like htmlPage, at its first use: a process that
	// writes no HTML report does not pay for it.
	pagePolicy = sync.OnceValue(func() string {
		return "default-src 'none'; script-src " + sourceHash(pageScript) +
			"; style-src " + sourceHash(pageStyle) + "; base-uri 'none'; form-action 'none'"
	})
)

// sourceHash is the CSP source expression of an inline element's text.
func sourceHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// htmlPage is one self-contained page: inline style and script, no
// external resource. html/template escapes every value, so a response
// body holding <script> shows as text. Values reach the script only
// through the page's text and data-* attributes. The page is the
// template "head" (the run and its summary); for each collection,
// "collection" (its heading), "step" for each step and "collection end";
// then "foot". It is parsed at its first use.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlTemplate))
})

const htmlTemplate = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.Policy}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>callsheet report</title>
<style>{{.Style}}</style>
</head>
<body>
<header>
<h1>callsheet report</h1>
<dl class="run">
{{- if .Date}}
<dt>date</dt><dd><time datetime="{{.DateTime}}">{{.Date}}</time></dd>
{{- end}}
{{- if .Duration}}
<dt>duration</dt><dd>{{.Duration}}</dd>
{{- end}}
{{- if .Version}}
<dt>version</dt><dd>{{.Version}}</dd>
{{- end}}
{{- if .Command}}
<dt>command</dt><dd><code>{{.Command}}</code></dd>
{{- end}}
{{- if .Machine}}
<dt>machine</dt><dd>{{.Machine}}</dd>
{{- end}}
{{- if .Sources}}
<dt>merged from</dt><dd>{{range $i, $s := .Sources}}{{if $i}}, {{end}}<code>{{$s}}</code>{{end}}</dd>
{{- end}}
</dl>
<p class="summary"><span class="passed">{{.Passed}} passed</span>, <span class="failed">{{.Failed}} failed</span>, <span class="error">{{.Errors}} errors</span>, <span class="notrun">{{.NotRun}} not run</span>, <span class="notrun">{{.Skipped}} skipped</span></p>
</header>
<nav id="controls" hidden><label><input type="checkbox" id="failures"> failures only</label> <input type="search" id="search" placeholder="search steps (press /)" aria-label="search steps"> <span id="shown"></span></nav>
<div id="charts"></div>
<main>
{{end}}{{define "collection"}}<section class="collection" data-outcome="{{.Class}}" data-ms="{{.MS}}"{{if .Start}} data-start="{{.Start}}"{{end}}>
<h2 class="{{.Class}}"><span class="name">{{.Name}}</span> <small>({{.File}}) {{.Outcome}} {{.Duration}}</small></h2>
{{if .Error}}<pre class="error">{{.Error}}</pre>{{end}}
{{end}}{{define "step"}}<details class="step" data-outcome="{{.Class}}" data-ms="{{.MS}}"{{if .Open}} open{{end}}>
<summary class="{{.Class}}">{{.Mark}} <span class="name">{{.Name}}</span> <small>{{.Target}} {{.Status}} {{.Duration}}</small></summary>
{{range .Problems}}<pre class="failed">{{.}}</pre>{{end}}
{{if .Request}}<h3>Request</h3><pre>{{.Request}}</pre>{{end}}
{{if .Response}}<h3>Response</h3><pre>{{.Response}}</pre>{{end}}{{if .Message}}<h3>Message</h3><pre>{{.Message}}</pre>{{end}}
{{if .Checks}}<h3>Checks</h3><table><tr><th></th><th>subject</th><th>op</th><th>expected</th><th>actual</th></tr>
{{range .Checks}}<tr class="{{.Class}}"><td>{{.Mark}}</td><td>{{.Subject}}</td><td>{{.Op}}</td><td>{{.Expected}}</td><td>{{.Actual}}</td></tr>
{{end}}</table>{{end}}
{{if .Captures}}<h3>Captures</h3><table>{{range .Captures}}<tr><td>{{.Name}}</td><td>{{.Value}}</td></tr>{{end}}</table>{{end}}
</details>
{{end}}{{define "collection end"}}</section>
{{end}}{{define "foot"}}</main>
<script>{{.}}</script>
</body>
</html>
{{end}}`

// RunInfo is what the HTML report says about the run besides its
// results. Each field may be left empty.
type RunInfo struct {
	// Start is when the run started; zero means the earliest start of
	// its collections.
	Start time.Time
	// Version is the version of callsheet that ran.
	Version string
	// Command is the command line, its secrets already masked.
	Command string
	// Machine names the machine the run ran on.
	Machine string
	// Sources name the reports a merged report was made from.
	Sources []string
}

type htmlData struct {
	Policy                 string
	Style                  template.CSS
	Date, DateTime         string
	Duration               string
	Version, Command       string
	Machine                string
	Sources                []string
	Passed, Failed, Errors int
	NotRun, Skipped        int
}

type htmlCollection struct {
	Name, File, Outcome, Class, Duration, Error string
	// MS is the duration in milliseconds, Start the start in
	// milliseconds since 1970 (empty when the collection did not start),
	// for the charts.
	MS, Start string
}

type htmlStep struct {
	Name, Mark, Class, Target, Status, Duration string
	// MS is the duration in milliseconds, for the charts.
	MS                string
	Open              bool
	Problems          []string
	Request, Response string
	// Message is the message an AsyncAPI step sent or received.
	Message  string
	Checks   []htmlCheck
	Captures []htmlCapture
}

type htmlCheck struct{ Mark, Class, Subject, Op, Expected, Actual string }

type htmlCapture struct{ Name, Value string }

// HTML writes results as one self-contained HTML page: a summary, a
// failures-only filter and a search box, a timeline of the run and a
// chart of the slowest steps, then each collection with a waterfall of
// its steps and the steps, each expandable to its request, response,
// checks and captures. Failed steps are open. Create(FormatHTML, …)
// streams the same bytes.
var HTML Writer = write(FormatHTML)

// HTMLWith is HTML with info about the run at the top of the page.
func HTMLWith(info RunInfo) Writer {
	return func(w io.Writer, results []*runner.Result) error {
		if err := writeAll(w, newHTMLFormat(info), results); err != nil {
			return fmt.Errorf("write %v report: %w", FormatHTML, err)
		}
		return nil
	}
}

// CreateHTML is Create(FormatHTML, path) with info about the run at the
// top of the page.
func CreateHTML(path string, info RunInfo) (Stream, error) {
	return createStream(FormatHTML, newHTMLFormat(info), path)
}

// OpenHTML is Open(FormatHTML, path) with info about the run at the top
// of the page.
func OpenHTML(path string, info RunInfo) (*Output, error) {
	st, err := CreateHTML(path, info)
	if err != nil {
		return nil, err
	}
	return &Output{stream: st, format: FormatHTML}, nil
}

// htmlFormat writes the page: the run's facts and summary are the head.
type htmlFormat struct {
	info RunInfo
	n    map[runner.Outcome]int
	// first and last bound the run: the earliest start and the latest
	// end of the collections that started.
	first, last time.Time
}

func newHTMLFormat(info RunInfo) *htmlFormat {
	return &htmlFormat{info: info, n: map[runner.Outcome]int{}}
}

func (f *htmlFormat) head(w io.Writer) error {
	n, info := f.n, f.info
	data := htmlData{
		Policy: pagePolicy(), Style: template.CSS(pageStyle),
		Version: info.Version, Command: safetext.Report(info.Command), Machine: safetext.Report(info.Machine), Sources: info.Sources,
		Passed: n[runner.Passed], Failed: n[runner.Failed], Errors: n[runner.Errored], NotRun: n[runner.NotRun], Skipped: n[runner.Skipped],
	}
	start := info.Start
	if start.IsZero() {
		start = f.first
	}
	if !start.IsZero() {
		data.Date = start.UTC().Format("2006-01-02 15:04:05 UTC")
		data.DateTime = start.UTC().Format(time.RFC3339)
	}
	if !f.first.IsZero() {
		data.Duration = f.last.Sub(f.first).Round(time.Millisecond).String()
	}
	for i, s := range data.Sources {
		data.Sources[i] = safetext.Report(s)
	}
	return htmlPage().ExecuteTemplate(w, "head", data)
}

func (f *htmlFormat) step(w io.Writer, _ string, s *runner.StepResult, _ int) error {
	return htmlPage().ExecuteTemplate(w, "step", htmlStepOf(s))
}

func (f *htmlFormat) collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error {
	if r.Err != nil {
		f.n[runner.Errored]++
	}
	for o, k := range sum.n {
		f.n[o] += k
	}
	out := sum.outcome(r)
	hc := htmlCollection{Name: safetext.Report(r.Name), File: safetext.Report(r.File), Outcome: out.String(), Class: cssClass(out), Duration: r.Duration.Round(1e6).String(), MS: msText(r.Duration)}
	if r.Err != nil {
		hc.Error = safetext.Report(r.Err.Error())
	}
	if !r.Start.IsZero() {
		f.span(r.Start, r.Duration)
		hc.Start = strconv.FormatFloat(float64(r.Start.UnixMicro())/1000, 'f', -1, 64)
	}
	if err := htmlPage().ExecuteTemplate(w, "collection", hc); err != nil {
		return err
	}
	if _, err := io.Copy(w, pieces); err != nil {
		return err
	}
	return htmlPage().ExecuteTemplate(w, "collection end", nil)
}

// span widens the run's bounds to a collection that started at start
// and took d.
func (f *htmlFormat) span(start time.Time, d time.Duration) {
	if f.first.IsZero() || start.Before(f.first) {
		f.first = start
	}
	if end := start.Add(d); end.After(f.last) {
		f.last = end
	}
}

func (f *htmlFormat) foot(w io.Writer) error {
	return htmlPage().ExecuteTemplate(w, "foot", template.JS(pageScript))
}

// msText is d in milliseconds, to the microsecond, for the page's script.
func msText(d time.Duration) string {
	return strconv.FormatFloat(ms(d), 'f', -1, 64)
}

func htmlStepOf(s *runner.StepResult) htmlStep {
	hs := htmlStep{Name: safetext.Report(s.Name), Mark: mark(s.Outcome), Class: cssClass(s.Outcome), MS: "0"}
	switch s.Outcome {
	case runner.NotRun:
	case runner.Skipped:
		hs.Duration = "skipped: " + safetext.Report(s.SkipReason)
	default:
		hs.Duration = s.Duration.Round(1e6).String()
		hs.MS = msText(s.Duration)
	}
	for _, p := range problems(s) {
		hs.Problems = append(hs.Problems, safetext.Report(p.Detail))
		hs.Open = true
	}
	if q := s.Request; q != nil {
		hs.Target = safetext.Report(q.Method + " " + q.URL)
		hs.Request = exchangeText(q.Method+" "+q.URL, q.Header, q.Body, q.BodySize, q.Truncated)
	}
	if m := s.Message; m != nil {
		line := strings.ToUpper(m.Action) + " " + m.URL
		hs.Target = safetext.Report(line)
		hs.Message = exchangeText(line, m.Header, m.Body, m.Size, m.Truncated)
	}
	if p := s.Response; p != nil {
		hs.Status = fmt.Sprint(p.Status)
		hs.Response = exchangeText(fmt.Sprintf("%s %d %s", p.Proto, p.Status, http.StatusText(p.Status)), p.Header, p.Body, p.Size, p.Truncated)
	}
	for _, c := range s.Checks {
		o := runner.Passed
		if !c.Passed && !c.Warning {
			o = runner.Failed
		}
		hs.Checks = append(hs.Checks, htmlCheck{Mark: mark(o), Class: cssClass(o), Subject: safetext.Report(c.Subject), Op: string(c.Op), Expected: safetext.Report(Expectation(c, c.Expected.String())), Actual: safetext.Report(c.Actual.String())})
		if c.Warning {
			hs.Checks[len(hs.Checks)-1].Mark = "⚠"
		}
	}
	for _, c := range s.Captures {
		hs.Captures = append(hs.Captures, htmlCapture{Name: c.Name, Value: safetext.Report(c.Value.String())})
	}
	return hs
}

// exchangeText is the first line, the headers sorted by name and the body
// excerpt of a request or response, with a note when the runner kept only
// the start of a body of size bytes.
func exchangeText(first string, h exchange.Header, body []byte, size int64, truncated bool) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(first) + "\n")
	for _, f := range h {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	if len(body) > 0 {
		b.WriteString("\n")
		if utf8.Valid(body) {
			b.Write(body)
		} else {
			fmt.Fprintf(&b, "<%d bytes binary>", size)
		}
		if truncated {
			fmt.Fprintf(&b, "\n… cut here: the body has %d bytes", size)
		}
	}
	return safetext.Report(b.String())
}

func mark(o runner.Outcome) string {
	switch o {
	case runner.Passed:
		return "✔"
	case runner.Failed:
		return "✘"
	case runner.Errored:
		return "!"
	case runner.Skipped:
		return "↷"
	}
	return "-"
}

func cssClass(o runner.Outcome) string {
	switch o {
	case runner.Passed:
		return "passed"
	case runner.Failed:
		return "failed"
	case runner.Errored:
		return "error"
	}
	return "notrun"
}
