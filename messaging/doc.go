// Package messaging sends and receives the messages of asynchronous APIs
// over WebSocket (ws, wss), for the AsyncAPI steps of Arazzo workflows.
//
// A Hub holds the connections of one run: one per URL (a server's URL
// followed by a channel's address), opened by the first Publish or
// Receive on it and kept until Close, so that a message sent by one step
// and the reply a later step waits for travel over the same connection.
// Every message a connection receives is queued until a Receive takes it:
// one that arrives between steps waits for the next receive, and one that
// a receive does not accept (another correlation value) stays for a later
// one. The queue of a connection holds at most MaxQueued messages; the
// oldest are dropped past that.
//
// WebSocket messages carry no headers: a message with headers is refused.
// Text frames carry payloads that are valid UTF-8, binary frames others.
package messaging
