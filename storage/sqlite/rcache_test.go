package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
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

// TestReaderListCache: List answers kept by the read connections are
// what the database holds after this store's writer or another store on
// the same file inserted, replaced or deleted, page by page, and a caller
// changing the records it got changes nothing for the next.
func TestReaderListCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	a, b := openFile(t, path), openFile(t, path)
	ctx, sc := context.Background(), testScope
	write := func(s *Store, fn func(tx switchboard.Tx) error) {
		t.Helper()
		if err := s.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	insert := func(s *Store, id, data string) {
		write(s, func(tx switchboard.Tx) error {
			return tx.Insert(&switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: id, Data: []byte(data)})
		})
	}
	// list returns "id=data" of one page, changing every record it got.
	list := func(o switchboard.ListOptions) []string {
		t.Helper()
		var got []string
		if err := a.View(ctx, func(tx switchboard.Tx) error {
			recs, err := tx.List(sc, "t", "i", o)
			for _, r := range recs {
				got = append(got, r.ID+"="+string(r.Data))
				r.Data[0] = '!'
				r.ID = "changed"
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	expect := func(stage string, want ...string) {
		t.Helper()
		for range 3 * len(a.readers) {
			if got := list(switchboard.ListOptions{}); !slices.Equal(got, want) {
				t.Fatalf("%s: List = %v, want %v", stage, got, want)
			}
			page := want[:min(2, len(want))]
			if got := list(switchboard.ListOptions{Limit: 2}); !slices.Equal(got, page) {
				t.Fatalf("%s: first page of 2 = %v, want %v", stage, got, page)
			}
		}
	}
	insert(a, "x1", "a1")
	insert(a, "x2", "a2")
	expect("after inserts", "x1=a1", "x2=a2")
	cached := 0
	for _, c := range a.all {
		if c.rc != nil {
			cached += len(c.rc.lists)
		}
	}
	if cached == 0 {
		t.Fatal("no read connection kept a List answer")
	}
	insert(b, "x3", "b3")
	expect("after another store's insert", "x1=a1", "x2=a2", "x3=b3")
	write(a, func(tx switchboard.Tx) error {
		r, err := tx.Get(switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "x2"})
		if err != nil {
			return err
		}
		r.Data = []byte("a2'")
		return tx.Replace(r)
	})
	expect("after this store's replace", "x1=a1", "x2=a2'", "x3=b3")
	write(b, func(tx switchboard.Tx) error {
		return tx.Delete(switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "x1"})
	})
	expect("after another store's delete", "x2=a2'", "x3=b3")
}

// TestReaderCachePauses: a read connection whose cache almost never
// answers stops consulting it for a while, one whose cache answers keeps
// it, and a pause never leaves a stale record to be read after it.
func TestReaderCachePauses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	a, b := openFile(t, path), openFile(t, path)
	ctx, sc := context.Background(), testScope
	key := func(i int) switchboard.Key {
		return switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: fmt.Sprintf("r%05d", i)}
	}
	n := hitWindow * (len(a.readers) + 2)
	if err := a.Update(ctx, func(tx switchboard.Tx) error {
		for i := range n {
			if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: key(i).ID, Data: []byte("v1")}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	get := func(k switchboard.Key) string {
		t.Helper()
		var got string
		if err := a.View(ctx, func(tx switchboard.Tx) error {
			r, err := tx.Get(k)
			if err == nil {
				got = string(r.Data)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	paused := func() (n int) {
		for _, c := range a.all {
			if c.rc != nil && c.rc.skip > 0 {
				n++
			}
		}
		return n
	}

	// One record read over and over: every lookup after the first hits.
	for range n {
		get(key(0))
	}
	if p := paused(); p != 0 {
		t.Fatalf("%d read connections paused a cache that answers every read", p)
	}
	// Every record once: no lookup hits. (Counting starts afresh, so that
	// a window is not half made of the hits above; some connection gets
	// more than a window of these whichever way Views are handed out.)
	for _, c := range a.all {
		if c.rc != nil {
			c.rc.lookups, c.rc.hits = 0, 0
		}
	}
	for i := range n {
		get(key(i))
	}
	if paused() == 0 {
		t.Fatal("no read connection paused a cache that answered none of its reads")
	}

	// Record 0 cached by every read connection, then every cache paused
	// for a few Views while another store changes it.
	for _, c := range a.all {
		if c.rc != nil {
			c.rc.skip = 0
		}
	}
	for range 3 * len(a.readers) {
		get(key(0))
	}
	for _, c := range a.all {
		if c.rc != nil {
			if _, ok := c.rc.recs[key(0)]; !ok {
				t.Fatal("a read connection did not cache the record read")
			}
			c.rc.skip = 2
		}
	}
	if err := b.Update(ctx, func(tx switchboard.Tx) error {
		r, err := tx.Get(key(0))
		if err != nil {
			return err
		}
		r.Data = []byte("v2")
		return tx.Replace(r)
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 * len(a.readers) {
		if got := get(key(0)); got != "v2" {
			t.Fatalf("read %d after a commit during a pause: %q, want v2", i, got)
		}
	}
}

func TestRecordCacheBytesBound(t *testing.T) {
	rc := newRecordCache(100)
	rc.maxBytes = 1000
	key := func(i int) switchboard.Key { return switchboard.Key{Kind: "k", ID: string(rune('a' + i))} }
	for i := range 3 {
		rc.put(key(i), &switchboard.Record{Data: make([]byte, 400)})
	}
	if rc.bytes != 1200 || len(rc.recs) != 3 {
		t.Fatalf("3 records of 400 bytes: %d bytes, %d records", rc.bytes, len(rc.recs))
	}
	rc.put(key(0), &switchboard.Record{Data: make([]byte, 100)}) // past the bound: starts over
	if len(rc.recs) != 1 || rc.bytes != 100 {
		t.Fatalf("after starting over: %d records, %d bytes", len(rc.recs), rc.bytes)
	}
	rc.put(key(0), &switchboard.Record{Data: make([]byte, 300)}) // replaces its own entry
	rc.forget(key(5))
	if rc.bytes != 300 {
		t.Fatalf("a replaced entry counts once: %d bytes", rc.bytes)
	}
	rc.forget(key(0))
	if rc.bytes != 0 || len(rc.recs) != 0 {
		t.Fatalf("after forgetting: %d bytes, %d records", rc.bytes, len(rc.recs))
	}
}

// A full cache starts a new generation and keeps the previous one: a record
// found there moves to the new one; the generation before it goes.
func TestRecordCacheGenerations(t *testing.T) {
	rc := newRecordCache(2)
	key := func(i int) switchboard.Key { return switchboard.Key{Kind: "k", ID: string(rune('a' + i))} }
	rc.put(key(0), &switchboard.Record{ID: "a"})
	rc.put(key(1), &switchboard.Record{ID: "b"})
	rc.put(key(2), &switchboard.Record{ID: "c"}) // a and b become the older generation
	if r, ok := rc.get(key(0)); !ok || r.ID != "a" {
		t.Fatalf("a from the older generation: %v %v", r, ok)
	}
	if _, ok := rc.older[key(0)]; ok {
		t.Fatal("a found in the older generation stayed there")
	}
	rc.put(key(3), &switchboard.Record{ID: "d"}) // c and a become older; b goes
	if _, ok := rc.get(key(1)); ok {
		t.Fatal("b outlived two generations")
	}
	for _, i := range []int{0, 2, 3} {
		if _, ok := rc.get(key(i)); !ok {
			t.Errorf("%c lost", 'a'+i)
		}
	}
	rc.forget(key(0))
	if rc.exists(key(0)) {
		t.Fatal("a forgotten is still there")
	}
}
