package arazzo

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/asyncapi"
)

// asyncOperation finds the AsyncAPI operation or channel step s names in
// rs, and the server its messages go through, and checks the step's
// action, parameters and correlationId against them.
func (r *resolver) asyncOperation(d *Description, s *Step, rs *resolvedSource) {
	if rs.async == nil {
		return // unreadable, reported
	}
	t := s.Target
	ao := &AsyncOperation{Source: rs.sd.Name}
	switch t.Kind {
	case Channel:
		ch, ok := rs.async.ChannelAt(t.Pointer)
		if !ok {
			key := unescapeToken(t.Pointer[strings.LastIndexByte(t.Pointer, '/')+1:])
			r.errorf(t.Pos, len(t.Text), didYouMean(key, rs.async.ChannelKeys(), ""), "%s has no channel at %s", rs.sd.Name, t.Pointer)
			return
		}
		ao.Channel, ao.Messages = ch, ch.Messages
	case OperationByID:
		op, ok := rs.async.OperationByID(t.OperationID)
		if !ok {
			r.errorf(t.Pos, len(t.Text), didYouMean(t.OperationID, rs.async.OperationIDs(), ""), "%s has no operation with operationId %q", rs.sd.Name, t.OperationID)
			return
		}
		ao.Operation, ao.Channel, ao.Messages = op, op.Channel, op.Messages
	default:
		r.errorf(t.Pos, len(t.Text), "write operationId or channelPath", "source description %q is an AsyncAPI description: an operationPath cannot name its operations", rs.sd.Name)
		return
	}
	if s.Action == "" {
		r.errorf(t.Pos, len(t.Text), "add action: send or action: receive", "step %q sends or receives messages and needs an action", s.ID)
	}
	if !r.asyncServer(ao, s, rs) {
		return
	}
	r.asyncParameters(s, ao)
	r.correlation(s, ao)
	d.channels[s] = ao
}

// asyncServer sets the server of ao: the first of its channel's, or the
// URL Sources.Servers gives for the source; its protocol must be one of
// Sources.Protocols.
func (r *resolver) asyncServer(ao *AsyncOperation, s *Step, rs *resolvedSource) bool {
	t := s.Target
	if len(ao.Channel.Servers) > 0 {
		ao.Server = ao.Channel.Servers[0]
		ao.ServerURL, ao.Protocol = ao.Server.URL(), ao.Server.Protocol
	}
	where := ""
	if ao.Server != nil {
		where = fmt.Sprintf(" (server %q, %s)", ao.Server.Name, ao.Server.ProtocolPos)
	}
	if o, ok := r.src.Servers[rs.sd.Name]; ok {
		ao.ServerURL, ao.Protocol = strings.TrimRight(o, "/"), ""
		if u, err := url.Parse(o); err == nil {
			ao.Protocol = strings.ToLower(u.Scheme)
		}
		where = " (the server URL given for " + rs.sd.Name + ")"
	}
	switch {
	case ao.ServerURL == "":
		r.errorf(t.Pos, len(t.Text), "give the source's server URL", "step %q: channel %q of %s is on no server", s.ID, ao.Channel.Key, rs.sd.Name)
		return false
	case r.src.Protocols != nil && !slices.Contains(r.src.Protocols, ao.Protocol):
		r.errorf(t.Pos, len(t.Text), "callsheet runs messages over "+strings.Join(r.src.Protocols, ", "),
			"step %q sends or receives over %s%s, a protocol callsheet does not run", s.ID, ao.Protocol, where)
		return false
	}
	return true
}

// headerless reports whether messages of a protocol carry no headers.
func headerless(protocol string) bool {
	return protocol == "ws" || protocol == "wss"
}

// asyncParameters checks the parameters of a message step: path ones
// fill the {variables} of the channel's address, which all need one;
// header ones are the message's headers, where the protocol has them.
func (r *resolver) asyncParameters(s *Step, ao *AsyncOperation) {
	var vars []string
	for _, m := range templateVarRE.FindAllStringSubmatch(ao.Channel.Address, -1) {
		vars = append(vars, m[1])
	}
	given := map[string]bool{}
	for _, p := range mergeParameters(s.workflow.Parameters, s.Parameters) {
		switch {
		case p.In == InPath && !slices.Contains(vars, p.Name):
			r.errorf(p.Pos, 1, didYouMean(p.Name, vars, ""), "path parameter %q of step %q is not in the channel address %q", p.Name, s.ID, ao.Channel.Address)
		case p.In == InPath:
			given[p.Name] = true
		case p.In == InHeader && headerless(ao.Protocol):
			r.errorf(p.Pos, 1, "", "header parameter %q of step %q: %s messages carry no headers", p.Name, s.ID, ao.Protocol)
		case p.In != InHeader:
			r.errorf(p.Pos, 1, "", "parameter %q of step %q is in %s; a message step takes path (channel address) and header parameters", p.Name, s.ID, p.In)
		}
	}
	for _, v := range vars {
		if !given[v] {
			r.errorf(s.Target.Pos, len(s.Target.Text), "add a parameter with in: path", "step %q gives no value for {%s} in the channel address %q", s.ID, v, ao.Channel.Address)
		}
	}
}

// correlation checks that a step with a correlationId receives messages
// that declare where they carry one, in a place the protocol has.
func (r *resolver) correlation(s *Step, ao *AsyncOperation) {
	if s.CorrelationID == nil {
		return
	}
	c := asyncapi.Correlated(ao.Messages)
	switch {
	case c == nil:
		r.errorf(s.CorrelationID.Pos, 1, "", "step %q has a correlationId, but no message of channel %q declares one", s.ID, ao.Channel.Key)
	case c.Source == asyncapi.InHeader && headerless(ao.Protocol):
		r.errorf(s.CorrelationID.Pos, 1, "", "step %q: the correlationId of its messages is in a header (%s, %s), and %s messages carry no headers", s.ID, c.Location, c.Pos, ao.Protocol)
	}
}

// unescapeToken decodes one JSON pointer token.
func unescapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
