// Package shellquote quotes words for a POSIX shell.
package shellquote

import "strings"

// Quote quotes s for a POSIX shell when it holds anything but letters,
// digits and -_./:=@%+,
func Quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes each of args (Quote) and joins them with spaces: a command
// line a POSIX shell reads back as args.
func Join(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = Quote(a)
	}
	return strings.Join(quoted, " ")
}
