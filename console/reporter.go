package console

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/mask"
	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
)

// reporter renders a run as it happens: a heading per collection, a line
// per step with the details of each failure, and a summary at the end. It
// owns every byte of the run report.
type reporter struct {
	w       io.Writer
	st      Style
	verbose int // 0, 1 (-v) or 2 (-vv)
	counts  map[runner.Outcome]int
	// curl prints the -vv curl line of each request (curl.go).
	curl *curlLines
	// quiet (--quiet) prints only failed and errored steps; the others
	// are still counted.
	quiet bool
	// literals masks the literal values of the secret variables of the
	// collection literalsOf (sourceMask).
	literalsOf *collections.Collection
	literals   *strings.Replacer
	// sources index the lines of each file excerpts are taken from, so a
	// run with many failures reads each file once (source).
	sources map[sourceKey]*collections.Lines
	// known are the values the URLs of steps that sent nothing show.
	known knownValues
	// secrets are the names secret in every run besides the collections'
	// own (the sandbox's client_secret).
	secrets []string
}

// newReporter returns a reporter writing to w at verbosity verbose.
func newReporter(w io.Writer, st Style, verbose int) *reporter {
	return &reporter{
		w:       w,
		st:      st,
		verbose: verbose,
		counts:  make(map[runner.Outcome]int),
	}
}

// live is runner.Options.OnFinal: it prints each step as soon as it is
// final, which is as it ends unless a later step captures a secret. Steps
// not run wait for finish, so that the reason they were not run comes
// first.
func (r *reporter) live(c *collections.Collection, s *runner.StepResult) {
	if s.Outcome != runner.NotRun {
		r.step(c, s)
	}
}

// step prints one step's line and, for a failed or errored step, why.
func (r *reporter) step(c *collections.Collection, s *runner.StepResult) {
	r.counts[s.Outcome]++
	if r.quiet && s.Outcome != runner.Failed && s.Outcome != runner.Errored {
		return
	}

	var b strings.Builder
	b.WriteString("  " + r.mark(s.Outcome) + " " + safetext.Line(s.Name))
	method, url := r.stepTarget(c, s)
	if method != "" || url != "" {
		b.WriteString("  " + safetext.Line(strings.TrimSpace(method+" "+url)))
	}
	if s.Response != nil {
		b.WriteString("  " + r.statusColor(s.Response.Status))
	}
	if s.Outcome != runner.NotRun && s.Outcome != runner.Skipped {
		b.WriteString("  " + r.st.Dim(formatDuration(s.Duration)))
	}
	if s.Outcome == runner.Skipped {
		b.WriteString("  " + r.st.Dim("skipped ("+safetext.Line(s.SkipReason)+")"))
	}
	b.WriteString("\n")
	if s.Request != nil {
		for _, f := range emptyCredentials(s.Request.Header) {
			b.WriteString("    " + r.st.Yellow("warning:") + " " + safetext.Line(fmt.Sprintf("%s: %q carries no credential: a value it reads is empty", f.Name, f.Value)) + "\n")
		}
	}
	if r.verbose > 1 && r.curl != nil {
		b.WriteString(r.curl.line(s, r.st))
	}
	if r.verbose > 0 {
		r.exchange(&b, s)
	}
	for _, ch := range s.Checks {
		if ch.Warning {
			b.WriteString("    " + r.st.Yellow("warning:") + " " + safetext.Line(r.checkWarning(ch)) + "\n")
		}
	}
	if s.Outcome == runner.Failed || s.Outcome == runner.Errored {
		for _, ch := range s.Checks {
			if !ch.Passed && !ch.Warning {
				b.WriteString(indent(r.st.Errors(r.checkFailure(c, s, ch)), "    "))
			}
		}
		if s.Err != nil {
			b.WriteString(indent(r.st.Errors(r.stepError(c, s)), "    "))
		}
	}
	io.WriteString(r.w, b.String())
}

// finish prints what the live callbacks did not: the error of a run that
// could not start and the steps not run (live prints every other step).
func (r *reporter) finish(c *collections.Collection, res *runner.Result) {
	if final := finalValues(c, res.State, r.secrets); final != nil {
		r.known = final
	}
	if res.Err != nil {
		r.counts[runner.Errored]++
		fmt.Fprint(r.w, indent(r.st.Errors(r.runError(c, res.Err)), "  "))
	}
	for _, s := range res.Steps {
		if s.Outcome == runner.NotRun {
			r.step(c, s)
		}
	}
	for o, n := range res.Unseen { // steps the console did not ask for (Needs)
		r.counts[o] += n
	}
}

