package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestCountReferrers: the count agrees with Referrers filtered by kind,
// refs of a record to itself left out, across inserts, a replace that
// drops a ref and a delete.
func TestCountReferrers(t *testing.T) {
	s := openFile(t, filepath.Join(t.TempDir(), "db"))
	ctx, sc := context.Background(), testScope
	target := switchboard.Key{Scope: sc, Kind: "rp", Parent: "i", ID: "rp1"}
	rec := func(kind switchboard.Kind, id string, refs ...switchboard.Ref) *switchboard.Record {
		return &switchboard.Record{Scope: sc, Kind: kind, Parent: "i", ID: id, Data: []byte("{}"), Refs: refs}
	}
	to := switchboard.Ref{Kind: "rp", ID: "rp1"}
	check := func(stage string) {
		t.Helper()
		if err := s.View(ctx, func(tx switchboard.Tx) error {
			all, err := tx.Referrers(target, 0)
			if err != nil {
				return err
			}
			for _, kind := range []switchboard.Kind{"user", "queue", "rp"} {
				want := 0
				for _, r := range all {
					if r.Kind == kind {
						want++
					}
				}
				got, err := txOf(tx).CountReferrers(target, kind)
				if err != nil {
					return err
				}
				if got != want {
					t.Errorf("%s: CountReferrers(%s) = %d, Referrers has %d", stage, kind, got, want)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Update(ctx, func(tx switchboard.Tx) error {
		for _, r := range []*switchboard.Record{
			rec("rp", "rp1", switchboard.Ref{Kind: "rp", ID: "rp1"}), // refers to itself
			rec("user", "u1", to), rec("user", "u2", to), rec("user", "u3", to),
			rec("queue", "q1", to), rec("user", "other"),
		} {
			if err := tx.Insert(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check("after inserts")
	if err := s.Update(ctx, func(tx switchboard.Tx) error {
		u, err := tx.Get(switchboard.Key{Scope: sc, Kind: "user", Parent: "i", ID: "u2"})
		if err != nil {
			return err
		}
		u.Refs = nil
		if err := tx.Replace(u); err != nil {
			return err
		}
		return tx.Delete(switchboard.Key{Scope: sc, Kind: "user", Parent: "i", ID: "u3"})
	}); err != nil {
		t.Fatal(err)
	}
	check("after a replace and a delete")
}
