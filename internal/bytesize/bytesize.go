// Package bytesize reads byte counts as people write them: 1048576,
// 512KiB, 50MiB, 2MB.
package bytesize

import (
	"errors"
	"strconv"
	"strings"
)

// units are the suffixes Parse accepts, longest first.
var units = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// Parse reads a positive byte count such as 1048576, 512KiB, 50MiB or
// 2MB (KiB, MiB, GiB are powers of 1024; KB, MB, GB of 1000; K, M, G
// are read as KiB, MiB, GiB).
func Parse(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("want a positive size such as 50MiB, 512KiB or 1000000")
	}
	if n > (1<<62)/mult {
		return 0, errors.New("size is too large")
	}
	return n * mult, nil
}