// summary prints the last line of a run, `4 passed, 0 failed, 0 skipped
// in 1.234s`, with the errors and steps not run before the time when there
// are any. elapsed is the run's total time.
func (r *reporter) summary(elapsed time.Duration) {
	passed, failed, skipped := r.counts[runner.Passed], r.counts[runner.Failed], r.counts[runner.Skipped]
	parts := []string{
		r.countColor(passed, fmt.Sprintf("%d passed", passed), r.st.Green),
		r.countColor(failed, fmt.Sprintf("%d failed", failed), r.st.Red),
		r.countColor(skipped, fmt.Sprintf("%d skipped", skipped), r.st.Dim),
	}
	if n := r.counts[runner.Errored]; n > 0 {
		parts = append(parts, r.st.Yellow(Plural(n, "error")))
	}
	if n := r.counts[runner.NotRun]; n > 0 {
		parts = append(parts, r.st.Dim(fmt.Sprintf("%d not run", n)))
	}
	fmt.Fprintln(r.w, strings.Join(parts, ", ")+" in "+elapsed.Round(time.Millisecond).String())
}

// countColor paints text of the summary only when its count n is not 0.
func (r *reporter) countColor(n int, text string, paint func(string) string) string {
	if n == 0 {
		return text
	}
	return paint(text)
}

// mark is the symbol at the start of a step line.
func (r *reporter) mark(o runner.Outcome) string {
	switch o {
	case runner.Passed:
		return r.st.Green("✔")
	case runner.Failed:
		return r.st.Red("✘")
	case runner.Errored:
		return r.st.Yellow("!")
	case runner.Skipped:
		return r.st.Dim("↷")
	default:
		return r.st.Dim("-")
	}
}

// statusColor colours an HTTP status: red for 5xx, yellow for 4xx.
func (r *reporter) statusColor(code int) string {
	text := fmt.Sprint(code)
	switch {
	case code >= 500:
		return r.st.Red(text)
	case code >= 400:
		return r.st.Yellow(text)
	default:
		return text
	}
}

// stepTarget is the method and URL a step line shows: as sent when a request
// went out, else as written in the collection with the values the run
// knows filled in (r.known), masked like the step.
func (r *reporter) stepTarget(c *collections.Collection, s *runner.StepResult) (method, url string) {
	switch {
	case s.Message != nil:
		return strings.ToUpper(s.Message.Action), s.Message.URL
	case s.Request != nil && s.Step != nil && s.Step.Authorize() != nil:
		// The authorization URL's query (client_id, state, challenge) is
		// long and says little at a glance: -v shows it whole.
		u, _, _ := strings.Cut(s.Request.URL, "?")
		return s.Request.Method, u
	case s.Request != nil:
		return s.Request.Method, s.Request.URL
	case s.Step != nil && s.Step.Request() != nil:
		return s.Step.Request().Method, r.sourceMask(c, s)(r.known.render(s.Step.Request().URL))
	case s.Step != nil && s.Step.Authorize() != nil:
		return "", r.sourceMask(c, s)(r.known.render(s.Step.Authorize().URL))
	}
	return "", ""
}

// sourceMask masks text of the collection c shown beside its step s (a
// source line, a URL as written): with the secrets s's run knows, and the
// values written literally for c's secret variables, which a collection
// that never ran (--bail) has not registered.
func (r *reporter) sourceMask(c *collections.Collection, s *runner.StepResult) func(string) string {
	if r.literalsOf != c {
		r.literalsOf, r.literals = c, literalSecrets(c)
	}
	return func(text string) string { return r.literals.Replace(s.MaskText(text)) }
}

// sourceKey names a file of a collection (its own or an included one).
type sourceKey struct {
	c    *collections.Collection
	file string
}

// source returns the line index of file in c, made at its first use.
func (r *reporter) source(c *collections.Collection, file string) *collections.Lines {
	k := sourceKey{c, file}
	if l, ok := r.sources[k]; ok {
		return l
	}
	if r.sources == nil {
		r.sources = map[sourceKey]*collections.Lines{}
	}
	l := collections.NewLines(c.SourceOf(file))
	r.sources[k] = l
	return l
}

// literalSecrets replaces with runner.Mask the values written literally
// for c's secret variables, longest first.
func literalSecrets(c *collections.Collection) *strings.Replacer {
	secret := map[string]bool{}
	for _, n := range c.SecretNames() {
		secret[n] = true
	}
	var values []string
	for _, v := range c.Vars {
		if !secret[v.Name] || v.Value == nil || v.Value.Kind == collections.KindList || v.Value.Kind == collections.KindMap ||
			v.Value.Kind == collections.KindString && !v.Value.Template.IsLiteral() {
			continue
		}
		x, err := v.Value.Render(eval.NewScope(nil))
		if text := eval.Stringify(x); err == nil && len(text) >= mask.MinLen {
			values = append(values, text)
		}
	}
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, runner.Mask)
	}
	return strings.NewReplacer(pairs...)
}

