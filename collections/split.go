package collections

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// splitFrom is the file size from which the loader parses a top-level
// block steps: list a batch of items at a time (stepRegion) instead of
// building the yaml.Node tree of the whole file. The tree costs about
// 2.5 KB a step on top of the loaded step; parsing in batches keeps one
// batch's nodes alive at a time, so loading a big generated collection
// needs little more memory than the collection it loads.
const splitFrom = 256 << 10

// splitBatch is how many bytes of steps, at least, the loader parses at a
// time once it splits: each parse has a fixed cost (the parser's buffers),
// which items of a few hundred bytes would pay for over and over.
const splitBatch = 32 << 10

// stepRegion is where the items of a top-level block steps: list are in
// the file, by line index (0-based, into loader.lines).
type stepRegion struct {
	// key is the line of `steps:`.
	key int
	// items are the first lines of the items; end is the line after the
	// last one.
	items []int
	end   int
}

// findStepRegion finds the top-level `steps:` key followed by a block
// sequence and the lines each of its items starts on. It reports false
// for anything it does not recognise with certainty (no such key, two of
// them, a flow list, another document marker inside), so that the caller
// parses the whole file instead.
//
// An item is a line indented exactly as the first item and starting with
// "- " (or a lone "-"). A line at the top level (not indented) ends the
// list; one less indented than the items, or as indented and not an item,
// is not recognised; blank lines and comments never end it. A line that
// looks like an item but is not one (inside a quoted string or a flow
// collection spanning lines) leaves the item before it unterminated, so
// its parse fails and the caller falls back to the whole file.
func findStepRegion(lines []string) (stepRegion, bool) {
	r := stepRegion{key: -1}
	for _, line := range lines {
		if !onlyNewlines(line) {
			return r, false
		}
	}
	for i, line := range lines {
		if isStepsKey(line) {
			if r.key >= 0 {
				return r, false
			}
			r.key = i
		}
	}
	if r.key < 0 {
		return r, false
	}
	indent := -1
	r.end = len(lines)
	for i := r.key + 1; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		text := strings.TrimLeft(line, " ")
		if text == "" || text[0] == '#' {
			continue
		}
		if strings.HasPrefix(text, "\t") {
			return r, false // tabs do not indent YAML: let the parser say so
		}
		n := len(line) - len(text)
		item := text == "-" || strings.HasPrefix(text, "- ")
		if indent < 0 {
			if !item {
				return r, false
			}
			indent = n
		}
		if n < indent || n == indent && !item {
			if n > 0 {
				// Not a top-level key: in the whole file it belongs to
				// the list (yaml.v3 even reads a lone "!" there as the
				// steps key's value), so let the whole file's parse say
				// what it is.
				return r, false
			}
			r.end = i
			break
		}
		if n == indent {
			r.items = append(r.items, i)
		}
	}
	return r, len(r.items) > 0
}

// onlyNewlines reports whether line, split at "\n" with its "\r" before
// it left on, holds no other character YAML breaks lines at: a "\r"
// alone, NEL, or the Unicode line and paragraph separators.
func onlyNewlines(line string) bool {
	line = strings.TrimSuffix(line, "\r")
	return !strings.ContainsRune(line, '\r') && !strings.ContainsRune(line, '\u0085') &&
		!strings.ContainsRune(line, '\u2028') && !strings.ContainsRune(line, '\u2029')
}

// isStepsKey reports whether line is the top-level key steps: with
// nothing after it but a comment.
func isStepsKey(line string) bool {
	rest, ok := strings.CutPrefix(line, "steps:")
	if !ok {
		return false
	}
	rest = strings.TrimLeft(strings.TrimSuffix(rest, "\r"), " ")
	return rest == "" || rest[0] == '#'
}

// splitParse is parse for a file with a stepRegion: it parses the file
// with the step items blanked out (their lines kept empty, so positions
// hold), then the items a batch at a time, converting each batch before
// reading the next.
// It reports false, having changed nothing the caller keeps, when any
// part does not parse or breaks a limit: the caller then parses the whole
// file, whose errors are the ones to report.
func (l *loader) splitParse(r stepRegion) (*Collection, bool) {
	kept := func(i int) bool { return i <= r.key || i >= r.end }
	size := len(l.lines)
	for i, line := range l.lines {
		if kept(i) {
			size += len(line)
		}
	}
	head := make([]byte, 0, size)
	for i, line := range l.lines {
		if kept(i) {
			head = append(head, line...)
		}
		if i+1 < len(l.lines) || l.endsLine() {
			head = append(head, '\n')
		}
	}
	var root yaml.Node
	err := unmarshal(head, &root)
	head = nil
	if err != nil || root.Kind == 0 || len(root.Content) == 0 {
		return nil, false
	}
	doc := root.Content[0]
	var expanded int
	if !l.limits(doc, 0, &expanded) || !l.stepsKeyAt(doc, r.key+1) {
		return nil, false
	}
	l.split = &splitSteps{region: r, expanded: &expanded}
	c := l.collection(doc)
	failed := l.split.failed || !l.split.used
	l.split = nil
	if failed {
		return nil, false
	}
	l.checkNames(c)
	l.checkAuth(c)
	l.checkThresholdSteps(c)
	return c, true
}

