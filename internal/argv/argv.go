// Package argv puts the flags of a command line before its other
// arguments, for flag parsers (such as Go's flag package, under
// urfave/cli) that stop at the first argument that is not a flag.
package argv

import "strings"

// Flag says how a flag takes its value.
type Flag struct {
	// TakesValue says that the next argument is the flag's value, unless
	// the flag is given as --name=value.
	TakesValue bool
	// Accepts, for a flag whose value is optional (--state, or --state
	// FILE.json), says whether it takes the next argument as its value; it
	// is then joined to the flag as --name=next.
	Accepts func(next string) bool
}

// FlagsFirst returns args with every flag, and its value, moved in front
// of the other arguments, which follow a "--" so that none is read as a
// flag. flags holds the flags by each of their names, without dashes; a
// flag not in it takes no value. Whatever follows a "--" in args stays an
// argument.
func FlagsFirst(args []string, flags map[string]Flag) []string {
	out := []string{}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			name := strings.TrimLeft(a, "-")
			f := flags[name]
			if f.Accepts != nil && i+1 < len(args) && f.Accepts(args[i+1]) {
				i++
				a += "=" + args[i]
			}
			out = append(out, a)
			if !strings.Contains(name, "=") && f.TakesValue && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 {
		out = append(append(out, "--"), rest...)
	}
	return out
}
