package collections

// bracketSpan returns the length of the flow sequence or mapping that
// starts rest (with '[' or '{') up to its closing bracket, skipping quoted
// strings, or 0 when it does not close on this line.
func bracketSpan(rest []rune) int {
	depth := 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			for i++; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(rest); i++ {
				if rest[i] == '\'' {
					if i+1 < len(rest) && rest[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		}
	}
	return 0
}
