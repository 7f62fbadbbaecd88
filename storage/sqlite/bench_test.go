package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
)

func benchRecord(i int) *switchboard.Record {
	now := time.Now()
	return &switchboard.Record{
		Scope: testScope, Kind: switchboard.KindUser, Parent: "i1",
		ID: fmt.Sprintf("user-%08d", i), Name: fmt.Sprintf("name-%08d", i),
		Data:    []byte(`{"Username":"someone","IdentityInfo":{"FirstName":"Some","LastName":"One"}}`),
		Tags:    map[string]string{"team": "blue"},
		Created: now, Modified: now,
	}
}

// BenchmarkInsert measures one Update holding one Insert, commit included.
func BenchmarkInsert(b *testing.B) {
	s := openFile(b, filepath.Join(b.TempDir(), "db"))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := benchRecord(i)
		i++
		if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(r) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGet measures one View holding one Get by key.
func BenchmarkGet(b *testing.B) {
	s := openFile(b, filepath.Join(b.TempDir(), "db"))
	ctx := context.Background()
	const n = 1000
	err := s.Update(ctx, func(tx switchboard.Tx) error {
		for i := range n {
			if err := tx.Insert(benchRecord(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := benchRecord(i % n).Key()
		i++
		err := s.View(ctx, func(tx switchboard.Tx) error {
			_, err := tx.Get(k)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
