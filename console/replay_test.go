package console

import (
	"errors"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

func TestReplayed(t *testing.T) {
	ex := &runner.Exchange{Step: "get", Request: exchange.Recorded{Request: exchange.Request{Method: "GET", URL: "http://127.0.0.1/items"}}}
	tests := []struct {
		name string
		rp   session.Replayed
		want string
	}{
		{"unchanged", session.Replayed{Response: &exchange.Response{Status: 200}, Diff: &runner.ResponseDiff{OldStatus: 200, NewStatus: 200}},
			"  = get  GET http://127.0.0.1/items  200  unchanged\n"},
		{"nothing recorded", session.Replayed{Response: &exchange.Response{Status: 201}},
			"  ? get  GET http://127.0.0.1/items  201  (nothing recorded to compare)\n"},
		{"changed", session.Replayed{Response: &exchange.Response{Status: 404}, Diff: &runner.ResponseDiff{OldStatus: 200, NewStatus: 404,
			Body: []runner.Change{{Path: "id", Old: 1.0, New: 2.0}}}},
			"  ~ get  GET http://127.0.0.1/items  200 -> 404\n      body ~ id: 1 -> 2\n"},
		{"not sent, the error escaped", session.Replayed{Err: errors.New("dial: \x1b[2J refused")},
			"  ✘ get  GET http://127.0.0.1/items\n      dial: \\x1b[2J refused\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tt.rp.Exchange = ex
			Replayed(&b, Style{}, &tt.rp)
			if b.String() != tt.want {
				t.Errorf("Replayed() =\n%q\nwant\n%q", b.String(), tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	var b strings.Builder
	LoadErrors(&b, Style{}, []error{errors.New("open a.yaml: no such file"), errors.New("open b.yaml: no such file")})
	want := "error: open a.yaml: no such file\n\nerror: open b.yaml: no such file\n"
	if b.String() != want {
		t.Errorf("LoadErrors() =\n%q\nwant\n%q", b.String(), want)
	}
}
