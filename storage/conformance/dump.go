package conformance

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

// dumpTests cover the optional switchboard.Dumper and switchboard.Loader
// (export and import). A backend whose Tx lacks them skips these tests.
var dumpTests = []test{
	{"dump walks every record of the selected accounts in seq order", func(t *testing.T, s switchboard.Store, sc scopes) {
		need(t, s)
		q := rec(sc.A, queue, "i1", "q1", "")
		u := rec(sc.A, user, "i1", "u1", "alice", ref(queue, "q1"))
		u.Tags = map[string]string{"team": "a"}
		u.Created = time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
		u.Modified = u.Created.Add(time.Second)
		insert(t, s, rec(sc.A, inst, "", "i1", "one"), q, rec(sc.B, inst, "", "i9", ""), u, rec(sc.C, inst, "", "i1", "one"))
		u.Version = 1
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(u) })

		got := dump(t, s, sc.A.Account)
		var ids []string
		for _, r := range got {
			ids = append(ids, string(r.Kind)+"/"+r.Scope.Region+"/"+r.ID)
		}
		want := []string{"instance/us-east-1/i1", "queue/us-east-1/q1", "user/us-east-1/u1", "instance/eu-west-2/i1"}
		if !slices.Equal(ids, want) {
			t.Fatalf("Dump(A) = %v, want %v", ids, want)
		}
		checkRecord(t, "dumped user", got[2], u)
		if all := dump(t, s, sc.A.Account, sc.B.Account); len(all) != 5 {
			t.Errorf("Dump(A, B) gave %d records, want 5", len(all))
		}
	}},
	{"load keeps every field and takes refs in any order", func(t *testing.T, s switchboard.Store, sc scopes) {
		need(t, s)
		at := time.Date(2031, 5, 6, 7, 8, 9, 10, time.UTC)
		// The user comes before the queue it refers to, and refers to
		// itself; the queue's version and times are not Insert's.
		u := rec(sc.A, user, "i1", "u1", "alice", ref(queue, "q2"), ref(user, "u1"), ref(queue, "q2"))
		u.Tags, u.Created, u.Modified, u.Version = map[string]string{"a": "1", "b": ""}, at, at.Add(time.Hour), 7
		q2 := rec(sc.A, queue, "i1", "q2", "second")
		q2.Version, q2.Created = 3, at
		q1 := rec(sc.A, queue, "i1", "q1", "first")
		q1.Version = 1
		recs := []*switchboard.Record{rec(sc.A, inst, "", "i1", "one"), u, q2, q1}
		recs[0].Version = 2
		update(t, s, func(tx switchboard.Tx) error { return tx.(switchboard.Loader).Load(recs) })
		for i := 1; i < len(recs); i++ {
			if recs[i].Seq <= recs[i-1].Seq {
				t.Fatalf("Seqs %d then %d: want them increasing in the order loaded", recs[i-1].Seq, recs[i].Seq)
			}
		}
		for _, r := range recs {
			checkRecord(t, "loaded "+r.ID, get(t, s, r.Key()), r)
		}
		if ids := listIDs(t, s, sc.A, queue, "i1"); !slices.Equal(ids, []string{"q2", "q1"}) {
			t.Errorf("List(queues) = %v, want the load order [q2 q1]", ids)
		}
		if n := count(t, s, sc.A, queue, "i1"); n != 2 {
			t.Errorf("Count(queues) = %d, want 2", n)
		}
		view(t, s, func(tx switchboard.Tx) error {
			if r, err := tx.GetByName(sc.A, queue, "i1", "second"); err != nil || r.ID != "q2" {
				t.Errorf("GetByName(second) = %v, %v", r, err)
			}
			if by, err := tx.Referrers(key(sc.A, queue, "i1", "q2"), 0); err != nil || !slices.Equal(by, []switchboard.Ref{ref(user, "u1")}) {
				t.Errorf("Referrers(q2) = %v, %v; want the user once", by, err)
			}
			return nil
		})
		// The loaded refs hold their targets; the loaded versions are the
		// ones Replace checks; inserts after a load count and list on.
		err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q2")) })
		var inUse *switchboard.InUseError
		if !errors.As(err, &inUse) {
			t.Fatalf("Delete of a loaded ref's target: %v, want *InUseError", err)
		}
		next := *u
		next.Refs = nil
		next.Version = 7
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(&next) })
		if next.Version != 8 {
			t.Errorf("Replace of a loaded version 7 left %d, want 8", next.Version)
		}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.Delete(key(sc.A, queue, "i1", "q2")); err != nil {
				return err
			}
			return tx.Insert(rec(sc.A, queue, "i1", "q3", "second"))
		})
		if ids := listIDs(t, s, sc.A, queue, "i1"); !slices.Equal(ids, []string{"q1", "q3"}) {
			t.Errorf("List(queues) = %v, want [q1 q3]", ids)
		}
		if n := count(t, s, sc.A, queue, "i1"); n != 2 {
			t.Errorf("Count(queues) = %d, want 2", n)
		}
	}},
	{"load counts in the transaction that loads", func(t *testing.T, s switchboard.Store, sc scopes) {
		need(t, s)
		insert(t, s, rec(sc.A, queue, "i1", "q0", ""))
		update(t, s, func(tx switchboard.Tx) error {
			recs := []*switchboard.Record{rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q2", "")}
			for _, r := range recs {
				r.Version = 1
			}
			if err := tx.(switchboard.Loader).Load(recs); err != nil {
				return err
			}
			if n, err := tx.Count(sc.A, queue, "i1"); err != nil || n != 3 {
				t.Errorf("Count in the loading transaction = %d, %v; want 3", n, err)
			}
			return nil
		})
		if n := count(t, s, sc.A, queue, "i1"); n != 3 {
			t.Errorf("Count = %d, want 3", n)
		}
	}},
	{"a load that fails leaves nothing", func(t *testing.T, s switchboard.Store, sc scopes) {
		need(t, s)
		insert(t, s, rec(sc.A, queue, "i1", "taken", "taken-name"))
		cases := []struct {
			name string
			recs []*switchboard.Record
			want func(error) bool
		}{
			{"missing ref", []*switchboard.Record{rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, user, "i1", "u1", "", ref(queue, "nope"))},
				func(err error) bool {
					var m *switchboard.MissingRefError
					return errors.As(err, &m) && m.Ref == ref(queue, "nope")
				}},
			{"taken key", []*switchboard.Record{rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "taken", "")},
				func(err error) bool { return errors.Is(err, switchboard.ErrAlreadyExists) }},
			{"taken name", []*switchboard.Record{rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q2", "taken-name")},
				func(err error) bool { return errors.Is(err, switchboard.ErrAlreadyExists) }},
			{"key twice", []*switchboard.Record{rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q1", "")},
				func(err error) bool { return errors.Is(err, switchboard.ErrAlreadyExists) }},
		}
		for _, c := range cases {
			for _, r := range c.recs {
				r.Version = 1
			}
			err := s.Update(context.Background(), func(tx switchboard.Tx) error { return tx.(switchboard.Loader).Load(c.recs) })
			if !c.want(err) {
				t.Errorf("%s: Load = %v", c.name, err)
			}
			if get(t, s, key(sc.A, queue, "i1", "q1")) != nil {
				t.Errorf("%s: a record of the failed load is stored", c.name)
			}
			if n := count(t, s, sc.A, queue, "i1"); n != 1 {
				t.Errorf("%s: Count = %d after the failed load, want 1", c.name, n)
			}
		}
		// The store goes on as before.
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""))
		if n := count(t, s, sc.A, queue, "i1"); n != 2 {
			t.Errorf("Count = %d, want 2", n)
		}
	}},
	{"what dump gives, load takes into another account unchanged", func(t *testing.T, s switchboard.Store, sc scopes) {
		need(t, s)
		insert(t, s, rec(sc.A, inst, "", "i1", "one"), rec(sc.A, queue, "i1", "q1", "Q"), rec(sc.A, sp, "i1", "p1", "P"))
		u := rec(sc.A, user, "i1", "u1", "alice", ref(sp, "p1"), ref(queue, "q1"))
		u.Tags = map[string]string{"k": "v"}
		u.Created = time.Date(2029, 1, 1, 0, 0, 0, 1, time.UTC)
		insert(t, s, u)
		u.Version, u.Name = 1, "alicia"
		update(t, s, func(tx switchboard.Tx) error { return tx.Replace(u) })

		src := dump(t, s, sc.A.Account)
		moved := make([]*switchboard.Record, len(src))
		for i, r := range src {
			c := *r
			c.Account = sc.B.Account
			moved[i] = &c
		}
		update(t, s, func(tx switchboard.Tx) error { return tx.(switchboard.Loader).Load(moved) })
		dst := dump(t, s, sc.B.Account)
		if len(dst) != len(src) {
			t.Fatalf("dumped %d records after loading %d", len(dst), len(src))
		}
		for i := range src {
			want := *src[i]
			want.Account, want.Seq = sc.B.Account, dst[i].Seq
			checkRecord(t, "reloaded "+want.ID, dst[i], &want)
		}
	}},
}

// need skips the test when the store's transactions cannot dump and load.
func need(t *testing.T, s switchboard.Store) {
	t.Helper()
	var d, l bool
	view(t, s, func(tx switchboard.Tx) error {
		_, d = tx.(switchboard.Dumper)
		_, l = tx.(switchboard.Loader)
		return nil
	})
	if !d || !l {
		t.Skip("the store's Tx is not a switchboard.Dumper and Loader: export and import are not supported")
	}
}

// dump returns the records of accounts Dump gives in one View.
func dump(t *testing.T, s switchboard.Store, accounts ...string) []*switchboard.Record {
	t.Helper()
	var out []*switchboard.Record
	view(t, s, func(tx switchboard.Tx) error {
		return tx.(switchboard.Dumper).Dump(switchboard.DumpOptions{Accounts: accounts}, func(r *switchboard.Record) error {
			out = append(out, r)
			return nil
		})
	})
	return out
}
