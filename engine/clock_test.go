package engine

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var epoch = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)

// firing is one callback run: which timer, and what Now() said.
type firing struct {
	name string
	at   time.Duration // Now() - epoch when the callback ran
}

func (f firing) String() string { return fmt.Sprintf("%s@%v", f.name, f.at) }

// recorder collects firings; callbacks of a VirtualClock run in the
// advancing goroutine, so no lock is needed in single-goroutine tests.
type recorder struct {
	c   *VirtualClock
	got []firing
}

func (r *recorder) fn(name string) func() {
	return func() { r.got = append(r.got, firing{name, r.c.Now().Sub(epoch)}) }
}

func (r *recorder) String() string {
	var s []string
	for _, f := range r.got {
		s = append(s, f.String())
	}
	return strings.Join(s, " ")
}

func TestVirtualClockOrder(t *testing.T) {
	type timer struct {
		name string
		d    time.Duration
	}
	s := time.Second
	cases := []struct {
		name   string
		timers []timer
		steps  []time.Duration // successive Advance calls
		want   string          // firings after all steps
		now    time.Duration   // Now() - epoch at the end
	}{
		{"none", nil, []time.Duration{5 * s}, "", 5 * s},
		{"by due time", []timer{{"c", 3 * s}, {"a", 1 * s}, {"b", 2 * s}}, []time.Duration{10 * s}, "a@1s b@2s c@3s", 10 * s},
		{"ties by registration", []timer{{"x", 2 * s}, {"y", 2 * s}, {"w", 1 * s}, {"z", 2 * s}}, []time.Duration{2 * s}, "w@1s x@2s y@2s z@2s", 2 * s},
		{"due exactly at the target fires", []timer{{"a", 5 * s}}, []time.Duration{5 * s}, "a@5s", 5 * s},
		{"not yet due stays", []timer{{"a", 5 * s}, {"b", 6 * s}}, []time.Duration{5*s + 999*time.Millisecond}, "a@5s", 5*s + 999*time.Millisecond},
		{"stepwise", []timer{{"a", 1 * s}, {"b", 3 * s}, {"c", 4 * s}}, []time.Duration{2 * s, 0, 1 * s, 1 * s}, "a@1s b@3s c@4s", 4 * s},
		{"zero delay waits for an advance", []timer{{"now", 0}, {"neg", -time.Hour}, {"later", s}}, []time.Duration{0}, "now@0s neg@0s", 0},
		{"sub-millisecond", []timer{{"b", 2 * time.Nanosecond}, {"a", time.Nanosecond}}, []time.Duration{time.Microsecond}, "a@1ns b@2ns", time.Microsecond},
		{"a day of minutes", func() []timer {
			var ts []timer
			for i := 1440; i >= 1; i -= 360 {
				ts = append(ts, timer{fmt.Sprint(i), time.Duration(i) * time.Minute})
			}
			return ts
		}(), []time.Duration{24 * time.Hour}, "360@6h0m0s 720@12h0m0s 1080@18h0m0s 1440@24h0m0s", 24 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := NewVirtualClock(epoch)
			r := &recorder{c: clock}
			for _, tm := range c.timers {
				clock.AfterFunc(tm.d, r.fn(tm.name))
			}
			for _, d := range c.steps {
				if err := clock.Advance(d); err != nil {
					t.Fatal(err)
				}
			}
			if r.String() != c.want {
				t.Errorf("fired %q, want %q", r.String(), c.want)
			}
			if got := clock.Now().Sub(epoch); got != c.now {
				t.Errorf("Now is epoch+%v, want epoch+%v", got, c.now)
			}
		})
	}
}

// TestVirtualClockDeterministic runs the same schedule twice and expects
// the same firings, times included.
func TestVirtualClockDeterministic(t *testing.T) {
	run := func() string {
		clock := NewVirtualClock(epoch)
		r := &recorder{c: clock}
		for i := range 200 {
			d := time.Duration(i*7919%97) * time.Second // many ties
			clock.AfterFunc(d, r.fn(fmt.Sprint(i)))
		}
		for range 20 {
			clock.Advance(5 * time.Second)
		}
		return r.String()
	}
	first := run()
	if strings.Count(first, "@") != 200 {
		t.Fatalf("fired %d timers, want 200", strings.Count(first, "@"))
	}
	for range 5 {
		if again := run(); again != first {
			t.Fatalf("second run differs:\n%s\n%s", first, again)
		}
	}
}

