package service

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

func TestStoredEventsReadInConnectsShape(t *testing.T) {
	sc := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	se := storedEvent{N: 3, At: 1893488410000, Type: engine.EventConnectedToAgent, Contact: "c1", Initial: "c0", Channel: engine.ChannelTask,
		Method: "TRANSFER", Initiated: 1893488400000, Queue: "q1", QueueType: "STANDARD", Enqueued: 1893488400500,
		Agent: "u1", ConnectedToAgent: 1893488410000}
	rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindContactEvent, Parent: "i1", ID: "c1/0003", Data: encode(storedEvents{[]storedEvent{se}})}
	evs, err := eventsOf(rec)
	if err != nil || len(evs) != 1 {
		t.Fatalf("%v %v", evs, err)
	}
	got, _ := json.Marshal(evs[0])
	want := `{"version":"0","id":"` + evs[0].ID + `","detail-type":"Amazon Connect Contact Event","source":"aws.connect","account":"000000000000",` +
		`"time":"2030-01-01T09:00:10.000Z","region":"us-east-1","resources":["arn:aws:connect:us-east-1:000000000000:instance/i1/contact/c1",` +
		`"arn:aws:connect:us-east-1:000000000000:instance/i1"],"detail":{"eventType":"CONNECTED_TO_AGENT","contactId":"c1","initialContactId":"c0",` +
		`"channel":"TASK","instanceArn":"arn:aws:connect:us-east-1:000000000000:instance/i1","initiationMethod":"TRANSFER",` +
		`"initiationTimestamp":"2030-01-01T09:00:00.000Z","queueInfo":{"queueArn":"arn:aws:connect:us-east-1:000000000000:instance/i1/queue/q1",` +
		`"queueType":"STANDARD","enqueueTimestamp":"2030-01-01T09:00:00.500Z"},"agentInfo":{"agentArn":"arn:aws:connect:us-east-1:000000000000:instance/i1/agent/u1",` +
		`"connectedToAgentTimestamp":"2030-01-01T09:00:10.000Z"}}}`
	if string(got) != want {
		t.Fatalf("read\n%s\nwant\n%s", got, want)
	}
	// The id is the one the event always had: derived from the contact's
	// ARN and the event's number.
	again, _ := eventsOf(rec)
	if again[0].ID != evs[0].ID || len(evs[0].ID) != 36 {
		t.Fatalf("event id %q then %q", evs[0].ID, again[0].ID)
	}
}

func TestEventsWrittenInConnectsShapeAreStillRead(t *testing.T) {
	one := `{"version":"0","id":"e1","detail-type":"Amazon Connect Contact Event","source":"aws.connect","account":"000000000000","time":"2030-01-01T09:00:00.000Z","region":"us-east-1","resources":[],"detail":{"eventType":"INITIATED","contactId":"c1","channel":"TASK","instanceArn":"x","initiationMethod":"API","initiationTimestamp":"2030-01-01T09:00:00.000Z"}}`
	for _, data := range []string{one, "[" + one + "," + one + "]"} {
		evs, err := eventsOf(&switchboard.Record{Kind: switchboard.KindContactEvent, Data: []byte(data)})
		if err != nil || len(evs) == 0 || evs[0].ID != "e1" || evs[0].Detail.ContactID != "c1" || evs[0].Detail.EventType != engine.EventInitiated {
			t.Fatalf("%.20s...: %+v %v", data, evs, err)
		}
	}
}
