package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

// indexColumns returns the columns of a named index of the database at path.
func indexColumns(t *testing.T, path, index string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", index)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(cols, ",")
}

// TestMigrateFromVersion2 writes a database with the schema of version 2
// (before 0003 widened records_list), opens it with the current schema and
// reads every record back by every path: key, name, List, ListSummaries,
// Count, the change counters and the refs.
func TestMigrateFromVersion2(t *testing.T) {
	path := t.TempDir() + "/db"
	ctx := context.Background()
	sc := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	at := time.Date(2026, 11, 29, 6, 0, 0, 123, time.UTC)

	old, err := openSchema(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	var want []*switchboard.Record
	err = old.Update(ctx, func(tx switchboard.Tx) error {
		add := func(r *switchboard.Record) error {
			r.Scope = sc
			if err := tx.Insert(r); err != nil {
				return err
			}
			want = append(want, r)
			return nil
		}
		if err := add(&switchboard.Record{Kind: switchboard.KindInstance, ID: "inst", Name: "alias", Data: []byte(`{"a":1}`), Created: at, Modified: at}); err != nil {
			return err
		}
		sp := switchboard.Ref{Kind: switchboard.KindSecurityProfile, ID: "sp"}
		rp := switchboard.Ref{Kind: switchboard.KindRoutingProfile, ID: "rp"}
		if err := add(&switchboard.Record{Kind: sp.Kind, Parent: "inst", ID: sp.ID, Name: "Agent", Data: []byte(`{}`)}); err != nil {
			return err
		}
		if err := add(&switchboard.Record{Kind: rp.Kind, Parent: "inst", ID: rp.ID, Name: "Basic", Data: []byte(`{}`)}); err != nil {
			return err
		}
		for i := range 50 {
			// The users' refs are added below, as version 2 wrote them.
			u := &switchboard.Record{Kind: switchboard.KindUser, Parent: "inst", ID: fmt.Sprintf("u%02d", i), Name: fmt.Sprintf("user.%02d", i),
				Data: []byte(fmt.Sprintf(`{"n":%d}`, i)), Created: at, Modified: at.Add(time.Duration(i) * time.Second)}
			if i%3 == 0 {
				u.Tags = map[string]string{"team": fmt.Sprint(i)}
			}
			if err := add(u); err != nil {
				return err
			}
			if err := add(&switchboard.Record{Kind: switchboard.KindQueue, Parent: "inst", ID: fmt.Sprintf("q%02d", i), Data: []byte(`{"QueueType":"AGENT"}`), Created: at, Modified: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One replace and one delete, so the counters are not just the inserts.
	err = old.Update(ctx, func(tx switchboard.Tx) error {
		u := want[3]
		u.Name, u.Modified = "renamed", at.Add(time.Hour)
		if err := tx.Replace(u); err != nil {
			return err
		}
		return tx.Delete(want[5].Key())
	})
	if err != nil {
		t.Fatal(err)
	}
	want = append(want[:5], want[6:]...)
	// Every user refers to the security and routing profiles. Today's
	// statements name refs columns that version 2 did not have, so the
	// rows are written in version 2's columns directly.
	sp := switchboard.Ref{Kind: switchboard.KindSecurityProfile, ID: "sp"}
	rp := switchboard.Ref{Kind: switchboard.KindRoutingProfile, ID: "rp"}
	encRefs, err := encodeRefs([]switchboard.Ref{sp, rp})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range want {
		if u.Kind != switchboard.KindUser {
			continue
		}
		if _, err := old.writer.raw.ExecContext(ctx, "UPDATE records SET refs = ? WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND id = ?",
			encRefs, u.Account, u.Region, u.Parent, string(u.Kind), u.ID); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []switchboard.Ref{sp, rp} {
			if _, err := old.writer.raw.ExecContext(ctx, "INSERT INTO refs (account, region, parent, from_kind, from_id, to_kind, to_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
				u.Account, u.Region, u.Parent, string(u.Kind), u.ID, string(ref.Kind), ref.ID); err != nil {
				t.Fatal(err)
			}
		}
		u.Refs = []switchboard.Ref{sp, rp}
	}
	var oldState [3]int64
	if err := old.View(ctx, func(tx switchboard.Tx) error {
		var err error
		oldState[0], oldState[1], oldState[2], err = txOf(tx).CollectionState(sc, switchboard.KindUser, "inst")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if got := indexColumns(t, path, "records_list"); got != "account,region,parent,kind,seq" {
		t.Fatalf("version 2 records_list columns = %s", got)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := indexColumns(t, path, "records_list"); got != "account,region,parent,kind,seq,id,name" {
		t.Fatalf("records_list columns after migrating = %s", got)
	}
	if got := indexColumns(t, path, "records_list_users"); got != "account,region,parent,kind,seq,id,name,modified" {
		t.Fatalf("records_list_users columns after migrating = %s", got)
	}
	err = s.View(ctx, func(tx switchboard.Tx) error {
		byKind := map[switchboard.Kind][]*switchboard.Record{}
		for _, w := range want {
			byKind[w.Kind] = append(byKind[w.Kind], w)
			got, err := tx.Get(w.Key())
			if err != nil {
				return fmt.Errorf("Get %v: %w", w.Key(), err)
			}
			if !reflect.DeepEqual(got, w) {
				return fmt.Errorf("Get %v:\n got %+v\nwant %+v", w.Key(), got, w)
			}
			if w.Name != "" {
				got, err := tx.GetByName(sc, w.Kind, w.Parent, w.Name)
				if err != nil || got.ID != w.ID {
					return fmt.Errorf("GetByName %q: %v, %v", w.Name, got, err)
				}
			}
		}
		for kind, ws := range byKind {
			parent := ws[0].Parent
			got, err := tx.List(sc, kind, parent, switchboard.ListOptions{})
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, ws) {
				return fmt.Errorf("List %s: got %d records, want %d (or they differ)", kind, len(got), len(ws))
			}
			sums, err := txOf(tx).ListSummaries(sc, kind, parent, switchboard.ListOptions{Limit: 7})
			if err != nil {
				return err
			}
			for i, sum := range sums {
				w := ws[i]
				if sum.Seq != w.Seq || sum.ID != w.ID || sum.Name != w.Name || !sum.Modified.Equal(w.Modified) {
					return fmt.Errorf("ListSummaries %s #%d = %+v, want %+v", kind, i, sum, w)
				}
			}
			if n, err := tx.Count(sc, kind, parent); err != nil || n != len(ws) {
				return fmt.Errorf("Count %s = %d, %v; want %d", kind, n, err, len(ws))
			}
		}
		n, chg, dels, err := txOf(tx).CollectionState(sc, switchboard.KindUser, "inst")
		if err != nil {
			return err
		}
		if [3]int64{n, chg, dels} != oldState {
			return fmt.Errorf("CollectionState = %d %d %d, want %v", n, chg, dels, oldState)
		}
		by, err := tx.Referrers(switchboard.Key{Scope: sc, Kind: switchboard.KindRoutingProfile, Parent: "inst", ID: "rp"}, 0)
		if err != nil {
			return err
		}
		if len(by) != 49 {
			return fmt.Errorf("routing profile has %d referrers, want 49", len(by))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The migrated refs still protect their targets.
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		return tx.Delete(switchboard.Key{Scope: sc, Kind: switchboard.KindSecurityProfile, Parent: "inst", ID: "sp"})
	})
	var inUse *switchboard.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("deleting a referenced security profile after migrating: %v", err)
	}

	// 0004 keyed refs by target and dropped refs_to, 0005 put the source's
	// Seq in the key in place of its id; a record's own refs rows go with
	// it when it is deleted or its refs change.
	if got := indexColumns(t, path, "sqlite_autoindex_refs_1"); got != "account,region,parent,to_kind,to_id,from_kind,from_seq" {
		t.Errorf("refs key after migrating = %s", got)
	}
	if got := indexColumns(t, path, "refs_to"); got != "" {
		t.Errorf("refs_to still exists: %s", got)
	}
	referrers := func(id string, kind switchboard.Kind) int {
		t.Helper()
		var n int
		if err := s.View(ctx, func(tx switchboard.Tx) error {
			by, err := tx.Referrers(switchboard.Key{Scope: sc, Kind: kind, Parent: "inst", ID: id}, 0)
			n = len(by)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		if err := tx.Delete(want[6].Key()); err != nil { // u02, a user with both refs
			return err
		}
		u, err := tx.Get(want[8].Key()) // u03
		if err != nil {
			return err
		}
		u.Refs = u.Refs[:1] // the security profile only
		return tx.Replace(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sp, rp := referrers("sp", switchboard.KindSecurityProfile), referrers("rp", switchboard.KindRoutingProfile); sp != 48 || rp != 47 {
		t.Errorf("after a delete and a replace: %d referrers of sp, %d of rp; want 48 and 47", sp, rp)
	}
}

// TestSeenRefsForgetDeletes: a ref to a record the transaction read and
// then deleted must fail, as it does without the seen set.
func TestSeenRefsForgetDeletes(t *testing.T) {
	s, ctx, sc := openFile(t, t.TempDir()+"/db"), context.Background(), testScope
	key := func(kind switchboard.Kind, parent, id string) switchboard.Key {
		return switchboard.Key{Scope: sc, Kind: kind, Parent: parent, ID: id}
	}
	if err := s.Update(ctx, func(tx switchboard.Tx) error {
		for _, r := range []*switchboard.Record{
			{Scope: sc, Kind: switchboard.KindInstance, ID: "i"},
			{Scope: sc, Kind: "t", Parent: "i", ID: "a"},
			{Scope: sc, Kind: "t", Parent: "i", ID: "b"},
		} {
			if err := tx.Insert(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		delete switchboard.Key
	}{
		{"the target itself", key("t", "i", "a")},
		{"its instance", key(switchboard.KindInstance, "", "i")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Update(ctx, func(tx switchboard.Tx) error {
				if _, err := tx.Get(key("t", "i", "a")); err != nil {
					return err
				}
				if err := tx.Delete(tc.delete); err != nil {
					return err
				}
				err := tx.Insert(&switchboard.Record{Scope: sc, Kind: "u", Parent: "i", ID: "x", Refs: []switchboard.Ref{{Kind: "t", ID: "a"}}})
				var missing *switchboard.MissingRefError
				if !errors.As(err, &missing) {
					return fmt.Errorf("insert referring to a deleted record: %v, want MissingRefError", err)
				}
				return errors.New("rollback")
			})
			if err == nil || err.Error() != "rollback" {
				t.Fatal(err)
			}
		})
	}
	// And one found by Get is not checked again but still gets its refs row.
	if err := s.Update(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.Get(key("t", "i", "b")); err != nil {
			return err
		}
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: "u", Parent: "i", ID: "y", Refs: []switchboard.Ref{{Kind: "t", ID: "b"}, {Kind: "t", ID: "a"}, {Kind: "t", ID: "b"}}})
	}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Delete(key("t", "i", id)) })
		var inUse *switchboard.InUseError
		if !errors.As(err, &inUse) {
			t.Fatalf("deleting %s: %v, want InUseError", id, err)
		}
	}
}

// txOf returns this package's transaction behind x.
func txOf(x switchboard.Tx) *tx { return x.(*tx) }
