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
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// escalateAfter is how many races an Update loses before it waits for the
// writers' lock; see Update.
const escalateAfter = 2

// writersLock is the session-level advisory lock key of Update's escalated
// attempts. Like migrationLock, any fixed number nothing else in the
// database uses; this one spells "swbd-wrt".
const writersLock int64 = 0x73776264_2d777274

// defaultConnectTimeout bounds each connection attempt when the URL sets no
// connect_timeout. Without it, a database host that drops packets (instead
// of refusing the connection) would hold every request until its client
// gives up; with it, requests fail with an internal error in bounded time.
const defaultConnectTimeout = 5 * time.Second

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
	pool *pgxpool.Pool
	// beginAttempts is how many connections begin tries: one more than
	// the pool holds, so that the last is a new one.
	beginAttempts int
	closeOnce     sync.Once
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
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return &Store{pool: pool, beginAttempts: int(cfg.MaxConns) + 1}, nil
}

// Update runs fn in a SERIALIZABLE read-write transaction and commits it
// when fn returns nil. When the transaction loses a race with another one
// (in this process or another replica), it is rolled back and fn runs again
// after a short, jittered pause.
//
// Transactions that keep losing (many writers counting one collection for
// a quota, say) would otherwise go on losing to each other, each retry
// against a fresh crowd, until one runs out of attempts. So every Update
// holds the writers' lock: shared on its first attempts, which therefore
// run side by side; exclusive, after escalateAfter lost races, for the
// remaining ones (see lockWriters). PostgreSQL queues a shared request
// behind a waiting exclusive one, so an escalated transaction waits only
// for those already running and then runs alone, in every replica: it
// cannot lose to another Update again. (Hence fn must not wait for another
// Update to finish: that one might be waiting for fn's to end.)
func (s *Store) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	var locked *pgxpool.Conn
	defer func() {
		if locked != nil {
			unlockWriters(locked)
		}
	}()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if attempt > escalateAfter && locked == nil {
			var err error
			if locked, err = s.lockWriters(ctx); err != nil {
				return err
			}
		}
		err := s.run(ctx, locked, updateOpts, true, fn)
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
	err := s.run(ctx, nil, viewOpts, false, fn)
	var lost *lostRaceError
	if errors.As(err, &lost) {
		// A read-only snapshot does not lose races; should the server say
		// otherwise, report its error rather than retry.
		return lost.err
	}
	return err
}

// run is one attempt: begin, fn, commit (or rollback), on conn when it is
// not nil and on any of the pool's connections otherwise. It returns a
// *lostRaceError when the attempt should be retried. A panic in fn rolls
// back and propagates.
func (s *Store) run(ctx context.Context, conn *pgxpool.Conn, opts pgx.TxOptions, write bool, fn func(switchboard.Tx) error) error {
	var ptx pgx.Tx
	var err error
	if conn != nil {
		ptx, err = conn.BeginTx(ctx, opts)
		err = unreachable(ctx, err)
	} else {
		ptx, err = s.begin(ctx, opts)
	}
	if err != nil {
		return err
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
	if write && conn == nil {
		// The writers' lock, shared, released at COMMIT or ROLLBACK; see
		// Update. Taken before any read, so that while it waits the
		// transaction conflicts with nothing. (Should the holder it waited
		// for have written what it reads, SERIALIZABLE aborts it later and
		// it runs again.)
		if _, err := t.exec("SELECT pg_advisory_xact_lock_shared($1)", writersLock); err != nil {
			if lost := asLostRace(err); lost != nil {
				return lost
			}
			return err
		}
	}
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
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			// The server's answer, if it sent one, never arrived.
			return fmt.Errorf("postgres: COMMIT got no answer, so it may or may not have taken effect (database unreachable?): %w", err)
		}
		if pe.Severity == "FATAL" || pe.Severity == "PANIC" || strings.HasPrefix(pe.Code, "57") || strings.HasPrefix(pe.Code, "08") {
			// The server is shutting down or ended the session
			// (57P01 administrator command, 08xxx connection
			// exceptions): the transaction was rolled back.
			return fmt.Errorf("postgres: COMMIT refused, the database ended the connection (database unreachable?): %w", err)
		}
		return fmt.Errorf("postgres: COMMIT: %w", err)
	}
	committed = true
	return nil
}

// begin starts a transaction. A pooled connection may be dead without the
// pool knowing yet (the database restarted, or a proxy dropped it, since its
// last use): BEGIN on it fails, with a network error or with the shutdown
// notice the server left on the socket (SQLSTATE 57P01), and pgx discards
// it. Nothing was done when BEGIN fails, so trying another connection is
// always safe, and it spares the requests right after the database comes
// back an error. The pool holds at most MaxConns dead connections, so
// MaxConns+1 attempts reach a new one; a new connection that fails (a
// *pgconn.ConnectError) means the database is unreachable, and that is
// reported at once.
func (s *Store) begin(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	var err error
	for range s.beginAttempts {
		var ptx pgx.Tx
		if ptx, err = s.pool.BeginTx(ctx, opts); err == nil {
			return ptx, nil
		}
		var connectErr *pgconn.ConnectError
		if ctx.Err() != nil || errors.As(err, &connectErr) {
			break
		}
	}
	return nil, unreachable(ctx, err)
}

// unreachable turns the error of a failed BEGIN (or lock) into the one to
// report: the context's when it ended, and otherwise one that says what a
// reader of the log needs to know.
func unreachable(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("postgres: cannot begin a transaction (database unreachable?): %w", err)
}

// lockWriters takes a connection and, on it, the database's writers' lock
// in exclusive mode: a session-level advisory lock taken before BEGIN, so
// that the transaction's snapshot, taken after, sees whatever the
// transactions it waited for committed. (Taken inside the transaction, the
// lock would come after the snapshot, and the transaction would conflict
// with those it waited for.) A connection that dies releases the lock with
// its session.
func (s *Store) lockWriters(ctx context.Context) (*pgxpool.Conn, error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, unreachable(ctx, err)
	}
	if _, err := c.Exec(ctx, "SELECT pg_advisory_lock($1)", writersLock); err != nil {
		// Not granted; if the wait was interrupted, pgx has closed the
		// connection, and the pool discards it.
		c.Release()
		return nil, unreachable(ctx, err)
	}
	return c, nil
}

// unlockWriters releases the writers' lock and the connection. A
// connection that may still hold the lock is closed rather than returned to
// the pool, where the lock would stay held by an idle session.
func unlockWriters(c *pgxpool.Conn) {
	rctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
	defer cancel()
	var released bool
	if err := c.QueryRow(rctx, "SELECT pg_advisory_unlock($1)", writersLock).Scan(&released); err != nil || !released {
		c.Conn().Close(rctx)
	}
	c.Release()
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
