// Package messaging sends and receives the messages of asynchronous APIs
// over WebSocket (ws, wss) and Kafka (kafka, plaintext), for the AsyncAPI
// steps of Arazzo workflows.
//
// A Hub holds the links of one run: one per URL (a server's URL followed
// by a channel's address), opened by the first Publish or Receive on it
// and kept until Close, so that a message sent by one step and the reply a
// later step waits for are not lost between steps. Every message a link
// receives is queued until a Receive takes it: one that arrives between
// steps waits for the next receive, and one that a receive does not
// accept (another correlation value) stays for a later one. A link's
// queue holds at most MaxQueued messages; the oldest are dropped past
// that.
//
//   - WebSocket: a link is a connection to the URL. Text frames carry
//     payloads that are valid UTF-8, binary frames others. WebSocket
//     messages carry no headers: a message with headers is refused.
//   - Kafka: kafka://host:port/topic; a link is a client (package
//     github.com/twmb/franz-go/pkg/kgo) that produces records to the
//     topic, with the message's headers as record headers, waiting for
//     the broker's acknowledgment, and consumes every partition of the
//     topic, without a consumer group, from the records stamped when the
//     hub was first used: a reply produced before the receive step began
//     is read too.
package messaging
