package service

// The queued index in memory. Every routing pass lists the instance's
// contacts waiting in queues (KindQueuedContact); where the store tracks
// changes (changeTracker), the list is kept in memory per instance with the
// change counter of the stored index it reflects, the way the timers are
// (timerindex.go). A transaction uses it when the counter in its snapshot
// is the same, otherwise it lists the stored index; a transaction that
// changes the index publishes the list with its changes once it commits.
// A store without change tracking always lists.

import (
	"github.com/switchboard-dev/switchboard"
)

// queuedIndex is an instance's stored queued index as of change counter
// chg (-1: unknown), in the store's order (Seq). It is not changed once
// made.
type queuedIndex struct {
	chg     int64
	entries []queuedContact
}

// queuedEdit is a change a transaction made to a contact's entry: doc nil
// deletes it; had says whether the entry existed (replaced in place)
// or not (inserted, so last in Seq order).
type queuedEdit struct {
	id  string
	had bool
	doc *queuedDoc
}

func (e *engineTx) queuedState() (changeTracker, int64, error) {
	return e.collectionChg(switchboard.KindQueuedContact)
}

// storedQueued returns the stored index as this transaction's snapshot has
// it (without its own unflushed changes, which are in byID).
func (e *engineTx) storedQueued() (*queuedIndex, error) {
	if e.queuedBase != nil {
		return e.queuedBase, nil
	}
	ct, chg, err := e.queuedState()
	if err != nil {
		return nil, err
	}
	if ct != nil {
		e.queuedHold = holderOf[*queuedIndex](e, ct, "queued")
		if cur, ok := e.queuedHold.find(e.tx, chg); ok {
			e.queuedBase = cur
			return cur, nil
		}
	}
	recs, err := e.tx.List(e.sc, switchboard.KindQueuedContact, e.instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	x := &queuedIndex{chg: chg, entries: make([]queuedContact, 0, len(recs))}
	for _, rec := range recs {
		var q queuedDoc
		if err := decode(rec, &q); err != nil {
			return nil, err
		}
		x.entries = append(x.entries, queuedContact{id: rec.ID, queuedDoc: q})
	}
	e.queuedBase = x
	if chg >= 0 {
		e.queuedNext = x
	}
	return x, nil
}

// stageQueued, at the end of a flush that began with the stored index at
// change counter before, makes the index to publish at commit: the base
// with the flush's edits, when the base was the stored index before them.
func (e *engineTx) stageQueued(before int64) error {
	if e.queuedHold == nil || len(e.queuedEdits) == 0 {
		return nil
	}
	edits := e.queuedEdits
	e.queuedEdits = nil
	base := e.queuedBase
	if base == nil || base.chg != before {
		e.queuedNext = nil
		return nil
	}
	_, after, err := e.queuedState()
	if err != nil {
		return err
	}
	entries := append([]queuedContact(nil), base.entries...)
	for _, ed := range edits {
		i := -1
		if ed.had {
			for j := range entries {
				if entries[j].id == ed.id {
					i = j
					break
				}
			}
			if i < 0 {
				e.queuedNext = nil // not what the index held: leave it to a List
				return nil
			}
		}
		switch {
		case ed.doc == nil && i >= 0:
			entries = append(entries[:i], entries[i+1:]...)
		case ed.doc != nil && i >= 0:
			entries[i].queuedDoc = *ed.doc
		case ed.doc != nil:
			entries = append(entries, queuedContact{id: ed.id, queuedDoc: *ed.doc})
		}
	}
	next := &queuedIndex{chg: after, entries: entries}
	e.queuedBase, e.queuedNext = next, next
	e.queuedHold.stage(e.tx, next)
	return nil
}

// publishQueued makes the transaction's index the instance's, once it has
// committed, unless a later one is already published.
func (e *engineTx) publishQueued() { e.queuedHold.publish(e.queuedNext) }
