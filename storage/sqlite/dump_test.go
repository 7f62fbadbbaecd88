package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestLoadKeepsCollectionCounters: Load moves the collections table's
// counters (0002_collections.sql) as inserts do, so that a projection kept
// by change counter (ListChanged) sees the loaded records, in this process
// and another one on the same file.
func TestLoadKeepsCollectionCounters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	a, b := openFile(t, path), openFile(t, path)
	ctx := context.Background()
	sc := switchboard.Scope{Account: "a", Region: "r"}
	var chg0 int64
	err := b.View(ctx, func(btx switchboard.Tx) error {
		var err error
		_, chg0, _, err = btx.(*tx).CollectionState(sc, switchboard.KindUser, "i")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	recs := []*switchboard.Record{
		{Scope: sc, Kind: switchboard.KindUser, Parent: "i", ID: "u1", Version: 3},
		{Scope: sc, Kind: switchboard.KindUser, Parent: "i", ID: "u2", Version: 1},
	}
	if err := a.Update(ctx, func(tx switchboard.Tx) error { return tx.(switchboard.Loader).Load(recs) }); err != nil {
		t.Fatal(err)
	}
	err = b.View(ctx, func(btx switchboard.Tx) error {
		t2 := btx.(*tx)
		n, chg, dels, err := t2.CollectionState(sc, switchboard.KindUser, "i")
		if err != nil {
			return err
		}
		if n != 2 || chg != chg0+2 || dels != 0 {
			t.Errorf("CollectionState = %d %d %d, want 2 %d 0", n, chg, dels, chg0+2)
		}
		changed, err := t2.ListChanged(sc, switchboard.KindUser, "i", chg0)
		if err != nil {
			return err
		}
		if len(changed) != 2 || changed[0].ID != "u1" || changed[0].Version != 3 || changed[1].ID != "u2" {
			t.Errorf("ListChanged = %v", changed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
