package sandbox

import "testing"

func TestVars(t *testing.T) {
	v := Vars("https://127.0.0.1:1")
	if v[VarLoginURL] != "https://127.0.0.1:1" || v[VarBaseURL] != "https://127.0.0.1:1" || v[VarClientID] != DemoClientID ||
		v[VarClientSecret] != DemoClientSecret || v[VarCompanyID] != int64(DemoCompanyID) || len(v) != 5 {
		t.Errorf("Vars() = %v", v)
	}
}
