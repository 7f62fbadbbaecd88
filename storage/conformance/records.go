package conformance

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

const (
	inst  = switchboard.KindInstance
	user  = switchboard.KindUser
	queue = switchboard.KindQueue
	sp    = switchboard.KindSecurityProfile
)

// basicTests cover identity, names and round trips.
var basicTests = []test{
	{"insert then get returns every field", func(t *testing.T, s switchboard.Store, sc scopes) {
		// An odd zone and nanoseconds prove times keep full precision and
		// come back in UTC.
		zone := time.FixedZone("UTC+5:30", 5*3600+1800)
		created := time.Date(2024, 2, 29, 23, 59, 58, 123456789, zone)
		modified := created.Add(time.Hour + 1)
		insert(t, s, rec(sc.A, queue, "i1", "q1", "Q1"), rec(sc.A, sp, "i1", "sp1", "SP1"))
		want := &switchboard.Record{
			Scope: sc.A, Kind: user, Parent: "i1", ID: "u1", Name: "alice",
			Data:     []byte{0, 1, 2, 255, '{', '}'},
			Tags:     map[string]string{"team": "blue", "empty": "", "ünï": "çødé"},
			Refs:     []switchboard.Ref{ref(sp, "sp1"), ref(queue, "q1")},
			Created:  created,
			Modified: modified,
		}
		var inTx *switchboard.Record
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.Insert(want); err != nil {
				return err
			}
			var err error
			inTx, err = tx.Get(want.Key())
			return err
		})
		if want.Seq <= 0 || want.Version != 1 {
			t.Fatalf("Insert set Seq %d Version %d, want Seq > 0 and Version 1", want.Seq, want.Version)
		}
		got := get(t, s, want.Key())
		for name, r := range map[string]*switchboard.Record{"same transaction": inTx, "later view": got} {
			if r == nil {
				t.Fatalf("%s: record not found", name)
			}
			checkRecord(t, name, r, want)
		}
	}},
	{"nil and empty tags both read back as nil", func(t *testing.T, s switchboard.Store, sc scopes) {
		a := rec(sc.A, user, "i1", "u1", "")
		b := rec(sc.A, user, "i1", "u2", "")
		b.Tags = map[string]string{}
		insert(t, s, a, b)
		for _, r := range []*switchboard.Record{a, b} {
			if got := get(t, s, r.Key()); got.Tags != nil {
				t.Errorf("%s: Tags = %#v, want nil", r.ID, got.Tags)
			}
		}
	}},
	{"get of a missing key is ErrNotFound", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))
		for _, k := range []switchboard.Key{
			key(sc.A, user, "i1", "u2"),
			key(sc.A, queue, "i1", "u1"),
			key(sc.A, user, "i2", "u1"),
			key(sc.A, user, "", "u1"),
		} {
			err := s.View(context.Background(), func(tx switchboard.Tx) error { _, err := tx.Get(k); return err })
			wantErr(t, err, switchboard.ErrNotFound)
		}
	}},
	{"get by name finds the record and only it", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"), rec(sc.A, user, "i1", "u2", "bob"))
		view(t, s, func(tx switchboard.Tx) error {
			r, err := tx.GetByName(sc.A, user, "i1", "bob")
			if err != nil {
				return err
			}
			if r.ID != "u2" || r.Name != "bob" || r.Version != 1 || r.Scope != sc.A || r.Parent != "i1" || r.Kind != user {
				t.Errorf("GetByName(bob) = %+v", r)
			}
			for _, name := range []string{"carol", "ALICE", ""} {
				_, err := tx.GetByName(sc.A, user, "i1", name)
				wantErr(t, err, switchboard.ErrNotFound)
			}
			_, err = tx.GetByName(sc.A, user, "i2", "alice")
			wantErr(t, err, switchboard.ErrNotFound)
			_, err = tx.GetByName(sc.A, queue, "i1", "alice")
			wantErr(t, err, switchboard.ErrNotFound)
			return nil
		})
	}},
	{"duplicate id is ErrAlreadyExists", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.Insert(rec(sc.A, user, "i1", "u1", "other-name"))
		})
		wantErr(t, err, switchboard.ErrAlreadyExists)
		if got := get(t, s, key(sc.A, user, "i1", "u1")); got.Name != "alice" {
			t.Errorf("stored record changed to %q", got.Name)
		}
	}},
	{"duplicate name is ErrAlreadyExists", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, user, "i1", "u1", "alice"))
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.Insert(rec(sc.A, user, "i1", "u2", "alice"))
		})
		wantErr(t, err, switchboard.ErrAlreadyExists)
		if get(t, s, key(sc.A, user, "i1", "u2")) != nil {
			t.Error("record with the duplicate name was stored")
		}
	}},
	{"empty names never collide", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, queue, "i1", "q1", ""), rec(sc.A, queue, "i1", "q2", ""))
		if n := count(t, s, sc.A, queue, "i1"); n != 2 {
			t.Errorf("Count = %d, want 2", n)
		}
	}},
	{"same id and name in another scope, parent or kind is allowed", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s,
			rec(sc.A, user, "i1", "x", "same"),
			rec(sc.B, user, "i1", "x", "same"),
			rec(sc.C, user, "i1", "x", "same"),
			rec(sc.A, user, "i2", "x", "same"),
			rec(sc.A, queue, "i1", "x", "same"),
		)
		for _, c := range []struct {
			sc     switchboard.Scope
			kind   switchboard.Kind
			parent string
		}{{sc.A, user, "i1"}, {sc.B, user, "i1"}, {sc.C, user, "i1"}, {sc.A, user, "i2"}, {sc.A, queue, "i1"}} {
			if n := count(t, s, c.sc, c.kind, c.parent); n != 1 {
				t.Errorf("Count(%v %s %s) = %d, want 1", c.sc, c.kind, c.parent, n)
			}
		}
	}},
	{"scopes are isolated", func(t *testing.T, s switchboard.Store, sc scopes) {
		insert(t, s, rec(sc.A, inst, "", "i1", "corp"), rec(sc.A, queue, "i1", "q1", "Q"))
		for _, other := range []switchboard.Scope{sc.B, sc.C} {
			view(t, s, func(tx switchboard.Tx) error {
				_, err := tx.Get(key(other, queue, "i1", "q1"))
				wantErr(t, err, switchboard.ErrNotFound)
				_, err = tx.GetByName(other, queue, "i1", "Q")
				wantErr(t, err, switchboard.ErrNotFound)
				if rs, err := tx.List(other, queue, "i1", switchboard.ListOptions{}); err != nil || len(rs) != 0 {
					t.Errorf("List in %v = %d records, %v", other, len(rs), err)
				}
				if n, err := tx.Count(other, inst, ""); err != nil || n != 0 {
					t.Errorf("Count in %v = %d, %v", other, n, err)
				}
				return nil
			})
			err := s.Update(context.Background(), func(tx switchboard.Tx) error {
				return tx.Insert(rec(other, user, "i1", "u1", "", ref(queue, "q1")))
			})
			assertMissingRef(t, err, ref(queue, "q1"))
			err = s.Update(context.Background(), func(tx switchboard.Tx) error {
				return tx.Delete(key(other, queue, "i1", "q1"))
			})
			wantErr(t, err, switchboard.ErrNotFound)
		}
		if get(t, s, key(sc.A, queue, "i1", "q1")) == nil {
			t.Error("record vanished from its own scope")
		}
	}},
}

