package session

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/joho/godotenv"

	"github.com/callsheet/callsheet/eval"
)

// Layer is a source of the variables given outside a collection. The
// layers are declared in order of precedence, lowest first: where two
// define a name, the later one wins. Beneath every layer come the
// collection's own vars (and beneath those the vars a saved state
// restores); above them the captures of earlier steps. The runner applies
// those two; Vars holds the layers between.
type Layer int

// The layers, lowest precedence first.
const (
	// LayerEnv is --env NAME: env/NAME.yaml or env/NAME.env beside the
	// collection.
	LayerEnv Layer = iota
	// LayerProcess are the CALLSHEET_VAR_NAME environment variables.
	LayerProcess
	// LayerEnvFile is the dotenv file of --env-file.
	LayerEnvFile
	// LayerRow is the row of --data the run is for.
	LayerRow
	// LayerSandbox are the values --sandbox sets: the sandbox's URLs and
	// demo client.
	LayerSandbox
	// LayerVar are the --var NAME=VALUE flags.
	LayerVar
	numLayers
)

// String names the layer as the command line spells its source.
func (l Layer) String() string {
	switch l {
	case LayerEnv:
		return "--env"
	case LayerProcess:
		return "CALLSHEET_VAR_"
	case LayerEnvFile:
		return "--env-file"
	case LayerRow:
		return "--data"
	case LayerSandbox:
		return "--sandbox"
	case LayerVar:
		return "--var"
	}
	return fmt.Sprintf("Layer(%d)", int(l))
}

// Vars are the variables given outside a collection, one map per layer.
// Each map holds values of the types collections.Value.Render returns.
// The zero Vars has no variables; copies share the layers' maps, which
// are never changed once set.
type Vars struct {
	layers [numLayers]map[string]any
}

// Set makes vars the variables of layer l.
func (v *Vars) Set(l Layer, vars map[string]any) { v.layers[l] = vars }

// Layer returns the variables of layer l.
func (v Vars) Layer(l Layer) map[string]any { return v.layers[l] }

// Merge returns every variable, each from the highest layer defining it.
func (v Vars) Merge() map[string]any {
	out := make(map[string]any)
	for _, l := range v.layers {
		maps.Copy(out, l)
	}
	return out
}

// Names lists, sorted, every name a layer defines.
func (v Vars) Names() []string {
	return slices.Sorted(maps.Keys(v.Merge()))
}

// ValidName reports whether s can be used as a variable in an expression:
// letters, digits and _, not starting with a digit.
func ValidName(s string) bool {
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

// TypedValue gives a value written as text (--var, CALLSHEET_VAR_, a CSV
// cell) its JSON type: a JSON number becomes an int64 (or a float64 when
// it has a fraction or exponent), true, false and null become bool and
// nil, and a quoted JSON string is unquoted. Anything else, including
// objects, arrays, text with surrounding spaces and integers too large for
// int64 (which a float64 would round), stays the string it is.
func TypedValue(s string) any {
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

// processPrefix marks environment variables that set collection
// variables: CALLSHEET_VAR_token=abc sets token.
const processPrefix = "CALLSHEET_VAR_"

// ProcessVars reads the CALLSHEET_VAR_NAME variables of the environment
// environ (os.Environ's form, KEY=VALUE), typed by TypedValue. environ
// says which names exist; their values are read through lookup.
func ProcessVars(environ []string, lookup func(string) (string, bool)) map[string]any {
	vars := map[string]any{}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, processPrefix)
		if !ok || !ValidName(name) {
			continue
		}
		if v, ok := lookup(k); ok {
			vars[name] = TypedValue(v)
		}
	}
	return vars
}

// EnvLookup reads the environment variables that env.NAME sees: those
// lookupEnv reads (the process's), then the variables of an env file
// (ReadEnvFile), which fill in what the process lacks and never replace
// what it has, as a dotenv file does.
func EnvLookup(lookupEnv func(string) (string, bool), file map[string]any) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := lookupEnv(name); ok {
			return v, true
		}
		v, ok := file[name]
		if !ok {
			return "", false
		}
		return eval.Stringify(v), true
	}
}

// ReadEnvFile reads the variables of a dotenv file (godotenv syntax;
// ${NAME} expands names of the same file only). Values stay strings:
// dotenv has no types, and a quoted "123" cannot be told from 123.
func ReadEnvFile(path string) (map[string]any, error) {
	m, err := godotenv.Read(path)
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("--env-file: %w", err)}
	}
	vars := make(map[string]any, len(m))
	for name, value := range m {
		vars[name] = value
	}
	return vars, nil
}
