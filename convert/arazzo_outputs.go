package convert

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// captures writes a step's captures as its outputs, and makes the names
// they set read those outputs in the steps after it. Captures that are
// not secret also become outputs of the workflow.
func (x *azExporter) captures(s *collections.Step, id string) *yaml.Node {
	out := mapping()
	for _, cp := range s.Captures {
		e, ok := x.captureExpr(cp, s.Name)
		if !ok {
			x.names[cp.Name] = azRef{lost: s.Name}
			continue
		}
		if cp.Default != nil {
			x.note(s.Name, fmt.Sprintf("the default of capture %s has no Arazzo form: the step fails when it finds nothing", cp.Name))
		}
		add(out, cp.Name, e)
		x.names[cp.Name] = azRef{expr: "$steps." + id + ".outputs." + cp.Name}
		x.outputs = slices.DeleteFunc(x.outputs, func(o string) bool { return strings.HasPrefix(o, cp.Name+"=") })
		if x.secrets[cp.Name] {
			x.note(s.Name, fmt.Sprintf("capture %s is secret: Arazzo cannot mark outputs secret, so it is not an output of the workflow", cp.Name))
			continue
		}
		x.outputs = append(x.outputs, cp.Name+"=$steps."+id+".outputs."+cp.Name)
	}
	return out
}

// captureExpr is the runtime expression of a capture.
func (x *azExporter) captureExpr(cp *collections.Capture, step string) (*yaml.Node, bool) {
	switch cp.Source {
	case collections.FromJSON:
		ptr, count, ok := azPointer(cp.Path)
		if ok && !count {
			return str("$response.body" + azHash(ptr)), true
		}
	case collections.FromHeader:
		return str("$response.header." + cp.Path), true
	case collections.FromStatus:
		return str("$statusCode"), true
	case collections.FromBody:
		return str("$response.body"), true
	case collections.FromXPath:
		sel := x.xpathSelector(cp.Query)
		return sel, true
	case collections.FromURL:
		x.note(step, fmt.Sprintf("capture %s reads the URL the request was sent to, not the one redirects ended at", cp.Name))
		return str("$url"), true
	}
	x.note(step, fmt.Sprintf("capture %s (%s) has no Arazzo form", cp.Name, cp.Source))
	return nil, false
}
