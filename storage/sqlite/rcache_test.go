package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestReaderCache: a View on any read connection returns what the
// database holds, after this store's writer or another store on the same
// file committed, and a View keeps reading its own snapshot even when the
// record it reads was cached before a commit it must not see.
func TestReaderCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	a, b := openFile(t, path), openFile(t, path)
	ctx, sc := context.Background(), testScope
	k := switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "x"}
	set := func(s *Store, data string) {
		t.Helper()
		if err := s.Update(ctx, func(tx switchboard.Tx) error {
			r, err := tx.Get(k)
			if errors.Is(err, switchboard.ErrNotFound) {
				return tx.Insert(&switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: "x", Data: []byte(data)})
			}
			if err != nil {
				return err
			}
			r.Data = []byte(data)
			return tx.Replace(r)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// expect reads x through enough Views to visit every read connection
	// of a (they are handed out in turn), changing each copy it gets.
	expect := func(stage, want string) {
		t.Helper()
		for range 3 * len(a.readers) {
			var got string
			if err := a.View(ctx, func(tx switchboard.Tx) error {
				r, err := tx.Get(k)
				if err != nil {
					return err
				}
				got = string(r.Data)
				r.Data[0] = '!'
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s: a View read %q, want %q", stage, got, want)
			}
		}
	}
	set(a, "v1")
	expect("after insert", "v1")
	set(a, "v2")
	expect("after this store's replace", "v2")
	set(b, "v3")
	expect("after another store's replace", "v3")

	// A View that cached x, then sees a commit happen, still reads its
	// snapshot; the next View reads the commit.
	if err := a.View(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.Get(k); err != nil {
			return err
		}
		set(b, "v4")
		r, err := tx.Get(k)
		if err != nil {
			return err
		}
		if string(r.Data) != "v3" {
			t.Errorf("within one View after a commit: %q, want the snapshot's v3", r.Data)
		}
		// The first Get was answered from the cache, so only the
		// version check has read the database: it must have started
		// the snapshot that a query now reads.
		all, err := tx.List(sc, "t", "i", switchboard.ListOptions{})
		if err != nil {
			return err
		}
		if len(all) != 1 || string(all[0].Data) != "v3" {
			t.Errorf("List within the View after a commit: %d records, first %q; want the snapshot's v3", len(all), all[0].Data)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	expect("after the View", "v4")

	if err := b.Update(ctx, func(tx switchboard.Tx) error { return tx.Delete(k) }); err != nil {
		t.Fatal(err)
	}
	for range 3 * len(a.readers) {
		err := a.View(ctx, func(tx switchboard.Tx) error { _, err := tx.Get(k); return err })
		if !errors.Is(err, switchboard.ErrNotFound) {
			t.Fatalf("after another store's delete: %v, want ErrNotFound", err)
		}
	}
}
