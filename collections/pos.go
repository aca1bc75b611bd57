package collections

import "fmt"

// Pos is a position in a collection file. Line and Col are 1-based; a Col of 0
// means only the line is known (for example a YAML syntax error).
type Pos struct {
	File string
	Line int
	Col  int
	// Bundled is set in the collections built into the binary (Bundled),
	// whose File is not on the user's disk.
	Bundled bool
}

// String formats the position as file:line:col, file:line, or file,
// followed by " (bundled)" in a bundled collection.
func (p Pos) String() string {
	var s string
	switch {
	case p.Line == 0:
		s = p.File
	case p.Col == 0:
		s = fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		s = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	if p.Bundled {
		s += " (bundled)"
	}
	return s
}

// IsValid reports whether the position names at least a line.
func (p Pos) IsValid() bool { return p.Line > 0 }