func TestVirtualClockCallbacksRegisterTimers(t *testing.T) {
	s := time.Second
	cases := []struct {
		name  string
		setup func(c *VirtualClock, r *recorder)
		steps []time.Duration
		want  string
	}{
		{"chain within one advance", func(c *VirtualClock, r *recorder) {
			var tick func()
			n := 0
			tick = func() {
				n++
				r.fn(fmt.Sprint("t", n))()
				c.AfterFunc(s, tick)
			}
			c.AfterFunc(s, tick)
		}, []time.Duration{3*s + s/2}, "t1@1s t2@2s t3@3s"},
		{"chain continues in the next advance", func(c *VirtualClock, r *recorder) {
			var tick func()
			n := 0
			tick = func() {
				n++
				r.fn(fmt.Sprint("t", n))()
				c.AfterFunc(2*s, tick)
			}
			c.AfterFunc(2*s, tick)
		}, []time.Duration{3 * s, 3 * s}, "t1@2s t2@4s t3@6s"},
		{"zero delay from a callback fires after timers already due at that instant", func(c *VirtualClock, r *recorder) {
			c.AfterFunc(s, func() {
				r.fn("a")()
				c.AfterFunc(0, r.fn("a-child"))
			})
			c.AfterFunc(s, r.fn("b"))
			c.AfterFunc(2*s, r.fn("c"))
		}, []time.Duration{5 * s}, "a@1s b@1s a-child@1s c@2s"},
		{"earlier than a pending timer from a callback fires first", func(c *VirtualClock, r *recorder) {
			c.AfterFunc(s, func() {
				r.fn("a")()
				c.AfterFunc(s, r.fn("a+1s"))
			})
			c.AfterFunc(3*s, r.fn("c"))
		}, []time.Duration{10 * s}, "a@1s a+1s@2s c@3s"},
		{"beyond the target waits", func(c *VirtualClock, r *recorder) {
			c.AfterFunc(s, func() {
				r.fn("a")()
				c.AfterFunc(5*s, r.fn("late"))
			})
		}, []time.Duration{2 * s, 3 * s, s}, "a@1s late@6s"},
		{"a callback may advance the clock itself", func(c *VirtualClock, r *recorder) {
			c.AfterFunc(s, func() {
				r.fn("a")()
				c.Advance(s) // fires b, nested
				r.fn("a-after")()
			})
			c.AfterFunc(2*s, r.fn("b"))
			c.AfterFunc(4*s, r.fn("d"))
		}, []time.Duration{3 * s}, "a@1s b@2s a-after@2s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := NewVirtualClock(epoch)
			r := &recorder{c: clock}
			c.setup(clock, r)
			for _, d := range c.steps {
				if err := clock.Advance(d); err != nil {
					t.Fatal(err)
				}
			}
			if r.String() != c.want {
				t.Errorf("fired %q, want %q", r.String(), c.want)
			}
		})
	}
}

func TestVirtualClockStop(t *testing.T) {
	s := time.Second
	t.Run("before it fires", func(t *testing.T) {
		clock := NewVirtualClock(epoch)
		r := &recorder{c: clock}
		a := clock.AfterFunc(s, r.fn("a"))
		clock.AfterFunc(2*s, r.fn("b"))
		if !a.Stop() {
			t.Error("Stop of a pending timer returned false")
		}
		if a.Stop() {
			t.Error("second Stop returned true")
		}
		if clock.Pending() != 1 {
			t.Errorf("Pending = %d, want 1", clock.Pending())
		}
		clock.Advance(5 * s)
		if r.String() != "b@2s" {
			t.Errorf("fired %q", r)
		}
	})
	t.Run("after it fired", func(t *testing.T) {
		clock := NewVirtualClock(epoch)
		r := &recorder{c: clock}
		a := clock.AfterFunc(s, r.fn("a"))
		clock.Advance(s)
		if a.Stop() {
			t.Error("Stop after firing returned true")
		}
		if r.String() != "a@1s" || clock.Pending() != 0 {
			t.Errorf("fired %q, pending %d", r, clock.Pending())
		}
	})
	t.Run("from its own callback", func(t *testing.T) {
		clock := NewVirtualClock(epoch)
		var self Timer
		stopped := true
		self = clock.AfterFunc(s, func() { stopped = self.Stop() })
		clock.Advance(s)
		if stopped {
			t.Error("Stop inside the timer's own callback returned true")
		}
	})
	t.Run("a callback stops a timer due at the same instant", func(t *testing.T) {
		clock := NewVirtualClock(epoch)
		r := &recorder{c: clock}
		var b Timer
		clock.AfterFunc(s, func() {
			r.fn("a")()
			if !b.Stop() {
				t.Error("Stop of b returned false")
			}
		})
		b = clock.AfterFunc(s, r.fn("b"))
		clock.AfterFunc(s, r.fn("c"))
		clock.Advance(s)
		if r.String() != "a@1s c@1s" {
			t.Errorf("fired %q", r)
		}
	})
	t.Run("stopping from the middle of many", func(t *testing.T) {
		clock := NewVirtualClock(epoch)
		r := &recorder{c: clock}
		var timers []Timer
		for i := range 10 {
			timers = append(timers, clock.AfterFunc(time.Duration(10-i)*s, r.fn(fmt.Sprint(10-i))))
		}
		for _, i := range []int{0, 4, 5, 9} { // 10s, 6s, 5s, 1s
			if !timers[i].Stop() {
				t.Errorf("Stop %d returned false", i)
			}
		}
		clock.Advance(time.Minute)
		if r.String() != "2@2s 3@3s 4@4s 7@7s 8@8s 9@9s" {
			t.Errorf("fired %q", r)
		}
	})
}

