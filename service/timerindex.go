package service

// The timer index in memory. Every routing pass needs the instance's
// contacts whose timer is due and the earliest timer of all; reading the
// stored index (KindEngineTimer) for that listed and decoded every timer
// of the instance twice a transaction, which with hundreds of contacts in
// after contact work was most of a day of traffic's time. Where the store
// tracks changes (changeTracker), the index is kept in memory per
// instance, sorted by due time, together with the change counter of the
// stored index it reflects. A transaction uses it when the counter in its
// snapshot is the same (nobody, in this process or another, changed a
// timer since), otherwise it lists the stored index as before; a
// transaction that changes timers publishes the index with its changes
// once it commits. A store without change tracking always lists.

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

// timerIndex is an instance's stored timer index as of change counter chg
// (-1: unknown), in due order. It is not changed once made.
type timerIndex struct {
	chg   int64
	order []timerAt
}

// timerEdit is a change a transaction made to a contact's timer.
type timerEdit struct {
	id       string
	old, new *time.Time
}

// timerHolder is the published index of one instance.
type timerHolder struct {
	mu  sync.Mutex
	cur *timerIndex
}

func (e *engineTx) timerState() (changeTracker, int64, error) {
	ct, ok := e.tx.(changeTracker)
	if !ok {
		return nil, -1, nil
	}
	_, chg, _, err := ct.CollectionState(e.sc, switchboard.KindEngineTimer, e.instanceID)
	return ct, chg, err
}

// timerIndex returns the stored index as this transaction's snapshot has
// it (without its own unflushed changes, which are in byID).
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
		e.timerHold.mu.Unlock()
		if cur != nil && cur.chg == chg {
			e.timerBase = cur
			return cur, nil
		}
	}
	recs, err := e.tx.List(e.sc, switchboard.KindEngineTimer, e.instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	x := &timerIndex{chg: chg, order: make([]timerAt, 0, len(recs))}
	for _, rec := range recs {
		var t timerDoc
		if err := decode(rec, &t); err != nil {
			return nil, err
		}
		x.order = append(x.order, timerAt{t.Due, rec.ID})
	}
	sort.Slice(x.order, func(i, j int) bool { return x.order[i].before(x.order[j]) })
	e.timerBase = x
	if chg >= 0 {
		e.timerNext = x
	}
	return x, nil
}

// stageTimers, at the end of a flush that began with the stored index at
// change counter before, makes the index to publish at commit: the base
// with the flush's edits, when the base was the stored index before them.
func (e *engineTx) stageTimers(before int64) error {
	if len(e.timerEdits) == 0 || e.timerHold == nil {
		return nil
	}
	edits := e.timerEdits
	e.timerEdits = nil
	base := e.timerBase
	if base == nil || base.chg != before {
		e.timerNext = nil
		return nil
	}
	_, after, err := e.timerState()
	if err != nil {
		return err
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
	return nil
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
