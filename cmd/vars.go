package cmd

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/sandbox"
	"github.com/callsheet/callsheet/session"
)

// varOptions are the flags that define variables outside a collection. run
// and validate share them, so that a command line that runs also validates.
type varOptions struct {
	vars    cli.StringSlice // --var NAME=VALUE, in order
	envFile string
	sandbox bool
	// fileEnv are the variables of --env-file, once read, which env.NAME
	// also sees (lookupEnv).
	fileEnv map[string]any
}

// flags declares the variable flags; sandboxUsage says what --sandbox does
// for the command.
func (o *varOptions) flags(sandboxUsage string) []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "var", Usage: "set variable `NAME=VALUE` (repeatable; overrides --env-file and the collection)", Destination: &o.vars, KeepSpace: true},
		&cli.StringFlag{Name: "env-file", Usage: "read variables from a dotenv `FILE`", Destination: &o.envFile},
		&cli.BoolFlag{Name: "sandbox", Usage: sandboxUsage, Destination: &o.sandbox},
	}
}

// read parses --var and reads --env-file into their layers; usage errors
// name command.
func (o *varOptions) read(command string) (session.Vars, error) {
	var v session.Vars
	cliVars, err := parseVars(o.vars.Value(), command)
	if err != nil {
		return v, err
	}
	v.Set(session.LayerVar, cliVars)
	if o.envFile != "" {
		envVars, err := session.ReadEnvFile(o.envFile)
		if err != nil {
			return v, usage(err, command)
		}
		v.Set(session.LayerEnvFile, envVars)
		o.fileEnv = envVars
	}
	return v, nil
}

// lookupEnv reads the environment variables that env.NAME sees: the
// process's, then those of --env-file, read first (session.EnvLookup).
func (o *varOptions) lookupEnv(sys *system) func(string) (string, bool) {
	return session.EnvLookup(sys.lookupEnv, o.fileEnv)
}

// defined lists every name v and --sandbox define, for
// collections.Options.Defined.
func (o *varOptions) defined(v session.Vars) []string {
	if o.sandbox && v.Layer(session.LayerSandbox) == nil {
		v.Set(session.LayerSandbox, sandbox.Vars(""))
	}
	return v.Names()
}

// parseVars reads --var NAME=VALUE arguments; a later one wins.
func parseVars(args []string, command string) (map[string]any, error) {
	vars := make(map[string]any, len(args))
	for _, arg := range args {
		name, value, err := parseVar(arg)
		if err != nil {
			return nil, &usageError{err: err, command: command}
		}
		vars[name] = value
	}
	return vars, nil
}

// parseVar splits a --var argument NAME=VALUE and types VALUE with
// session.TypedValue.
func parseVar(arg string) (string, any, error) {
	name, raw, ok := strings.Cut(arg, "=")
	if !ok {
		return "", nil, fmt.Errorf("--var %q: want NAME=VALUE", arg)
	}
	if !session.ValidName(name) {
		return "", nil, fmt.Errorf("--var %q: %q is not a variable name (letters, digits and _, not starting with a digit)", arg, name)
	}
	return name, session.TypedValue(raw), nil
}