// checkFailure renders a failed check of s the way Hurl does: a title,
// the location, the source line (masked like s) with carets under the
// expected value, and the typed actual and expected values.
func (r *reporter) checkFailure(c *collections.Collection, s *runner.StepResult, ch *runner.CheckResult) string {
	title := "assert " + safetext.Line(ch.Subject)
	if ch.Op != "" {
		title += " (" + string(ch.Op) + ")"
	}
	var note strings.Builder
	if ch.Message != "" {
		note.WriteString("\n  " + safetext.Text(ch.Message))
	}
	writeDetails(&note, ch)
	if ch.Op != "" && !isStructuralDiff(ch) {
		note.WriteString("\n  actual:   " + safetext.Line(shownValue(ch.Actual, ch.Op, ch.Expected.Value)))
		note.WriteString("\n  expected: " + safetext.Line(report.Expectation(ch, shownValue(ch.Expected, "", nil))))
	}
	src := r.source(c, ch.Pos.File)
	return "error: " + title + "\n" + src.Excerpt(ch.Pos, src.SpanAt(ch.Pos), note.String(), r.sourceMask(c, s))
}

// checkWarning is the line of a check that warns (a request that differs
// from its OpenAPI description): its subject, message, actual value and
// the place that says otherwise.
func (r *reporter) checkWarning(ch *runner.CheckResult) string {
	return fmt.Sprintf("%s: %s (actual %s, expected %s) at %s", ch.Subject, ch.Message,
		shownValue(ch.Actual, ch.Op, nil), report.Expectation(ch, ch.Expected.String()), ch.Pos)
}

// stepError renders the error of an errored step (or the capture error of a
// failed one) with the location the error names, else the step's, the
// source line masked like the step.
func (r *reporter) stepError(c *collections.Collection, s *runner.StepResult) string {
	pos, span := errorPos(s.Err), 0
	if !pos.IsValid() || pos == s.Pos {
		pos = s.Pos
		if s.Step != nil && s.Step.Request() != nil && !strings.Contains(s.Step.Request().URL.Raw, "\n") {
			// Point at the whole request URL, as Hurl does.
			pos, span = s.Step.Request().URL.Pos, utf8.RuneCountInString(s.Step.Request().URL.Raw)
		}
	}
	src := r.source(c, pos.File)
	if span == 0 {
		span = src.SpanAt(pos)
	}
	return "error: " + errorMessage(s.Err) + "\n" + src.Excerpt(pos, span, "", r.sourceMask(c, s))
}

// runError renders the error of a run that could not start.
func (r *reporter) runError(c *collections.Collection, err error) string {
	pos := errorPos(err)
	msg := "error: " + errorMessage(err) + "\n"
	if !pos.IsValid() {
		return msg
	}
	return msg + collections.Excerpt(c.SourceOf(pos.File), pos, 0, "")
}

// exchange writes the -v and -vv view of a step's request and response,
// or of the message it sent (>) or received (<).
func (r *reporter) exchange(b *strings.Builder, s *runner.StepResult) {
	const pad = "    "
	if m := s.Message; m != nil {
		dir := pad + "> "
		if m.Action == "receive" {
			dir = pad + "< "
		}
		b.WriteString(r.st.Dim(dir+safetext.Line(strings.ToUpper(m.Action)+" "+m.URL)+fmt.Sprintf("  %d bytes", m.Size)) + "\n")
		if r.verbose > 1 {
			writeHeaders(b, dir, m.Header, r.st)
			writeBody(b, dir, m.Body, m.Size, r.st)
		}
	}
	if req := s.Request; req != nil {
		b.WriteString(pad + r.st.Dim("> "+safetext.Line(req.Method+" "+req.URL)) + "\n")
		if r.verbose > 1 {
			writeHeaders(b, pad+"> ", req.Header, r.st)
			writeBody(b, pad+"> ", req.Body, req.BodySize, r.st)
		}
	}
	if resp := s.Response; resp != nil {
		line := "< "
		if r.verbose > 1 && resp.Proto != "" {
			line += resp.Proto + " "
		}
		line += fmt.Sprintf("%d %s  %d bytes  %s", resp.Status, http.StatusText(resp.Status), resp.Size, formatDuration(resp.Duration))
		b.WriteString(pad + r.st.Dim(line) + "\n")
		if r.verbose > 1 {
			writeHeaders(b, pad+"< ", resp.Header, r.st)
			writeBody(b, pad+"< ", resp.Body, resp.Size, r.st)
		}
	}
}

