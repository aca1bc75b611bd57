package collections

import "slices"

// Mapping is one kind of mapping of the format with the keys it takes.
// The mappings below are the one list of the format's keys: the loader
// accepts these keys and no other, `callsheet fmt` writes them in order,
// and tests hold the JSON Schema (schema/collection.schema.json) and the
// reference (docs/format.md) to them.
type Mapping struct {
	// Name names the mapping in messages: "step", "expect", "auth
	// profile", ….
	Name string
	// Keys are the keys, in the order the loader lists them in a hint.
	Keys []string
	// Written is the order `callsheet fmt` writes the keys in; nil when it
	// is the order of Keys. Keys a mapping does not list keep their order
	// after these.
	Written []string
}

// Order is the order `callsheet fmt` writes the keys of m in.
func (m Mapping) Order() []string {
	if m.Written != nil {
		return m.Written
	}
	return m.Keys
}

// Has reports whether m takes the key k.
func (m Mapping) Has(k string) bool { return slices.Contains(m.Keys, k) }

// methods are the HTTP methods a step may send, each also a key of a step.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// The mappings of the format.
var (
	CollectionKeys = Mapping{
		Name:    "collection",
		Keys:    []string{"name", "description", "vars", "secrets", "defaults", "steps", "finally", "tags", "auth", "load", "openapi"},
		Written: []string{"name", "description", "tags", "vars", "secrets", "defaults", "auth", "openapi", "load", "steps", "finally"},
	}
	DefaultsKeys = Mapping{Name: "defaults", Keys: []string{"headers", "timeout"}}
	StepKeys     = Mapping{
		Name: "step",
		Keys: slices.Concat([]string{"name"}, methods, []string{"method", "url", "authorize", "query", "headers"},
			bodyKeys, []string{"timeout", "follow_redirects", "expect", "capture", "if", "auth", "delay", "retry", "until",
				"fail", "tags", "repeat", "for_each", "include", "vars", "openapi", "operation_id"}),
		Written: slices.Concat([]string{"name", "tags", "if", "delay", "repeat", "for_each"}, methods,
			[]string{"method", "url", "authorize", "include", "vars", "fail", "operation_id", "openapi", "query", "headers", "auth"}, bodyKeys,
			[]string{"timeout", "follow_redirects", "retry", "until", "expect", "capture"}),
	}
	AuthorizeKeys = Mapping{Name: "authorize", Keys: []string{"url", "client_id", "redirect_uri", "scope", "pkce", "auto"}}
	PartKeys      = Mapping{Name: "multipart part", Keys: []string{"value", "file", "filename", "content_type", "headers"}}
	RetryKeys     = Mapping{Name: "retry", Keys: []string{"count", "interval", "backoff"}}
	ExpectKeys    = Mapping{
		Name:    "expect",
		Keys:    []string{"status", "headers", "json", "body", "cookies", "duration", "xpath", "css", "schema", "snapshot", "assert"},
		Written: []string{"status", "headers", "cookies", "json", "body", "duration", "xpath", "css", "schema", "snapshot", "assert"},
	}
	SnapshotKeys = Mapping{Name: "snapshot", Keys: []string{"file", "ignore"}}
	// OpenAPIKeys are the keys of the mapping form of openapi: (openapi.go).
	OpenAPIKeys = Mapping{Name: "openapi", Keys: []string{"file", "requests"}}
	CaptureKeys = Mapping{
		Name:    "capture",
		Keys:    append(slices.Clone(captureSources), "secret", "default"),
		Written: append(slices.Clone(captureSources), "default", "secret"),
	}
	AuthProfileKeys = Mapping{
		Name: "auth profile",
		Keys: []string{"grant", "token_url", "authorize_url", "revoke_url", "client_id", "client_secret",
			"redirect_uri", "scope", "pkce", "client_auth", "token", "refresh_token", "auto"},
	}
	LoadKeys = Mapping{Name: "load", Keys: []string{"executor", "vus", "max_vus", "start_vus", "duration", "iterations",
		"rate", "start_rate", "stages", "graceful_stop", "thresholds", "abort_on_fail"}}
	StageKeys = Mapping{Name: "stage", Keys: []string{"duration", "target"}}
	// PredicateKeys are the keys of a predicate mapping: the predicates.
	PredicateKeys = Mapping{Name: "predicates", Keys: opNames()}
)

// bodyKeys are the keys of a step that set its body.
var bodyKeys = []string{"json", "form", "multipart", "body"}

// Mappings returns every mapping of the format.
func Mappings() []Mapping {
	return []Mapping{CollectionKeys, DefaultsKeys, StepKeys, AuthorizeKeys, PartKeys, RetryKeys, ExpectKeys,
		SnapshotKeys, OpenAPIKeys, CaptureKeys, AuthProfileKeys, LoadKeys, StageKeys, PredicateKeys}
}

// opNames lists the names of Ops.
func opNames() []string {
	names := make([]string, len(Ops))
	for i, op := range Ops {
		names[i] = string(op)
	}
	return names
}
