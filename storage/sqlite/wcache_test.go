package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/conformance"
)

// alternating sends each transaction to the next of several stores open on
// one file, as several processes sharing it would: whatever one store's
// writer remembers (wcache.go) must not hide what another committed.
type alternating struct {
	stores []*Store
	n      atomic.Uint64
}

func (a *alternating) next() *Store {
	return a.stores[a.n.Add(1)%uint64(len(a.stores))]
}

func (a *alternating) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	return a.next().Update(ctx, fn)
}

func (a *alternating) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	return a.next().View(ctx, fn)
}

func (a *alternating) Close() error { return nil }

func TestConformanceTwoStoresOneFile(t *testing.T) {
	conformance.Run(t, func(t *testing.T) switchboard.Store {
		path := filepath.Join(t.TempDir(), "db")
		return &alternating{stores: []*Store{openFile(t, path), openFile(t, path)}}
	})
}

// TestWriterCache: what one store's writer read, counted and checked is
// read again once another store on the same file has changed it, once a
// rollback undid it, and never changes when a caller changes its copy.
func TestWriterCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	a, b := openFile(t, path), openFile(t, path)
	ctx, sc := context.Background(), testScope
	k := switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "x"}
	update := func(s *Store, fn func(tx switchboard.Tx) error) {
		t.Helper()
		if err := s.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	// read returns x's data and the count of its collection as a's writer
	// sees them.
	read := func() (string, int) {
		t.Helper()
		var data string
		var n int
		update(a, func(tx switchboard.Tx) error {
			r, err := tx.Get(k)
			switch {
			case errors.Is(err, switchboard.ErrNotFound):
				data = "<none>"
			case err != nil:
				return err
			default:
				data = string(r.Data)
			}
			n, err = tx.Count(sc, "t", "i")
			return err
		})
		return data, n
	}
	replace := func(s *Store, data string, fail error) error {
		return s.Update(ctx, func(tx switchboard.Tx) error {
			r, err := tx.Get(k)
			if err != nil {
				return err
			}
			r.Data = []byte(data)
			if err := tx.Replace(r); err != nil {
				return err
			}
			if _, err := tx.Get(k); err != nil { // read back inside the transaction
				return err
			}
			return fail
		})
	}
	update(a, func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: "x", Data: []byte("v1")})
	})
	if d, n := read(); d != "v1" || n != 1 {
		t.Fatalf("after insert: %q, %d", d, n)
	}

	// A caller changing its copy changes nothing stored or cached.
	update(a, func(tx switchboard.Tx) error {
		r, err := tx.Get(k)
		if err != nil {
			return err
		}
		r.Data[0] = 'X'
		return nil
	})
	if d, _ := read(); d != "v1" {
		t.Fatalf("after a caller changed its copy: %q", d)
	}

	// Another store's commits are seen.
	if err := replace(b, "v2", nil); err != nil {
		t.Fatal(err)
	}
	update(b, func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: "y"})
	})
	if d, n := read(); d != "v2" || n != 2 {
		t.Fatalf("after another store's writes: %q, %d; want v2, 2", d, n)
	}

	// A rolled-back replace is forgotten, by this store's writer too.
	boom := errors.New("boom")
	if err := replace(a, "v3", boom); !errors.Is(err, boom) {
		t.Fatalf("failing replace: %v", err)
	}
	if d, _ := read(); d != "v2" {
		t.Fatalf("after a rolled-back replace: %q, want v2", d)
	}

	// A record another store deleted is gone, and no longer satisfies a ref.
	update(b, func(tx switchboard.Tx) error { return tx.Delete(k) })
	if d, n := read(); d != "<none>" || n != 1 {
		t.Fatalf("after another store's delete: %q, %d", d, n)
	}
	err := a.Update(ctx, func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: "u", Parent: "i", ID: "u1", Refs: []switchboard.Ref{{Kind: "t", ID: "x"}}})
	})
	var missing *switchboard.MissingRefError
	if !errors.As(err, &missing) {
		t.Fatalf("ref to a record another store deleted: %v, want *MissingRefError", err)
	}
}

