package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/conformance"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

func TestConformanceMemory(t *testing.T) {
	conformance.Run(t, func(t *testing.T) switchboard.Store {
		s, err := OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestConformanceFile(t *testing.T) {
	conformance.Run(t, func(t *testing.T) switchboard.Store {
		return openFile(t, filepath.Join(t.TempDir(), "switchboard.db"))
	})
}

// TestConformanceSharedFile runs the suite with every test on one database
// file, as a long-lived deployment (or a shared PostgreSQL) would be: it
// proves the suite's tests do not depend on an empty store.
func TestConformanceSharedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	shared := openFile(t, path)
	conformance.Run(t, func(t *testing.T) switchboard.Store { return shared })
}

func openFile(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var testScope = switchboard.Scope{Account: "123456789012", Region: "us-east-1"}

func writeUsers(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.Insert(&switchboard.Record{
				Scope: testScope, Kind: switchboard.KindUser, Parent: "i1",
				ID: fmt.Sprint("u", i), Name: fmt.Sprint("user", i), Data: []byte("{}"),
				Tags: map[string]string{"n": fmt.Sprint(i)}, Created: time.Now(),
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func checkUsers(t *testing.T, s *Store, n int) {
	t.Helper()
	err := s.View(context.Background(), func(tx switchboard.Tx) error {
		c, err := tx.Count(testScope, switchboard.KindUser, "i1")
		if err != nil {
			return err
		}
		if c != n {
			t.Errorf("Count = %d, want %d", c, n)
		}
		r, err := tx.GetByName(testScope, switchboard.KindUser, "i1", fmt.Sprint("user", n-1))
		if err != nil {
			return err
		}
		if r.Tags["n"] != fmt.Sprint(n-1) {
			t.Errorf("last record's tags = %v", r.Tags)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDurableAfterClose: what was committed is there after a clean close
// and reopen.
func TestDurableAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writeUsers(t, s, 20)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkUsers(t, openFile(t, path), 20)
}

// TestDurableWithoutClose: a second Store (as a restarted process would)
// sees every commit of a first one that was never closed, so acknowledged
// commits do not wait in memory for Close or a checkpoint.
func TestDurableWithoutClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	first := openFile(t, path)
	writeUsers(t, first, 20)
	second := openFile(t, path)
	checkUsers(t, second, 20)
	// And the two serialize writers between them through SQLite's lock.
	writeUsersFrom(t, second, 20, 25)
	checkUsers(t, first, 25)
}

func writeUsersFrom(t *testing.T, s *Store, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.Insert(&switchboard.Record{
				Scope: testScope, Kind: switchboard.KindUser, Parent: "i1",
				ID: fmt.Sprint("u", i), Name: fmt.Sprint("user", i), Tags: map[string]string{"n": fmt.Sprint(i)},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestReopenKeepsSchema: opening an existing database does not re-run
// migrations (they would fail on CREATE TABLE).
func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	for range 3 {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := storeutil.Migrations(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	s := openFile(t, path)
	var v int
	if err := s.writer.raw.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(ms) {
		t.Errorf("user_version = %d, want %d", v, len(ms))
	}
	var mode string
	if err := s.writer.raw.QueryRowContext(context.Background(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

// TestPanicInFnRollsBack: a panicking fn must not leave the write mutex held
// or the connection inside a transaction.
func TestPanicInFnRollsBack(t *testing.T) {
	s := openFile(t, filepath.Join(t.TempDir(), "db"))
	func() {
		defer func() { recover() }()
		s.Update(context.Background(), func(tx switchboard.Tx) error {
			tx.Insert(&switchboard.Record{Scope: testScope, Kind: switchboard.KindQueue, Parent: "i1", ID: "q1"})
			panic("boom")
		})
	}()
	writeUsers(t, s, 1)
	s.View(context.Background(), func(tx switchboard.Tx) error {
		if _, err := tx.Get(switchboard.Key{Scope: testScope, Kind: switchboard.KindQueue, Parent: "i1", ID: "q1"}); err != switchboard.ErrNotFound {
			t.Errorf("write of a panicking fn: Get = %v, want ErrNotFound", err)
		}
		return nil
	})
}
