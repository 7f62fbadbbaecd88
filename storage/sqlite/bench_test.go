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

// BenchmarkListSummaries measures one page of 1000 summaries out of 20,000
// records (the ListUsers walk's store side).
func BenchmarkListSummaries(b *testing.B) {
	s := openFile(b, filepath.Join(b.TempDir(), "db"))
	ctx := context.Background()
	const n = 20000
	if err := s.Update(ctx, func(tx switchboard.Tx) error {
		for i := range n {
			if err := tx.Insert(benchRecord(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var after int64
	for b.Loop() {
		err := s.View(ctx, func(tx switchboard.Tx) error {
			page, err := txOf(tx).ListSummaries(testScope, switchboard.KindUser, "i1", switchboard.ListOptions{AfterSeq: after, Limit: 1000})
			if err != nil {
				return err
			}
			if len(page) != 1000 {
				return fmt.Errorf("page of %d", len(page))
			}
			after = page[len(page)-1].Seq % (n - 1000)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplace measures one Update holding one Replace of a record
// among 10,000 in its collection (the contact engine rewrites contacts,
// live records and agents' statuses so), in memory, commit included.
func BenchmarkReplace(b *testing.B) { benchReplace(b, nil) }

// BenchmarkReplaceLongKeys is BenchmarkReplace with the key lengths of
// the engine's records (a twelve-digit account, UUIDs).
func BenchmarkReplaceLongKeys(b *testing.B) {
	benchReplace(b, func(i int, r *switchboard.Record) {
		r.Scope = switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
		r.Parent, r.Kind = "10eb6c97-c8c5-4cfd-a505-4069d06ca638", "live-contact"
		r.ID = fmt.Sprintf("af4f7075-2b09-4c34-91f0-%012d", i)
	})
}

// benchReplace stores 10,000 records (made by benchRecord, then set by
// shape when not nil) and replaces them in turn.
func benchReplace(b *testing.B, shape func(i int, r *switchboard.Record)) {
	s, err := OpenMemory()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	const n = 10000
	recs := make([]*switchboard.Record, n)
	err = s.Update(ctx, func(tx switchboard.Tx) error {
		for i := range n {
			recs[i] = benchRecord(i)
			recs[i].Name, recs[i].Tags = "", nil
			recs[i].Data = make([]byte, 600)
			if shape != nil {
				shape(i, recs[i])
			}
			if err := tx.Insert(recs[i]); err != nil {
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
		r := recs[(i*7919)%n]
		i++
		r.Modified = r.Modified.Add(time.Second)
		if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Replace(r) }); err != nil {
			b.Fatal(err)
		}
	}
}
