package sqlite

import (
	"bytes"
	"context"
	"maps"
	"slices"

	switchboard "github.com/switchboard-dev/switchboard"
)

// The readers' caches. Every read connection keeps the records its Gets
// found, for the next View that runs on it: DescribeUser, DescribeInstance
// and the other Describes read one record by key, and the same records
// are read again and again. A cached record is exactly what the database
// holds as long as nobody has committed since, and SQLite says that:
// PRAGMA data_version, run inside a read transaction, starts its snapshot
// (if no read has yet) and returns a number that differs from the one the
// previous transaction on the same connection saw exactly when another
// connection committed in between. So the first Get or List of a View
// reads it and empties the cache on a change; every later read of the
// View, cached or not, belongs to the same snapshot. Small List answers
// (ListInstances, ListQueues, a page of up to maxCachedList records) are
// kept the same way, keyed by the page asked for. Get and List hand out
// copies.
//
// The writer's cache (wcache.go) keeps its records in the same kind of
// recordCache, checked the same way at the start of every write
// transaction.
type recordCache struct {
	max int // records kept (single and in lists) before the cache starts over
	// maxBytes, when not 0, bounds the data of the single records kept;
	// bytes is what they hold.
	maxBytes, bytes int
	dataVersion     int64 // PRAGMA data_version the entries belong to; -1: none yet
	recs            map[switchboard.Key]*switchboard.Record
	// older is the generation of records before recs: when recs is full
	// it becomes older, and what was older goes, so the records used in
	// both generations (an agent's routing profile, read on every pass)
	// stay instead of being read again after the cache starts over. A
	// record found in older moves to recs.
	older      map[switchboard.Key]*switchboard.Record
	olderBytes int
	// lists holds the answers of Lists (readers only): ListInstances,
	// ListQueues and the other small List operations ask for the same
	// page again and again; listed counts the records they hold.
	lists  map[listKey][]*switchboard.Record
	listed int

	// A reader's cache that almost never answers (DescribeUser over a
	// uniform sample of 100,000 users of a 1M-user instance) costs every
	// View its data_version query and every miss a copy, for nothing:
	// lookups and hits count a window of lookups, and when fewer than
	// one in minHitRate hit, the next skipViews Views run without the
	// cache. Its entries stay valid meanwhile (they belong to their
	// data_version, which the first View after the pause checks).
	lookups, hits int
	skip          int
}

const (
	hitWindow  = 512  // lookups a hit rate is judged on
	minHitRate = 10   // fewer than one hit in this many lookups pauses the cache
	skipViews  = 2048 // Views a paused cache sits out
)

// counted records one lookup and whether it hit, and pauses the cache when
// a window ends with too few hits.
func (rc *recordCache) counted(hit bool) {
	rc.lookups++
	if hit {
		rc.hits++
	}
	if rc.lookups < hitWindow {
		return
	}
	if rc.hits*minHitRate < rc.lookups {
		rc.skip = skipViews
	}
	rc.lookups, rc.hits = 0, 0
}

// listKey is one List call: the collection and the page asked for.
type listKey struct {
	scope  switchboard.Scope
	kind   switchboard.Kind
	parent string
	opts   switchboard.ListOptions
}

// maxCachedList is the longest List answer a reader keeps; longer pages
// are read again each time (a page of 1,000 would take a cache's room).
const maxCachedList = 100

// maxReaderCached bounds the records one read connection keeps (there are
// up to 16 read connections).
const maxReaderCached = 1024

func newRecordCache(max int) recordCache { return recordCache{max: max, dataVersion: -1} }

// sync reads PRAGMA data_version inside the transaction open on c and
// empties the cache when it changed (changed) or could not be read (not
// ok: the cache must not be used in this transaction).
func (rc *recordCache) sync(c *conn) (ok, changed bool) {
	var v int64
	if err := c.stmts[stmtDataVersion].QueryRowContext(context.Background()).Scan(&v); err != nil {
		rc.clear()
		rc.dataVersion = -1
		return false, true
	}
	if v != rc.dataVersion {
		rc.clear()
		rc.dataVersion = v
		return true, true
	}
	return true, false
}

func (rc *recordCache) clear() {
	clear(rc.recs)
	clear(rc.older)
	clear(rc.lists)
	rc.listed, rc.bytes, rc.olderBytes = 0, 0, 0
}

