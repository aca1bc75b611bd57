package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// junitSuites is the <testsuites> root of a JUnit report.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

// junitSuite is one collection.
type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	File      string      `xml:"file,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

// junitCase is one step. It has no file or line attribute: the common
// JUnit XSD (Jenkins' junit-10.xsd) allows none on <testcase>, so the
// file:line:col of a problem is in its text, and the file is the
// classname and the <testsuite>'s file.
type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Skipped   *junitSkipped  `xml:"skipped,omitempty"`
	Errors    []junitProblem `xml:"error,omitempty"`
	Failures  []junitProblem `xml:"failure,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes results as JUnit XML: one <testsuite> per collection and one
// <testcase> per step. A failed check is a <failure> whose message holds the
// subject with the actual and expected values and whose text adds the
// file:line:col; an errored step is an <error>; a step not run is
// <skipped>. A collection that could not start has one <error> testcase
// named after it. Control characters and invalid UTF-8 are escaped as
// \xNN, so the document is always well-formed. Create(FormatJUnit, …)
// streams the same bytes.
var JUnit Writer = write(FormatJUnit)

// junitFormat writes the JUnit document as if encoding a junitSuites root
// with a two-space indent: the root's start tag with the totals, each
// suite as the root's child, then the end tag.
type junitFormat struct {
	root  junitSuites
	total time.Duration
	parts int // the suites counted
}

// step writes s's <testcase> as the root's encoder would: on a new line,
// indented two levels.
func (f *junitFormat) step(w io.Writer, file string, s *runner.StepResult, _ int) error {
	return writeCase(w, junitCaseOf(file, s))
}

// writeCase writes c on a new line, indented as a <testsuite>'s child.
func writeCase(w io.Writer, c junitCase) error {
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("    ", "  ")
	return enc.EncodeElement(c, xml.StartElement{Name: xml.Name{Local: "testcase"}})
}

// collection writes r's <testsuite> as the root's encoder would: on a new
// line, indented one level, with the test cases of its steps after the
// error case of a collection that could not start.
func (f *junitFormat) collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error {
	suite := junitSuiteHead(r, sum)
	f.total += r.Duration
	f.root.Tests += suite.Tests
	f.root.Failures += suite.Failures
	f.root.Errors += suite.Errors
	f.parts++
	var b bytes.Buffer
	b.WriteString("\n")
	enc := xml.NewEncoder(&b)
	enc.Indent("  ", "  ")
	if err := enc.EncodeElement(suite, xml.StartElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
		return err
	}
	if suite.Tests == 0 {
		_, err := b.WriteTo(w)
		return err
	}
	open, ok := bytes.CutSuffix(b.Bytes(), []byte("</testsuite>"))
	if !ok {
		return fmt.Errorf("unexpected JUnit suite %q", b.Bytes())
	}
	if _, err := w.Write(open); err != nil {
		return err
	}
	if r.Err != nil {
		msg := safetext.Report(r.Err.Error())
		c := junitCase{Name: safetext.Report(r.Name), Classname: safetext.Report(r.File), Time: seconds(0), Errors: []junitProblem{{Message: msg, Type: "error", Text: msg}}}
		if err := writeCase(w, c); err != nil {
			return err
		}
	}
	if _, err := io.Copy(w, pieces); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n  </testsuite>")
	return err
}

func (f *junitFormat) head(w io.Writer) error {
	root := f.root
	root.Name = "callsheet"
	root.Time = seconds(f.total)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	out := b.Bytes()
	if f.parts > 0 {
		// The suites go between the start and end tags foot writes.
		var ok bool
		if out, ok = bytes.CutSuffix(out, []byte("</testsuites>")); !ok {
			return fmt.Errorf("unexpected JUnit head %q", out)
		}
	} else {
		out = append(out, '\n')
	}
	_, err := w.Write(out)
	return err
}

func (f *junitFormat) foot(w io.Writer) error {
	if f.parts == 0 {
		return nil
	}
	_, err := io.WriteString(w, "\n</testsuites>\n")
	return err
}

// junitSuiteHead is r's <testsuite> without its test cases, counted from
// sum and r's error.
func junitSuiteHead(r *runner.Result, sum *collectionSum) junitSuite {
	s := junitSuite{
		Name:     safetext.Report(r.Name),
		File:     safetext.Report(r.File),
		Time:     seconds(r.Duration),
		Tests:    sum.steps,
		Failures: sum.n[runner.Failed],
		Errors:   sum.n[runner.Errored],
		Skipped:  sum.steps - sum.n[runner.Passed] - sum.n[runner.Failed] - sum.n[runner.Errored],
	}
	if !r.Start.IsZero() {
		s.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
	}
	if r.Err != nil {
		s.Tests++
		s.Errors++
	}
	return s
}

// junitCaseOf converts one step of the collection in file.
func junitCaseOf(file string, st *runner.StepResult) junitCase {
	c := junitCase{
		Name:      safetext.Report(st.Name),
		Classname: safetext.Report(file),
		Time:      seconds(st.Duration),
	}
	switch st.Outcome {
	case runner.Passed:
	case runner.Failed, runner.Errored:
		kind := "failure"
		if st.Outcome == runner.Errored {
			kind = "error"
		}
		for _, p := range problems(st) {
			jp := junitProblem{Message: safetext.Report(p.Title), Type: kind, Text: safetext.Report(p.Detail)}
			if st.Outcome == runner.Errored {
				c.Errors = append(c.Errors, jp)
			} else {
				c.Failures = append(c.Failures, jp)
			}
		}
	default:
		c.Skipped = &junitSkipped{Message: st.Outcome.String()}
		if st.SkipReason != "" {
			c.Skipped.Message = safetext.Report(st.SkipReason)
		}
	}
	return c
}
