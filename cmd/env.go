package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// varPrefix marks environment variables that set collection variables:
// CALLSHEET_VAR_token=abc sets token.
const varPrefix = "CALLSHEET_VAR_"

// callsheetVars reads the CALLSHEET_VAR_NAME environment variables, typed
// like --var. The process environment says which names exist; their values
// are read through sys.lookupEnv.
func callsheetVars(sys *system) map[string]any {
	vars := map[string]any{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, varPrefix)
		if !ok || !validName(name) {
			continue
		}
		if v, ok := sys.lookupEnv(k); ok {
			vars[name] = typedValue(v)
		}
	}
	return vars
}

// readEnvNamed reads env/NAME.yaml (a flat mapping; YAML types kept) or
// env/NAME.env (dotenv; strings) in dir. It returns the file it read, or
// an empty name and no variables when neither exists.
func readEnvNamed(dir, name string) (map[string]any, string, error) {
	if !validEnvName(name) {
		return nil, "", &usageError{err: fmt.Errorf("--env %q: want a name such as staging (letters, digits, -, _ and .)", name), command: "run"}
	}
	for _, ext := range []string{".yaml", ".yml", ".env"} {
		file := filepath.Join(dir, "env", name+ext)
		b, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", &usageError{err: fmt.Errorf("--env %s: %w", name, err), command: "run"}
		}
		if ext == ".env" {
			vars, err := readEnvFile(file, "run")
			return vars, file, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, "", &usageError{err: fmt.Errorf("--env %s: %s: %w", name, file, err), command: "run"}
		}
		vars := make(map[string]any, len(m))
		for k, v := range m {
			if !validName(k) {
				return nil, "", &usageError{err: fmt.Errorf("--env %s: %s: %q is not a variable name", name, file, k), command: "run"}
			}
			vars[k] = normalizeYAML(v)
		}
		return vars, file, nil
	}
	return nil, "", nil
}

// validEnvName reports whether s can name an env/NAME file: not empty,
// not . or .., and no path separator.
func validEnvName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`)
}

// normalizeYAML gives values decoded by yaml.v3 the types templates use:
// int64 for integers.
func normalizeYAML(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case []any:
		for i := range x {
			x[i] = normalizeYAML(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeYAML(x[k])
		}
	}
	return v
}
