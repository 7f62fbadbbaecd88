package sqlite

import (
	"context"

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
// connection committed in between. So the first Get of a View reads it
// and empties the cache on a change; every later Get of the View, cached
// or not, belongs to the same snapshot. Get hands out copies.
type readerCache struct {
	dataVersion int64
	recs        map[switchboard.Key]*switchboard.Record
}

// maxReaderCached bounds the records one read connection keeps (there are
// up to 16 read connections); past it the cache starts over.
const maxReaderCached = 1024

// sync brings the cache to the snapshot of the read transaction open on c
// and says whether it may be used.
func (rc *readerCache) sync(c *conn) bool {
	var v int64
	if err := c.stmts[stmtDataVersion].QueryRowContext(context.Background()).Scan(&v); err != nil {
		clear(rc.recs)
		return false
	}
	if v != rc.dataVersion {
		clear(rc.recs)
		rc.dataVersion = v
	}
	return true
}

func (rc *readerCache) get(k switchboard.Key) (*switchboard.Record, bool) {
	r := rc.recs[k]
	if r == nil {
		return nil, false
	}
	return cloneRecord(r), true
}

func (rc *readerCache) put(k switchboard.Key, r *switchboard.Record) {
	if rc.recs == nil {
		rc.recs = make(map[switchboard.Key]*switchboard.Record)
	}
	if len(rc.recs) >= maxReaderCached {
		clear(rc.recs)
	}
	rc.recs[k] = cloneRecord(r)
}

// readerCache returns the cache a read transaction may use, checking it
// against the transaction's snapshot on first use; nil when there is none.
func (t *tx) readerCache() *readerCache {
	if t.write || t.c.rc == nil {
		return nil
	}
	if !t.rcChecked {
		t.rcChecked = true
		t.rcOK = t.c.rc.sync(t.c)
	}
	if !t.rcOK {
		return nil
	}
	return t.c.rc
}
