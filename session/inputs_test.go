package session

import (
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadData(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"rows.csv":    "user,n\nann,1\nbob,2.5\n",
		"rows.json":   `[{"user": "cid", "n": 18446744073709551616}]`,
		"empty.csv":   "",
		"header.csv":  "user\n",
		"badname.csv": "a b\n1\n",
		"obj.json":    `{"a": 1}`,
		"rows.txt":    "x",
	})
	tests := []struct {
		file    string
		want    string // user/n of each row
		wantErr string
	}{
		{file: "rows.csv", want: "ann/1 bob/2.5"},
		{file: "rows.json", want: "cid/18446744073709551616"},
		{file: "empty.csv", wantErr: "no header line"},
		{file: "header.csv", wantErr: "no rows"},
		{file: "badname.csv", wantErr: `"a b" is not a variable name`},
		{file: "obj.json", wantErr: "want a JSON array of objects"},
		{file: "rows.txt", wantErr: "want a .csv or .json file"},
		{file: "missing.csv", wantErr: "--data: open"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rows, err := ReadData(filepath.Join(dir, tt.file))
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadData(%s) error = %v, want an *InputError with %q", tt.file, err, tt.wantErr)
				}
				return
			}
			var got []string
			for _, r := range rows {
				got = append(got, r["user"].(string)+"/"+strings.TrimSpace(fmtValue(r["n"])))
			}
			if err != nil || strings.Join(got, " ") != tt.want {
				t.Errorf("ReadData(%s) = %v, %v; want %s", tt.file, got, err, tt.want)
			}
		})
	}
}

// fmtValue formats the typed values rows hold.
func fmtValue(v any) string {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x).String()
	case float64:
		return strings.TrimRight(strings.TrimRight(big.NewFloat(x).Text('f', 6), "0"), ".")
	case *big.Int:
		return x.String()
	}
	return "?"
}

func TestEnvFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/env/staging.yaml": "base: http://x\nn: 9\n",
		"b/env/staging.env":  "base=http://y\n",
		"c/env/staging.yaml": "bad name: 1\n",
	})
	tests := []struct {
		dir, name string
		want      map[string]any
		wantErr   string
	}{
		{dir: "a", name: "staging", want: map[string]any{"base": "http://x", "n": int64(9)}},
		{dir: "b", name: "staging", want: map[string]any{"base": "http://y"}},
		{dir: "c", name: "staging", wantErr: `"bad name" is not a variable name`},
		{dir: "a", name: "prod", wantErr: "--env prod: no env/prod.yaml or env/prod.env in"},
		{dir: "a", name: "../x", wantErr: `--env "../x": want a name`},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.name, func(t *testing.T) {
			e := &envFiles{name: tt.name}
			got, err := e.vars(filepath.Join(dir, tt.dir))
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("vars() error = %v, want an *InputError with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("vars() = %#v, %v; want %#v", got, err, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("vars()[%s] = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}
}
