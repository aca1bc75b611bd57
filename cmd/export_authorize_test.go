package cmd

import (
	"strings"
	"testing"
)

// TestExportCurlAuthorizeURL checks that an authorize step exports as the
// full authorization URL, its query included, with secrets and values from
// the environment as shell variables.
func TestExportCurlAuthorizeURL(t *testing.T) {
	got := callsheet(t, nil, "export", "curl", "procore/first-call")
	want := "open https://login.procore.com/oauth/authorize?client_id=$PROCORE_CLIENT_ID&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&response_type=code in a browser"
	if got.code != ExitOK || !strings.Contains(got.stdout, want) {
		t.Errorf("callsheet export curl procore/first-call = exit %d:\n%s\nwant the line %q", got.code, got.stdout, want)
	}
}
