package service

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/switchboard-dev/switchboard/engine"
)

// appendString's output reads back as what encoding/json's would.
func TestAppendStringReadsBackAsEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quo"te`, `back\slash`, "tab\tnew\nline\r", "\x00\x01\x1f", "<&>", "é ü 世界 🙂", "\u2028\u2029", "bad \xff utf-8 \xc3", "end\xe2\x82"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		var mine, theirs string
		if err := json.Unmarshal(appendString(nil, s), &mine); err != nil {
			t.Fatalf("%q: %s does not read: %v", s, appendString(nil, s), err)
		}
		want, _ := json.Marshal(s)
		if err := json.Unmarshal(want, &theirs); err != nil {
			t.Fatal(err)
		}
		if mine != theirs {
			t.Fatalf("%q: reads back as %q, encoding/json's as %q", s, mine, theirs)
		}
	}
}

// A stored event batch written by hand reads back as the events, as one
// written by encoding/json does.
func TestStoredEventsWrittenByHandReadBack(t *testing.T) {
	full := storedEvent{N: 12, At: 1893488410123, Type: engine.EventDisconnected, Contact: "c1", Initial: "c0", Previous: "cp", Channel: engine.ChannelChat,
		Method: "TRANSFER", Initiated: 1893488400000, Scheduled: 1893488300000, ConnectedToSystem: 1893488401000, Disconnected: 1893488409000,
		DisconnectReason: `CUSTOMER "left"`, Queue: "q1", QueueType: "AGENT", Enqueued: 1893488402000, Agent: "u1", ConnectedToAgent: 1893488403000,
		ACWStart: 1893488409000, ACWEnd: 1893488419000, Reason: "MISSED"}
	for _, evs := range [][]storedEvent{{{N: 1, At: 1, Type: engine.EventInitiated, Contact: "c", Channel: engine.ChannelTask, Method: "API", Initiated: 1}}, {full, full}} {
		in := storedEvents{evs}
		var mine, theirs storedEvents
		if err := json.Unmarshal(in.appendJSON(nil), &mine); err != nil {
			t.Fatalf("%s: %v", in.appendJSON(nil), err)
		}
		std, _ := json.Marshal(in)
		if err := json.Unmarshal(std, &theirs); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(mine, theirs) {
			t.Fatalf("by hand %s\nreads %+v\nencoding/json's %s reads %+v", in.appendJSON(nil), mine, std, theirs)
		}
		if len(evs) > 0 && string(in.appendJSON(nil)) != string(std) {
			t.Errorf("by hand %s\nencoding/json %s", in.appendJSON(nil), std)
		}
	}
}
