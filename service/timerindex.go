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
	"sync"
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

// timerHolder is the published index of one instance, and the one a
// transaction staged before its commit (see writeTxOf).
type timerHolder struct {
	mu  sync.Mutex
	cur *timerIndex
	staged
}

// staged is an index a transaction made, not committed yet, for the next
// Update of the same database transaction: Updates grouped into one commit
// (storage/sqlite's group.go) run one after another in it, and each
// changes the live records, so without it each would find the published
// index behind its snapshot and rebuild it from every live record.
type staged struct {
	index   any    // *timerIndex or *queuedIndex
	writeTx uint64 // the database transaction it belongs to (never 0)
}

// writeTxer is what a Tx may offer beyond Tx: the number of the database
// transaction it runs in, shared by grouped Updates (storage/sqlite).
type writeTxer interface{ WriteTx() uint64 }

// writeTxOf is tx's database transaction number, 0 when unknown.
func writeTxOf(tx switchboard.Tx) uint64 {
	if w, ok := tx.(writeTxer); ok {
		return w.WriteTx()
	}
	return 0
}

// stagedFor returns the index staged by an earlier Update of the same
// database transaction, or nil.
func (s *staged) stagedFor(tx switchboard.Tx) any {
	if w := writeTxOf(tx); w != 0 && w == s.writeTx {
		return s.index
	}
	return nil
}

func (e *engineTx) timerState() (changeTracker, int64, error) {
	ct, ok := e.tx.(changeTracker)
	if !ok {
		return nil, -1, nil
	}
	_, chg, _, err := ct.CollectionState(e.sc, switchboard.KindLiveContact, e.instanceID)
	return ct, chg, err
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
		e.timerHold = ct.Memo("timers\x00"+e.indexKey(), func() any { return &timerHolder{} }).(*timerHolder)
		e.timerHold.mu.Lock()
		cur := e.timerHold.cur
		if x, _ := e.timerHold.stagedFor(e.tx).(*timerIndex); x != nil && x.chg == chg {
			cur = x
		}
		e.timerHold.mu.Unlock()
		if cur != nil && cur.chg == chg {
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
		e.stageTimerIndex(next)
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
	e.stageTimerIndex(next)
	return nil
}

// stageTimerIndex leaves the index for the next Update of this database
// transaction.
func (e *engineTx) stageTimerIndex(x *timerIndex) {
	if w := writeTxOf(e.tx); w != 0 {
		e.timerHold.mu.Lock()
		e.timerHold.staged = staged{x, w}
		e.timerHold.mu.Unlock()
	}
}

// publishTimers makes the transaction's index the instance's, once it has
// committed, unless a later one is already published.
func (e *engineTx) publishTimers() {
	if e.timerNext == nil || e.timerHold == nil {
		return
	}
	h := e.timerHold
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil || h.cur.chg < e.timerNext.chg {
		h.cur = e.timerNext
	}
}
