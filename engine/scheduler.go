package engine

import (
	"sync"
	"time"
)

// Scheduler calls run(key) when the clock reaches the earliest time asked
// for that key. Keys are whatever the caller schedules work by (the engine
// uses one per instance); the times themselves are durable in the
// caller's records, so a restarted process only needs to run every key
// once to find them again.
type Scheduler struct {
	clock  Clock
	run    func(key string)
	mu     sync.Mutex
	next   map[string]scheduled
	closed bool
}

type scheduled struct {
	at    time.Time
	timer Timer
}

// NewScheduler returns a scheduler on clock calling run.
func NewScheduler(clock Clock, run func(key string)) *Scheduler {
	return &Scheduler{clock: clock, run: run, next: map[string]scheduled{}}
}

// At asks for run(key) at t (at once if t has passed). A later time than
// one already asked for the key changes nothing; an earlier one replaces
// it. The zero time asks for nothing.
func (s *Scheduler) At(key string, t time.Time) {
	if t.IsZero() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if cur, ok := s.next[key]; ok {
		if !t.Before(cur.at) {
			return
		}
		cur.timer.Stop()
	}
	var sc scheduled
	sc.at = t
	sc.timer = s.clock.AfterFunc(t.Sub(s.clock.Now()), func() {
		s.mu.Lock()
		if cur, ok := s.next[key]; ok && cur.at.Equal(t) {
			delete(s.next, key)
		}
		closed := s.closed
		s.mu.Unlock()
		if !closed {
			s.run(key)
		}
	})
	s.next[key] = sc
}

// Stop cancels every pending call and refuses new ones; a call already
// running finishes.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for k, sc := range s.next {
		sc.timer.Stop()
		delete(s.next, k)
	}
}
