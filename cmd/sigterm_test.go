//go:build unix

package cmd

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSandboxSIGTERMRemovesCertificate starts `callsheet sandbox` as a
// process, reads the certificate file it prints, stops it with SIGTERM (as
// a service manager or CI does) and checks the file is gone.
func TestSandboxSIGTERMRemovesCertificate(t *testing.T) {
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "sandbox", "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cert := ""
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if f, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), "certificate"); ok {
			cert = strings.TrimSpace(f)
		}
		if strings.HasPrefix(lines.Text(), "Press Ctrl-C") {
			break
		}
	}
	if cert == "" {
		t.Fatal("the sandbox printed no certificate file")
	}
	if _, err := os.Stat(cert); err != nil {
		t.Fatalf("certificate file %s: %v", cert, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // drain until the process closes stdout
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("sandbox after SIGTERM: %v, want a clean stop", err)
	}
	if _, err := os.Stat(cert); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("certificate file %s after SIGTERM: %v, want it removed", cert, err)
	}
}
