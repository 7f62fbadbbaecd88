package conformance

import (
	"fmt"
	"slices"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// listTests cover List ordering and paging, and Count.
var listTests = []test{
	{"list returns records in seq order and seqs are never reused", func(t *testing.T, s switchboard.Store, sc scopes) {
		// Ids in reverse alphabetical order, and records of other kinds and
		// parents in between, prove the order is Seq and the filter exact.
		var want []string
		var lastSeq int64
		for i := range 6 {
			id := fmt.Sprintf("q%d", 9-i)
			q := insert(t, s, rec(sc.A, queue, "i1", id, ""))[0]
			insert(t, s, rec(sc.A, user, "i1", id, ""), rec(sc.A, queue, "i2", id, ""))
			if q.Seq <= lastSeq {
				t.Fatalf("Seq %d after %d: not increasing", q.Seq, lastSeq)
			}
			lastSeq = q.Seq
			want = append(want, id)
		}
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, queue, "i1", "q4")) })
		want = slices.DeleteFunc(want, func(id string) bool { return id == "q4" })
		again := insert(t, s, rec(sc.A, queue, "i1", "q4", ""))[0]
		if again.Seq <= lastSeq {
			t.Errorf("re-inserted record got Seq %d, not above the last %d", again.Seq, lastSeq)
		}
		want = append(want, "q4")
		if got := listIDs(t, s, sc.A, queue, "i1"); !slices.Equal(got, want) {
			t.Errorf("List = %v, want %v", got, want)
		}
		view(t, s, func(tx switchboard.Tx) error {
			rs, err := tx.List(sc.A, queue, "i1", switchboard.ListOptions{})
			for _, r := range rs {
				if r.Scope != sc.A || r.Kind != queue || r.Parent != "i1" || r.Version != 1 || len(r.Data) == 0 {
					t.Errorf("List returned an incomplete record: %+v", r)
				}
			}
			return err
		})
	}},
	{"list pages with AfterSeq and Limit visit every record once", func(t *testing.T, s switchboard.Store, sc scopes) {
		const total = 23
		var want []string
		for i := range total {
			id := fmt.Sprintf("u%02d", i)
			insert(t, s, rec(sc.A, user, "i1", id, "name-"+id))
			want = append(want, id)
		}
		for _, limit := range []int{1, 5, 7, total, total + 10} {
			var got []string
			after, pages := int64(0), 0
			for {
				var page []*switchboard.Record
				view(t, s, func(tx switchboard.Tx) error {
					var err error
					page, err = tx.List(sc.A, user, "i1", switchboard.ListOptions{AfterSeq: after, Limit: limit})
					return err
				})
				if len(page) > limit {
					t.Fatalf("limit %d: page of %d", limit, len(page))
				}
				if len(page) == 0 {
					break
				}
				for _, r := range page {
					if r.Seq <= after {
						t.Fatalf("limit %d: Seq %d not after %d", limit, r.Seq, after)
					}
					got = append(got, r.ID)
					after = r.Seq
				}
				if pages++; pages > total+1 {
					t.Fatalf("limit %d: paging does not end", limit)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("limit %d: pages visited %v, want %v", limit, got, want)
			}
		}
	}},
	{"count counts one scope, kind and parent", func(t *testing.T, s switchboard.Store, sc scopes) {
		if n := count(t, s, sc.A, user, "i1"); n != 0 {
			t.Fatalf("Count of nothing = %d", n)
		}
		for i := range 4 {
			insert(t, s, rec(sc.A, user, "i1", fmt.Sprint("u", i), ""))
		}
		insert(t, s, rec(sc.A, user, "i2", "u0", ""), rec(sc.A, queue, "i1", "u0", ""), rec(sc.B, user, "i1", "u0", ""))
		if n := count(t, s, sc.A, user, "i1"); n != 4 {
			t.Errorf("Count = %d, want 4", n)
		}
		update(t, s, func(tx switchboard.Tx) error { return tx.Delete(key(sc.A, user, "i1", "u2")) })
		if n := count(t, s, sc.A, user, "i1"); n != 3 {
			t.Errorf("Count after delete = %d, want 3", n)
		}
	}},
}
