package service

import (
	"slices"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard"
)

// TestImpliedQueueMatchDoc: a search matches implied AGENT queues against
// one shared document instead of decoding each (impliedDoc). Every field a
// queue search can name, and the queue type, must read the same from it as
// from the queue's own decoded document, or a search would find different
// implied queues than the same queues stored.
func TestImpliedQueueMatchDoc(t *testing.T) {
	user := &switchboard.Record{Scope: switchboard.Scope{Account: "000000000000", Region: "us-east-1"}, Kind: switchboard.KindUser,
		Parent: "inst", ID: "9a0c2bd5-2a64-4ad6-9f5e-1c1b3f1f7c21", Seq: 42, Created: time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC)}
	rec := impliedQueue(user, map[string]string{"team": "a"})
	own, err := queueShape(rec)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := queueSearch.impliedDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range queueSearch.fields {
		if got, want := f.get(rec, shared), f.get(rec, own); !slices.Equal(got, want) {
			t.Errorf("field %s: %q from the shared document, %q from the queue's own", f.name, got, want)
		}
	}
	if got, want := queueSearch.queueType(shared), queueSearch.queueType(own); got != want {
		t.Errorf("queue type: %q from the shared document, %q from the queue's own", got, want)
	}
}
