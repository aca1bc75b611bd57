// Package exchange holds one HTTP exchange as plain values: the [Request]
// exactly as it is sent and the [Response] as it was received.
//
// A step's request is rendered once into a Request; the runner sends that
// value, and everything that shows or keeps a request (the verbose console,
// the curl line, `callsheet export curl`, HAR, recordings, replay and the
// reports) prints the same value, masked. Nothing renders a step's templates
// a second time.
//
// Headers are an ordered list of name/value pairs ([Header]): names keep the
// spelling the collection wrote and a name may repeat. Bodies are the bytes
// sent; a multipart body also lists its [Part]s in the order they were
// written, each with its own headers, so that an exporter can print them.
//
// # Where to start
//
//   - header.go: [Field] and [Header], with case-insensitive lookups.
//   - request.go: [Request], [Part], the multipart encoding, and
//     [Request.HTTP], which makes the *http.Request that is sent.
//   - response.go: [Response] and [Exchange].
//   - recorded.go: [Recorded], a request as a recording keeps it, its
//     secrets as placeholders; message.go and recorded_message.go: the
//     [Message] of an Arazzo AsyncAPI step and [RecordedMessage], the
//     same in a recording.
package exchange