// checkRecord compares every field of got with want.
func checkRecord(t *testing.T, name string, got, want *switchboard.Record) {
	t.Helper()
	if got.Scope != want.Scope || got.Kind != want.Kind || got.Parent != want.Parent || got.ID != want.ID || got.Name != want.Name {
		t.Errorf("%s: identity = %v %s %q %q %q, want %v %s %q %q %q", name,
			got.Scope, got.Kind, got.Parent, got.ID, got.Name, want.Scope, want.Kind, want.Parent, want.ID, want.Name)
	}
	if !bytes.Equal(got.Data, want.Data) {
		t.Errorf("%s: Data = %q, want %q", name, got.Data, want.Data)
	}
	if !maps.Equal(got.Tags, want.Tags) {
		t.Errorf("%s: Tags = %v, want %v", name, got.Tags, want.Tags)
	}
	if !slices.Equal(got.Refs, want.Refs) {
		t.Errorf("%s: Refs = %v, want %v (in order)", name, got.Refs, want.Refs)
	}
	for _, c := range []struct {
		field     string
		got, want time.Time
	}{{"Created", got.Created, want.Created}, {"Modified", got.Modified, want.Modified}} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s: %s = %v, want %v", name, c.field, c.got, c.want)
		}
		if !c.want.IsZero() && c.got.Location() != time.UTC {
			t.Errorf("%s: %s is in %v, want UTC", name, c.field, c.got.Location())
		}
	}
	if got.Seq != want.Seq || got.Version != want.Version {
		t.Errorf("%s: Seq %d Version %d, want Seq %d Version %d", name, got.Seq, got.Version, want.Seq, want.Version)
	}
}
