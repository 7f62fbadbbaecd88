// Package conformance is the one test suite every switchboard.Store backend
// must pass, so that the service layer can rely on the same behaviour from
// SQLite and PostgreSQL alike.
//
// A backend's test calls Run with a constructor:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, func(t *testing.T) switchboard.Store {
//			s, err := sqlite.OpenMemory()
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// Run runs every conformance test against stores made by newStore. newStore
// is called once per test and must close what it opens (t.Cleanup). It may
// hand out a fresh store each time or one shared, already used store: every
// test works only in scopes (accounts) of its own, made unique per Run, so
// leftovers of earlier runs in a persistent database do not matter.
func Run(t *testing.T, newStore func(t *testing.T) switchboard.Store) {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	e := &env{run: hex.EncodeToString(b[:])}
	groups := [][]test{basicTests, replaceTests, refTests, listTests, txTests, concurrencyTests, dumpTests}
	for _, g := range groups {
		for _, tc := range g {
			t.Run(tc.name, func(t *testing.T) {
				tc.fn(t, newStore(t), e.scopes())
			})
		}
	}
}

// test is one named behaviour.
type test struct {
	name string
	fn   func(t *testing.T, s switchboard.Store, sc scopes)
}

// env hands out scopes unique to one Run.
type env struct {
	run string
	n   atomic.Int64
}

// scopes are the scopes one test may use: A is the main one; B is another
// account in the same region and C the same account in another region.
type scopes struct{ A, B, C switchboard.Scope }

func (e *env) scopes() scopes {
	n := e.n.Add(1)
	a := fmt.Sprintf("%s%04d", e.run, n)
	return scopes{
		A: switchboard.Scope{Account: a + "a", Region: "us-east-1"},
		B: switchboard.Scope{Account: a + "b", Region: "us-east-1"},
		C: switchboard.Scope{Account: a + "a", Region: "eu-west-2"},
	}
}

// rec builds a record; refs are kind/id pairs.
func rec(s switchboard.Scope, kind switchboard.Kind, parent, id, name string, refs ...switchboard.Ref) *switchboard.Record {
	return &switchboard.Record{Scope: s, Kind: kind, Parent: parent, ID: id, Name: name, Data: []byte(`{"id":"` + id + `"}`), Refs: refs}
}

func ref(kind switchboard.Kind, id string) switchboard.Ref {
	return switchboard.Ref{Kind: kind, ID: id}
}

func key(s switchboard.Scope, kind switchboard.Kind, parent, id string) switchboard.Key {
	return switchboard.Key{Scope: s, Kind: kind, Parent: parent, ID: id}
}

// update runs fn in an Update that must succeed.
func update(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a View that must succeed.
func view(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// insert stores records, each in its own transaction, and returns them with
// Seq and Version set.
func insert(t *testing.T, s switchboard.Store, rs ...*switchboard.Record) []*switchboard.Record {
	t.Helper()
	for _, r := range rs {
		update(t, s, func(tx switchboard.Tx) error { return tx.Insert(r) })
	}
	return rs
}

// get reads one record in a View; a missing record returns nil.
func get(t *testing.T, s switchboard.Store, k switchboard.Key) *switchboard.Record {
	t.Helper()
	var r *switchboard.Record
	err := s.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		r, err = tx.Get(k)
		return err
	})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatalf("Get %v: %v", k, err)
	}
	return r
}

// count reads Count in a View.
func count(t *testing.T, s switchboard.Store, sc switchboard.Scope, kind switchboard.Kind, parent string) int {
	t.Helper()
	var n int
	view(t, s, func(tx switchboard.Tx) error {
		var err error
		n, err = tx.Count(sc, kind, parent)
		return err
	})
	return n
}

// list reads a whole List in a View and returns the ids.
func listIDs(t *testing.T, s switchboard.Store, sc switchboard.Scope, kind switchboard.Kind, parent string) []string {
	t.Helper()
	var ids []string
	view(t, s, func(tx switchboard.Tx) error {
		rs, err := tx.List(sc, kind, parent, switchboard.ListOptions{})
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		return err
	})
	return ids
}

// wantErr fails unless err is target (errors.Is).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
