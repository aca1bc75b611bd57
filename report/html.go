package report

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// htmlPage is one self-contained page: inline style, no script, no
// external resource. html/template escapes every value, so a response body
// holding <script> shows as text. The page is the template "head" (the
// summary); for each collection, "collection" (its heading), "step" for
// each step and "collection end"; then "foot".
var htmlPage = template.Must(template.New("report").Parse(`{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>callsheet report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
.passed{color:#1a7f37}.failed{color:#cf222e}.error{color:#9a6700}.notrun{color:#6e7781}
details{margin:.2em 0 .2em 1em}summary{cursor:pointer}
pre{background:#f6f8fa;padding:.6em;overflow:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2em .5em;text-align:left;vertical-align:top}
</style>
</head>
<body>
<h1>callsheet report</h1>
<p class="summary"><span class="passed">{{.Passed}} passed</span>, <span class="failed">{{.Failed}} failed</span>, <span class="error">{{.Errors}} errors</span>, <span class="notrun">{{.NotRun}} not run</span>, <span class="notrun">{{.Skipped}} skipped</span></p>
{{end}}{{define "collection"}}<section>
<h2 class="{{.Class}}">{{.Name}} <small>({{.File}}) {{.Outcome}} {{.Duration}}</small></h2>
{{if .Error}}<pre class="error">{{.Error}}</pre>{{end}}
{{end}}{{define "step"}}<details{{if .Open}} open{{end}}>
<summary class="{{.Class}}">{{.Mark}} {{.Name}} <small>{{.Target}} {{.Status}} {{.Duration}}</small></summary>
{{range .Problems}}<pre class="failed">{{.}}</pre>{{end}}
{{if .Request}}<h3>Request</h3><pre>{{.Request}}</pre>{{end}}
{{if .Response}}<h3>Response</h3><pre>{{.Response}}</pre>{{end}}
{{if .Checks}}<h3>Checks</h3><table><tr><th></th><th>subject</th><th>op</th><th>expected</th><th>actual</th></tr>
{{range .Checks}}<tr class="{{.Class}}"><td>{{.Mark}}</td><td>{{.Subject}}</td><td>{{.Op}}</td><td>{{.Expected}}</td><td>{{.Actual}}</td></tr>
{{end}}</table>{{end}}
{{if .Captures}}<h3>Captures</h3><table>{{range .Captures}}<tr><td>{{.Name}}</td><td>{{.Value}}</td></tr>{{end}}</table>{{end}}
</details>
{{end}}{{define "collection end"}}</section>
{{end}}{{define "foot"}}</body>
</html>
{{end}}`))

type htmlData struct {
	Passed, Failed, Errors, NotRun, Skipped int
}

type htmlCollection struct {
	Name, File, Outcome, Class, Duration, Error string
}

type htmlStep struct {
	Name, Mark, Class, Target, Status, Duration string
	Open                                        bool
	Problems                                    []string
	Request, Response                           string
	Checks                                      []htmlCheck
	Captures                                    []htmlCapture
}

type htmlCheck struct{ Mark, Class, Subject, Op, Expected, Actual string }

type htmlCapture struct{ Name, Value string }

// HTML writes results as one self-contained HTML page: a summary, then each
// collection with its steps, each step expandable to its request, response,
// checks and captures. Failed steps are open. Create(FormatHTML, …)
// streams the same bytes.
var HTML Writer = write(FormatHTML)

// htmlFormat writes the page: the summary is the head.
type htmlFormat struct {
	n map[runner.Outcome]int
}

func (f *htmlFormat) head(w io.Writer) error {
	n := f.n
	data := htmlData{Passed: n[runner.Passed], Failed: n[runner.Failed], Errors: n[runner.Errored], NotRun: n[runner.NotRun], Skipped: n[runner.Skipped]}
	return htmlPage.ExecuteTemplate(w, "head", data)
}

func (f *htmlFormat) step(w io.Writer, _ string, s *runner.StepResult, _ int) error {
	return htmlPage.ExecuteTemplate(w, "step", htmlStepOf(s))
}

func (f *htmlFormat) collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error {
	if r.Err != nil {
		f.n[runner.Errored]++
	}
	for o, k := range sum.n {
		f.n[o] += k
	}
	out := sum.outcome(r)
	hc := htmlCollection{Name: safetext.Report(r.Name), File: safetext.Report(r.File), Outcome: out.String(), Class: cssClass(out), Duration: r.Duration.Round(1e6).String()}
	if r.Err != nil {
		hc.Error = safetext.Report(r.Err.Error())
	}
	if err := htmlPage.ExecuteTemplate(w, "collection", hc); err != nil {
		return err
	}
	if _, err := io.Copy(w, pieces); err != nil {
		return err
	}
	return htmlPage.ExecuteTemplate(w, "collection end", nil)
}

func (f *htmlFormat) foot(w io.Writer) error {
	return htmlPage.ExecuteTemplate(w, "foot", nil)
}

func htmlStepOf(s *runner.StepResult) htmlStep {
	hs := htmlStep{Name: safetext.Report(s.Name), Mark: mark(s.Outcome), Class: cssClass(s.Outcome)}
	switch s.Outcome {
	case runner.NotRun:
	case runner.Skipped:
		hs.Duration = "skipped: " + safetext.Report(s.SkipReason)
	default:
		hs.Duration = s.Duration.Round(1e6).String()
	}
	for _, p := range problems(s) {
		hs.Problems = append(hs.Problems, safetext.Report(p.Detail))
		hs.Open = true
	}
	if q := s.Request; q != nil {
		hs.Target = safetext.Report(q.Method + " " + q.URL)
		hs.Request = exchangeText(q.Method+" "+q.URL, q.Header, q.Body, q.BodySize, q.Truncated)
	}
	if p := s.Response; p != nil {
		hs.Status = fmt.Sprint(p.Status)
		hs.Response = exchangeText(fmt.Sprintf("%s %d %s", p.Proto, p.Status, http.StatusText(p.Status)), p.Header, p.Body, p.Size, p.Truncated)
	}
	for _, c := range s.Checks {
		o := runner.Passed
		if !c.Passed {
			o = runner.Failed
		}
		hs.Checks = append(hs.Checks, htmlCheck{Mark: mark(o), Class: cssClass(o), Subject: safetext.Report(c.Subject), Op: string(c.Op), Expected: safetext.Report(Expectation(c, c.Expected.String())), Actual: safetext.Report(c.Actual.String())})
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