// TestWriterCacheHoldsStoredForm: a record the writer just inserted or
// replaced is served from its cache exactly as a read of the database
// returns it — tags and refs decoded from what was written, times in UTC
// without a monotonic reading, no tags read back as nil.
func TestWriterCacheHoldsStoredForm(t *testing.T) {
	s := openFile(t, filepath.Join(t.TempDir(), "db"))
	ctx, sc := context.Background(), testScope
	paris := time.FixedZone("CET", 3600)
	records := []*switchboard.Record{
		{Scope: sc, Kind: "t", Parent: "i", ID: "plain", Data: []byte(`{"a":1}`)},
		{Scope: sc, Kind: "t", Parent: "i", ID: "full", Name: "full", Data: []byte("d"),
			Tags: map[string]string{"k": "v", "bad": "\xff", "q": `"\`}, Refs: []switchboard.Ref{{Kind: "t", ID: "plain"}},
			Created: time.Now(), Modified: time.Date(2026, 1, 2, 3, 4, 5, 6, paris)},
		{Scope: sc, Kind: "t", Parent: "i", ID: "emptytags", Data: []byte("x"), Tags: map[string]string{}, Refs: []switchboard.Ref{}},
		{Scope: sc, Kind: "t", Parent: "i", ID: "nodata"},
	}
	compare := func(stage string) {
		t.Helper()
		for _, r := range records {
			var cached, stored *switchboard.Record
			if err := s.Update(ctx, func(tx switchboard.Tx) (err error) { cached, err = tx.Get(r.Key()); return err }); err != nil {
				t.Fatal(err)
			}
			if err := s.View(ctx, func(tx switchboard.Tx) (err error) { stored, err = tx.Get(r.Key()); return err }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cached, stored) {
				t.Errorf("%s, %s: the writer read\n%#v\nthe database holds\n%#v", stage, r.ID, cached, stored)
			}
		}
	}
	for _, r := range records {
		if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(r) }); err != nil {
			t.Fatal(err)
		}
	}
	compare("after insert")
	for _, r := range records {
		if err := s.Update(ctx, func(tx switchboard.Tx) error {
			cur, err := tx.Get(r.Key())
			if err != nil {
				return err
			}
			cur.Tags = map[string]string{"n": "\xfe" + cur.ID}
			cur.Modified = time.Now().In(paris)
			return tx.Replace(cur)
		}); err != nil {
			t.Fatal(err)
		}
	}
	compare("after replace")
}

// In memory the writer keeps the collections' counters itself and never
// writes the table; counts, change counters and rollbacks are as the
// table's (the conformance suite runs on OpenMemory too).
func TestMemoryStoreKeepsCountersAlone(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range 3 {
		if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(benchRecord(i)) }); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		if err := tx.Insert(benchRecord(10)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var n int
	var chg int64
	err = s.View(ctx, func(tx switchboard.Tx) error {
		n, err = tx.Count(testScope, switchboard.KindUser, "i1")
		if err != nil {
			return err
		}
		_, chg, _, err = tx.(interface {
			CollectionState(switchboard.Scope, switchboard.Kind, string) (int64, int64, int64, error)
		}).CollectionState(testScope, switchboard.KindUser, "i1")
		return err
	})
	if err != nil || n != 3 || chg != 3 {
		t.Fatalf("after 3 inserts and one rolled back: Count %d, chg %d, %v; want 3, 3", n, chg, err)
	}
	var rows int
	if err := s.writer.raw.QueryRowContext(ctx, "SELECT count(*) FROM collections").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Fatalf("%d rows written to the collections table", rows)
	}
}

// AfterCommit runs a function once the write transaction has committed,
// and never for one rolled back; WriteTx numbers each database transaction.
func TestAfterCommitAndWriteTx(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	type hooks interface {
		AfterCommit(func())
		WriteTx() uint64
	}
	var ran []string
	var txs []uint64
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		tx.(hooks).AfterCommit(func() { ran = append(ran, "first") })
		txs = append(txs, tx.(hooks).WriteTx())
		if len(ran) != 0 {
			t.Error("ran before the commit")
		}
		return tx.Insert(benchRecord(1))
	})
	if err != nil || len(ran) != 1 {
		t.Fatalf("after a commit: ran %v, %v", ran, err)
	}
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		tx.(hooks).AfterCommit(func() { ran = append(ran, "rolled back") })
		txs = append(txs, tx.(hooks).WriteTx())
		if err := tx.Insert(benchRecord(2)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		txs = append(txs, tx.(hooks).WriteTx())
		return nil
	})
	if err != nil || len(ran) != 1 {
		t.Fatalf("a rolled back transaction's function ran: %v, %v", ran, err)
	}
	if txs[0] == 0 || txs[0] == txs[1] || txs[1] == txs[2] {
		t.Fatalf("WriteTx %v: want a different, non-zero number each", txs)
	}
}
