package sandbox

import (
	"fmt"
	"io"

	"github.com/callsheet/callsheet/internal/shellquote"
)

// Banner writes on w what `callsheet sandbox` prints once s serves: where,
// with which demo client and certificate (certFile), how cfg sets it
// (Config.Describe), and the shell command that runs the bundled
// collection procore/first-call against it. title renders the leading
// "sandbox:" (bold on a terminal).
func (s *Server) Banner(w io.Writer, certFile string, cfg Config, title func(string) string) {
	args := []string{"callsheet", "run", "--auto-authorize"}
	vars := Vars(s.URL)
	for _, name := range []string{VarLoginURL, VarBaseURL, VarClientID, VarClientSecret, VarCompanyID} {
		args = append(args, "--var", fmt.Sprintf("%s=%v", name, vars[name]))
	}
	command := shellquote.Join(append(args, "--cacert", certFile, "procore/first-call"))

	fmt.Fprintf(w, "%s serving the Procore sandbox at %s\n\n", title("sandbox:"), s.URL)
	fmt.Fprintf(w, "  login URL      %s  (/oauth/authorize, /oauth/token)\n", s.URL)
	fmt.Fprintf(w, "  API base URL   %s  (/rest/v1.0/me, /rest/v1.0/projects, …)\n", s.URL)
	fmt.Fprintf(w, "  client id      %s\n", DemoClientID)
	fmt.Fprintf(w, "  client secret  %s\n", DemoClientSecret)
	fmt.Fprintf(w, "  company id     %d\n", DemoCompanyID)
	fmt.Fprintf(w, "  certificate    %s\n", certFile)
	fmt.Fprintf(w, "  instance       %s  (%s header)\n", s.Sandbox.Instance(), InstanceHeader)
	cfg.Describe(w)
	fmt.Fprintf(w, "\nRun a collection against it:\n\n  %s\n\nPress Ctrl-C to stop.\n", command)
}
