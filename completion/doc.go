// Package completion completes callsheet's command lines from a
// description of its commands (Command, Flag), so that it needs nothing of
// the flag library: Complete lists what may come next (commands, flags,
// shells, bundled collections) and Script is the script of each shell
// that asks `callsheet __complete` for it.
package completion
