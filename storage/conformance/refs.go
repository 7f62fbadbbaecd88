package conformance

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

// replaceTests cover Replace's version check and renames.
var replaceTests = []test{
	{"replace rewrites every field and bumps the version", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q2", ""))
		u := rec(sc.A, user, "i1", "u1", "alice", ref(queue, "q1"))
		u.Tags = map[string]string{"a": "1"}
		insert(t, s, u)
		seq := u.Seq

		next := rec(sc.A, user, "i1", "u1", "alicia", ref(queue, "q2"))
		next.Data = []byte("v2")
		next.Tags = map[string]string{"b": "2"}
		next.Modified = time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
		next.Version = 1
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(next) })
		if next.Version != 2 {
			t.Fatalf("Replace left Version %d, want 2", next.Version)
		}
		next.Seq = seq // Seq never changes
		checkRecord(t, "after replace", get(t, s, u.Key()), next)

		view(t, s, func(tx switchboard.Tx) error {
			_, err := tx.GetByName(sc.A, user, "i1", "alice")
			wantErr(t, err, switchboard.ErrNotFound)
			r, err := tx.GetByName(sc.A, user, "i1", "alicia")
			if err != nil || r.ID != "u1" {
				t.Errorf("GetByName(new name) = %v, %v", r, err)
			}
			// The refs were rewritten: q1 is free, q2 is referenced.
			if by, err := tx.Referrers(key(sc.A, queue, "i1", "q1"), 0); err != nil || len(by) != 0 {
				t.Errorf("Referrers(q1) = %v, %v; want none", by, err)
			}
			if by, err := tx.Referrers(key(sc.A, queue, "i1", "q2"), 0); err != nil || !slices.Equal(by, []switchboard.Ref{ref(user, "u1")}) {
				t.Errorf("Referrers(q2) = %v, %v; want the user", by, err)
			}
			return nil
		})
		// The old name can be taken by another record now.
		insert(t, s, rec(sc.A, user, "i1", "u2", "alice"))
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q1")) })
	}},
	{"replace with a stale version is ErrConflict", func(t *testing.T, s switchboard.Store, sc scopes) {
		u := insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))[0]
		first, second := *u, *u
		first.Data = []byte("first")
		second.Data = []byte("second")
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(&first) })
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Replace(&second) })
		wantErr(t, err, switchboard.ErrConflict)
		if second.Version != 1 {
			t.Errorf("a refused Replace changed Version to %d", second.Version)
		}
		for _, v := range []int64{0, 3} {
			bad := first
			bad.Version = v
			err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Replace(&bad) })
			wantErr(t, err, switchboard.ErrConflict)
		}
		if got := get(t, s, u.Key()); string(got.Data) != "first" || got.Version != 2 {
			t.Errorf("stored Data %q Version %d, want first / 2", got.Data, got.Version)
		}
	}},
	{"replace of a missing record is ErrNotFound", func(t *testing.T, s switchboard.Store, sc scopes) {
		r := rec(sc.A, user, "i1", "u1", "alice")
		r.Version = 1
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Replace(r) })
		wantErr(t, err, switchboard.ErrNotFound)
	}},
	{"replace to a taken name is ErrAlreadyExists", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))
		b := insert(t, s, rec(sc.A, user, "i1", "u2", "bob"))[0]
		renamed := *b
		renamed.Name = "alice"
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Replace(&renamed) })
		wantErr(t, err, switchboard.ErrAlreadyExists)
		if got := get(t, s, b.Key()); got.Name != "bob" || got.Version != 1 {
			t.Errorf("stored record is %q version %d, want bob / 1", got.Name, got.Version)
		}
		// Keeping one's own name is not a conflict.
		same := *b
		same.Data = []byte("new")
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(&same) })
	}},
}

