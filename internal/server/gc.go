package server

import (
	"os"
	"runtime/debug"
)

// GC settings of the server unless GOGC / GOMEMLIMIT say otherwise. The
// server's live heap is a few MiB (most state is in the store), so at the
// default GOGC of 100 the collector runs every few hundred requests;
// gcPercent lets the heap grow to five times the live data between
// collections, and the soft memGoal keeps a large live heap (the search
// index of a 1M-user instance is a few hundred MiB) from growing to five
// times itself: near memGoal the runtime collects as often as it must.
// docs/PERFORMANCE.md has the figures.
const (
	gcPercent = 400
	memGoal   = 384 << 20
)

// TuneGC applies the server's collector settings to the process; both
// cmd/switchboard and switchboard-bench's serve call it, so profiles are
// taken under the settings that are served.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memGoal)
	}
}
