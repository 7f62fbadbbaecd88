package sqlite

import (
	"bytes"
	"context"
	"maps"
	"slices"

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
//     instance's delete forgets everything: its children go with it), and
//     every collection counter change updates the cached count;
//   - any transaction that ends without a successful COMMIT empties it, so
//     nothing a rollback undid survives;
//   - every write transaction begins by reading PRAGMA data_version, which
//     changes exactly when another connection has committed to the file
//     since the last read on this one; a change empties the cache.
//
// Get hands out copies, so a caller that changes the record it got changes
// nothing cached.
type writerCache struct {
	dataVersion int64
	// recs maps a key to its record as stored, or to nil when the record
	// is only known to exist (an Insert or Replace by this writer, or a
	// GetByName).
	recs map[switchboard.Key]*switchboard.Record
	// counts holds Count answers, kept current by every counter change.
	counts map[collKey]int
}

type collKey struct {
	switchboard.Scope
	Kind   switchboard.Kind
	Parent string
}

// maxCached bounds the entries kept; past it the cache starts over.
const maxCached = 4096

func (c *writerCache) reset() {
	clear(c.recs)
	clear(c.counts)
}

// begin revalidates the cache at the start of a write transaction: after
// BEGIN IMMEDIATE no other connection can commit until this transaction
// ends, so a data_version equal to the last one seen means nobody else has
// written in between. On error the cache is emptied.
func (c *writerCache) begin(w *conn) {
	var v int64
	if err := w.stmts[stmtDataVersion].QueryRowContext(context.Background()).Scan(&v); err != nil {
		c.reset()
		c.dataVersion = -1
		return
	}
	if v != c.dataVersion {
		c.reset()
		c.dataVersion = v
	}
}

// get returns a copy of the cached record with key k.
func (c *writerCache) get(k switchboard.Key) (*switchboard.Record, bool) {
	r := c.recs[k]
	if r == nil {
		return nil, false
	}
	return cloneRecord(r), true
}

// exists says whether k is known to be stored.
func (c *writerCache) exists(k switchboard.Key) bool {
	_, ok := c.recs[k]
	return ok
}

// put remembers r (a copy of it when full is set; nil otherwise, meaning
// only that r's key is stored).
func (c *writerCache) put(k switchboard.Key, r *switchboard.Record) {
	if c.recs == nil {
		c.recs = make(map[switchboard.Key]*switchboard.Record)
	}
	if len(c.recs) >= maxCached {
		clear(c.recs)
	}
	if r != nil {
		r = cloneRecord(r)
	}
	c.recs[k] = r
}

func (c *writerCache) forget(k switchboard.Key) { delete(c.recs, k) }

func (c *writerCache) count(ck collKey) (int, bool) {
	n, ok := c.counts[ck]
	return n, ok
}

func (c *writerCache) putCount(ck collKey, n int) {
	if c.counts == nil {
		c.counts = make(map[collKey]int)
	}
	if len(c.counts) >= maxCached {
		clear(c.counts)
	}
	c.counts[ck] = n
}

// bumped applies a change of a collection's record count.
func (c *writerCache) bumped(ck collKey, dn int) {
	if n, ok := c.counts[ck]; ok {
		c.counts[ck] = n + dn
	}
}

func cloneRecord(r *switchboard.Record) *switchboard.Record {
	cp := *r
	cp.Data = bytes.Clone(r.Data)
	cp.Tags = maps.Clone(r.Tags)
	cp.Refs = slices.Clone(r.Refs)
	return &cp
}
