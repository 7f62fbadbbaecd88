package sqlite

import (
	"context"
	"errors"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestReplaceKeepsRefsRows: a Replace that keeps a record's refs skips
// rewriting its refs rows; the targets must stay protected exactly as
// when the rows are rewritten, and a Replace that changes the refs must
// still move the protection.
func TestReplaceKeepsRefsRows(t *testing.T) {
	s, ctx, sc := openFile(t, t.TempDir()+"/db"), context.Background(), testScope
	rec := func(kind switchboard.Kind, id string, refs ...switchboard.Ref) *switchboard.Record {
		return &switchboard.Record{Scope: sc, Kind: kind, Parent: "i", ID: id, Refs: refs}
	}
	a, b := switchboard.Ref{Kind: "t", ID: "a"}, switchboard.Ref{Kind: "t", ID: "b"}
	update := func(fn func(tx switchboard.Tx) error) error { return s.Update(ctx, fn) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(update(func(tx switchboard.Tx) error {
		for _, r := range []*switchboard.Record{rec("t", "a"), rec("t", "b"), rec("u", "x", a)} {
			if err := tx.Insert(r); err != nil {
				return err
			}
		}
		return nil
	}))
	replace := func(tags map[string]string, refs ...switchboard.Ref) {
		t.Helper()
		must(update(func(tx switchboard.Tx) error {
			r, err := tx.Get(switchboard.Key{Scope: sc, Kind: "u", Parent: "i", ID: "x"})
			if err != nil {
				return err
			}
			r.Tags, r.Refs = tags, refs
			return tx.Replace(r)
		}))
	}
	inUse := func(id string) bool {
		t.Helper()
		var ref []switchboard.Ref
		must(s.View(ctx, func(tx switchboard.Tx) error {
			var err error
			ref, err = tx.Referrers(switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: id}, 0)
			return err
		}))
		return len(ref) > 0
	}
	replace(map[string]string{"k": "1"}, a) // same refs: rows kept
	if !inUse("a") || inUse("b") {
		t.Fatalf("after a replace keeping refs: a in use %v, b in use %v", inUse("a"), inUse("b"))
	}
	err := update(func(tx switchboard.Tx) error {
		return tx.Delete(switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "a"})
	})
	var iu *switchboard.InUseError
	if !errors.As(err, &iu) {
		t.Fatalf("deleting a referenced target: %v", err)
	}
	replace(nil, b) // changed refs: rows rewritten
	if inUse("a") || !inUse("b") {
		t.Fatalf("after a replace changing refs: a in use %v, b in use %v", inUse("a"), inUse("b"))
	}
	replace(nil) // no refs at all
	if inUse("a") || inUse("b") {
		t.Fatal("refs left behind after a replace dropped them")
	}
	replace(nil, b, b) // the same target twice
	replace(map[string]string{"k": "2"}, b, b)
	if !inUse("b") {
		t.Fatal("b not protected")
	}
	must(update(func(tx switchboard.Tx) error {
		return tx.Delete(switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: "a"})
	}))
	err = update(func(tx switchboard.Tx) error {
		r, err := tx.Get(switchboard.Key{Scope: sc, Kind: "u", Parent: "i", ID: "x"})
		if err != nil {
			return err
		}
		r.Refs = []switchboard.Ref{a}
		return tx.Replace(r)
	})
	var mr *switchboard.MissingRefError
	if !errors.As(err, &mr) {
		t.Fatalf("replace pointing at a deleted target: %v", err)
	}
}

// TestReplaceKeepingNameKeepsItUnique: a Replace that keeps the name takes
// stmtUpdateKeepName, which does not touch records_name; the name must
// still find the record and still be refused to another, and a rename
// after it must move the name.
func TestReplaceKeepingNameKeepsItUnique(t *testing.T) {
	s, ctx, sc := openFile(t, t.TempDir()+"/db"), context.Background(), testScope
	a := &switchboard.Record{Scope: sc, Kind: "u", Parent: "i", ID: "a", Name: "mary", Data: []byte("1")}
	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(a) }); err != nil {
		t.Fatal(err)
	}
	a.Data = []byte("2")
	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Replace(a) }); err != nil {
		t.Fatal(err)
	}
	byName := func(name string) (*switchboard.Record, error) {
		var r *switchboard.Record
		err := s.View(ctx, func(tx switchboard.Tx) error {
			var err error
			r, err = tx.GetByName(sc, "u", "i", name)
			return err
		})
		return r, err
	}
	if r, err := byName("mary"); err != nil || string(r.Data) != "2" || r.Version != 2 {
		t.Fatalf("after a Replace keeping the name: %+v, %v", r, err)
	}
	err := s.Update(ctx, func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: "u", Parent: "i", ID: "b", Name: "mary"})
	})
	if !errors.Is(err, switchboard.ErrAlreadyExists) {
		t.Fatalf("inserting a second mary: %v, want ErrAlreadyExists", err)
	}
	a.Name = "maria"
	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Replace(a) }); err != nil {
		t.Fatal(err)
	}
	if _, err := byName("mary"); !errors.Is(err, switchboard.ErrNotFound) {
		t.Fatalf("old name after the rename: %v, want ErrNotFound", err)
	}
	if r, err := byName("maria"); err != nil || r.ID != "a" || r.Version != 3 {
		t.Fatalf("new name after the rename: %+v, %v", r, err)
	}
}
