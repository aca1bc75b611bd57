package auth

import "testing"

func TestBrowserOpener(t *testing.T) {
	tests := []struct {
		goos string
		env  map[string]string
		want bool
	}{
		{"darwin", nil, true},
		{"windows", nil, true},
		{"linux", nil, false},
		{"linux", map[string]string{"DISPLAY": ":0"}, true},
		{"freebsd", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true},
		{"linux", map[string]string{"DISPLAY": "", "WAYLAND_DISPLAY": ""}, false},
		{"linux", map[string]string{"TERM": "xterm"}, false},
	}
	for _, tt := range tests {
		lookup := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
		if got := BrowserOpener(tt.goos, lookup) != nil; got != tt.want {
			t.Errorf("BrowserOpener(%s, %v) opens: %v, want %v", tt.goos, tt.env, got, tt.want)
		}
	}
}

func TestOpenBrowserCommandRefusesWhatIsNotAWebPage(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "javascript:alert(1)", "https://", "-x"} {
		if err := OpenBrowserCommand(u); err == nil {
			t.Errorf("OpenBrowserCommand(%q) = nil, want a refusal", u)
		}
	}
}
