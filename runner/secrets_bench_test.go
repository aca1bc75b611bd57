package runner

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// BenchmarkSecretCaptures runs 3,333 steps, each capturing a new token
// from its response, of which the first 1, 100 or all 3,333 are secret:
// the cost of a step (ns/step; allocs/op over 3,333 for allocations) is
// the same whatever the number of secrets captured before it. The token
// is no token response's access_token, which is secret whatever the
// capture says.
func BenchmarkSecretCaptures(b *testing.B) {
	const steps = 3333
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"value":"tok-%08d-2f9c1e7a4b","kind":"opaque","expires_in":3600}`, n.Add(1))
	}))
	b.Cleanup(ts.Close)
	for _, secret := range []int{1, 100, steps} {
		var src strings.Builder
		src.WriteString("steps:\n")
		for i := range steps {
			fmt.Fprintf(&src, "  - name: s%d\n    GET: %s/token\n    expect:\n      status: 200\n    capture:\n      token%d: {json: value, secret: %v}\n", i, ts.URL, i, i < secret)
		}
		c, err := collections.Parse("secrets.yaml", []byte(src.String()), collections.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r := New(ts.Client())
		b.Run(fmt.Sprintf("secrets=%d", secret), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := r.Run(context.Background(), c, Options{Retention: Retention{Summaries: true}})
				if res.Dropped[Passed] != steps {
					b.Fatalf("passed %d of %d steps", res.Dropped[Passed], steps)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")

		})
	}
}
