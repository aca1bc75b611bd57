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
