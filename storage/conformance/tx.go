package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

// txTests cover transaction boundaries.
var txTests = []test{
	{"an error from fn rolls back every write", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, inst, "", "i1", ""))
		u := insert(t, s, rec(sc.A, user, "i1", "u1", "alice", ref(queue, "q1")))[0]
		boom := errors.New("boom")
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			if err := tx.Insert(rec(sc.A, user, "i1", "u2", "bob")); err != nil {
				return err
			}
			next := *u
			next.Name, next.Refs = "alicia", nil
			if err := tx.Replace(&next); err != nil {
				return err
			}
			if err := tx.Delete(key(sc.A, queue, "i1", "q1")); err != nil {
				return err
			}
			if err := tx.Delete(key(sc.A, inst, "", "i1")); err != nil {
				return err
			}
			return fmt.Errorf("wrapped: %w", boom)
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		if get(t, s, key(sc.A, user, "i1", "u2")) != nil {
			t.Error("insert survived the rollback")
		}
		if got := get(t, s, u.Key()); got == nil || got.Name != "alice" || got.Version != 1 || len(got.Refs) != 1 {
			t.Errorf("replace survived the rollback: %+v", got)
		}
		if get(t, s, key(sc.A, queue, "i1", "q1")) == nil || get(t, s, key(sc.A, inst, "", "i1")) == nil {
			t.Error("delete survived the rollback")
		}
		// The ref rows were restored too: q1 is still in use.
		err = s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q1")) })
		var inUse *switchboard.InUseError
		if !errors.As(err, &inUse) {
			t.Errorf("Delete of q1 after the rollback: %v, want *InUseError", err)
		}
	}},
	{"a refused operation leaves the transaction's other writes to commit", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.Insert(rec(sc.A, user, "i1", "u2", "bob")); err != nil {
				return err
			}
			// The service layer may try an insert, see the name is taken
			// and carry on; the store must not have poisoned the
			// transaction.
			wantErr(t, tx.Insert(rec(sc.A, user, "i1", "u3", "alice")), switchboard.ErrAlreadyExists)
			return tx.Insert(rec(sc.A, user, "i1", "u4", "dave"))
		})
		if got := listIDs(t, s, sc.A, user, "i1"); fmt.Sprint(got) != "[u1 u2 u4]" {
			t.Errorf("records = %v, want [u1 u2 u4]", got)
		}
	}},
	{"view sees committed data", func(t *testing.T, s switchboard.Store, sc scopes) {
		for i := range 3 {
			insert(t, s, rec(sc.A, queue, "i1", fmt.Sprint("q", i), ""))
			if n := count(t, s, sc.A, queue, "i1"); n != i+1 {
				t.Fatalf("after %d commits View counts %d", i+1, n)
			}
		}
	}},
	{"view sees one snapshot while a writer commits", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q0", ""))
		var wg sync.WaitGroup
		var werr error
		view(t, s, func(tx switchboard.Tx) error {
			before, err := tx.Count(sc.A, queue, "i1")
			if err != nil {
				return err
			}
			// The writer may run now or, in a backend whose readers and
			// writer share one connection, wait until this View ends;
			// either way this View must not see it.
			wg.Go(func() {
				werr = s.Update(context.Background(), func(tx switchboard.Tx) error {
					return tx.Insert(rec(sc.A, queue, "i1", "q1", ""))
				})
			})
			time.Sleep(50 * time.Millisecond)
			after, err := tx.Count(sc.A, queue, "i1")
			if err != nil {
				return err
			}
			if _, err := tx.Get(key(sc.A, queue, "i1", "q1")); !errors.Is(err, switchboard.ErrNotFound) {
				t.Errorf("View saw a record committed after it began (Get: %v)", err)
			}
			if before != 1 || after != 1 {
				t.Errorf("Count moved within one View: %d then %d, want 1 and 1", before, after)
			}
			return nil
		})
		wg.Wait()
		if werr != nil {
			t.Fatal(werr)
		}
		if n := count(t, s, sc.A, queue, "i1"); n != 2 {
			t.Errorf("Count after the writer = %d, want 2", n)
		}
	}},
	{"a write inside View fails and stores nothing", func(t *testing.T, s switchboard.Store, sc scopes) {
		r := rec(sc.A, user, "i1", "u1", "")
		err := s.View(context.Background(), func(tx switchboard.Tx) error { return tx.Insert(r) })
		if err == nil {
			t.Error("Insert inside View succeeded")
		}
		if get(t, s, r.Key()) != nil {
			t.Error("Insert inside View was stored")
		}
	}},
	{"a cancelled context returns its error and writes nothing", func(t *testing.T, s switchboard.Store, sc scopes) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := rec(sc.A, user, "i1", "u1", "")
		err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(r) })
		wantErr(t, err, context.Canceled)
		err = s.View(ctx, func(tx switchboard.Tx) error { _, err := tx.Count(sc.A, user, "i1"); return err })
		wantErr(t, err, context.Canceled)
		if get(t, s, r.Key()) != nil {
			t.Error("write under a cancelled context was stored")
		}
		// A context cancelled while fn runs also stops the commit.
		ctx, cancel = context.WithCancel(context.Background())
		err = s.Update(ctx, func(tx switchboard.Tx) error {
			if err := tx.Insert(r); err != nil {
				return err
			}
			cancel()
			return nil
		})
		wantErr(t, err, context.Canceled)
		if get(t, s, r.Key()) != nil {
			t.Error("write whose context was cancelled before commit was stored")
		}
	}},
}

