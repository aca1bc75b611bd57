package load

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
)

// The report's only style is inline and allowed by its hash; the
// Content-Security-Policy allows nothing else: no script at all, no
// image, font or connection. The charts are SVG drawn here.
var (
	//go:embed html.css
	reportStyle string
	// reportPolicy is made at first use, as is the page's template.
	reportPolicy = sync.OnceValue(func() string {
		return "default-src 'none'; style-src " + styleHash(reportStyle) + "; base-uri 'none'; form-action 'none'"
	})
)

func styleHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

var reportPage = sync.OnceValue(func() *template.Template { return template.Must(template.New("load").Parse(reportSource)) })

// reportSource is the page's template.
const reportSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.Policy}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>callsheet load: {{.S.Collection}}</title>
<style>{{.Style}}</style>
</head>
<body>
<h1>callsheet load: {{.S.Collection}}</h1>
<dl class="run">
<dt>file</dt><dd>{{.S.File}}</dd>
<dt>started</dt><dd>{{.S.Start.Format "2006-01-02 15:04:05 MST"}}</dd>
<dt>scenario</dt><dd>{{.Scenario}}</dd>
<dt>segments</dt><dd>{{.Segments}}</dd>
<dt>ran</dt><dd>{{printf "%.1f" .S.Seconds}} s, {{.S.Iterations}} iterations, {{.S.Total.Requests}} requests ({{printf "%.1f" .S.RPS}}/s){{if .S.Dropped}}, {{.S.Dropped}} iterations dropped{{end}}</dd>
{{if .S.Aborted}}<dt>stopped early</dt><dd class="fail">{{.S.Aborted}}</dd>{{end}}
</dl>
{{range .S.Warnings}}<p class="warn">warning: {{.}}</p>{{end}}
{{if .S.Thresholds}}<h2>Thresholds</h2>
<table id="thresholds"><tr><th>threshold</th><th>actual</th><th>result</th></tr>
{{range .S.Thresholds}}<tr><td>{{.Threshold}}</td><td>{{.Shown}}</td>{{if .Passed}}<td class="pass">passed</td>{{else}}<td class="fail">failed</td>{{end}}</tr>
{{end}}</table>{{end}}
<h2>Over time</h2>
<div class="charts">{{range .Charts}}{{.}}{{end}}</div>
<h2>Steps{{if .Corrected}}: latency from each request's intended start (corrected){{end}}</h2>
<table id="steps"><tr><th>step</th><th>requests</th><th>req/s</th><th>errors</th><th>http errors</th><th>checks failed</th><th>min</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>
{{range .Rows}}<tr{{if .Total}} class="total"{{end}}><td>{{.Name}}</td><td>{{.S.Requests}}</td><td>{{printf "%.1f" .S.RPS}}</td><td>{{.S.Errors}}</td><td>{{.S.HTTPErrors}}</td><td>{{.S.ChecksFailed}}</td>{{range .P}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{if .Corrected}}<h2>Steps: latency as measured (uncorrected)</h2>
<table id="uncorrected"><tr><th>step</th><th>min</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>
{{range .Rows}}<tr{{if .Total}} class="total"{{end}}><td>{{.Name}}</td>{{range .U}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .Samples}}<h2>Failures</h2>
<table id="samples"><tr><th>step</th><th>count</th><th>message</th></tr>
{{range .Samples}}<tr><td>{{.Step}}</td><td>{{.Count}}</td><td>{{.Message}}</td></tr>
{{end}}</table>{{end}}
</body>
</html>
`

// reportRow is one row of the steps tables.
type reportRow struct {
	Name  string
	Total bool
	S     *StepSummary
	P, U  []string
}

type reportSample struct {
	Step    string
	Count   int64
	Message string
}

// WriteHTML writes the summary as one self-contained page: the test, the
// thresholds, charts over time of the rate, the latency percentiles, the
// users and the errors, and per-step percentile tables. It loads nothing
// and runs no script.
func (s *Summary) WriteHTML(w io.Writer) error {
	scenario, _ := s.Scenario.MarshalJSON()
	data := map[string]any{
		"Policy": reportPolicy(), "Style": template.CSS(reportStyle), "S": s,
		"Scenario": string(scenario), "Segments": segmentsText(s.Segments),
		"Corrected": s.Total.CorrectedPercentiles != nil, "Charts": s.charts(),
	}
	var rows []reportRow
	var samples []reportSample
	for _, st := range append(append([]*StepSummary{}, s.Steps...), s.Total) {
		r := reportRow{Name: st.Name, Total: st == s.Total, S: st, P: percentileCells(st.Percentiles)}
		if r.Total {
			r.Name = "all steps"
		}
		if st.CorrectedPercentiles != nil {
			r.P, r.U = percentileCells(*st.CorrectedPercentiles), r.P
		}
		rows = append(rows, r)
		for _, sm := range st.Samples {
			samples = append(samples, reportSample{Step: st.Name, Count: sm.Count, Message: sm.Message})
		}
	}
	data["Rows"], data["Samples"] = rows, samples
	return reportPage().Execute(w, data)
}

func percentileCells(p Percentiles) []string {
	var out []string
	for _, v := range []float64{p.Min, p.P50, p.P90, p.P95, p.P99, p.P999, p.Max} {
		out = append(out, msText(v))
	}
	return out
}

// line is one line of a chart.
type line struct {
	name, color string
	ys          []float64
}

// charts draws the series: rate, latency percentiles, users, errors.
func (s *Summary) charts() []template.HTML {
	n := len(s.Series)
	xs := make([]float64, n)
	rate, p50, p95, p99, vus, errs, dropped := make([]float64, n), make([]float64, n), make([]float64, n),
		make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, p := range s.Series {
		xs[i] = p.T
		rate[i], p50[i], p95[i], p99[i] = p.Rate(), p.P50, p.P95, p.P99
		vus[i], errs[i], dropped[i] = float64(p.VUs), float64(p.HTTPErrors)/p.Width, float64(p.Dropped)/p.Width
	}
	return []template.HTML{
		svgChart("rate", "requests/s", xs, []line{{"requests/s", "#1a73e8", rate}}),
		svgChart("latency", "ms", xs, []line{{"p50", "#34a853", p50}, {"p95", "#fbbc04", p95}, {"p99", "#ea4335", p99}}),
		svgChart("users", "VUs", xs, []line{{"users", "#9334e6", vus}}),
		svgChart("errors", "per second", xs, []line{{"http errors/s", "#c5221f", errs}, {"dropped iterations/s", "#5f6368", dropped}}),
	}
}

// Chart geometry, in SVG units.
const (
	chartW, chartH = 480.0, 200.0
	padL, padB     = 48.0, 22.0
	padT, padR     = 8.0, 8.0
)

// svgChart draws lines over xs (seconds) as an SVG figure with axes,
// labels and a legend. html/template does not escape template.HTML, so
// every text here is ours or escaped by template.HTMLEscapeString.
func svgChart(id, unit string, xs []float64, lines []line) template.HTML {
	maxX, maxY := 1.0, 0.0
	for _, x := range xs {
		maxX = max(maxX, x)
	}
	for _, l := range lines {
		for _, y := range l.ys {
			maxY = max(maxY, y)
		}
	}
	maxY = niceCeil(maxY)
	px := func(x float64) float64 { return padL + x/maxX*(chartW-padL-padR) }
	py := func(y float64) float64 { return chartH - padB - y/maxY*(chartH-padB-padT) }
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<figure id="chart-%s"><figcaption>%s (%s)</figcaption>`, esc(id), esc(id), esc(unit))
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s over time">`, chartW, chartH, esc(id))
	for i := 0; i <= 4; i++ {
		y := maxY * float64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/><text x="%g" y="%.1f" text-anchor="end">%s</text>`,
			padL, chartW-padR, py(y), py(y), padL-4, py(y)+4, esc(axisText(y)))
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g">0 s</text><text x="%g" y="%g" text-anchor="end">%s s</text>`,
		padL, chartH-6, chartW-padR, chartH-6, esc(axisText(maxX)))
	for _, l := range lines {
		var pts []string
		for i, y := range l.ys {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(xs[i]), py(y)))
		}
		fmt.Fprintf(&b, `<polyline data-line="%s" stroke="%s" points="%s"/>`, esc(l.name), l.color, strings.Join(pts, " "))
	}
	b.WriteString(`</svg><div class="legend">`)
	for _, l := range lines {
		fmt.Fprintf(&b, `<span><svg width="14" height="4" aria-hidden="true"><rect width="14" height="4" fill="%s"/></svg> %s</span>`, l.color, esc(l.name))
	}
	b.WriteString(`</div></figure>`)
	return template.HTML(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 for 0).
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func axisText(v float64) string {
	if v >= 100 || v == math.Trunc(v) {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