// emptyCredentials returns the Authorization and Proxy-Authorization
// fields of h that hold a scheme and nothing after it ("Bearer "), as a
// template reading an empty token renders.
func emptyCredentials(h exchange.Header) []exchange.Field {
	var out []exchange.Field
	for _, f := range h {
		name := http.CanonicalHeaderKey(f.Name)
		if name != "Authorization" && name != "Proxy-Authorization" {
			continue
		}
		if scheme, cred, found := strings.Cut(strings.TrimLeft(f.Value, " "), " "); found && scheme != "" && strings.TrimSpace(cred) == "" {
			out = append(out, f)
		}
	}
	return out
}

// writeHeaders writes header fields in the order they were sent or
// received, one a line.
func writeHeaders(b *strings.Builder, prefix string, h exchange.Header, st Style) {
	for _, f := range h {
		b.WriteString(st.Dim(prefix+safetext.Line(f.Name)+": "+safetext.Line(f.Value)) + "\n")
	}
}

// BodyLimit is how many bytes of each body the runner keeps for -vv
// (runner.Options.BodyLimit).
const BodyLimit = 64 << 10

// writeBody writes the kept start of a body after a blank prefixed line:
// text line by line, anything else as `<N bytes binary>`, and a note when
// the runner kept only part of it.
func writeBody(b *strings.Builder, prefix string, body []byte, size int64, st Style) {
	if size == 0 && len(body) == 0 {
		return
	}
	b.WriteString(st.Dim(strings.TrimRight(prefix, " ")) + "\n")
	truncated := size > BodyLimit
	if !isText(body, truncated) {
		b.WriteString(prefix + st.Dim(fmt.Sprintf("<%d bytes binary>", size)) + "\n")
		return
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		b.WriteString(strings.TrimRight(prefix+safetext.Line(strings.TrimSuffix(line, "\r")), " ") + "\n")
	}
	if truncated {
		b.WriteString(prefix + st.Dim(fmt.Sprintf("… %d more bytes not shown", size-BodyLimit)) + "\n")
	}
}

// isText reports whether body looks like text: valid UTF-8 without NUL or
// other control characters than tab, CR and LF. A truncated body may end in
// the middle of a character.
func isText(body []byte, truncated bool) bool {
	if truncated {
		for i := 0; i < utf8.UTFMax && len(body) > 0 && !utf8.Valid(body); i++ {
			body = body[:len(body)-1]
		}
	}
	if !utf8.Valid(body) {
		return false
	}
	return !bytes.ContainsFunc(body, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r'
	})
}

// formatDuration rounds d to milliseconds: 12ms, 1.234s.
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds())
	}
	return d.Round(time.Millisecond).String()
}

// indent prefixes every non-empty line of s with pad.
func indent(s, pad string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "")
}

// errorPos is the most precise position an error carries: that of an
// expression, else of a collection error, else of the step; the zero Pos
// when it has none.
func errorPos(err error) collections.Pos {
	var (
		undef *collections.UndefinedError
		eval  *collections.EvalError
		cerr  *collections.Error
		step  *runner.StepError
		capt  *runner.CaptureError
	)
	switch {
	case errors.As(err, &capt) && capt.Pos.IsValid():
		return capt.Pos
	case errors.As(err, &undef):
		return undef.Pos
	case errors.As(err, &eval):
		return eval.Pos
	case errors.As(err, &cerr):
		return cerr.Pos
	case errors.As(err, &step):
		return step.Pos
	}
	return collections.Pos{}
}

// errorMessage is err's text without what the step line and the excerpt
// already show: the step's name, request and position. Only the masked text
// of err itself is used, never that of the errors it wraps.
func errorMessage(err error) string {
	msg := err.Error()
	var step *runner.StepError
	if errors.As(err, &step) {
		prefix := fmt.Sprintf("step %q (%s)", step.Step, step.Pos)
		if step.URL != "" {
			prefix += ": " + step.Method + " " + step.URL
		}
		msg = strings.TrimPrefix(msg, prefix+": ")
	}
	if pos := errorPos(err); pos.IsValid() {
		msg = strings.Replace(msg, pos.String()+": ", "", 1)
	}
	return safetext.Text(msg)
}

// Plural formats n with noun, adding an s unless n is 1.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
