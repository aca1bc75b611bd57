package console

import "testing"

func TestStyleFor(t *testing.T) {
	tests := []struct {
		name     string
		noColor  bool
		env      map[string]string
		terminal bool
		want     bool
	}{
		{"a terminal", false, nil, true, true},
		{"a pipe", false, nil, false, false},
		{"--no-color", true, nil, true, false},
		{"NO_COLOR", false, map[string]string{"NO_COLOR": "1"}, true, false},
		{"an empty NO_COLOR", false, map[string]string{"NO_COLOR": ""}, true, true},
		{"TERM=dumb", false, map[string]string{"TERM": "dumb"}, true, false},
		{"another TERM", false, map[string]string{"TERM": "xterm-256color"}, true, true},
	}
	for _, tt := range tests {
		lookup := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
		if got := StyleFor(tt.noColor, lookup, tt.terminal).Color; got != tt.want {
			t.Errorf("%s: StyleFor().Color = %v, want %v", tt.name, got, tt.want)
		}
	}
}
