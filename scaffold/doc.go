// Package scaffold is what `callsheet init` writes: the starter project (a
// collection against httpbin, its .env, the JSON Schema for editors and a
// .gitignore) or a bundled collection with a .env naming the environment
// variables it reads. Write never overwrites a file that exists.
package scaffold
