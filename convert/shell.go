package convert

import (
	"fmt"
	"strings"
	"unicode"
)

// SplitCommands splits shell text into commands and each command into
// words, the way a POSIX shell would for the simple commands found in API
// docs: single and double quotes, $'…' quotes, backslash escapes, line
// continuations (a backslash before a newline), comments, and commands
// ending at a newline, ';' or '&&'. Anything after a '|' up to the end of
// the command (such as `| jq .`) is dropped. Shell variables ($NAME,
// ${NAME}) outside single quotes become callsheet environment templates
// ({{ env.NAME }}), so the command keeps reading them.
func SplitCommands(text string) ([][]string, error) {
	s := &splitter{src: []rune(text), line: 1}
	return s.run()
}

type splitter struct {
	src      []rune
	i        int
	line     int
	cmds     [][]string
	words    []string
	word     strings.Builder
	inWord   bool
	skipping bool // after a pipe: drop words until the command ends
}

func (s *splitter) peek(off int) rune {
	if s.i+off < len(s.src) {
		return s.src[s.i+off]
	}
	return 0
}

func (s *splitter) endWord() {
	if s.inWord && !s.skipping {
		s.words = append(s.words, s.word.String())
	}
	s.word.Reset()
	s.inWord = false
}

func (s *splitter) endCommand() {
	s.endWord()
	if len(s.words) > 0 {
		s.cmds = append(s.cmds, s.words)
	}
	s.words = nil
	s.skipping = false
}

func (s *splitter) run() ([][]string, error) {
	for s.i < len(s.src) {
		r := s.src[s.i]
		switch {
		case r == '\\':
			s.escape()
		case r == '\n':
			s.line++
			s.i++
			s.endCommand()
		case r == ';':
			s.i++
			s.endCommand()
		case r == '&' && s.peek(1) == '&':
			s.i += 2
			s.endCommand()
		case r == '|':
			s.i++
			s.endWord()
			s.skipping = true
		case unicode.IsSpace(r):
			s.i++
			s.endWord()
		case r == '#' && !s.inWord:
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			if err := s.wordPart(r); err != nil {
				return nil, err
			}
		}
	}
	s.endCommand()
	return s.cmds, nil
}

// escape reads a backslash: a line continuation, or the character after
// it taken as it is.
func (s *splitter) escape() {
	next := s.peek(1)
	switch next {
	case '\n':
		s.line++
		s.i += 2
	case '\r':
		s.i += 2
		if s.peek(0) == '\n' {
			s.line++
			s.i++
		}
	case 0:
		s.i++
	default:
		s.word.WriteRune(next)
		s.inWord = true
		s.i += 2
	}
}

// wordPart reads a part of a word that starts with r: a quoted string, a
// variable or a plain character.
func (s *splitter) wordPart(r rune) error {
	switch {
	case r == '\'':
		return s.single()
	case r == '"':
		return s.double()
	case r == '$' && s.peek(1) == '\'':
		return s.ansiC()
	case r == '$':
		s.variable()
	default:
		s.word.WriteRune(r)
		s.inWord = true
		s.i++
	}
	return nil
}

func (s *splitter) single() error {
	start := s.line
	s.i++
	s.inWord = true
	for s.i < len(s.src) {
		r := s.src[s.i]
		s.i++
		if r == '\'' {
			return nil
		}
		if r == '\n' {
			s.line++
		}
		s.word.WriteRune(r)
	}
	return fmt.Errorf("line %d: unterminated single quote", start)
}

func (s *splitter) double() error {
	start := s.line
	s.i++
	s.inWord = true
	for s.i < len(s.src) {
		r := s.src[s.i]
		switch {
		case r == '"':
			s.i++
			return nil
		case r == '\\':
			switch next := s.peek(1); next {
			case '$', '`', '"', '\\':
				s.word.WriteRune(next)
				s.i += 2
			case '\n':
				s.line++
				s.i += 2
			default:
				s.word.WriteRune(r)
				s.i++
			}
		case r == '$':
			s.variable()
		default:
			if r == '\n' {
				s.line++
			}
			s.word.WriteRune(r)
			s.i++
		}
	}
	return fmt.Errorf("line %d: unterminated double quote", start)
}

// ansiC reads a $'…' word part, with C escapes.
func (s *splitter) ansiC() error {
	start := s.line
	s.i += 2
	s.inWord = true
	escapes := map[rune]string{'n': "\n", 't': "\t", 'r': "\r", '\\': "\\", '\'': "'", '"': "\"", '0': "\x00"}
	for s.i < len(s.src) {
		r := s.src[s.i]
		switch {
		case r == '\'':
			s.i++
			return nil
		case r == '\\' && s.i+1 < len(s.src):
			if e, ok := escapes[s.src[s.i+1]]; ok {
				s.word.WriteString(e)
			} else {
				s.word.WriteRune('\\')
				s.word.WriteRune(s.src[s.i+1])
			}
			s.i += 2
		default:
			s.word.WriteRune(r)
			s.i++
		}
	}
	return fmt.Errorf("line %d: unterminated $' quote", start)
}

// variable reads $NAME or ${NAME} as {{ env.NAME }}; a lone $ is literal.
func (s *splitter) variable() {
	s.inWord = true
	j := s.i + 1
	braced := j < len(s.src) && s.src[j] == '{'
	if braced {
		j++
	}
	k := j
	for k < len(s.src) && (s.src[k] == '_' || unicode.IsLetter(s.src[k]) || k > j && unicode.IsDigit(s.src[k])) {
		k++
	}
	if k == j || braced && (k >= len(s.src) || s.src[k] != '}') {
		s.word.WriteRune('$')
		s.i++
		return
	}
	s.word.WriteString("{{ env." + string(s.src[j:k]) + " }}")
	if braced {
		k++
	}
	s.i = k
}
