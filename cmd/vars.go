package cmd

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/joho/godotenv"
	"github.com/urfave/cli/v2"
)

// Variables given outside a collection come in layers, lowest precedence
// first: --env-file, then the sandbox's, then --var. Each layer is a map from
// name to a value of the types collections.Value.Render returns.

// varOptions are the flags that define variables outside a collection. run
// and validate share them, so that a command line that runs also validates.
type varOptions struct {
	vars    cli.StringSlice // --var NAME=VALUE, in order
	envFile string
	sandbox bool
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

// read parses --var and reads --env-file; usage errors name command.
func (o *varOptions) read(command string) (envVars, cliVars map[string]any, err error) {
	if cliVars, err = parseVars(o.vars.Value(), command); err != nil {
		return nil, nil, err
	}
	if o.envFile != "" {
		if envVars, err = readEnvFile(o.envFile, command); err != nil {
			return nil, nil, err
		}
	}
	return envVars, cliVars, nil
}

// defined lists, sorted, every name the layers and --sandbox define, for
// collections.Options.Defined.
func (o *varOptions) defined(envVars, cliVars map[string]any) []string {
	var sb map[string]any
	if o.sandbox {
		sb = sandboxVars("")
	}
	return slices.Sorted(maps.Keys(mergeVars(envVars, sb, cliVars)))
}

// readEnvFile reads the variables of a dotenv file (godotenv syntax;
// ${NAME} expands names of the same file only). Values stay strings: dotenv
// has no types, and a quoted "123" cannot be told from 123.
func readEnvFile(path, command string) (map[string]any, error) {
	m, err := godotenv.Read(path)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("--env-file: %w", err), command: command}
	}
	vars := make(map[string]any, len(m))
	for name, value := range m {
		vars[name] = value
	}
	return vars, nil
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

// mergeVars layers maps, later ones winning.
func mergeVars(layers ...map[string]any) map[string]any {
	out := make(map[string]any)
	for _, l := range layers {
		maps.Copy(out, l)
	}
	return out
}

// parseVar splits a --var argument NAME=VALUE and types VALUE with
// typedValue.
func parseVar(arg string) (string, any, error) {
	name, raw, ok := strings.Cut(arg, "=")
	if !ok {
		return "", nil, fmt.Errorf("--var %q: want NAME=VALUE", arg)
	}
	if !validName(name) {
		return "", nil, fmt.Errorf("--var %q: %q is not a variable name (letters, digits and _, not starting with a digit)", arg, name)
	}
	return name, typedValue(raw), nil
}

// validName reports whether s can be used as a variable in an expression.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// typedValue gives a --var value its JSON type: a JSON number becomes an
// int64 (or a float64 when it has a fraction or exponent), true, false and
// null become bool and nil, and a quoted JSON string is unquoted. Anything
// else, including objects, arrays, text with surrounding spaces and integers
// too large for int64 (which a float64 would round), stays the string it is.
func typedValue(s string) any {
	if strings.TrimSpace(s) != s || !json.Valid([]byte(s)) {
		return s
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return s
	}
	switch v := v.(type) {
	case nil, bool, string:
		return v
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		if !strings.ContainsAny(string(v), ".eE") {
			return s
		}
		if f, err := v.Float64(); err == nil {
			return f
		}
		return s
	default: // objects and arrays
		return s
	}
}
