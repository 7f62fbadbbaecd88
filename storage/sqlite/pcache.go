package sqlite

import (
	"fmt"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's default page cache (pcache1) with one change: a B-tree balance
// that puts its new pages in ascending order swaps two pages' numbers
// through a temporary number, the lock-byte page's (2^30/page size + 1,
// 262,145 for 4 KiB pages). pcache1 remembers that number as the largest
// key it holds, and the commit that follows truncates the cache to the
// database's size: with the largest key far above it, the truncation scans
// the whole hash table instead of the few slots past the end. An in-memory
// database keeps every page in its cache, so that scan costs a commit
// time in proportion to the database's size — 27% of a day of contact
// engine traffic (docs/PERFORMANCE.md, "The day of traffic, third
// round").
//
// The wrapper below restores the largest key after a rekey to the
// temporary number. That is safe because the balance moves the page
// away again (temporary → its new number) in the next two calls, with
// nothing in between that could truncate the cache; the new numbers are
// numbers the cache held already, so the largest key is right again.
//
// Installed before SQLite initializes (the first connection opens it),
// which is why it is in init.
var defaultRekey uintptr

// tempRekeys counts the rekeys to the temporary number (for tests).
var tempRekeys atomic.Int64

// pendingByte is SQLite's lock-byte offset (PENDING_BYTE); this program
// never changes it.
const pendingByte = 0x40000000

func init() {
	if err := wrapPageCache(); err != nil {
		// Without the wrapper SQLite is correct, only slower to commit in
		// memory; say so rather than refuse to start.
		fmt.Printf("sqlite: page cache wrapper not installed: %v\n", err)
	}
}

func wrapPageCache() error {
	tls := libc.NewTLS()
	defer tls.Close()
	methods := libc.Xcalloc(tls, 1, types.Size_t(unsafe.Sizeof(sqlite3.Tsqlite3_pcache_methods2{})))
	va := libc.Xmalloc(tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if methods == 0 || va == 0 {
		return fmt.Errorf("out of memory")
	}
	defer libc.Xfree(tls, methods)
	defer libc.Xfree(tls, va)
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_GETPCACHE2, libc.VaList(va, methods)); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("SQLITE_CONFIG_GETPCACHE2: %d", rc)
	}
	m := (*sqlite3.Tsqlite3_pcache_methods2)(cPointer(methods))
	if m.FxRekey == 0 {
		return fmt.Errorf("no default page cache")
	}
	defaultRekey = m.FxRekey
	m.FxRekey = *(*uintptr)(unsafe.Pointer(&struct {
		f func(*libc.TLS, uintptr, uintptr, uint32, uint32)
	}{pcacheRekey}))
	// SQLITE_CONFIG_PCACHE2 copies the methods.
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE2, libc.VaList(va, methods)); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("SQLITE_CONFIG_PCACHE2: %d", rc)
	}
	return nil
}

// pcacheRekey is pcache1's xRekey, then the largest key put back when the
// new key was the balance's temporary number.
func pcacheRekey(tls *libc.TLS, p, page uintptr, oldKey, newKey uint32) {
	c := (*sqlite3.TPCache1)(cPointer(p))
	maxKey := c.FiMaxKey
	(*(*func(*libc.TLS, uintptr, uintptr, uint32, uint32))(unsafe.Pointer(&struct{ uintptr }{defaultRekey})))(tls, p, page, oldKey, newKey)
	if newKey > maxKey && c.FszPage > 0 && newKey == uint32(pendingByte/c.FszPage)+1 {
		c.FiMaxKey = maxKey
		tempRekeys.Add(1)
	}
}

// cPointer is an address in SQLite's (C) heap as a pointer, without the
// conversion vet rightly flags for Go memory: the C heap never moves.
func cPointer(p uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}
