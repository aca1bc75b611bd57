// Package atomicfile writes files atomically: a reader of the path sees
// the old file or the whole new one, never a part, and a failed write
// leaves the path as it was with no temporary file behind.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates path with mode perm from what fill writes: into a
// temporary file in path's folder (so the rename stays on one file
// system), buffered, chmodded to perm, synced, closed, then renamed over
// path. If fill or any step fails, the temporary file is removed and path
// is untouched. The folder must exist. An error from fill is returned
// as it is; others name path, never the temporary file.
func Write(path string, perm fs.FileMode, fill func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, WithoutPath(err))
	}
	return nil
}

// WithoutPath returns the cause of a failed file operation without the
// path it names (the *fs.PathError's or *os.LinkError's Err), so that a
// message about a file written through a temporary one names the file,
// not the temporary; other errors are returned as they are.
func WithoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
