package sandbox

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Request headers that replace a Config setting for one request. Each has
// a query-parameter twin, its name in lower case with _ for -
// (sandbox_latency, sandbox_fail, …), read when the header is absent, for
// requests whose headers a collection cannot set. A malformed value gets
// 400 {"errors": "…"} naming the header or parameter. DURATION is a Go
// duration (200ms, 2s, 1m30s) or whole seconds (2).
const (
	// LatencyHeader, "DURATION[;jitter=DURATION]", holds the answer back
	// DURATION plus a random share of jitter, in place of Config.Latency
	// and LatencyJitter; "0" adds none.
	LatencyHeader = "Sandbox-Latency"
	// FailHeader, "STATUS[;retry-after=DURATION][;rate=SHARE][;times=N]",
	// answers the request with STATUS (4xx or 5xx) before any other check,
	// in place of the Config.Fail* settings. rate (default 1) is the chance
	// that it fails; times=N fails only the first N requests with the same
	// method, path and header value, so that a client's retries then
	// succeed. "none" turns the configured faults off for the request.
	FailHeader = "Sandbox-Fail"
	// RateLimitHeader, "N[;window=DURATION]", judges an API request against
	// a budget of N requests per window (default Config.RateLimitWindow) of
	// its token, in place of Config.RateLimit; 0 answers 429 at once.
	RateLimitHeader = "Sandbox-Rate-Limit"
	// CodeTTLHeader, "DURATION", is the lifetime of the code that
	// GET /oauth/authorize issues, in place of Config.CodeTTL; 0 gives a
	// code that is already expired.
	CodeTTLHeader = "Sandbox-Code-TTL"
	// TokenTTLHeader, "DURATION", is the lifetime of the access token that
	// POST /oauth/token issues, in place of Config.AccessTokenTTL; 0 gives
	// a token that is already expired.
	TokenTTLHeader = "Sandbox-Token-TTL"
)

// knobs are the settings a request gives itself; nil means the Config's.
type knobs struct {
	latency  *latencySpec
	fail     *faultSpec
	failText string // the Sandbox-Fail value, which keys times=
	rate     *rateLimit
	codeTTL  *time.Duration
	tokenTTL *time.Duration
}

// knobParsers read each header's value and parameters into knobs.
var knobParsers = []struct {
	header string
	params []string // the parameter names it takes
	parse  func(k *knobs, value string, params map[string]string) error
}{
	{LatencyHeader, []string{"jitter"}, parseLatencyKnob},
	{FailHeader, []string{"retry-after", "rate", "times"}, parseFailKnob},
	{RateLimitHeader, []string{"window"}, parseRateKnob},
	{CodeTTLHeader, nil, func(k *knobs, v string, _ map[string]string) error {
		d, err := parseDuration(v)
		k.codeTTL = &d
		return err
	}},
	{TokenTTLHeader, nil, func(k *knobs, v string, _ map[string]string) error {
		d, err := parseDuration(v)
		k.tokenTTL = &d
		return err
	}},
}

// queryName is the query-parameter twin of a knob header.
func queryName(header string) string {
	return strings.ReplaceAll(strings.ToLower(header), "-", "_")
}

// readKnobs reads r's Sandbox-* headers, or their query twins.
func readKnobs(r *http.Request) (knobs, error) {
	var k knobs
	var query url.Values
	if r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	for _, kp := range knobParsers {
		source, text, err := knobText(r.Header, query, kp.header)
		if err != nil {
			return knobs{}, err
		}
		if source == "" {
			continue
		}
		value, params, err := splitKnob(text, kp.params)
		if err == nil {
			err = kp.parse(&k, value, params)
		}
		if err != nil {
			return knobs{}, fmt.Errorf("%s %q: %w", source, text, err)
		}
		if kp.header == FailHeader {
			k.failText = text
		}
	}
	return k, nil
}