// refTests cover references: existence on write, in-use on delete, cascades.
var refTests = []test{
	{"insert with a missing ref is MissingRefError", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i2", "q2", ""))
		for _, c := range []struct {
			name string
			bad  switchboard.Ref
		}{
			{"unknown id", ref(queue, "nope")},
			{"wrong kind", ref(sp, "q1")},
			{"other parent", ref(queue, "q2")},
		} {
			r := rec(sc.A, user, "i1", "u-"+c.name, "", ref(queue, "q1"), c.bad)
			err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Insert(r) })
			assertMissingRef(t, err, c.bad)
			if get(t, s, r.Key()) != nil {
				t.Errorf("%s: record with a missing ref was stored", c.name)
			}
		}
	}},
	{"a ref may point at a record written earlier in the same transaction", func(t *testing.T, s switchboard.Store, sc scopes) {
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.Insert(rec(sc.A, queue, "i1", "q1", "")); err != nil {
				return err
			}
			return tx.Insert(rec(sc.A, user, "i1", "u1", "", ref(queue, "q1")))
		})
	}},
	{"replace with a missing ref is MissingRefError", func(t *testing.T, s switchboard.Store, sc scopes) {
		u := insert(t, s, rec(sc.A, user, "i1", "u1", ""))[0]
		next := *u
		next.Refs = []switchboard.Ref{ref(queue, "nope")}
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Replace(&next) })
		assertMissingRef(t, err, ref(queue, "nope"))
		if got := get(t, s, u.Key()); got.Version != 1 || len(got.Refs) != 0 {
			t.Errorf("a refused Replace was stored: %+v", got)
		}
	}},
	{"delete is refused with InUseError until the referrer drops the ref", func(t *testing.T, s switchboard.Store, sc scopes) {
		q := insert(t, s, rec(sc.A, queue, "i1", "q1", ""))[0]
		u := insert(t, s, rec(sc.A, user, "i1", "u1", "", ref(queue, "q1")))[0]
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Delete(q.Key()) })
		var inUse *switchboard.InUseError
		if !errors.As(err, &inUse) {
			t.Fatalf("Delete of a referenced record: %v, want *InUseError", err)
		}
		if inUse.By != ref(user, "u1") {
			t.Errorf("InUseError.By = %v, want the user", inUse.By)
		}
		if get(t, s, q.Key()) == nil {
			t.Fatal("a refused Delete removed the record")
		}
		dropped := *u
		dropped.Refs = nil
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(&dropped) })
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(q.Key()) })
		if get(t, s, q.Key()) != nil {
			t.Error("record still there after Delete")
		}
	}},
	{"deleting the referrer frees the target", func(t *testing.T, s switchboard.Store, sc scopes) {
		q := insert(t, s, rec(sc.A, queue, "i1", "q1", ""))[0]
		u := insert(t, s, rec(sc.A, user, "i1", "u1", "", ref(queue, "q1"), ref(queue, "q1")))[0]
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(u.Key()) })
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(q.Key()) })
	}},
	{"a record's ref to itself does not block its deletion", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q0", ""))
		q := insert(t, s, rec(sc.A, queue, "i1", "q1", "", ref(queue, "q0")))[0]
		self := *q
		self.Refs = append(self.Refs, ref(queue, "q1"))
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(&self) })
		view(t, s, func(tx switchboard.Tx) error {
			by, err := tx.Referrers(q.Key(), 0)
			if err != nil || len(by) != 0 {
				t.Errorf("Referrers of a self-referencing record = %v, %v; want none", by, err)
			}
			return nil
		})
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(q.Key()) })
		// Its ref to q0 went with it.
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q0")) })
	}},
	{"delete of a missing record is ErrNotFound", func(t *testing.T, s switchboard.Store, sc scopes) {
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, user, "i1", "nope")) })
		wantErr(t, err, switchboard.ErrNotFound)
	}},
	{"referrers lists the records pointing at a key up to limit", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q2", ""))
		insert(t, s,
			rec(sc.A, user, "i1", "u1", "", ref(queue, "q1")),
			rec(sc.A, user, "i1", "u2", "", ref(queue, "q2"), ref(queue, "q1")),
			rec(sc.A, sp, "i1", "p1", "", ref(queue, "q1")),
		)
		view(t, s, func(tx switchboard.Tx) error {
			all, err := tx.Referrers(key(sc.A, queue, "i1", "q1"), 0)
			if err != nil {
				return err
			}
			slices.SortFunc(all, func(a, b switchboard.Ref) int {
				if a.Kind != b.Kind {
					return cmp.Compare(a.Kind, b.Kind)
				}
				return cmp.Compare(a.ID, b.ID)
			})
			want := []switchboard.Ref{ref(sp, "p1"), ref(user, "u1"), ref(user, "u2")}
			if !slices.Equal(all, want) {
				t.Errorf("Referrers(q1, 0) = %v, want %v", all, want)
			}
			two, err := tx.Referrers(key(sc.A, queue, "i1", "q1"), 2)
			if err != nil || len(two) != 2 {
				t.Errorf("Referrers(q1, 2) = %v, %v; want 2 refs", two, err)
			}
			for _, r := range two {
				if !slices.Contains(want, r) {
					t.Errorf("Referrers(q1, 2) returned %v", r)
				}
			}
			if none, err := tx.Referrers(key(sc.A, queue, "i1", "q9"), 0); err != nil || len(none) != 0 {
				t.Errorf("Referrers of an unreferenced key = %v, %v", none, err)
			}
			return nil
		})
	}},
	{"deleting an instance deletes its children and their refs", func(t *testing.T, s switchboard.Store, sc scopes) {
		for _, scope := range []switchboard.Scope{sc.A, sc.B} {
			insert(t, s, rec(scope, inst, "", "i1", "one"), rec(scope, inst, "", "i2", "two"))
			for _, parent := range []string{"i1", "i2"} {
				insert(t, s,
					rec(scope, queue, parent, "q1", "Q"),
					rec(scope, sp, parent, "p1", "P"),
					rec(scope, user, parent, "u1", "alice", ref(queue, "q1"), ref(sp, "p1")),
				)
			}
		}
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, inst, "", "i1")) })

		for _, kind := range []switchboard.Kind{queue, sp, user} {
			if n := count(t, s, sc.A, kind, "i1"); n != 0 {
				t.Errorf("%d %s records of the deleted instance remain", n, kind)
			}
			if n := count(t, s, sc.A, kind, "i2"); n != 1 {
				t.Errorf("other instance: %d %s records, want 1", n, kind)
			}
			if n := count(t, s, sc.B, kind, "i1"); n != 1 {
				t.Errorf("same instance id in another account: %d %s records, want 1", n, kind)
			}
		}
		if ids := listIDs(t, s, sc.A, inst, ""); !slices.Equal(ids, []string{"i2"}) {
			t.Errorf("instances left: %v, want [i2]", ids)
		}
		view(t, s, func(tx switchboard.Tx) error {
			if by, err := tx.Referrers(key(sc.A, queue, "i1", "q1"), 0); err != nil || len(by) != 0 {
				t.Errorf("refs of deleted children remain: %v, %v", by, err)
			}
			return nil
		})
		// The ids are free again, and the old children's refs are gone:
		// a new q1 can be deleted at once.
		insert(t, s, rec(sc.A, inst, "", "i1", "one"), rec(sc.A, queue, "i1", "q1", "Q"))
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q1")) })
	}},
}

// assertMissingRef fails unless err is a *MissingRefError naming want.
func assertMissingRef(t *testing.T, err error, want switchboard.Ref) {
	t.Helper()
	var missing *switchboard.MissingRefError
	if !errors.As(err, &missing) {
		t.Fatalf("got error %v, want *MissingRefError", err)
	}
	if missing.Ref != want {
		t.Errorf("MissingRefError.Ref = %v, want %v", missing.Ref, want)
	}
}
