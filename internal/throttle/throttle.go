// Package throttle emulates Amazon Connect's per-account API rate limits:
// one token bucket per account, Region and operation, filled at the
// operation's rate up to its burst (limits.go holds Connect's table and its
// sources). A call that finds its bucket empty is throttled; the wire layer
// answers it with ThrottlingException (429) so that clients' retry logic
// engages as it does against AWS.
//
// Buckets run on wall time, since clients back off and retry in real
// time; the clock is injected so that tests step it by hand.
package throttle

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"
)

// Limit is one operation's quota.
type Limit struct {
	// Rate is the steady rate in requests per second.
	Rate float64 `json:"rate"`
	// Burst is how many requests may arrive at once after a quiet spell:
	// the bucket's capacity.
	Burst int `json:"burst"`
}

func (l Limit) check() error {
	if !(l.Rate > 0) || math.IsInf(l.Rate, 0) {
		return fmt.Errorf("rate %v must be a number of requests per second above 0", l.Rate)
	}
	if l.Burst < 1 {
		return fmt.Errorf("burst %d must be at least 1", l.Burst)
	}
	return nil
}

// Config is the "throttling" section of the config file.
type Config struct {
	// Enabled turns throttling on; without it the section is ignored.
	Enabled bool `json:"enabled"`
	// Default replaces Connect's default quota (2/s, burst 5) for the
	// operations neither Connect's table nor Operations lists.
	Default *Limit `json:"default,omitempty"`
	// Operations replace the quota of single operations, by name.
	Operations map[string]Limit `json:"operations,omitempty"`
}

// Validate checks the limits and, when known is not nil, that every
// operation named is one known reports as an operation.
func (c Config) Validate(known func(op string) bool) error {
	var errs []error
	if c.Default != nil {
		if err := c.Default.check(); err != nil {
			errs = append(errs, fmt.Errorf("throttling.default: %w", err))
		}
	}
	names := make([]string, 0, len(c.Operations))
	for op := range c.Operations {
		names = append(names, op)
	}
	sort.Strings(names)
	for _, op := range names {
		if known != nil && !known(op) {
			errs = append(errs, fmt.Errorf("throttling.operations.%s: no such Connect operation", op))
			continue
		}
		if err := c.Operations[op].check(); err != nil {
			errs = append(errs, fmt.Errorf("throttling.operations.%s: %w", op, err))
		}
	}
	return errors.Join(errs...)
}

// maxBuckets bounds the bucket map: past it, buckets that have refilled
// (and so are the same as absent ones) are dropped. Regions come from
// clients' signatures, so the keys are not all known in advance.
const maxBuckets = 10000

type bucketKey struct{ account, region, op string }

type bucket struct {
	tokens float64
	last   time.Time
	limit  Limit
}

// Limiter holds the buckets. Its methods are safe for concurrent use.
type Limiter struct {
	now  func() time.Time
	def  Limit
	ops  map[string]Limit
	mu   sync.Mutex
	bkts map[bucketKey]*bucket
	// throttled counts throttled calls by operation.
	throttled map[string]uint64
}

// New returns a Limiter for cfg (which must be valid; see Validate) on the
// clock now (nil: time.Now). cfg.Enabled is not consulted: a caller that
// does not want throttling does not build a Limiter.
func New(cfg Config, now func() time.Time) (*Limiter, error) {
	if err := cfg.Validate(nil); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	ops, def := ConnectTable()
	if cfg.Default != nil {
		def = *cfg.Default
	}
	for op, l := range cfg.Operations {
		ops[op] = l
	}
	return &Limiter{now: now, def: def, ops: ops, bkts: map[bucketKey]*bucket{}, throttled: map[string]uint64{}}, nil
}

// LimitOf returns the quota op runs under.
func (l *Limiter) LimitOf(op string) Limit {
	if lim, ok := l.ops[op]; ok {
		return lim
	}
	return l.def
}

// Allow takes a token from the bucket of account, region and op and
// reports whether there was one; false means the call is throttled.
func (l *Limiter) Allow(account, region, op string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := bucketKey{account, region, op}
	b := l.bkts[k]
	if b == nil {
		if len(l.bkts) >= maxBuckets {
			l.sweep(now)
		}
		lim := l.LimitOf(op)
		b = &bucket{tokens: float64(lim.Burst), last: now, limit: lim}
		l.bkts[k] = b
	}
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	l.throttled[op]++
	return false
}

func (b *bucket) refill(now time.Time) {
	// A clock that steps back (NTP) adds nothing rather than draining.
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(float64(b.limit.Burst), b.tokens+d.Seconds()*b.limit.Rate)
		b.last = now
	}
}

// sweep drops the buckets that are full again.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.bkts {
		b.refill(now)
		if b.tokens >= float64(b.limit.Burst) {
			delete(l.bkts, k)
		}
	}
}

// Counts returns how many calls have been throttled, by operation.
func (l *Limiter) Counts() map[string]uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]uint64, len(l.throttled))
	for op, n := range l.throttled {
		out[op] = n
	}
	return out
}

// Total returns how many calls have been throttled in all.
func (l *Limiter) Total() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var n uint64
	for _, c := range l.throttled {
		n += c
	}
	return n
}
