// Package stream feeds a running load test's figures to the exporters
// asked for: a Prometheus scrape endpoint (load/stream/prom) and an
// OpenTelemetry collector (load/stream/otlp). It starts them together,
// hands each the latest progress, and stops them together, OTLP pushing
// the final figures first.
package stream
