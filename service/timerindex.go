package service

// The timer index in memory. Every routing pass needs the instance's
// contacts whose timer is due and the earliest timer of all. The timers
// are the Due times of the live records (KindLiveContact); nothing else
// stores them. Where the store tracks changes (changeTracker), the index
// is kept in memory per instance, sorted by due time, together with the
// change counter of the live records it reflects. A transaction uses it
// when the counter in its snapshot is the same (nobody, in this process
// or another, changed a live contact since), otherwise it lists the live
// records and takes their timers; a transaction that changes timers
// publishes the index with its changes once it commits. A store without
// change tracking always lists.
//
// Until 2026-12 the timers were also stored as records of their own
// (KindEngineTimer), written and deleted beside the live record: two
// writes a contact for what the live record already says. ResumeEngine
// deletes any such records a store still has.

import (
	"sort"
	"time"

	"github.com/switchboard-dev/switchboard"
)

// timerAt is one contact's timer.
type timerAt struct {
	at time.Time
	id string
}

func (a timerAt) before(b timerAt) bool {
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return a.id < b.id
}

// timerIndex is an instance's timers as its live records held them at
// their change counter chg (-1: unknown), in due order. It is not changed
// once made.
type timerIndex struct {
	chg   int64
	order []timerAt
}

// timerEdit is a change a transaction made to a contact's timer.
type timerEdit struct {
	id       string
	old, new *time.Time
}

func (e *engineTx) timerState() (changeTracker, int64, error) {
	return e.collectionChg(switchboard.KindLiveContact)
}

// timerIndex returns the timers as this transaction's snapshot has them
// (without its own unflushed changes, which are in byID).
func (e *engineTx) timerIndex() (*timerIndex, error) {
	if e.timerBase != nil {
		return e.timerBase, nil
	}
	ct, chg, err := e.timerState()
	if err != nil {
		return nil, err
	}
	if ct != nil {
		e.timerHold = holderOf[*timerIndex](e, ct, "timers")
		if cur, ok := e.timerHold.find(e.tx, chg); ok {
			e.timerBase = cur
			return cur, nil
		}
	}
	recs, err := e.tx.List(e.sc, switchboard.KindLiveContact, e.instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	x := &timerIndex{chg: chg}
	for _, rec := range recs {
		l, err := e.s.engineDocs.live.get(rec.Data, func() string { return "live contact " + rec.ID })
		if err != nil {
			return nil, err
		}
		if l.Due != nil {
			x.order = append(x.order, timerAt{*l.Due, rec.ID})
		}
	}
	sort.Slice(x.order, func(i, j int) bool { return x.order[i].before(x.order[j]) })
	e.timerBase = x
	if chg >= 0 {
		e.timerNext = x
	}
	return x, nil
}

// stageTimers, at the end of a flush that began with the live records at
// change counter before, makes the index to publish at commit: the base
// with the flush's edits, when the base was the live records' timers
// before them.
func (e *engineTx) stageTimers(before int64) error {
	if e.timerHold == nil {
		return nil
	}
	edits := e.timerEdits
	e.timerEdits = nil
	_, after, err := e.timerState()
	if err != nil || after == before {
		return err
	}
	// The live records changed: the index to publish has their new change
	// counter, with or without timers changed.
	base := e.timerBase
	if base == nil || base.chg != before {
		e.timerNext = nil
		return nil
	}
	if len(edits) == 0 {
		next := &timerIndex{chg: after, order: base.order} // shared: neither changes
		e.timerBase, e.timerNext = next, next
		e.timerHold.stage(e.tx, next)
		return nil
	}
	order := append([]timerAt(nil), base.order...)
	for _, ed := range edits {
		if ed.old != nil {
			t := timerAt{*ed.old, ed.id}
			i := sort.Search(len(order), func(i int) bool { return !order[i].before(t) })
			if i == len(order) || order[i] != t {
				e.timerNext = nil // not what the index held: leave it to a List
				return nil
			}
			order = append(order[:i], order[i+1:]...)
		}
		if ed.new != nil {
			t := timerAt{*ed.new, ed.id}
			i := sort.Search(len(order), func(i int) bool { return !order[i].before(t) })
			order = append(order, timerAt{})
			copy(order[i+1:], order[i:])
			order[i] = t
		}
	}
	next := &timerIndex{chg: after, order: order}
	e.timerBase, e.timerNext = next, next
	e.timerHold.stage(e.tx, next)
	return nil
}

// publishTimers makes the transaction's index the instance's, once it has
// committed, unless a later one is already published.
func (e *engineTx) publishTimers() { e.timerHold.publish(e.timerNext) }
