package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/conformance"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// envURL names the environment variable holding the test database's URL.
const envURL = "SWITCHBOARD_TEST_POSTGRES"

// testURL returns the test database's URL or skips the test.
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envURL)
	if u == "" {
		t.Skipf("%s is not set: no PostgreSQL to test against. Start a throwaway one with\n"+
			"\teval \"$(scripts/pg-test-server.sh)\"\n"+
			"(and stop it with scripts/pg-test-server.sh stop), or set it to a postgres:// URL of a database the tests may write to.", envURL)
	}
	return u
}

func openStore(t testing.TB, u string) *Store {
	t.Helper()
	s, err := Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the suite with a fresh Store (pool) per test, all on
// one database that keeps what earlier tests and runs left.
func TestConformance(t *testing.T) {
	u := testURL(t)
	conformance.Run(t, func(t *testing.T) switchboard.Store { return openStore(t, u) })
}

// TestConformanceTwoReplicas runs the suite through two Stores on one
// database, as two replicas behind a load balancer: successive calls
// alternate between them, so every write one makes is read back (and raced,
// in the concurrency tests) through the other.
func TestConformanceTwoReplicas(t *testing.T) {
	u := testURL(t)
	a, b := openStore(t, u), openStore(t, u)
	conformance.Run(t, func(t *testing.T) switchboard.Store { return &replicas{stores: [2]switchboard.Store{a, b}} })
}

// replicas is a Store that sends each call to the next of two stores.
type replicas struct {
	stores [2]switchboard.Store
	next   atomic.Uint32
}

func (r *replicas) pick() switchboard.Store { return r.stores[r.next.Add(1)%2] }

func (r *replicas) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	return r.pick().Update(ctx, fn)
}

func (r *replicas) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	return r.pick().View(ctx, fn)
}

func (r *replicas) Close() error { return nil }

// uniqueScope returns a scope no other test or run uses.
func uniqueScope(t testing.TB) switchboard.Scope {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return switchboard.Scope{Account: "pg-" + hex.EncodeToString(b[:]), Region: "us-east-1"}
}

// TestReplicasSeeEachOtherAtOnce: a write acknowledged through one Store is
// visible to the very next read through the other, both ways.
func TestReplicasSeeEachOtherAtOnce(t *testing.T) {
	u := testURL(t)
	a, b := openStore(t, u), openStore(t, u)
	sc := uniqueScope(t)
	ctx := context.Background()
	for i := range 20 {
		w, r := a, b
		if i%2 == 1 {
			w, r = b, a
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindUser, Parent: "i1", ID: fmt.Sprint("u", i), Name: fmt.Sprint("name", i)}
		if err := w.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(rec) }); err != nil {
			t.Fatal(err)
		}
		err := r.View(ctx, func(tx switchboard.Tx) error {
			got, err := tx.GetByName(sc, switchboard.KindUser, "i1", rec.Name)
			if err != nil {
				return err
			}
			if got.ID != rec.ID || got.Seq != rec.Seq {
				t.Errorf("other replica read %s seq %d, want %s seq %d", got.ID, got.Seq, rec.ID, rec.Seq)
			}
			n, err := tx.Count(sc, switchboard.KindUser, "i1")
			if n != i+1 {
				t.Errorf("other replica counts %d, want %d", n, i+1)
			}
			return err
		})
		if err != nil {
			t.Fatalf("write %d through one replica, read through the other: %v", i, err)
		}
	}
}

// freshSchema creates an empty schema for one test and returns a URL whose
// connections use it, so that migrations run from scratch.
func freshSchema(t *testing.T, u string) string {
	t.Helper()
	ctx := context.Background()
	// A pool, not pgx.Connect: the URL may carry pool_* settings, which
	// only pgxpool understands.
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	name := "sbtest_" + uniqueScope(t).Account[3:]
	if _, err := pool.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", envURL, err)
	}
	q := parsed.Query()
	q.Set("search_path", name)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// TestReplicasMigrateAtOnce: replicas starting together on an empty database
