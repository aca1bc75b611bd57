package openapi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Location is a place in a description: a file, the line and column of the
// element there (1-based; 0 when unknown), and its JSON pointer.
type Location struct {
	File    string
	Line    int
	Col     int
	Pointer string
}

// String formats the location as file:line:col (file:line, or file, when
// less is known).
func (l Location) String() string {
	switch {
	case l.Line == 0:
		return l.File
	case l.Col == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
}

// Ref formats the location as a JSON reference: file#/pointer.
func (l Location) Ref() string { return l.File + "#" + l.Pointer }

// Error is a problem with a description at a location in it.
type Error struct {
	Location
	Msg string
}

// Error formats the error as `file:line:col: message`.
func (e *Error) Error() string { return e.Location.String() + ": " + e.Msg }

// ErrorList is every problem found in a description, sorted by position.
type ErrorList []*Error

// Error lists the errors, one a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort orders the list by file, line and column.
func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// err returns the list as an error, or nil when it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}
