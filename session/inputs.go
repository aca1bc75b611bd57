package session

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/callsheet/callsheet/eval"
	"gopkg.in/yaml.v3"
)

// ReadData reads the rows of a --data file: CSV with a header line (values
// typed by TypedValue), or a JSON array of objects (JSON types kept, numbers
// exact). Every column must be a variable name, and there must be a row.
func ReadData(file string) ([]map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("--data: %w", err)}
	}
	bad := func(err error) error {
		return &InputError{Err: fmt.Errorf("--data %s: %w", file, err)}
	}
	var rows []map[string]any
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		if rows, err = jsonRows(b); err != nil {
			return nil, bad(err)
		}
	case ".csv":
		if rows, err = csvRows(b); err != nil {
			return nil, bad(err)
		}
	default:
		return nil, bad(errors.New("want a .csv or .json file"))
	}
	for i, r := range rows {
		for k := range r {
			if !ValidName(k) {
				return nil, bad(fmt.Errorf("row %d: %q is not a variable name", i+1, k))
			}
		}
	}
	if len(rows) == 0 {
		return nil, bad(errors.New("no rows"))
	}
	return rows, nil
}

// jsonRows decodes a JSON array of objects with exact numbers.
func jsonRows(b []byte) ([]map[string]any, error) {
	var rows []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		return nil, fmt.Errorf("want a JSON array of objects: %w", err)
	}
	for _, row := range rows {
		if _, err := eval.NormalizeNumbers(row); err != nil { // in place
			return nil, err
		}
	}
	return rows, nil
}

// csvRows reads CSV records under a header line of names.
func csvRows(b []byte) ([]map[string]any, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("no header line")
	}
	var rows []map[string]any
	for _, rec := range recs[1:] {
		row := make(map[string]any, len(rec))
		for i, v := range rec {
			row[recs[0][i]] = TypedValue(v)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// envFiles reads the variables of --env NAME, once per folder.
type envFiles struct {
	name  string
	byDir map[string]map[string]any
}

// vars returns the variables of env/NAME.yaml (or .yml, or .env) in dir;
// neither file existing is an error.
func (e *envFiles) vars(dir string) (map[string]any, error) {
	dir = filepath.Clean(dir)
	if vars, ok := e.byDir[dir]; ok {
		return vars, nil
	}
	vars, file, err := readEnvNamed(dir, e.name)
	if err != nil {
		return nil, err
	}
	if file == "" {
		return nil, &InputError{Err: fmt.Errorf("--env %s: no env/%s.yaml or env/%s.env in %s", e.name, e.name, e.name, dir)}
	}
	if e.byDir == nil {
		e.byDir = map[string]map[string]any{}
	}
	e.byDir[dir] = vars
	return vars, nil
}

// readEnvNamed reads env/NAME.yaml (a flat mapping; YAML types kept) or
// env/NAME.env (dotenv; strings) in dir. It returns the file it read, or
// an empty name and no variables when neither exists.
func readEnvNamed(dir, name string) (map[string]any, string, error) {
	if !validEnvName(name) {
		return nil, "", &InputError{Err: fmt.Errorf("--env %q: want a name such as staging (letters, digits, -, _ and .)", name)}
	}
	for _, ext := range []string{".yaml", ".yml", ".env"} {
		file := filepath.Join(dir, "env", name+ext)
		b, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", &InputError{Err: fmt.Errorf("--env %s: %w", name, err)}
		}
		if ext == ".env" {
			vars, err := ReadEnvFile(file)
			return vars, file, err
		}
		vars, err := yamlVars(b)
		if err != nil {
			return nil, "", &InputError{Err: fmt.Errorf("--env %s: %s: %w", name, file, err)}
		}
		return vars, file, nil
	}
	return nil, "", nil
}

// yamlVars decodes a flat YAML mapping of variables.
func yamlVars(b []byte) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	vars := make(map[string]any, len(m))
	for k, v := range m {
		if !ValidName(k) {
			return nil, fmt.Errorf("%q is not a variable name", k)
		}
		vars[k] = normalizeYAML(v)
	}
	return vars, nil
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