// rotate makes the records the older generation and starts a new one.
func (rc *recordCache) rotate() {
	rc.older, rc.olderBytes = rc.recs, rc.bytes
	rc.recs, rc.bytes = make(map[switchboard.Key]*switchboard.Record, len(rc.older)), 0
	clear(rc.lists)
	rc.listed = 0
}

// lookup returns the cached entry of k (nil: only known to exist) and
// whether there is one, moving it from the older generation.
func (rc *recordCache) lookup(k switchboard.Key) (*switchboard.Record, bool) {
	if r, ok := rc.recs[k]; ok {
		return r, true
	}
	r, ok := rc.older[k]
	if !ok {
		return nil, false
	}
	delete(rc.older, k)
	if r != nil {
		rc.olderBytes -= len(r.Data)
		rc.bytes += len(r.Data)
	}
	if rc.recs == nil {
		rc.recs = make(map[switchboard.Key]*switchboard.Record)
	}
	rc.recs[k] = r
	return r, true
}

// full says whether n more records would take the cache past its bound.
func (rc *recordCache) full(n int) bool {
	return len(rc.recs)+rc.listed+n > rc.max || rc.maxBytes > 0 && rc.bytes > rc.maxBytes
}

// get returns a copy of the cached record with key k.
func (rc *recordCache) get(k switchboard.Key) (*switchboard.Record, bool) {
	r, _ := rc.lookup(k)
	if r == nil {
		return nil, false
	}
	return cloneRecord(r), true
}

// exists says whether k is known to be stored.
func (rc *recordCache) exists(k switchboard.Key) bool {
	_, ok := rc.lookup(k)
	return ok
}

// put remembers a copy of r, or with r nil only that k is stored.
func (rc *recordCache) put(k switchboard.Key, r *switchboard.Record) {
	if rc.recs == nil {
		rc.recs = make(map[switchboard.Key]*switchboard.Record)
	}
	if rc.full(1) {
		rc.rotate()
	}
	if r != nil {
		r = cloneRecord(r)
		rc.bytes += len(r.Data)
	}
	if old := rc.recs[k]; old != nil {
		rc.bytes -= len(old.Data)
	}
	rc.recs[k] = r
	rc.forgetOlder(k)
}

func (rc *recordCache) forget(k switchboard.Key) {
	if old := rc.recs[k]; old != nil {
		rc.bytes -= len(old.Data)
	}
	delete(rc.recs, k)
	rc.forgetOlder(k)
}

func (rc *recordCache) forgetOlder(k switchboard.Key) {
	if old := rc.older[k]; old != nil {
		rc.olderBytes -= len(old.Data)
	}
	delete(rc.older, k)
}

// getList returns copies of the records of a cached List answer.
func (rc *recordCache) getList(k listKey) ([]*switchboard.Record, bool) {
	recs, ok := rc.lists[k]
	if !ok {
		return nil, false
	}
	if len(recs) == 0 {
		return nil, true
	}
	out := make([]*switchboard.Record, len(recs))
	for i, r := range recs {
		out[i] = cloneRecord(r)
	}
	return out, true
}

// putList remembers copies of a List answer of at most maxCachedList
// records.
func (rc *recordCache) putList(k listKey, recs []*switchboard.Record) {
	if len(recs) > maxCachedList {
		return
	}
	if rc.full(len(recs)) {
		rc.clear()
	}
	if rc.lists == nil {
		rc.lists = make(map[listKey][]*switchboard.Record)
	}
	cp := make([]*switchboard.Record, len(recs))
	for i, r := range recs {
		cp[i] = cloneRecord(r)
	}
	rc.lists[k] = cp
	rc.listed += len(cp)
}

func cloneRecord(r *switchboard.Record) *switchboard.Record {
	cp := *r
	cp.Data = bytes.Clone(r.Data)
	cp.Tags = maps.Clone(r.Tags)
	cp.Refs = slices.Clone(r.Refs)
	return &cp
}

// readerCache returns the cache a read transaction may use, checking it
// against the transaction's snapshot on first use; nil when there is none.
func (t *tx) readerCache() *recordCache {
	if t.write || t.c.rc == nil {
		return nil
	}
	if !t.rcChecked {
		t.rcChecked = true
		if rc := t.c.rc; rc.skip > 0 {
			rc.skip--
		} else {
			t.rcOK, _ = rc.sync(t.c)
		}
	}
	if !t.rcOK {
		return nil
	}
	return t.c.rc
}
