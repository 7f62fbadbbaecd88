package sqlite

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// Checkpoints. In WAL mode every commit appends the pages it changed to the
// WAL, and a checkpoint copies them back into the database file (and syncs
// it) so that the WAL can start over. SQLite's automatic checkpoint runs in
// the committing connection right after a commit — on our single writer,
// which then writes nothing else: a tenth of its time under a stream of
// CreateUsers. Here a goroutine of the store checkpoints on a connection of
// its own instead, in two passes:
//
//  1. without the writer mutex, copying everything committed so far while
//     the writer goes on (the copy and the sync run on the other core);
//  2. when the WAL has grown past restartFrames, once more holding the
//     writer mutex, so nothing is appended meanwhile: that copies what
//     pass 1 missed, the WAL is then fully copied, and the writer's next
//     transaction starts it over from the beginning. Without this the WAL
//     would only start over when a pass happened to finish between two
//     commits, and under a steady stream of writes it could grow without
//     bound.
//
// The writer keeps SQLite's automatic checkpoint at a much larger size
// (writerAutoCheckpoint) as a safety net: it only fires if this goroutine
// falls far behind. Readers holding an old snapshot keep a checkpoint from
// copying past it, exactly as they would the automatic one.

const (
	// writerAutoCheckpoint is the writer's own automatic checkpoint, in
	// pages: well past restartFrames.
	writerAutoCheckpoint = 80000
)

// restartFrames is the WAL size (pages; 4 KiB each) past which pass 2
// runs, and checkpointEvery how often the goroutine looks for new commits;
// a Store copies both when it opens (tests lower them). Pass 2 holds the
// writer for as long as its sync of the database file takes, which on a
// large file measured 100-160 ms; at 4,000 pages that happened every fifth
// of a second under a stream of CreateUsers into a 1M-user instance (p99
// 100 ms, the writer idle half the time). At 32,000 pages (a WAL of up to
// 128 MiB), with the database file synced before the mutex is taken, it
// comes every few seconds and is shorter.
var (
	restartFrames   int64 = 32000
	checkpointEvery       = 100 * time.Millisecond
)

// startCheckpointer opens the checkpoint connection and starts the goroutine.
func (s *Store) startCheckpointer(path, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return err
	}
	s.cdb = db
	// A descriptor of the database file, for syncing it before pass 2.
	// It stays open until Close has closed every connection of the
	// store: closing a descriptor of a file drops every POSIX lock the
	// process holds on it, SQLite's included. Without it pass 2 only
	// takes longer.
	if f, err := os.Open(path); err == nil {
		s.dbFile = f
	}
	s.restartFrames, s.checkpointEvery = restartFrames, checkpointEvery
	s.stopCkpt = make(chan struct{})
	s.ckptDone = make(chan struct{})
	go s.checkpointLoop()
	return nil
}

func (s *Store) checkpointLoop() {
	defer close(s.ckptDone)
	tick := time.NewTicker(s.checkpointEvery)
	defer tick.Stop()
	var seen uint64
	for {
		select {
		case <-s.stopCkpt:
			return
		case <-tick.C:
		}
		n := s.commits.Load()
		if n == seen {
			continue
		}
		seen = n
		frames, err := s.checkpoint()
		if err != nil || frames < s.restartFrames {
			continue
		}
		// Copy what the writer appended during that pass before taking
		// the mutex, and sync the database file, so that pass 2 holds it
		// only briefly: the sync of the database file at its end is what
		// it waits for (100-160 ms on a large file whenever it copied
		// anything; the WAL's sync takes 0-2 ms).
		s.checkpoint()
		if s.dbFile != nil {
			s.dbFile.Sync()
		}
		s.mu.Lock()
		s.checkpoint()
		s.mu.Unlock()
	}
}

// checkpoint runs one passive checkpoint and returns the WAL's size in
// frames. A checkpoint that cannot finish (a reader's snapshot, another
// process's checkpoint) is not an error: the next one goes on.
func (s *Store) checkpoint() (frames int64, err error) {
	var busy, copied int64
	err = s.cdb.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	return frames, err
}

// stopCheckpointer ends the goroutine and closes its connection.
func (s *Store) stopCheckpointer() error {
	if s.cdb == nil {
		return nil
	}
	close(s.stopCkpt)
	<-s.ckptDone
	return s.cdb.Close()
}
