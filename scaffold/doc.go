// Package scaffold is what `callsheet init` writes: the starter project (a
// collection against httpbin, its .env, the JSON Schema for editors and a
// .gitignore) or a bundled collection with a .env naming the environment
// variables it reads. Write never overwrites a file that exists; what it
// did with each file (Written) and the command to run next
// (Project.NextIn) are said as init prints them.
package scaffold
