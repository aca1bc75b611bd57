package otlp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
)

// env is an environment of variables for Start to look up.
type env map[string]string

func (e env) lookup(k string) (string, bool) {
	v, ok := e[k]
	return v, ok
}

// pushed starts an exporter to c with the environment e and closes it.
func pushed(t *testing.T, c *collector, e env) {
	t.Helper()
	ctx := hangGuard(t)
	exp, err := Start(ctx, c.serve(t), time.Hour, e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestHeadersFromTheEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  env
		want map[string][]string // nil for a header not sent
	}{
		{"none", env{}, map[string][]string{"X-Key": nil, "Authorization": nil}},
		{"one", env{envHeaders: "X-Key=abc"}, map[string][]string{"X-Key": {"abc"}}},
		{"trimmed and percent-decoded", env{envHeaders: " Authorization = Bearer%20t0k%3Den , x-b=1"},
			map[string][]string{"Authorization": {"Bearer t0k=en"}, "X-B": {"1"}}},
		{"a space as it is", env{envHeaders: "Authorization=Basic YTpi"}, map[string][]string{"Authorization": {"Basic YTpi"}}},
		{"the metrics' winning per key", env{envHeaders: "X-A=1,X-B=2", envMetricsHeaders: "x-b=3,X-C=4"},
			map[string][]string{"X-A": {"1"}, "X-B": {"3"}, "X-C": {"4"}}},
		{"the metrics' alone", env{envMetricsHeaders: "X-C=4"}, map[string][]string{"X-C": {"4"}}},
		{"the last of a key", env{envHeaders: "X-A=1,x-a=2"}, map[string][]string{"X-A": {"2"}}},
		{"empty entries", env{envHeaders: "X-A=1,, ,"}, map[string][]string{"X-A": {"1"}}},
		{"an empty value", env{envHeaders: "X-A="}, map[string][]string{"X-A": {""}}},
		{"the content type kept", env{envHeaders: "Content-Type=text/plain"}, map[string][]string{"Content-Type": {"application/x-protobuf"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &collector{}
			pushed(t, c, tt.env)
			h := c.lastHeader(t)
			for k, want := range tt.want {
				if got := h.Values(k); !slices.Equal(got, want) {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestResourceFromTheEnvironment(t *testing.T) {
	const sdk = "github.com/callsheet/callsheet/load/stream/otlp"
	tests := []struct {
		name string
		env  env
		want map[string]string
	}{
		{"none", env{}, map[string]string{"service.name": "callsheet", "telemetry.sdk.language": "go", "telemetry.sdk.name": sdk}},
		{"attributes", env{envResourceAttributes: "deployment.environment=prod, service.name = api%2Cv2"},
			map[string]string{"service.name": "api,v2", "deployment.environment": "prod", "telemetry.sdk.name": sdk}},
		{"the service name", env{envServiceName: "checkout"}, map[string]string{"service.name": "checkout"}},
		{"the service name winning", env{envServiceName: "checkout", envResourceAttributes: "service.name=api,team=pay"},
			map[string]string{"service.name": "checkout", "team": "pay"}},
		{"an empty service name unset", env{envServiceName: "", envResourceAttributes: "service.name=api"}, map[string]string{"service.name": "api"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &collector{}
			pushed(t, c, tt.env)
			req, _ := c.last(t)
			got := map[string]string{}
			keys := 0
			for _, a := range req.GetResourceMetrics()[0].GetResource().GetAttributes() {
				got[a.GetKey()] = a.GetValue().GetStringValue()
				keys++
			}
			if keys != len(got) {
				t.Errorf("the resource has a key twice: %v", req.GetResourceMetrics()[0].GetResource())
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("resource attribute %s = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

// TestEnvironmentRefuses feeds Start malformed variables whose entries
// hold a secret: its error names the variable and the entry, never the
// secret.
func TestEnvironmentRefuses(t *testing.T) {
	tests := []struct {
		env  env
		want string
	}{
		{env{envHeaders: "s3cret"}, "--otlp: OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not key=value"},
		{env{envHeaders: "X-A=1,Bearer s3cret"}, "OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not key=value"},
		{env{envHeaders: "=s3cret"}, "OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not key=value"},
		{env{envMetricsHeaders: "X-Key=s3cret%zz"}, "OTEL_EXPORTER_OTLP_METRICS_HEADERS: entry 1: the value is not percent-encoded correctly"},
		{env{envMetricsHeaders: "X-Key=s3cret%"}, "OTEL_EXPORTER_OTLP_METRICS_HEADERS: entry 1: the value is not percent-encoded correctly"},
		{env{envHeaders: "Bad Key=s3cret"}, "OTEL_EXPORTER_OTLP_HEADERS: entry 1: the key is not a valid header name"},
		{env{envHeaders: "s3cret:x=1"}, "OTEL_EXPORTER_OTLP_HEADERS: entry 1: the key is not a valid header name"},
		{env{envHeaders: "X-Key=s3cret%0D%0AX-Other: 1"}, "OTEL_EXPORTER_OTLP_HEADERS: entry 1 (X-Key): the value holds a control character"},
		{env{envResourceAttributes: "team=pay,s3cret"}, "OTEL_RESOURCE_ATTRIBUTES: entry 2 is not key=value"},
		{env{envResourceAttributes: "token=s3cret%g0"}, "OTEL_RESOURCE_ATTRIBUTES: entry 1: the value is not percent-encoded correctly"},
	}
	for _, tt := range tests {
		e, err := Start(context.Background(), "http://127.0.0.1:4318", time.Hour, tt.env.lookup)
		if err == nil || e != nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Start with %v = %v, want %q and not the secret", tt.env, err, tt.want)
		}
	}
}

// echoing is a loopback collector answering every push with status code
// and a google.rpc.Status whose message says what the push came with:
// its headers and the userinfo of its URL.
func echoing(t *testing.T, code int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pw, _ := r.BasicAuth()
		msg := "unknown user " + user + " with password " + pw + ", key " + r.Header.Get("X-Api-Key") +
			", authorization " + r.Header.Get("Authorization")
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			msg += ", token " + tok
		}
		b, err := proto.Marshal(&statuspb.Status{Code: 16, Message: msg})
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(code)
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestHeaderValuesStaySecret has collectors echo the secrets of a push in
// their answers: the errors of Close show none.
func TestHeaderValuesStaySecret(t *testing.T) {
	tests := []struct {
		name, userinfo string
		env            env
		secrets        []string
	}{
		{"an API key", "", env{envHeaders: "X-Api-Key=k3y-s3cret"}, []string{"k3y-s3cret"}},
		{"a bearer token", "", env{envMetricsHeaders: "Authorization=Bearer%20t0ken-s3cret"}, []string{"t0ken-s3cret"}},
		{"the URL's userinfo", "us3r:s3cret@", nil, []string{"us3r", "s3cret", "dXMzcjpzM2NyZXQ="}},
		{"a secret within another", "k3y:pw@", env{envHeaders: "X-Api-Key=k3y-and-more"}, []string{"k3y", "-and-more"}},
		{"both", "us3r:s3cret@", env{envHeaders: "Authorization=Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, []string{"us3r", "s3cret", "YWxhZGRpbjpvcGVuc2VzYW1l"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := hangGuard(t)
			url := strings.Replace(echoing(t, http.StatusUnauthorized), "http://", "http://"+tt.userinfo, 1)
			e, err := Start(ctx, url, time.Hour, tt.env.lookup)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Close(ctx)
			if err == nil || !strings.Contains(err.Error(), "answered 401 Unauthorized: unknown user") {
				t.Fatalf("Close() = %v, want the collector's 401 and its message", err)
			}
			for _, s := range tt.secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("Close() = %v, which shows the secret %q", err, s)
				}
			}
		})
	}
}
