// Command hello prints a line and exits: the floor for a Go binary's
// start-up on the machine, which bench/run.sh prints beside
// `callsheet version`.
package main

import "fmt"

func main() { fmt.Println("hello") }
