// Package postgres is a switchboard.Store on PostgreSQL, for deployments
// where several Switchboard replicas share one database.
//
// Every invariant is enforced by the database, never by process memory, so
// that it holds across replicas: unique keys and names are unique indexes,
// references are foreign keys, and Update runs at SERIALIZABLE isolation so
// that a Count followed by an Insert (a quota check) or a read followed by a
// write behaves as if transactions ran one at a time. Transactions that lose
// a race (serialization failure or deadlock) are retried transparently, a
// bounded number of times, which the Store interface allows.
//
// The driver is pgx (github.com/jackc/pgx/v5): it is the maintained, native
// Go PostgreSQL driver, exposes the server's SQLSTATE codes as typed
// *pgconn.PgError values (so errors are classified by code, never by
// message), caches prepared statements per connection, and comes with a
// connection pool (pgxpool) made for it.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	switchboard "github.com/switchboard-dev/switchboard"
)

var _ switchboard.Store = (*Store)(nil)

// Retry policy for Update. Under contention (many writers counting the same
// records) a transaction can lose several times in a row; each loss means
// another transaction committed, so a few dozen attempts with backoff always
// suffice in practice while still bounding a pathological loop.
const (
	maxAttempts = 30
	baseBackoff = time.Millisecond
	maxBackoff  = 100 * time.Millisecond
)

// rollbackTimeout bounds a rollback, which runs on a fresh context (the
// caller's may be what ended the transaction) and so would otherwise wait
// for as long as an unreachable server keeps the socket open.
const rollbackTimeout = 5 * time.Second

var (
	updateOpts = pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite}
	// REPEATABLE READ gives the View its one snapshot; READ ONLY makes the
	// server refuse a write even if one slipped past the tx's own check.
	viewOpts = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
)

// Store is a switchboard.Store kept in one PostgreSQL database.
type Store struct {
	pool      *pgxpool.Pool
	closeOnce sync.Once
}

// Open connects to the database at url (postgres://user:pass@host:port/db?...,
// or any form pgxpool.ParseConfig accepts, including its pool_max_conns
// parameter) and brings its schema up to date. Several replicas may Open the
// same database at once: migrations are serialized by an advisory lock.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Update runs fn in a SERIALIZABLE read-write transaction and commits it
// when fn returns nil. When the transaction loses a race with another one
// (in this process or another replica), it is rolled back and fn runs again
// after a short, jittered pause.
func (s *Store) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.run(ctx, updateOpts, true, fn)
		var lost *lostRaceError
		if !errors.As(err, &lost) {
			return err
		}
		if attempt == maxAttempts {
			return lost.final()
		}
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

// View runs fn in a read-only REPEATABLE READ transaction, which sees one
// snapshot of the database for its whole length.
func (s *Store) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.run(ctx, viewOpts, false, fn)
	var lost *lostRaceError
	if errors.As(err, &lost) {
		// A read-only snapshot does not lose races; should the server say
		// otherwise, report its error rather than retry.
		return lost.err
	}
	return err
}

// run is one attempt: begin, fn, commit (or rollback). It returns a
// *lostRaceError when the attempt should be retried. A panic in fn rolls
// back and propagates.
func (s *Store) run(ctx context.Context, opts pgx.TxOptions, write bool, fn func(switchboard.Tx) error) error {
	ptx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return ctxErr(ctx, err)
	}
	t := &tx{ctx: ctx, ptx: ptx, write: write}
	committed := false
	defer func() {
		t.done = true
		if !committed {
			// Background: the rollback must happen even when ctx is what
			// ended the transaction. A failed rollback makes pgx close the
			// connection, which ends the transaction on the server too.
			rctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
			defer cancel()
			ptx.Rollback(rctx)
		}
	}()
	ferr := fn(t)
	if t.failed != nil {
		// The server aborted the transaction (every error does). If it was
		// because of a race, whatever fn concluded was concluded on a
		// doomed transaction: run it again.
		if lost := asLostRace(t.failed); lost != nil {
			return lost
		}
		if ferr != nil {
			return ferr
		}
		return t.failed
	}
	if ferr != nil {
		return ferr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !write {
		return nil // the deferred rollback ends a read transaction just as well
	}
	if err := ptx.Commit(ctx); err != nil {
		// SERIALIZABLE reports many conflicts only at commit.
		if lost := asLostRace(err); lost != nil {
			return lost
		}
		return ctxErr(ctx, err)
	}
	committed = true
	return nil
}

// Close closes the pool's connections. Committed data is already durable.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

// backoff returns the pause before attempt+1: exponential with full jitter,
// so that transactions that collided once do not collide again in lockstep.
func backoff(attempt int) time.Duration {
	d := min(baseBackoff<<min(attempt-1, 16), maxBackoff)
	return rand.N(d) + time.Microsecond
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ctxErr prefers the context's error: a statement interrupted because ctx
// ended reports a connection or cancellation error, which says less.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
