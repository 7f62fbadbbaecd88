package telemetry

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
)

// Defaults of Readiness.
const (
	// DefaultReadyTimeout bounds one check of the store: a probe must get
	// its answer well within an orchestrator's usual 1 to 5 s, and a
	// database that takes longer to answer a ping is not serving anyway.
	DefaultReadyTimeout = 2 * time.Second
	// DefaultReadyReuse is how long one check's result answers further
	// probes. Readiness answers unsigned requests from anywhere
	// (docs/SECURITY.md), so without it a flood of probes would be a
	// flood of queries on the database.
	DefaultReadyReuse = time.Second
)

var errNoStore = errors.New("the server has no store")

// Readiness says whether the server can serve requests now: whether its
// store answers.
type Readiness struct {
	store   switchboard.Store
	timeout time.Duration
	reuse   time.Duration

	// mu serializes checks: probes that arrive during one wait for its
	// result instead of starting their own.
	mu  sync.Mutex
	at  time.Time // when err was learnt; zero: never checked
	err error
}

// NewReadiness returns the readiness of a server on store, checked with
// timeout and each result reused for reuse (0: the defaults).
func NewReadiness(store switchboard.Store, timeout, reuse time.Duration) *Readiness {
	if timeout <= 0 {
		timeout = DefaultReadyTimeout
	}
	if reuse <= 0 {
		reuse = DefaultReadyReuse
	}
	return &Readiness{store: store, timeout: timeout, reuse: reuse}
}

// Check returns nil when the store answered a Ping (switchboard.Pinger,
// or an empty View) within the timeout, and otherwise why not. The check
// runs on its own context, so a prober that hangs up does not make the
// store look down to the probes behind it.
func (r *Readiness) Check() error {
	if r.store == nil {
		return errNoStore
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.at.IsZero() && time.Since(r.at) < r.reuse {
		return r.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	r.err = Ping(ctx, r.store)
	r.at = time.Now()
	return r.err
}
