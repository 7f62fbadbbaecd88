// Package sqlite is a durable switchboard.Store on SQLite (modernc.org/sqlite,
// pure Go, so the server stays a single static binary).
//
// Writers are serialized: one dedicated connection, guarded by a mutex, runs
// every Update inside BEGIN IMMEDIATE. That is what makes a Count followed by
// an Insert a safe quota check, in this process (mutex) and across processes
// sharing the file (the IMMEDIATE write lock plus busy_timeout). Readers use a
// pool of their own connections; in WAL mode each View sees one snapshot and
// never waits for the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

var _ switchboard.Store = (*Store)(nil)

// busyTimeoutMS bounds how long a connection waits for a lock held by another
// process before giving up with SQLITE_BUSY.
const busyTimeoutMS = 5000

// Store is a switchboard.Store kept in one SQLite database.
type Store struct {
	wdb *sql.DB // owns the write connection
	rdb *sql.DB // owns the read connections; nil for an in-memory store

	// mu serializes Update (and, in memory, View too: both share writer).
	mu     sync.Mutex
	writer *conn
	// wc is what the writer has read and written (wcache.go); guarded by mu.
	wc writerCache
	// hints are the Seqs of records read or listed (seqhint.go).
	hints *seqHints

	// pending are Updates waiting for the writer (group.go).
	pendingMu sync.Mutex
	pending   []*update

	// readers is a free list of read connections; View takes one and puts
	// it back. nil for an in-memory store.
	readers chan *conn
	all     []*conn

	// commits counts the writer's commits; cdb is the checkpoint
	// goroutine's connection (checkpoint.go), nil in memory.
	commits atomic.Uint64
	// writeTxs counts the writer's BEGINs (tx.WriteTx).
	writeTxs atomic.Uint64
	// afterCommit are the functions the running write transaction's
	// Updates gave tx.AfterCommit; guarded by mu.
	afterCommit []func()
	cdb         *sql.DB
	stopCkpt    chan struct{}
	ckptDone    chan struct{}
	// the checkpointer's settings (checkpoint.go)
	restartFrames   int64
	dbFile          *os.File // see startCheckpointer
	checkpointEvery time.Duration

	// memo holds per-store derived state that the service layer keeps in
	// memory (see Memo); it lives and dies with the store.
	memoMu sync.Mutex
	memo   map[string]any

	closeOnce sync.Once
	// closed makes calls after Close fail with ErrClosed instead of
	// reaching connections that are gone (a timer of the contact engine
	// may fire while a process shuts down).
	closed   atomic.Bool
	closeErr error
}

// Open opens the database file at path, creating it if needed, and brings
// its schema up to date. The path must not contain '?'.
func Open(path string) (*Store, error) {
	return openSchema(path, 0)
}

// openSchema is Open with the schema brought up to version upTo only (0:
// the latest); tests open databases of earlier versions with it.
func openSchema(path string, upTo int) (*Store, error) {
	// WAL lets readers go on while the writer writes. synchronous=NORMAL in
	// WAL mode writes every commit to the WAL before COMMIT returns, so a
	// killed process never loses an acknowledged commit (only a power loss
	// can lose the last few, which is the accepted trade for not fsyncing
	// every commit).
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=synchronous(NORMAL)", busyTimeoutMS)
	// wal_autocheckpoint: the writer leaves checkpoints to a goroutine
	// (checkpoint.go) and keeps its own only as a safety net.
	wdb, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint("+strconv.Itoa(writerAutoCheckpoint)+")")
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	s := &Store{wdb: wdb}
	if err := s.initWriter(upTo); err != nil {
		s.Close()
		return nil, err
	}

	// query_only: a bug that wrote through a read connection would bypass
	// the writer mutex and so the serialization every invariant relies on.
	rdb, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		s.Close()
		return nil, err
	}
	s.rdb = rdb
	n := min(max(runtime.GOMAXPROCS(0), 4), 16)
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	s.readers = make(chan *conn, n)
	for range n {
		c, err := newConn(rdb, upTo > 0)
		if err != nil {
			s.Close()
			return nil, err
		}
		rc := newRecordCache(maxReaderCached)
		c.rc = &rc
		s.all = append(s.all, c)
		s.readers <- c
	}
	if err := s.startCheckpointer(path, path+"?"+pragmas); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenMemory returns an empty store that lives in memory and vanishes on
// Close. An in-memory SQLite database has no WAL, so instead of a reader pool
// it has exactly one connection, shared by Update and View under the writer
// mutex; that is plenty for tests and keeps every goroutine on the same
// private database.
//
// Not the memdb VFS ("file:/x?vfs=memdb"): a memdb database is one
// contiguous allocation, which SQLite caps at 2 GiB, and a million contact
// records did not fit. The page-cache scan that made `:memory:` commits
// slow after a B-tree balance is avoided by pcache.go.
func OpenMemory() (*Store, error) {
	wdb, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	// One connection: a second one would open a second, empty database.
	wdb.SetMaxOpenConns(1)
	s := &Store{wdb: wdb}
	if err := s.initWriter(0); err != nil {
		s.Close()
		return nil, err
	}
	// The database's only connection: the writer keeps the collections'
	// counters itself (wcache.go).
	s.wc.alone = true
	return s, nil
}

