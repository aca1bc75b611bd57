package layers

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// unlinked are the libraries the callsheet binary must not link: the
// initialisation of their packages would run at the start of every
// command (even protowire's: it imports protobuf's internal/detrand, which
// reads the running executable). The load exporters encode their wire
// formats themselves; their tests check them with these libraries.
var unlinked = []string{
	"github.com/prometheus/client_golang",
	"go.opentelemetry.io/otel",
	"google.golang.org/grpc",
	"google.golang.org/protobuf",
}

// linked returns the unlinked libraries that packages of deps are, or
// are part of.
func linked(deps []string) []string {
	var out []string
	for _, lib := range unlinked {
		if slices.ContainsFunc(deps, func(d string) bool { return d == lib || strings.HasPrefix(d, lib+"/") }) {
			out = append(out, lib)
		}
	}
	return out
}

// TestBinaryLinks checks the packages the callsheet binary is built from
// (go list -deps, its tests' imports aside).
func TestBinaryLinks(t *testing.T) {
	deps := strings.Fields(goList(t, filepath.Join("..", ".."), "-deps", "./cmd/callsheet"))
	if !slices.Contains(deps, "github.com/callsheet/callsheet/load/stream/otlp") {
		t.Fatalf("go list -deps ./cmd/callsheet lists %d packages, without the load exporters", len(deps))
	}
	for _, lib := range linked(deps) {
		t.Errorf("the callsheet binary links %s; its initialisation would run at the start of every command", lib)
	}
}

// TestLinkedCatches feeds linked lists it must and must not object to.
func TestLinkedCatches(t *testing.T) {
	tests := []struct {
		name       string
		deps, want []string
	}{
		{"the Prometheus client", []string{"net/http", "github.com/prometheus/client_golang/prometheus"}, []string{"github.com/prometheus/client_golang"}},
		{"the OpenTelemetry SDK", []string{"go.opentelemetry.io/otel", "go.opentelemetry.io/otel/sdk/metric"}, []string{"go.opentelemetry.io/otel"}},
		{"all of them", []string{"google.golang.org/protobuf/reflect/protoregistry", "google.golang.org/grpc/status", "go.opentelemetry.io/otel/metric", "github.com/prometheus/client_golang/prometheus/promhttp"},
			[]string{"github.com/prometheus/client_golang", "go.opentelemetry.io/otel", "google.golang.org/grpc", "google.golang.org/protobuf"}},
		{"gRPC", []string{"google.golang.org/grpc"}, []string{"google.golang.org/grpc"}},
		{"the protobuf registry", []string{"google.golang.org/protobuf/reflect/protoregistry"}, []string{"google.golang.org/protobuf"}},
		{"protowire", []string{"google.golang.org/protobuf/encoding/protowire", "google.golang.org/protobuf/internal/detrand"}, []string{"google.golang.org/protobuf"}},
		{"the OTLP types", []string{"go.opentelemetry.io/proto/otlp/metrics/v1"}, nil},
		{"a similar name", []string{"go.opentelemetry.io/otelx", "google.golang.org/grpcx", "google.golang.org/protobufx"}, nil},
		{"the Prometheus text parser", []string{"github.com/prometheus/common/expfmt"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linked(tt.deps); !slices.Equal(got, tt.want) {
				t.Errorf("linked(%q) = %q, want %q", tt.deps, got, tt.want)
			}
		})
	}
}
