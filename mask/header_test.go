package mask

import "testing"

// TestHeaderCredentials masks the credential headers whatever the
// secrets: Authorization and Proxy-Authorization keep their scheme,
// cookies are masked whole, spaces and all.
func TestHeaderCredentials(t *testing.T) {
	m := New()
	tests := []struct{ name, value, want string }{
		{"Authorization", "Basic fj/DvD4=", "Basic ***"},
		{"proxy-authorization", "Basic fj/DvD4=", "Basic ***"},
		{"Set-Cookie", "id=1; Path=/; HttpOnly", "***"},
		{"Cookie", "a=1; b=2", "***"},
		{"X-Plain", "Bearer not-secret", "Bearer not-secret"},
	}
	for _, tt := range tests {
		if got := m.Header(tt.name, tt.value); got != tt.want {
			t.Errorf("Header(%s, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
}

// TestAddCredential registers the credential of Authorization and
// Proxy-Authorization values only.
func TestAddCredential(t *testing.T) {
	m := New()
	m.AddCredential("Proxy-Authorization", "Basic fj/DvD4=")
	m.AddCredential("Set-Cookie", "id=1; session=c00kie")
	m.AddCredential("Cookie", "a b=c00kie2")
	if got := m.String("echo fj/DvD4= c00kie c00kie2"); got != "echo *** c00kie c00kie2" {
		t.Errorf("String = %q, want only the proxy credential masked", got)
	}
}

func TestSensitive(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Authorization", true},
		{"authorization", true},
		{"Proxy-Authorization", true},
		{"Cookie", true},
		{"Set-Cookie", false},
		{"X-Api-Key", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Sensitive(tt.name); got != tt.want {
			t.Errorf("Sensitive(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCredential keeps the scheme of an Authorization value, after any
// leading spaces, and leaves a value with no credential after its scheme
// as it is.
func TestCredential(t *testing.T) {
	tests := []struct{ value, want string }{
		{"Bearer abc.def", "Bearer ***"},
		{"  Bearer abc.def", "Bearer ***"},
		{"Basic  fj/DvD4=", "Basic ***"},
		{"opaque", "***"},
		{"Bearer ", "Bearer "},
		{"Bearer   ", "Bearer   "},
		{"", "***"},
	}
	for _, tt := range tests {
		if got := Credential(tt.value); got != tt.want {
			t.Errorf("Credential(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}
