package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"

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

func (f *junitFormat) count(r *runner.Result) {
	s := junitSuiteOf(r)
	f.total += r.Duration
	f.root.Tests += s.Tests
	f.root.Failures += s.Failures
	f.root.Errors += s.Errors
	f.parts++
}

// part writes r's <testsuite> as the root's encoder would: on a new line,
// indented one level.
func (f *junitFormat) part(w io.Writer, r *runner.Result) error {
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("  ", "  ")
	return enc.EncodeElement(junitSuiteOf(r), xml.StartElement{Name: xml.Name{Local: "testsuite"}})
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

// junitSuite converts the run of one collection.
func junitSuiteOf(r *runner.Result) junitSuite {
	s := junitSuite{
		Name: clean(r.Name),
		File: clean(r.File),
		Time: seconds(r.Duration),
	}
	if !r.Start.IsZero() {
		s.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
	}
	if r.Err != nil {
		s.Cases = append(s.Cases, junitCase{
			Name:      clean(r.Name),
			Classname: clean(r.File),
			Time:      seconds(0),
			Errors:    []junitProblem{{Message: clean(r.Err.Error()), Type: "error", Text: clean(r.Err.Error())}},
		})
		s.Errors++
	}
	for _, st := range r.Steps {
		c := junitCase{
			Name:      clean(st.Name),
			Classname: clean(r.File),
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
				jp := junitProblem{Message: clean(p.Title), Type: kind, Text: clean(p.Detail)}
				if st.Outcome == runner.Errored {
					c.Errors = append(c.Errors, jp)
				} else {
					c.Failures = append(c.Failures, jp)
				}
			}
			if st.Outcome == runner.Errored {
				s.Errors++
			} else {
				s.Failures++
			}
		default:
			c.Skipped = &junitSkipped{Message: st.Outcome.String()}
			if st.SkipReason != "" {
				c.Skipped.Message = clean(st.SkipReason)
			}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s
}
