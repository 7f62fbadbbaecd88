package sqlite

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestPageCacheRekeyWrapped churns an in-memory table until B-tree
// balances swap page numbers through the temporary number, and checks
// that the wrapper saw those swaps and the database is intact after them.
func TestPageCacheRekeyWrapped(t *testing.T) {
	if defaultRekey == 0 {
		t.Fatal("the page cache wrapper is not installed")
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	before := tempRekeys.Load()
	r := rand.New(rand.NewPCG(1, 2))
	want := map[int]string{}
	for round := range 200 {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for range 50 {
			k := r.IntN(5000)
			if r.IntN(3) == 0 {
				delete(want, k)
				_, err = tx.Exec("DELETE FROM t WHERE k = ?", k)
			} else {
				v := fmt.Sprintf("%d-%0*d", round, 100+r.IntN(600), k)
				want[k] = v
				_, err = tx.Exec("INSERT OR REPLACE INTO t VALUES (?, ?)", k, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if tempRekeys.Load() == before {
		t.Fatal("no balance swapped page numbers; the churn does not exercise the wrapper")
	}
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
	rows, err := db.Query("SELECT k, v FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k int
		var v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		if want[k] != v {
			t.Fatalf("k %d: %q, want %q", k, v, want[k])
		}
		n++
	}
	if n != len(want) {
		t.Fatalf("%d rows, want %d", n, len(want))
	}
}
