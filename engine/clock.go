// The engine's one source of time (docs/TESTING.md): every time it stamps
// and every timer it sets goes through a Clock, so that the same engine
// runs on the wall clock in production and on a VirtualClock in tests and
// under `switchboard --clock virtual`, where a day of traffic takes
// seconds and fires the same timers in the same order every run.

package engine

import (
	"container/heap"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Clock is the engine's only source of time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has passed, as time.AfterFunc does. The
	// returned Timer cancels the call.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop cancels the call. It returns true if that prevented it, false
	// if the call has already started (or run) or was stopped before.
	Stop() bool
}

// RealClock is the wall clock of the time package. Its AfterFunc calls f
// in a goroutine of its own, as time.AfterFunc does.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// ErrBackwards is returned by VirtualClock.Set and Advance for a time
// earlier than the clock's: a virtual clock never goes back.
var ErrBackwards = errors.New("a virtual clock cannot go backwards")

// VirtualClock is a Clock that moves only when told to, by Advance or Set.
// Its timers fire during those calls, synchronously in the caller's
// goroutine, in a deterministic order: by due time, then by the order in
// which AfterFunc registered them. A callback sees Now() equal to its
// timer's due time, and may register timers of its own; those due by the
// end of the same Advance fire within it.
//
// It is safe for concurrent use, and its lock is never held while a
// callback runs, so callbacks may call any of its methods. Time advanced
// from several goroutines at once still never goes backwards, but the
// interleaving of their callbacks is then up to the scheduler; determinism
// needs one goroutine advancing.
type VirtualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64 // registration counter, the tie-breaker between timers due at once
	timers timerHeap
}

// NewVirtualClock returns a virtual clock reading start (with any
// monotonic clock reading stripped, so it compares by wall time only).
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start.Round(0)}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc registers f to be called when the clock reaches Now()+d. A
// timer with d <= 0 is due at once: it fires at the next Advance or Set
// (Advance(0) will do), or within the current one when a callback
// registers it. It never fires inside AfterFunc itself.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) Timer {
	if f == nil {
		panic("engine: VirtualClock.AfterFunc with a nil func")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d < 0 {
		d = 0
	}
	c.seq++
	t := &virtualTimer{clock: c, due: c.now.Add(d), seq: c.seq, f: f}
	heap.Push(&c.timers, t)
	return t
}

// Advance moves the clock forward by d, firing the timers due on the way
// (see VirtualClock). A negative d is refused with ErrBackwards.
func (c *VirtualClock) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%w: advance by %v", ErrBackwards, d)
	}
	c.mu.Lock()
	c.runUntil(c.now.Add(d))
	return nil
}

// Set moves the clock forward to t, firing the timers due on the way (see
// VirtualClock). A t before Now() is refused with ErrBackwards; t equal to
// Now() only fires the timers already due.
func (c *VirtualClock) Set(t time.Time) error {
	t = t.Round(0)
	c.mu.Lock()
	if t.Before(c.now) {
		now := c.now
		c.mu.Unlock()
		return fmt.Errorf("%w: %s is before %s", ErrBackwards, t.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
	}
	c.runUntil(t)
	return nil
}

// Pending returns the number of timers registered and neither fired nor
// stopped.
func (c *VirtualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// runUntil fires the timers due by target, one at a time with the lock
// released around each callback, then moves the clock to target. It is
// called with c.mu held and returns with it released. A callback that
// panics leaves the clock unlocked at its timer's due time.
func (c *VirtualClock) runUntil(target time.Time) {
	for len(c.timers) > 0 && !c.timers[0].due.After(target) {
		t := heap.Pop(&c.timers).(*virtualTimer)
		// Another goroutine's Advance may have moved the clock past this
		// timer already; time still never goes back.
		if t.due.After(c.now) {
			c.now = t.due
		}
		c.mu.Unlock()
		t.f()
		c.mu.Lock()
	}
	if target.After(c.now) {
		c.now = target
	}
	c.mu.Unlock()
}

// virtualTimer is one AfterFunc registration of a VirtualClock.
type virtualTimer struct {
	clock *VirtualClock
	due   time.Time
	seq   uint64
	f     func()
	index int // position in clock.timers; -1 once fired or stopped
}

// Stop removes the timer if it has not fired yet.
func (t *virtualTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&c.timers, t.index)
	return true
}

// timerHeap orders pending timers by due time, then registration order.
type timerHeap []*virtualTimer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if !h[i].due.Equal(h[j].due) {
		return h[i].due.Before(h[j].due)
	}
	return h[i].seq < h[j].seq
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	t := x.(*virtualTimer)
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}

var (
	_ Clock = RealClock{}
	_ Clock = (*VirtualClock)(nil)
)
