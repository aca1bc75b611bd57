package bytesize

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{in: "50MiB", want: 50 << 20},
		{in: "512KiB", want: 512 << 10},
		{in: "1GiB", want: 1 << 30},
		{in: "2MB", want: 2000000},
		{in: "3KB", want: 3000},
		{in: "1GB", want: 1000000000},
		{in: "4K", want: 4 << 10},
		{in: "1000000", want: 1000000},
		{in: "10 M", want: 10 << 20},
		{in: " 2G ", want: 2 << 30},
		{in: "7B", want: 7},
		{in: "0", err: true},
		{in: "-1MiB", err: true},
		{in: "lots", err: true},
		{in: "MiB", err: true},
		{in: "1.5MiB", err: true},
		{in: "99999999999GiB", err: true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
