package sqlite

import (
	"fmt"
	"sync/atomic"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// An in-memory store is a database file of SQLite's memdb VFS rather than
// ":memory:". A ":memory:" database keeps every page in its page cache,
// whose hash table grows with the database, and B-tree balancing parks
// a page under the lock-byte page's number for a moment; the cache then
// holds a page number past the end of the database, and the next COMMIT
// truncates the cache by scanning its whole hash table. Any transaction
// that splits a page so pays time proportional to the database's size: a
// day of the contact engine's traffic spent a seventh of its time there
// (docs/PERFORMANCE.md). A memdb file keeps its pages in the VFS and the
// pager a normal, bounded cache, so COMMIT costs the same at any size.
//
// memdb files are limited to SQLITE_MEMDB_DEFAULT_MAXSIZE (1 GiB) unless
// configured before SQLite initializes, which init does; where that fails
// (SQLite already initialized by someone else) OpenMemory falls back to
// ":memory:", slower but unlimited.

// memdbMaxSize is the largest an in-memory store may grow: memory is the
// limit, as with ":memory:".
const memdbMaxSize = int64(1) << 46

var (
	memdbOK  bool
	memdbSeq atomic.Int64
)

func init() {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 8)
	if va == 0 {
		return
	}
	defer libc.Xfree(tls, va)
	rc := sqlite3.Xsqlite3_config(tls, int32(sqlite3.SQLITE_CONFIG_MEMDB_MAXSIZE), libc.VaList(va, memdbMaxSize))
	memdbOK = rc == sqlite3.SQLITE_OK
}

// memoryDSN names a new, private in-memory database.
func memoryDSN() string {
	if !memdbOK {
		return ":memory:"
	}
	return fmt.Sprintf("file:/switchboard-memory-%d?vfs=memdb", memdbSeq.Add(1))
}
