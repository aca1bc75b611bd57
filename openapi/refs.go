package openapi

import (
	"errors"

	"gopkg.in/yaml.v3"
)

// literalKeys hold data, not description: a $ref under them is a value
// like any other.
var literalKeys = map[string]bool{"example": true, "default": true, "const": true, "enum": true}

// checkRefs reads every file the description's $refs name and checks that
// each $ref leads somewhere, reporting those that do not at their line.
// It returns the files in the order they were reached.
func (s *source) checkRefs() ErrorList {
	var errs ErrorList
	for i := 0; i < len(s.order); i++ {
		f := s.files[s.order[i]]
		s.walkRefs(s.root(f), "", "", &errs)
	}
	return errs
}

// walkRefs checks the $refs in n. parent and grand are the keys above n,
// to tell literal data (examples) from description.
func (s *source) walkRefs(n node, parent, grand string, errs *ErrorList) {
	switch n.n.Kind {
	case yaml.MappingNode:
		if target, ok := n.refTarget(); ok {
			if _, err := s.follow(n, target); err != nil {
				var e *Error
				if !errors.As(err, &e) {
					v := n.key("$ref")
					e = &Error{Location: s.locate(v.ref()), Msg: err.Error()}
					e.Line, e.Col = v.n.Line, v.n.Column
				}
				*errs = append(*errs, e)
			}
		}
		n.pairs(func(k string, v node) {
			if literalKeys[k] || k == "value" && grand == "examples" || len(k) > 2 && k[:2] == "x-" {
				return
			}
			s.walkRefs(v, k, parent, errs)
		})
	case yaml.SequenceNode:
		for _, it := range n.items() {
			s.walkRefs(it, "", parent, errs)
		}
	}
}