// stepsKeyAt reports whether doc is a mapping whose steps key is on line
// (1-based) with an empty value: the key findStepRegion found.
func (l *loader) stepsKeyAt(doc *yaml.Node, line int) bool {
	if doc.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "steps" && k.Line == line {
			return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" && v.Value == "" && v.Anchor == ""
		}
	}
	return false
}

// splitSteps is the state of a splitParse while it converts the steps.
type splitSteps struct {
	region stepRegion
	// expanded counts the nodes reached through aliases in the whole
	// file, against MaxAliasNodes.
	expanded *int
	// used is set once the items have been converted; failed when an item
	// did not parse or broke a limit.
	used, failed bool
}

// splitItems converts the items of the region a batch at a time, as
// steps does for a list node: each batch is parsed on its own (by
// parseBatches, a batch ahead of the conversion, on another CPU when
// there is one), checked against the limits, its items converted in
// order, and its nodes let go before the next.
func (l *loader) splitItems() []*Step {
	sp := l.split
	sp.used = true
	done := make(chan struct{})
	defer close(done)
	var out []*Step
	names := map[string]*Step{}
	for b := range l.parseBatches(sp.region, done) {
		if !b.ok {
			sp.failed = true
			return nil
		}
		for k, item := range b.items {
			if !l.limits(item, 2, sp.expanded) {
				sp.failed = true
				return nil
			}
			out = l.addStep(out, names, l.step(resolve(item), b.first+k+1))
			b.items[k] = nil
		}
	}
	return out
}

// parsedBatch is a batch of step items parsed: their nodes, and the
// index of the first item in the region. ok is false when the batch's
// lines are not its items.
type parsedBatch struct {
	first int
	items []*yaml.Node
	ok    bool
}

// parseBatches parses the items of r a batch at a time in a goroutine of
// its own and sends the batches in order, one at most waiting to be
// read: it stops after a batch that does not parse, after the last, or
// when done is closed. It reads only the file's lines.
func (l *loader) parseBatches(r stepRegion, done <-chan struct{}) <-chan parsedBatch {
	size := l.splitBatch
	if size == 0 {
		size = splitBatch
	}
	out := make(chan parsedBatch, 1)
	go func() {
		defer close(out)
		for first := 0; first < len(r.items); {
			// The batch is items [first, last), at least size bytes long.
			last, n := first, 0
			for last < len(r.items) && (last == first || n < size) {
				for line := r.items[last]; line < r.itemEnd(last); line++ {
					n += len(l.lines[line]) + 1
				}
				last++
			}
			items, ok := l.parseItems(r.items[first], r.itemEnd(last-1), last-first)
			select {
			case out <- parsedBatch{first: first, items: items, ok: ok}:
			case <-done:
				return
			}
			if !ok {
				return
			}
			first = last
		}
	}()
	return out
}

// itemEnd is the line after item i.
func (r stepRegion) itemEnd(i int) int {
	if i+1 < len(r.items) {
		return r.items[i+1]
	}
	return r.end
}

// parseItems parses lines [start, end) as a list of n items and returns
// their nodes, their lines moved to where they are in the file. It
// reports false when the lines are not n items. It reads only the file's
// lines (parseBatches calls it while the steps before are converted);
// the caller checks the items against the limits.
func (l *loader) parseItems(start, end, n int) ([]*yaml.Node, bool) {
	text := strings.Join(l.lines[start:end], "\n")
	if end < len(l.lines) || l.endsLine() {
		text += "\n" // as in the file: a block scalar's value ends with it
	}
	var root yaml.Node
	if err := unmarshal([]byte(text), &root); err != nil {
		return nil, false
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, false
	}
	list := root.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) != n {
		return nil, false
	}
	for _, item := range list.Content {
		shiftLines(item, start)
	}
	return list.Content, true
}

// shiftLines adds by to the line of n and of every node under it.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// endsLine reports whether the file ends with a line break.
func (l *loader) endsLine() bool {
	return len(l.src) > 0 && (l.src[len(l.src)-1] == '\n' || l.src[len(l.src)-1] == '\r')
}
