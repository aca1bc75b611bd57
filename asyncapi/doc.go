// Package asyncapi reads AsyncAPI descriptions (versions 3.0 and 2.6, YAML
// or JSON) into a small typed model of what an Arazzo workflow needs to
// send and receive messages: servers (host, protocol, pathname),
// channels (address), operations (action, channel, messages) and messages
// (content type, header and payload schemas, correlationId).
//
//	doc, err := asyncapi.Parse("events.asyncapi.yaml", data) // collections.ErrorList
//	op, ok := doc.OperationByID("placeOrder")
//	ch, ok := doc.ChannelAt("/channels/orders")
//
// Every object keeps the file:line:col of its first key, so that callers
// can name where a server's protocol or a message's correlationId is
// written. Local $refs (#/components/messages/x, #/servers/y) are
// followed; a $ref to another document is an error. Schemas are kept as
// JSON values as written, $refs inside them included.
//
// # Readings of the specification
//
//   - An operation's action is that of the application the document
//     describes: 3.0's send and receive as written; 2.x subscribe reads as
//     send and publish as receive, as the 2-to-3 conversion reads them.
//   - A channel that names no servers is on all of the document's
//     servers. A 2.x channel's key is its address; a 3.0 channel's
//     address may be null (the server's address alone).
//   - Server URLs are protocol://host followed by the pathname, with the
//     defaults of server variables put in. A 2.x server's url is split
//     into host and pathname; a scheme it carries is dropped in favour of
//     the protocol field.
//   - A correlationId location is $message.header#/<pointer> or
//     $message.payload#/<pointer>; other locations are errors.
package asyncapi
