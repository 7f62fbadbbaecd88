package service

// What the timer and queued indexes (timerindex.go, queuedindex.go) share:
// an instance's index kept in memory with the change counter of the
// collection it reflects, published once the transaction that made it
// commits, and staged before that for the next Update of the same database
// transaction.

import (
	"sync"

	"github.com/switchboard-dev/switchboard"
)

// counted is an index made at a collection's change counter.
type counted interface {
	comparable
	counter() int64
}

func (x *timerIndex) counter() int64  { return x.chg }
func (x *queuedIndex) counter() int64 { return x.chg }

// indexHolder is an instance's published index (cur), and the one a
// transaction staged before its commit (staged, of database transaction
// stagedTx): Updates grouped into one commit (storage/sqlite's group.go)
// run one after another in it, and without the staged index each would
// find the published one behind its snapshot and rebuild it.
type indexHolder[T counted] struct {
	mu       sync.Mutex
	cur      T
	staged   T
	stagedTx uint64
}

// collectionChg is the change counter of the instance's collection of kind
// in the transaction's snapshot, and the store that tracks it (nil, and
// -1, when the store does not track changes).
func (e *engineTx) collectionChg(kind switchboard.Kind) (changeTracker, int64, error) {
	ct, ok := e.tx.(changeTracker)
	if !ok {
		return nil, -1, nil
	}
	_, chg, _, err := ct.CollectionState(e.sc, kind, e.instanceID)
	return ct, chg, err
}

// holderOf is the instance's holder of an index that ct keeps under name.
func holderOf[T counted](e *engineTx, ct changeTracker, name string) *indexHolder[T] {
	return ct.Memo(name+"\x00"+e.indexKey(), func() any { return &indexHolder[T]{} }).(*indexHolder[T])
}

// find returns the index made at chg that tx may use: the published one,
// or one staged by an earlier Update of tx's database transaction.
func (h *indexHolder[T]) find(tx switchboard.Tx, chg int64) (T, bool) {
	var zero T
	h.mu.Lock()
	defer h.mu.Unlock()
	if w := writeTxOf(tx); w != 0 && w == h.stagedTx && h.staged != zero && h.staged.counter() == chg {
		return h.staged, true
	}
	if h.cur != zero && h.cur.counter() == chg {
		return h.cur, true
	}
	return zero, false
}

// stage leaves x for the next Update of tx's database transaction.
func (h *indexHolder[T]) stage(tx switchboard.Tx, x T) {
	if w := writeTxOf(tx); w != 0 {
		h.mu.Lock()
		h.staged, h.stagedTx = x, w
		h.mu.Unlock()
	}
}

// publish makes x the instance's index, once its transaction has
// committed, unless a later one is already published.
func (h *indexHolder[T]) publish(x T) {
	var zero T
	if h == nil || x == zero {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == zero || h.cur.counter() < x.counter() {
		h.cur = x
	}
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
