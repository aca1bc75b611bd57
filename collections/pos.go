package collections

import "fmt"

// Pos is a position in a collection file. Line and Col are 1-based; a Col of 0
// means only the line is known (for example a YAML syntax error).
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, file:line, or file.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// IsValid reports whether the position names at least a line.
func (p Pos) IsValid() bool { return p.Line > 0 }
