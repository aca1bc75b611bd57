package cmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// readData reads the rows of a --data file: CSV with a header line (values
// typed like --var), or a JSON array of objects (JSON types kept).
func readData(file string) ([]map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("--data: %w", err), command: "run"}
	}
	bad := func(err error) error {
		return &usageError{err: fmt.Errorf("--data %s: %w", file, err), command: "run"}
	}
	var rows []map[string]any
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&rows); err != nil {
			return nil, bad(fmt.Errorf("want a JSON array of objects: %w", err))
		}
		for _, row := range rows {
			if _, err := collections.NormalizeNumbers(row); err != nil { // in place
				return nil, bad(err)
			}
		}
	case ".csv":
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			return nil, bad(err)
		}
		if len(recs) == 0 {
			return nil, bad(errors.New("no header line"))
		}
		for _, rec := range recs[1:] {
			row := make(map[string]any, len(rec))
			for i, v := range rec {
				row[recs[0][i]] = typedValue(v)
			}
			rows = append(rows, row)
		}
	default:
		return nil, bad(errors.New("want a .csv or .json file"))
	}
	for i, r := range rows {
		for k := range r {
			if !validName(k) {
				return nil, bad(fmt.Errorf("row %d: %q is not a variable name", i+1, k))
			}
		}
	}
	if len(rows) == 0 {
		return nil, bad(errors.New("no rows"))
	}
	return rows, nil
}
