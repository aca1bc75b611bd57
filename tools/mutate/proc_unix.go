//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd run in its own process group and be killed with it,
// so that a test binary that hangs dies with the go command that started
// it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
