package otlp

import (
	"testing"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
)

// FuzzAnswers checks that the collector's answers read as the official
// types read them: whenever protobuf decodes b as a google.rpc.Status or
// an ExportMetricsServiceResponse, statusMessage and rejected find what it
// found.
func FuzzAnswers(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xff})
	f.Add(status(f, "disk full"))
	f.Add(partial(f, 3, "bad unit"))
	f.Add(append(partial(f, 3, ""), partial(f, 0, "merged")...))
	// An unknown group (field 5) holding a varint, then a partial success.
	f.Add(append([]byte{5<<3 | startGroupType, 1<<3 | varintType, 1, 5<<3 | endGroupType}, partial(f, 2, "after a group")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		var resp colmetrics.ExportMetricsServiceResponse
		if proto.Unmarshal(b, &resp) == nil {
			n, msg := rejected(b)
			if want := resp.GetPartialSuccess(); n != want.GetRejectedDataPoints() || msg != want.GetErrorMessage() {
				t.Errorf("rejected(%x) = %d, %q; protobuf reads %d, %q", b, n, msg, want.GetRejectedDataPoints(), want.GetErrorMessage())
			}
		}
		var st statuspb.Status
		if proto.Unmarshal(b, &st) == nil {
			want := ""
			if st.GetMessage() != "" {
				want = ": " + st.GetMessage()
			}
			if got := statusMessage(b); got != want {
				t.Errorf("statusMessage(%x) = %q; protobuf reads %q", b, got, want)
			}
		}
	})
}
