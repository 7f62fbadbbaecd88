package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestGetThroughSeqHints: a point read that reaches the database answers
// by the key whatever the hints say: a hint to another record's Seq, to a
// Seq that no row has, or to a Seq the key had before it was deleted and
// inserted again, gives the key's own record (or ErrNotFound), and the
// read leaves the right hint behind.
func TestGetThroughSeqHints(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, sc := context.Background(), testScope
	key := func(id string) switchboard.Key { return switchboard.Key{Scope: sc, Kind: "t", Parent: "i", ID: id} }
	insert := func(id, data string) int64 {
		t.Helper()
		r := &switchboard.Record{Scope: sc, Kind: "t", Parent: "i", ID: id, Data: []byte(data)}
		if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Insert(r) }); err != nil {
			t.Fatal(err)
		}
		return r.Seq
	}
	// A transaction without the writer's or the readers' caches, so that
	// every Get asks SQLite.
	raw := &tx{ctx: ctx, c: s.writer, store: s}
	get := func(id string) (string, error) {
		r, err := raw.Get(key(id))
		if err != nil {
			return "", err
		}
		return string(r.Data), nil
	}
	expect := func(stage, id, want string) {
		t.Helper()
		got, err := get(id)
		if err != nil || got != want {
			t.Fatalf("%s: Get(%s) = %q, %v; want %q", stage, id, got, err, want)
		}
	}
	expectHint := func(stage, id string, want int64) {
		t.Helper()
		if got, ok := s.hints.get(key(id)); !ok || got != want {
			t.Fatalf("%s: hint of %s = %d, %v; want %d", stage, id, got, ok, want)
		}
	}

	seqA, seqB := insert("a", "A1"), insert("b", "B")
	expect("first read", "a", "A1")
	expectHint("after the first read", "a", seqA)
	expect("through the hint", "a", "A1")

	s.hints.put(sc, "t", "i", "a", seqB)
	expect("a hint to another record", "a", "A1")
	expectHint("after a hint to another record", "a", seqA)

	s.hints.put(sc, "t", "i", "a", seqB+1000)
	expect("a hint to no row", "a", "A1")

	s.hints.put(sc, "t", "i", "z", seqA)
	if _, err := get("z"); !errors.Is(err, switchboard.ErrNotFound) {
		t.Fatalf("a hint of a missing key to another record: Get = %v, want ErrNotFound", err)
	}

	if err := s.Update(ctx, func(tx switchboard.Tx) error { return tx.Delete(key("a")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := get("a"); !errors.Is(err, switchboard.ErrNotFound) {
		t.Fatalf("deleted, hinted: Get = %v, want ErrNotFound", err)
	}
	seqA2 := insert("a", "A2")
	if seqA2 == seqA {
		t.Fatalf("the record inserted again has its old Seq %d", seqA)
	}
	s.hints.put(sc, "t", "i", "a", seqA)
	expect("a stale hint", "a", "A2")
	expectHint("after a stale hint", "a", seqA2)

	// ListSummaries leaves hints of what it listed.
	insert("c", "C")
	recs, err := raw.ListSummaries(sc, "t", "i", switchboard.ListOptions{})
	if err != nil || len(recs) != 3 {
		t.Fatalf("ListSummaries = %d records, %v; want 3", len(recs), err)
	}
	for _, r := range recs {
		expectHint("after ListSummaries", r.ID, r.Seq)
	}
}

// TestSeqHintsHoldMostOfAMillion: the table grows with what it is given
// (carrying its hints over), keeps the hints of nine in ten of 1,000,000
// records, stays within its bound, and rarely answers a key with another
// key's Seq (two keys of one set with equal tags; TestGetThroughSeqHints
// shows that such a hint costs a read and changes no answer).
func TestSeqHintsHoldMostOfAMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 hints")
	}
	h := newSeqHints()
	sc := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	const n = 1_000_000
	id := func(i int) string { return fmt.Sprintf("user-%07d", i) }
	for i := range n {
		h.put(sc, "user", "instance", id(i), int64(i+1))
	}
	if got := len(h.table.Load().slots); got != maxHintSlots {
		t.Fatalf("table of %d slots after %d hints, want %d", got, n, maxHintSlots)
	}
	held, wrong := 0, 0
	for i := range n {
		seq, ok := h.get(switchboard.Key{Scope: sc, Kind: "user", Parent: "instance", ID: id(i)})
		switch {
		case !ok:
		case seq != int64(i+1):
			wrong++
		default:
			held++
		}
	}
	t.Logf("%d of %d hints held, %d wrong", held, n, wrong)
	if wrong > n/2000 { // about 100 expected
		t.Errorf("%d hints answered another key's Seq", wrong)
	}
	if held < n*88/100 {
		t.Errorf("only %d of %d hints held", held, n)
	}
}

// TestGetBySeqUsesTheRowid: the read through a hint must be one search of
// the table by rowid, not of records_key (which would make it the very two
// descents it is there to avoid).
func TestGetBySeqUsesTheRowid(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := queryPlan(t, s, stmtGetBySeq, 1, "a", "r", "p", "user", "u")
	if !strings.Contains(got, "INTEGER PRIMARY KEY (rowid=?)") || strings.Contains(got, "records_key") {
		t.Fatalf("plan of GetBySeq = %q, want a search by rowid", got)
	}
}
