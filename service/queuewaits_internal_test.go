package service

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/engine"
)

func TestQueueWaitsStoredFormRoundTrips(t *testing.T) {
	at := time.Date(2030, 1, 1, 9, 0, 0, 123e6, time.UTC)
	doc := &queueWaitsDoc{Recent: []queueWait{{Channel: engine.ChannelTask, WaitedMs: 1500, At: at}, {Channel: engine.ChannelChat, WaitedMs: 0, At: at.Add(time.Minute)}}}
	b := encode(doc)
	if want := `{"w":[["TASK",1500,1893488400123],["CHAT",0,1893488460123]]}`; string(b) != want {
		t.Fatalf("stored %s, want %s", b, want)
	}
	if !json.Valid(b) {
		t.Fatalf("not JSON: %s", b)
	}
	var back queueWaitsDoc
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, doc) {
		t.Fatalf("read back %+v, want %+v", back, doc)
	}
	if b := encode(&queueWaitsDoc{}); string(b) != `{"w":[]}` {
		t.Fatalf("empty: %s", b)
	}
}

func TestQueueWaitsReadsTheEarlierForm(t *testing.T) {
	var doc queueWaitsDoc
	if err := json.Unmarshal([]byte(`{"recent":[{"channel":"VOICE","waitedMs":2000,"at":"2030-01-01T09:00:00Z"}]}`), &doc); err != nil {
		t.Fatal(err)
	}
	want := []queueWait{{Channel: engine.ChannelVoice, WaitedMs: 2000, At: time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)}}
	if !reflect.DeepEqual(doc.Recent, want) {
		t.Fatalf("read %+v, want %+v", doc.Recent, want)
	}
	for _, bad := range []string{`{"w":[["TASK",1]]}`, `{"w":[[1,2,3]]}`, `{"w":[["TASK","x",3]]}`} {
		if err := json.Unmarshal([]byte(bad), &doc); err == nil {
			t.Errorf("%s read without an error", bad)
		}
	}
}
