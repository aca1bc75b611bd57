package report

import (
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
// \xNN, so the document is always well-formed.
func JUnit(w io.Writer, results []*runner.Result) error {
	root := junitSuites{Name: "callsheet"}
	var total time.Duration
	for _, r := range results {
		s := junitSuite{
			Name: clean(r.Name),
			File: clean(r.File),
			Time: seconds(r.Duration),
		}
		if !r.Start.IsZero() {
			s.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
		}
		total += r.Duration
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
		root.Tests += s.Tests
		root.Failures += s.Failures
		root.Errors += s.Errors
		root.Suites = append(root.Suites, s)
	}
	root.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}