func TestVirtualClockSet(t *testing.T) {
	clock := NewVirtualClock(epoch)
	r := &recorder{c: clock}
	clock.AfterFunc(time.Hour, r.fn("a"))
	clock.AfterFunc(0, r.fn("due"))

	if err := clock.Set(epoch); err != nil {
		t.Fatalf("Set to the same time: %v", err)
	}
	if r.String() != "due@0s" {
		t.Fatalf("Set to the same time fired %q, want the due timer only", r)
	}
	if err := clock.Set(epoch.Add(-time.Nanosecond)); !errors.Is(err, ErrBackwards) {
		t.Errorf("Set backwards: %v, want ErrBackwards", err)
	}
	if err := clock.Advance(-time.Second); !errors.Is(err, ErrBackwards) {
		t.Errorf("Advance(-1s): %v, want ErrBackwards", err)
	}
	if !clock.Now().Equal(epoch) {
		t.Errorf("refused moves changed Now to %v", clock.Now())
	}
	to := epoch.Add(2 * time.Hour).In(time.FixedZone("x", 3600))
	if err := clock.Set(to); err != nil {
		t.Fatal(err)
	}
	if !clock.Now().Equal(to) || r.String() != "due@0s a@1h0m0s" {
		t.Errorf("after Set: Now %v, fired %q", clock.Now(), r)
	}
}

func TestVirtualClockStripsMonotonic(t *testing.T) {
	start := time.Now() // carries a monotonic reading
	clock := NewVirtualClock(start)
	if got := clock.Now(); got != start.Round(0) {
		t.Errorf("Now = %#v, want the wall time of start without its monotonic reading", got)
	}
}

// TestVirtualClockConcurrent hammers one clock from several goroutines
// (run it with -race): every timer due by the final time fires exactly
// once, none fires early, and no goroutine sees time go backwards.
func TestVirtualClockConcurrent(t *testing.T) {
	clock := NewVirtualClock(epoch)
	const workers, perWorker = 8, 200
	var mu sync.Mutex
	fired := map[int]int{}
	due := map[int]time.Time{}
	early := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := clock.Now()
			for i := range perWorker {
				id := w*perWorker + i
				d := time.Duration((id*31)%50) * time.Millisecond
				mu.Lock()
				// due is recorded before registration, from a Now() no
				// later than AfterFunc's, so it is a lower bound.
				due[id] = clock.Now().Add(d)
				mu.Unlock()
				tm := clock.AfterFunc(d, func() {
					now := clock.Now()
					mu.Lock()
					fired[id]++
					if now.Before(due[id]) {
						early++
					}
					mu.Unlock()
				})
				switch i % 10 {
				case 3:
					clock.Advance(time.Duration(i%7) * time.Millisecond)
				case 7:
					if tm.Stop() {
						mu.Lock()
						fired[id] = -1 // stopped: must never fire
						mu.Unlock()
					}
				case 9:
					clock.Set(clock.Now().Add(time.Millisecond))
				}
				if now := clock.Now(); now.Before(last) {
					t.Errorf("time went back from %v to %v", last, now)
				} else {
					last = now
				}
			}
		}()
	}
	wg.Wait()
	clock.Advance(time.Second) // everything still pending is due now
	if clock.Pending() != 0 {
		t.Errorf("%d timers still pending", clock.Pending())
	}
	for id := range workers * perWorker {
		switch fired[id] {
		case 1, -1:
		default:
			t.Errorf("timer %d: fired state %d", id, fired[id])
		}
	}
	if early != 0 {
		t.Errorf("%d timers fired before they were due", early)
	}
}

func TestRealClock(t *testing.T) {
	var c Clock = RealClock{}
	before := time.Now()
	if now := c.Now(); now.Before(before) {
		t.Errorf("RealClock.Now %v is before time.Now %v", now, before)
	}
	done := make(chan struct{})
	c.AfterFunc(0, func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RealClock.AfterFunc(0) did not fire")
	}
	never := c.AfterFunc(time.Hour, func() { t.Error("stopped timer fired") })
	if !never.Stop() {
		t.Error("Stop of a pending real timer returned false")
	}
	if never.Stop() {
		t.Error("second Stop returned true")
	}
}