// knobText returns the value of header, or else of its query twin, and
// which of the two it came from ("" when neither is there).
func knobText(h http.Header, query url.Values, header string) (source, text string, err error) {
	values, source := h.Values(header), header
	if len(values) == 0 {
		source = queryName(header)
		values = query[source]
	}
	switch len(values) {
	case 0:
		return "", "", nil
	case 1:
		return source, strings.TrimSpace(values[0]), nil
	default:
		return "", "", fmt.Errorf("%s: given %d times, want it once", source, len(values))
	}
}

// splitKnob splits "VALUE;name=value;…" into VALUE and its parameters,
// which must be among allowed and appear once each.
func splitKnob(text string, allowed []string) (string, map[string]string, error) {
	parts := strings.Split(text, ";")
	value := strings.TrimSpace(parts[0])
	if value == "" {
		return "", nil, errors.New("empty value")
	}
	params := make(map[string]string)
	for _, p := range parts[1:] {
		name, v, ok := strings.Cut(p, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case !ok:
			return "", nil, fmt.Errorf("parameter %q: want name=value", strings.TrimSpace(p))
		case !slices.Contains(allowed, name):
			return "", nil, fmt.Errorf("unknown parameter %q (%s)", name, knownParams(allowed))
		case params[name] != "":
			return "", nil, fmt.Errorf("parameter %q given twice", name)
		}
		if params[name] = strings.TrimSpace(v); params[name] == "" {
			return "", nil, fmt.Errorf("parameter %q: empty value", name)
		}
	}
	return value, params, nil
}

func knownParams(allowed []string) string {
	if len(allowed) == 0 {
		return "it takes none"
	}
	return "want " + strings.Join(allowed, ", ")
}

func parseLatencyKnob(k *knobs, value string, params map[string]string) error {
	fixed, err := parseDuration(value)
	if err != nil {
		return err
	}
	spec := latencySpec{fixed: fixed}
	if v, ok := params["jitter"]; ok {
		if spec.jitter, err = parseDuration(v); err != nil {
			return fmt.Errorf("jitter: %w", err)
		}
	}
	k.latency = &spec
	return nil
}

func parseFailKnob(k *knobs, value string, params map[string]string) error {
	if strings.EqualFold(value, "none") {
		if len(params) > 0 {
			return errors.New(`"none" takes no parameters`)
		}
		k.fail = &faultSpec{}
		return nil
	}
	status, err := strconv.Atoi(value)
	if err != nil || !isErrorStatus(status) {
		return fmt.Errorf("status %q: want a 4xx or 5xx status, or none", value)
	}
	spec := faultSpec{failure: failure{status: status}, rate: 1}
	if v, ok := params["retry-after"]; ok {
		if spec.retryAfter, err = parseDuration(v); err != nil {
			return fmt.Errorf("retry-after: %w", err)
		}
	}
	if v, ok := params["rate"]; ok {
		if spec.rate, err = strconv.ParseFloat(v, 64); err != nil || !(spec.rate >= 0 && spec.rate <= 1) {
			return fmt.Errorf("rate %q: want a share from 0 to 1, such as 0.25", v)
		}
	}
	if v, ok := params["times"]; ok {
		if spec.times, err = strconv.Atoi(v); err != nil || spec.times < 1 {
			return fmt.Errorf("times %q: want a whole number of at least 1", v)
		}
	}
	k.fail = &spec
	return nil
}

func parseRateKnob(k *knobs, value string, params map[string]string) error {
	limit, err := strconv.Atoi(value)
	if err != nil || limit < 0 {
		return fmt.Errorf("limit %q: want a whole number of requests, 0 or more", value)
	}
	rl := rateLimit{limit: limit}
	if v, ok := params["window"]; ok {
		if rl.window, err = parseDuration(v); err != nil || rl.window == 0 {
			return fmt.Errorf("window %q: want a positive duration such as 10s", v)
		}
	}
	k.rate = &rl
	return nil
}

// parseDuration reads a Go duration (200ms, 2s) or whole seconds (2),
// neither negative.
func parseDuration(s string) (time.Duration, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		if n > math.MaxInt64/int64(time.Second) {
			return 0, fmt.Errorf("%q is too long", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want a duration such as 200ms or 2s, or whole seconds", s)
	}
	return d, nil
}
