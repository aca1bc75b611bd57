package convert

import "testing"

func TestFormatKeepsCommentsInPlace(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "first and last comments stay first and last",
			in:   "# top\nsteps: # the steps\n  - GET: http://h/\nname: m\n# trailing\n",
			want: "# top\nname: m\n\nsteps: # the steps\n  - GET: http://h/\n# trailing\n",
		},
		{
			name: "a step's last comment stays after its last key",
			in:   "steps:\n  - expect: {status: 200}\n    GET: http://h/\n    # after GET\n",
			want: "steps:\n  - GET: http://h/\n    expect: {status: 200}\n    # after GET\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format([]byte(tt.in))
			if err != nil {
				t.Fatalf("Format error = %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Format(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}
