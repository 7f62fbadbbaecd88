package sqlite

import (
	switchboard "github.com/switchboard-dev/switchboard"
)

// Change tracking. Beyond switchboard.Tx, a transaction of this store tells
// what changed in a collection (the records of one scope, kind and parent)
// since a point its caller remembers, so that a process can keep an
// in-memory projection of a large collection — the user search index — and
// bring it up to date cheaply, even when other processes write the same
// database file. The counters live in the collections table
// (0002_collections.sql) and are read in the transaction's snapshot, so a
// projection built from them is exactly as current as the snapshot.

// CollectionState returns the number of records of a collection and its two
// counters: chg grows on every insert, replace and delete, dels on every
// delete. All three are 0 for a collection never written.
func (t *tx) CollectionState(s switchboard.Scope, kind switchboard.Kind, parent string) (n, chg, dels int64, err error) {
	if err := t.check(false); err != nil {
		return 0, 0, 0, err
	}
	if t.wc != nil || t.store.wc.alone {
		st, err := t.coll(s, kind, parent)
		if err != nil {
			return 0, 0, 0, err
		}
		return st.n, st.chg, st.dels, nil
	}
	return t.collection(s, kind, parent)
}

// ListChanged returns the records of a collection inserted or replaced
// after the collection's counter was afterChg, in the order they changed.
// Deleted records are not reported; a change of dels says some were.
func (t *tx) ListChanged(s switchboard.Scope, kind switchboard.Kind, parent string, afterChg int64) ([]*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.queryRecords(stmtListChanged, s, kind, parent, s.Account, s.Region, parent, string(kind), afterChg)
}

// Seqs returns the Seq of every record of a collection, in order: what a
// projection needs to drop the records deleted since it was built.
func (t *tx) Seqs(s switchboard.Scope, kind switchboard.Kind, parent string) ([]int64, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.c.stmts[listBy(stmtSeqs, kind)].QueryContext(t.ctx, s.Account, s.Region, parent, string(kind))
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, ctxErr(t.ctx, err)
		}
		out = append(out, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	return out, nil
}

// Memo returns the value kept under key for the life of the store, making
// it with mk the first time. The value must guard its own state: it is
// shared by every transaction of the store.
func (t *tx) Memo(key string, mk func() any) any {
	st := t.store
	st.memoMu.Lock()
	defer st.memoMu.Unlock()
	if st.memo == nil {
		st.memo = map[string]any{}
	}
	v, ok := st.memo[key]
	if !ok {
		v = mk()
		st.memo[key] = v
	}
	return v
}
