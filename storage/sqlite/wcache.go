package sqlite

import (
	"context"

	switchboard "github.com/switchboard-dev/switchboard"
)

// The writer's cache. Every CreateUser reads its instance and routing
// profile, checks that its security profile exists and counts the users of
// its instance, and the next CreateUser reads the same things again: four
// of its statements on the single writer, answered the same way every time.
// The writer connection is the only one of this process that writes, so
// what it read stays true until it writes the record itself, rolls back, or
// another process commits to the same file. The cache keeps what the
// writer read and wrote under exactly those rules:
//
//   - it is only used inside write transactions on the writer connection,
//     under the writer mutex;
//   - every write of a record forgets or updates that record's entry (an
//     instance's delete forgets everything: its children go with it);
//   - the counters of the collections table are kept here while a
//     transaction runs and written to the table once, before its COMMIT
//     (collState);
//   - any transaction that ends without a successful COMMIT empties it, so
//     nothing a rollback undid survives;
//   - every write transaction begins by reading PRAGMA data_version, which
//     changes exactly when another connection has committed to the file
//     since the last read on this one; a change empties the cache.
//
// Get hands out copies, so a caller that changes the record it got changes
// nothing cached.
type writerCache struct {
	// recordCache holds records as stored; an entry may be nil, meaning
	// the record is only known to exist (an existence check of a ref).
	recordCache
	// colls holds collections' counters (collState); dirty lists those
	// changed since the last flush.
	colls map[collKey]*collState
	dirty []*collState
	// alone is set for a database no other connection can see (in
	// memory): then colls is where the counters live. They are never
	// written to the collections table (a statement every transaction)
	// nor forgotten; a rollback puts back what each changed collection
	// held before the transaction (collState.base).
	alone bool
}

type collKey struct {
	switchboard.Scope
	Kind   switchboard.Kind
	Parent string
}

// maxCached bounds the records and the collections the writer keeps, and
// maxCachedBytes the records' data, in each of the record cache's two
// generations (rcache.go); past either a generation starts. The contact
// engine's transactions read every candidate agent's status, user and
// routing profile and write contacts, their live records and events: with
// 1,000 agents, 4,096 records made the cache start over every few hundred
// contacts and a day of traffic read a fifth more from the database
// (docs/PERFORMANCE.md).
const (
	maxCached      = 8192
	maxCachedBytes = 16 << 20
)

func (c *writerCache) reset() {
	c.clear()
	if c.alone {
		for _, st := range c.dirty {
			st.n, st.chg, st.dels, st.dirty = st.base.n, st.base.chg, st.base.dels, false
		}
		c.dirty = c.dirty[:0]
		return
	}
	clear(c.colls)
	c.dirty = c.dirty[:0]
}

// begin revalidates the cache at the start of a write transaction: after
// BEGIN IMMEDIATE no other connection can commit until this transaction
// ends, so a data_version equal to the last one seen means nobody else has
// written in between. On a change or an error the cache is emptied.
func (c *writerCache) begin(w *conn) {
	if ok, changed := c.sync(w); !ok || changed || len(c.colls) > maxCached {
		c.reset()
	}
}

// collState is the writer's copy of one collection's counters (the
// collections table, 0002_collections.sql). Inserts, replaces and deletes
// change the copy; the table is written once per transaction, before its
// COMMIT (flush), instead of once per write.
type collState struct {
	ck           collKey
	n, chg, dels int64
	dirty        bool
	// base is what the counters were before the transaction changed them
	// (kept when alone, for a rollback).
	base struct{ n, chg, dels int64 }
}

func (c *writerCache) putColl(ck collKey, n, chg, dels int64) *collState {
	if c.colls == nil {
		c.colls = make(map[collKey]*collState)
	}
	st := &collState{ck: ck, n: n, chg: chg, dels: dels}
	c.colls[ck] = st
	return st
}

// changed records one write to st's collection: dn records more, ddels
// deletes; the change counter always grows by one.
func (c *writerCache) changed(st *collState, dn, ddels int64) {
	if !st.dirty {
		st.base.n, st.base.chg, st.base.dels = st.n, st.chg, st.dels
		st.dirty = true
		c.dirty = append(c.dirty, st)
	}
	st.n += dn
	st.chg++
	st.dels += ddels
}

// bumpParent records the deletion of every record under parent (an
// instance) in the counters kept alone: as the table's stmtBumpParent.
func (c *writerCache) bumpParent(s switchboard.Scope, parent string) {
	for ck, st := range c.colls {
		if ck.Scope == s && ck.Parent == parent {
			c.changed(st, -st.n, 1)
		}
	}
}

// flush writes every changed collection's counters on w.
func (c *writerCache) flush(w *conn) error {
	if c.alone {
		// The counters are kept here, not in the table: committing them is
		// forgetting what they were.
		for _, st := range c.dirty {
			st.dirty = false
		}
		c.dirty = c.dirty[:0]
		return nil
	}
	// One statement for up to maxSetColls collections: a contact engine
	// transaction changes four or five (contacts, live records, events,
	// agents' statuses, queue waits), and each statement has its own cost
	// beyond its rows.
	for rest := c.dirty; len(rest) > 0; {
		n := min(len(rest), maxSetColls)
		st, err := w.setCollsStmt(n)
		if err != nil {
			return err
		}
		args := make([]any, 0, 7*n)
		for _, s := range rest[:n] {
			args = append(args, s.ck.Account, s.ck.Region, s.ck.Parent, string(s.ck.Kind), s.n, s.chg, s.dels)
		}
		if _, err := st.ExecContext(context.Background(), args...); err != nil {
			return err
		}
		for _, s := range rest[:n] {
			s.dirty = false
		}
		rest = rest[n:]
	}
	c.dirty = c.dirty[:0]
	return nil
}