// all come up, and the schema is applied exactly once.
func TestReplicasMigrateAtOnce(t *testing.T) {
	u := freshSchema(t, testURL(t))
	const replicas = 6
	stores := make([]*Store, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), u) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	ms, err := storeutil.Migrations(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var n, last int
	err = stores[0].pool.QueryRow(context.Background(), "SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &last)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || last != len(ms) {
		t.Errorf("schema_migrations has %d rows up to %d, want %d", n, last, len(ms))
	}
	// And the schema works: reopening applies nothing and the store is usable.
	s := openStore(t, u)
	sc := uniqueScope(t)
	err = s.Update(context.Background(), func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindInstance, ID: "i1"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOddStringsRoundTrip: ids and names a client could send that
// PostgreSQL text could not hold (NUL, invalid UTF-8) are stored and found
// exactly, as they are by SQLite.
func TestOddStringsRoundTrip(t *testing.T) {
	s := openStore(t, testURL(t))
	sc := uniqueScope(t)
	sc.Region = "us-east-1\x00\xff"
	id, name := "id\x00with nul", "name\xff\xfe"
	r := &switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: "i\x00", ID: id, Name: name,
		Refs: []switchboard.Ref{{Kind: switchboard.KindQueue, ID: id}}}
	ctx := context.Background()
	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(r) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx switchboard.Tx) error {
		got, err := tx.GetByName(sc, switchboard.KindQueue, "i\x00", name)
		if err != nil {
			return err
		}
		if got.ID != id || got.Name != name {
			t.Errorf("got id %q name %q, want %q %q", got.ID, got.Name, id, name)
		}
		_, err = tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: "i\x00", ID: "id"})
		if !errors.Is(err, switchboard.ErrNotFound) {
			t.Errorf("Get of a prefix of the id: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Delete(r.Key()) }); err != nil {
		t.Fatal(err)
	}
}

// TestPanicInFnRollsBack: a panicking fn rolls back and leaves the pool
// usable.
func TestPanicInFnRollsBack(t *testing.T) {
	s := openStore(t, testURL(t))
	sc := uniqueScope(t)
	k := switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: "i1", ID: "q1"}
	func() {
		defer func() { recover() }()
		s.Update(context.Background(), func(tx switchboard.Tx) error {
			tx.Insert(&switchboard.Record{Scope: sc, Kind: k.Kind, Parent: k.Parent, ID: k.ID})
			panic("boom")
		})
	}()
	err := s.View(context.Background(), func(tx switchboard.Tx) error {
		_, err := tx.Get(k)
		return err
	})
	if !errors.Is(err, switchboard.ErrNotFound) {
		t.Errorf("write of a panicking fn: Get = %v, want ErrNotFound", err)
	}
}

// TestSerializationFailureIsRetried forces a lost race that the store's own
// checks cannot prevent — two transactions that each read what the other
// writes — and checks Update runs fn again rather than failing.
func TestSerializationFailureIsRetried(t *testing.T) {
	u := testURL(t)
	a, b := openStore(t, u), openStore(t, u)
	sc := uniqueScope(t)
	ctx := context.Background()
	var runsA atomic.Int32
	aRead, bDone := make(chan struct{}), make(chan struct{})
	var errB error
	go func() {
		defer close(bDone)
		<-aRead
		errB = b.Update(ctx, func(tx switchboard.Tx) error {
			if _, err := tx.Count(sc, switchboard.KindQueue, "i1"); err != nil {
				return err
			}
			return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: "i1", ID: "b"})
		})
	}()
	errA := a.Update(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.Count(sc, switchboard.KindQueue, "i1"); err != nil {
			return err
		}
		if runsA.Add(1) == 1 {
			// Let b read the same set, insert into it and commit first.
			close(aRead)
			<-bDone
		}
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: "i1", ID: "a"})
	})
	<-bDone
	if errA != nil || errB != nil {
		t.Fatalf("Update errors: a %v, b %v", errA, errB)
	}
	if n := runsA.Load(); n < 2 {
		t.Errorf("fn ran %d times; the first run should have lost its race and been retried", n)
	}
}

// withPoolSize returns u with pool_max_conns set to n.
func withPoolSize(t *testing.T, u string, n int) string {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", envURL, err)
	}
	q := parsed.Query()
	q.Set("pool_max_conns", fmt.Sprint(n))
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// TestContendedWritersAllFinish: many writers on two replicas, each
// counting one collection and then inserting into it (a quota check), over
// and over for a while, with room for all to run at once: every one
// conflicts with every other, all the time, and yet every Update succeeds,
// none running out of attempts.
func TestContendedWritersAllFinish(t *testing.T) {
	u := withPoolSize(t, testURL(t), 16)
	stores := []*Store{openStore(t, u), openStore(t, u)}
	sc := uniqueScope(t)
	const writers = 32
	deadline := time.Now().Add(2 * time.Second)
	var done atomic.Int64
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-start
			for i := 0; time.Now().Before(deadline); i++ {
				err := stores[w%2].Update(context.Background(), func(tx switchboard.Tx) error {
					if _, err := tx.Count(sc, switchboard.KindQueue, "i1"); err != nil {
						return err
					}
					// Hold the snapshot a little, as a request's other
					// reads would, so that writers overlap.
					time.Sleep(time.Millisecond)
					return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: "i1", ID: fmt.Sprint(w, "-", i)})
				})
				if err != nil {
					errs[w] = err
					return
				}
				done.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", w, err)
		}
	}
	err := stores[1].View(context.Background(), func(tx switchboard.Tx) error {
		n, err := tx.Count(sc, switchboard.KindQueue, "i1")
		if int64(n) != done.Load() {
			t.Errorf("Count = %d after %d acknowledged inserts", n, done.Load())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d inserts", done.Load())
}
