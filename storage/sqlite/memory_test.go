package sqlite

import (
	"strings"
	"testing"
)

// An in-memory store must be a memdb file with its size limit raised
// (memory.go); a silent fallback to ":memory:" would bring back the
// commit cost that grows with the database.
func TestMemoryStoreIsAMemdbFile(t *testing.T) {
	if !memdbOK {
		t.Fatal("SQLITE_CONFIG_MEMDB_MAXSIZE was refused: in-memory stores fall back to :memory:")
	}
	a, b := memoryDSN(), memoryDSN()
	if !strings.HasSuffix(a, "?vfs=memdb") || a == b {
		t.Fatalf("memory DSNs %q and %q: want distinct memdb files", a, b)
	}
}
