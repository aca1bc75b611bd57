// Command measure runs a command as a user would, its output to a pipe it
// drains, and prints the whole process's wall time, CPU time and peak
// resident memory:
//
//	measure -- callsheet run chain.yaml --iterations 300 -q
//	wall_seconds: 0.309  cpu_seconds: 0.41  peak_rss_kib: 21504
//
// It exits with the command's exit code.
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure -- COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fail(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	io.Copy(io.Discard, out)
	err = cmd.Wait()
	wall := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu, rss := time.Duration(0), int64(0)
	if ru != nil {
		cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		rss = ru.Maxrss // KiB on Linux
	}
	fmt.Printf("wall_seconds: %.6f  cpu_seconds: %.6f  peak_rss_kib: %d\n", wall.Seconds(), cpu.Seconds(), rss)
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(cmd.ProcessState.ExitCode())
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "measure:", err)
	os.Exit(1)
}