// initWriter pins the write connection and migrates the schema through it.
func (s *Store) initWriter(upTo int) error {
	ctx := context.Background()
	raw, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	if err := migrate(ctx, raw, upTo); err != nil {
		raw.Close()
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	// A statement that may fail half way inside a transaction (an INSERT
	// that meets a taken name after writing a row) keeps the pages it
	// changes in a statement journal, which by default spills to a
	// temporary file; in memory it is a copy, emptied at the end of the
	// statement. Set after migrating, so that a migration's index build
	// sorts through temporary files rather than in memory.
	if _, err := raw.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
		raw.Close()
		return err
	}
	c, err := prepare(raw, upTo > 0)
	if err != nil {
		raw.Close()
		return err
	}
	s.writer = c
	s.wc.recordCache = newRecordCache(maxCached)
	s.wc.maxBytes = maxCachedBytes
	s.hints = newSeqHints()
	s.all = append(s.all, c)
	return nil
}

// Update runs fn in a write transaction (BEGIN IMMEDIATE) and commits when fn
// returns nil. Writers never race in SQLite, so fn runs exactly once.
func (s *Store) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if s.readers == nil {
		// In memory, View shares the writer and nothing is gained by
		// grouping; keep the simple path.
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.run(ctx, s.writer, true, fn)
	}
	return s.groupUpdate(ctx, fn)
}

// View runs fn in a read transaction that sees one snapshot of the database.
func (s *Store) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if s.readers == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.run(ctx, s.writer, false, fn)
	}
	var c *conn
	select {
	case c = <-s.readers:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { s.readers <- c }()
	return s.run(ctx, c, false, fn)
}

// run wraps fn in begin ... commit/rollback on c: a write transaction
// (BEGIN IMMEDIATE, on the writer) or a read one (BEGIN). A panic in fn
// rolls back and propagates, leaving the connection usable.
func (s *Store) run(ctx context.Context, c *conn, write bool, fn func(switchboard.Tx) error) (err error) {
	if write {
		err = s.beginWrite(ctx, c)
	} else {
		err = beginTx(ctx, c, stmtBegin)
	}
	if err != nil {
		return ctxErr(ctx, err)
	}
	t := &tx{ctx: ctx, c: c, write: write, store: s}
	if write {
		t.wc = &s.wc
		t.writeTx = s.writeTxs.Load()
	}
	committed := false
	defer func() {
		t.done = true
		if !committed {
			// A rollback undoes what the cache learnt from this
			// transaction's writes; one that wrote nothing undoes nothing.
			if write && t.wrote {
				s.wc.reset()
			}
			if write {
				s.afterCommit = nil
			}
			// Background: the rollback must happen even when ctx is what
			// ended the transaction.
			if _, rerr := c.stmts[stmtRollback].ExecContext(context.Background()); rerr != nil && err == nil {
				err = rerr
			}
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if t.failed != nil {
		// An operation failed half way (I/O error, cancelled statement) and
		// fn swallowed the error: committing could store a partial write.
		return t.failed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !write {
		return nil // the deferred ROLLBACK ends a read transaction just as well
	}
	if err := s.commitWrite(c); err != nil {
		return ctxErr(ctx, err)
	}
	committed = true
	return nil
}

// beginWrite starts a write transaction on the writer c and brings the
// writer's cache up to date with it (wcache.go).
func (s *Store) beginWrite(ctx context.Context, c *conn) error {
	s.writeTxs.Add(1)
	if err := beginTx(ctx, c, stmtBeginImmediate); err != nil {
		s.wc.reset()
		return err
	}
	if s.wc.alone {
		// In memory the writer's connection is the database's only one:
		// nobody else can have committed, so PRAGMA data_version need not
		// be asked (a statement every transaction).
		return nil
	}
	s.wc.begin(c)
	return nil
}

// commitWrite writes the collection counters the transaction changed and
// commits it. On error the cache is emptied and the caller rolls back.
// COMMIT runs without cancellation (see tx.stmtCtx): the write lock is
// held, so it never waits, and an interrupted COMMIT would only leave the
// caller unsure whether its write happened.
func (s *Store) commitWrite(c *conn) error {
	hooks := s.afterCommit
	s.afterCommit = nil
	err := s.wc.flush(c)
	if err == nil {
		_, err = c.stmts[stmtCommit].ExecContext(context.Background())
	}
	if err != nil {
		s.wc.reset()
		return err
	}
	s.commits.Add(1)
	for _, fn := range hooks {
		fn()
	}
	return nil
}

// beginTx starts a transaction on c. A BEGIN that reports an error may
// still have run (a cancelled context can interrupt the driver after the
// statement completed), and a connection left inside a transaction would
// fail every later BEGIN; so on error the connection is rolled back, and
// when the error was "already in a transaction" BEGIN is tried once more.
func beginTx(ctx context.Context, c *conn, begin stmtID) error {
	if begin == stmtBegin && ctx.Err() == nil {
		// A deferred BEGIN takes no lock and cannot wait; without a
		// cancellable context it costs no watcher goroutines (tx.stmtCtx).
		ctx = context.Background()
	}
	_, err := c.stmts[begin].ExecContext(ctx)
	if err == nil {
		return nil
	}
	c.stmts[stmtRollback].ExecContext(context.Background())
	if ctx.Err() != nil {
		return err
	}
	_, err = c.stmts[begin].ExecContext(ctx)
	return err
}

// Close closes every connection. Committed data is already durable; Close
// only releases resources.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		errs := []error{s.stopCheckpointer()}
		for _, c := range s.all {
			errs = append(errs, c.close())
		}
		if s.rdb != nil {
			errs = append(errs, s.rdb.Close())
		}
		if s.wdb != nil {
			errs = append(errs, s.wdb.Close())
		}
		if s.dbFile != nil { // after every connection: see startCheckpointer
			errs = append(errs, s.dbFile.Close())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// ErrClosed is what Update and View answer after Close.
var ErrClosed = errors.New("sqlite: the store is closed")

// ctxErr prefers the context's error: a statement interrupted because ctx
// ended reports a generic SQLite interrupt, which says less.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
