package asyncapi

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func load(t *testing.T, name string) *Document {
	t.Helper()
	d, err := Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParse3(t *testing.T) {
	d := load(t, "kitchen.asyncapi.yaml")
	if d.Major != 3 || d.Version != "3.0.0" {
		t.Fatalf("version %q major %d", d.Version, d.Major)
	}
	var urls []string
	for _, s := range d.Servers {
		urls = append(urls, s.Name+"="+s.URL())
	}
	if want := []string{"floor=wss://kitchen.example.test:8443/live", "backOffice=kafka://broker.example.test:9092"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("servers %q, want %q", urls, want)
	}
	if p := d.Servers[0].ProtocolPos; p.Line != 10 || p.Col != 15 {
		t.Errorf("protocol of floor at %s, want line 10 col 15", p)
	}
	open, ok := d.OperationByID("openTicket")
	if !ok {
		t.Fatal("no operation openTicket")
	}
	if open.Action != Send || open.Channel.Key != "tickets" || open.Channel.Address != "tickets.{station}" {
		t.Errorf("openTicket: %s on %q at %q", open.Action, open.Channel.Key, open.Channel.Address)
	}
	if len(open.Channel.Servers) != 1 || open.Channel.Servers[0].Name != "backOffice" {
		t.Errorf("tickets servers %v", open.Channel.Servers)
	}
	if len(open.Messages) != 1 || open.Messages[0].Name != "ticketOpened" || open.Messages[0].ContentType != "application/json" {
		t.Fatalf("openTicket messages %+v", open.Messages)
	}
	c := open.Messages[0].Correlation
	if c == nil || c.Source != InHeader || !reflect.DeepEqual(c.Pointer, []string{"ticketRef"}) || c.Pos.Line != 63 {
		t.Errorf("ticketOpened correlation %+v", c)
	}
	if schema, _ := open.Messages[0].Payload.(map[string]any); schema["type"] != "object" {
		t.Errorf("payload schema %v, want the Ticket schema", open.Messages[0].Payload)
	}
	bump, _ := d.OperationByID("awaitBump")
	if bump.Action != Receive || bump.Channel.Address != "" || len(bump.Channel.Servers) != 2 {
		t.Errorf("awaitBump: %s at %q on %d servers", bump.Action, bump.Channel.Address, len(bump.Channel.Servers))
	}
	if len(bump.Messages) != 1 || bump.Messages[0] != bump.Channel.Messages[0] {
		t.Errorf("awaitBump's message is not the channel's: %+v", bump.Messages)
	}
	if m := bump.Messages[0]; m.ContentType != "application/vnd.kitchen+json" || !reflect.DeepEqual(m.Correlation.Pointer, []string{"ticket", "ref"}) {
		t.Errorf("ticketBumped %+v %+v", m, m.Correlation)
	}
	if ch, ok := d.ChannelAt("/channels/bumps"); !ok || ch != bump.Channel {
		t.Errorf("ChannelAt(/channels/bumps) = %v, %v", ch, ok)
	}
}

func TestParse2(t *testing.T) {
	d := load(t, "greenhouse.asyncapi.json")
	if d.Major != 2 {
		t.Fatalf("major %d", d.Major)
	}
	if got := d.Servers[0].URL(); got != "ws://sensors.example.test:8080/feed" {
		t.Errorf("local server %q", got)
	}
	read, ok := d.OperationByID("readHumidity")
	if !ok || read.Action != Send {
		t.Fatalf("readHumidity %+v (subscribe reads as send)", read)
	}
	cal, _ := d.OperationByID("calibrate")
	if cal.Action != Receive || len(cal.Messages) != 2 || cal.Messages[0].Name != "calibrate" {
		t.Errorf("calibrate %+v (publish reads as receive, with both messages of oneOf)", cal)
	}
	if read.Channel != cal.Channel || read.Channel.Address != "humidity/{bed}" || len(read.Channel.Servers) != 1 {
		t.Errorf("channel %+v", read.Channel)
	}
	if len(read.Channel.Messages) != 2 {
		t.Errorf("the channel has %d messages, want Reading and Calibrate", len(read.Channel.Messages))
	}
	if c := read.Messages[0].Correlation; c == nil || !reflect.DeepEqual(c.Pointer, []string{"sample/id"}) {
		t.Errorf("Reading correlation %+v", c)
	}
	if ch, ok := d.ChannelAt("/channels/humidity~1{bed}"); !ok || ch != read.Channel {
		t.Errorf("ChannelAt escaped address: %v %v", ch, ok)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // "line:col: message" fragments
	}{
		{"no version", "info: {}\n", []string{"1:1: the document has no asyncapi version"}},
		{"version 1", "asyncapi: 1.2.0\n", []string{"1:11: AsyncAPI 1.2.0 is not read"}},
		{"server without protocol", "asyncapi: 3.0.0\nservers:\n  a:\n    host: h\n", []string{"4:5: server \"a\" has no protocol"}},
		{"external ref", "asyncapi: 3.0.0\nchannels:\n  c:\n    $ref: other.yaml#/channels/c\n", []string{"4:11: $ref \"other.yaml#/channels/c\": only $refs within the document"}},
		{"dangling ref", "asyncapi: 3.0.0\noperations:\n  o:\n    action: send\n    channel:\n      $ref: '#/channels/none'\n", []string{"6:13: $ref \"#/channels/none\": the document has nothing at #/channels/none"}},
		{"bad action", "asyncapi: 3.0.0\nchannels:\n  c: {address: x}\noperations:\n  o:\n    action: publish\n    channel: {$ref: '#/channels/c'}\n", []string{"6:13: operation \"o\": action must be send or receive"}},
		{"bad location", "asyncapi: 3.0.0\nchannels:\n  c:\n    messages:\n      m:\n        correlationId:\n          location: $request.body#/id\n", []string{"7:21: correlationId: location \"$request.body#/id\" must start with $message.header or $message.payload"}},
		{"ref loop", "asyncapi: 3.0.0\nchannels:\n  a: {$ref: '#/channels/b'}\n  b: {$ref: '#/channels/a'}\n", []string{"more than 32 $refs in a row"}},
		{"unknown 2.x server", "asyncapi: 2.6.0\nchannels:\n  x:\n    servers: [nowhere]\n", []string{"4:15: channel \"x\" names server \"nowhere\", which the document lacks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("e.yaml", []byte(tt.doc))
			var list collections.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v is not a collections.ErrorList", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct {
		loc, source string
		pointer     []string
		err         bool
	}{
		{"$message.header#/id", InHeader, []string{"id"}, false},
		{"$message.payload#/a~1b/0", InPayload, []string{"a/b", "0"}, false},
		{"$message.payload", InPayload, nil, false},
		{"$message.body#/id", "", nil, true},
		{"$message.payload#id", "", nil, true},
		{"header#/id", "", nil, true},
	}
	for _, tt := range tests {
		src, ptr, err := ParseLocation(tt.loc)
		if (err != nil) != tt.err || src != tt.source || !reflect.DeepEqual(ptr, tt.pointer) {
			t.Errorf("ParseLocation(%q) = %q, %q, %v", tt.loc, src, ptr, err)
		}
	}
}