// concurrencyTests prove the invariants hold with many writers at once.
var concurrencyTests = []test{
	{"concurrent inserts of one name: exactly one wins", func(t *testing.T, s switchboard.Store, sc scopes) {
		const writers = 24
		errs := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Go(func() {
				<-start
				errs[i] = s.Update(context.Background(), func(tx switchboard.Tx) error {
					return tx.Insert(rec(sc.A, user, "i1", fmt.Sprint("u", i), "same"))
				})
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, switchboard.ErrAlreadyExists):
				t.Errorf("writer %d: %v, want nil or ErrAlreadyExists", i, err)
			}
		}
		if ok != 1 {
			t.Errorf("%d inserts succeeded, want exactly 1", ok)
		}
		if n := count(t, s, sc.A, user, "i1"); n != 1 {
			t.Errorf("Count = %d, want 1", n)
		}
	}},
	{"concurrent count-then-insert never exceeds the quota", func(t *testing.T, s switchboard.Store, sc scopes) {
		const writers, quota = 32, 5
		errQuota := errors.New("quota exceeded")
		errs := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Go(func() {
				<-start
				errs[i] = s.Update(context.Background(), func(tx switchboard.Tx) error {
					n, err := tx.Count(sc.A, queue, "i1")
					if err != nil {
						return err
					}
					if n >= quota {
						return errQuota
					}
					return tx.Insert(rec(sc.A, queue, "i1", fmt.Sprint("q", i), ""))
				})
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, errQuota):
				t.Errorf("writer %d: %v, want nil or the quota error", i, err)
			}
		}
		if ok != quota {
			t.Errorf("%d inserts succeeded, want %d", ok, quota)
		}
		if n := count(t, s, sc.A, queue, "i1"); n != quota {
			t.Errorf("Count = %d, want %d", n, quota)
		}
	}},
	{"concurrent writers failing before and after writing undo only their own work", func(t *testing.T, s switchboard.Store, sc scopes) {
		// A backend that runs concurrent Updates in one transaction must
		// undo a failing one's writes and nobody else's, whether it failed
		// before writing, after writing, or by panicking after writing.
		const writers, rounds = 32, 4
		boom := errors.New("boom")
		insert(t, s, rec(sc.A, queue, "i1", "taken", "taken"))
		for round := range rounds {
			errs := make([]error, writers)
			panicked := make([]any, writers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range writers {
				id := fmt.Sprintf("r%d-w%d", round, i)
				wg.Go(func() {
					defer func() { panicked[i] = recover() }()
					<-start
					errs[i] = s.Update(context.Background(), func(tx switchboard.Tx) error {
						switch i % 5 {
						case 1: // refused before writing
							return boom
						case 2: // a taken name: the insert itself is refused
							return tx.Insert(rec(sc.A, queue, "i1", id, "taken"))
						case 3: // fails after writing
							if err := tx.Insert(rec(sc.A, queue, "i1", id, id)); err != nil {
								return err
							}
							return boom
						case 4: // panics after writing
							if err := tx.Insert(rec(sc.A, queue, "i1", id, id)); err != nil {
								return err
							}
							panic(boom)
						}
						return tx.Insert(rec(sc.A, queue, "i1", id, id))
					})
				})
			}
			close(start)
			wg.Wait()
			for i := range writers {
				id := fmt.Sprintf("r%d-w%d", round, i)
				var want error
				switch i % 5 {
				case 1, 3:
					want = boom
				case 2:
					want = switchboard.ErrAlreadyExists
				}
				switch {
				case i%5 == 4:
					if panicked[i] != boom {
						t.Errorf("writer %s: recovered %v, want its panic", id, panicked[i])
					}
				case want == nil && errs[i] != nil, want != nil && !errors.Is(errs[i], want):
					t.Errorf("writer %s: %v, want %v", id, errs[i], want)
				}
				stored := get(t, s, key(sc.A, queue, "i1", id)) != nil
				if stored != (i%5 == 0) {
					t.Errorf("writer %s (case %d): stored = %v", id, i%5, stored)
				}
			}
		}
		if n := count(t, s, sc.A, queue, "i1"); n != 1+rounds*((writers+4)/5) {
			t.Errorf("Count = %d, want %d", n, 1+rounds*((writers+4)/5))
		}
	}},
	{"concurrent read-modify-replace loses no update", func(t *testing.T, s switchboard.Store, sc scopes) {
		const writers, each = 8, 10
		r := insert(t, s, rec(sc.A, queue, "i1", "q1", ""))[0]
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Go(func() {
				for range each {
					// A caller that reads in one transaction and writes in
					// another must retry on ErrConflict.
					for {
						err := s.Update(context.Background(), func(tx switchboard.Tx) error {
							cur, err := tx.Get(r.Key())
							if err != nil {
								return err
							}
							n, _ := strconv.Atoi(string(cur.Data))
							cur.Data = []byte(strconv.Itoa(n + 1))
							return tx.Replace(cur)
						})
						if errors.Is(err, switchboard.ErrConflict) {
							continue
						}
						if err != nil {
							errs[i] = err
							return
						}
						break
					}
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		got := get(t, s, r.Key())
		if string(got.Data) != strconv.Itoa(writers*each) || got.Version != writers*each+1 {
			t.Errorf("Data %q Version %d, want %d and %d", got.Data, got.Version, writers*each, writers*each+1)
		}
	}},
}
