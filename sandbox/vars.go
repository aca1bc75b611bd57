package sandbox

// The names of the variables a collection reads to call the sandbox
// (callsheet run --sandbox sets them).
const (
	VarLoginURL     = "login_url"
	VarBaseURL      = "base_url"
	VarClientID     = "client_id"
	VarClientSecret = "client_secret"
	VarCompanyID    = "company_id"
)

// Vars are the variables of a collection calling a sandbox that serves at
// url: its login and API base URLs, the demo client's ID and secret and
// the demo company's ID.
func Vars(url string) map[string]any {
	return map[string]any{
		VarLoginURL:     url,
		VarBaseURL:      url,
		VarClientID:     DemoClientID,
		VarClientSecret: DemoClientSecret,
		VarCompanyID:    int64(DemoCompanyID),
	}
}
