package sqlite

import (
	"context"
	"strings"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// TestListSummariesIsCovered: a page of summaries must be one range scan of
// records_list that never reads the table (0003_list_covering.sql); a
// change of the statement or the index that loses that would make the
// ListUsers walk several times slower without failing anything else.
func TestListSummariesIsCovered(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := queryPlan(t, s, listBy(stmtListSummaries, switchboard.KindUser), "a", "r", "p", "user", 0, 1000)
	if !strings.Contains(got, "USING COVERING INDEX records_list_users") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan of ListSummaries = %q, want a covering scan of records_list_users without a sort", got)
	}
}

// TestListingsUseTheirKindsIndex: each form of a listing in Seq order
// (0006_list_by_kind.sql) must be a range scan of its partial index, never
// a scan of records_key with a sort.
func TestListingsUseTheirKindsIndex(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name  string
		id    stmtID
		kind  switchboard.Kind
		index string
		args  []any
	}{
		{"List", stmtList, switchboard.KindContact, "records_list", []any{0, 100}},
		{"List of users", stmtList, switchboard.KindUser, "records_list_users", []any{0, 100}},
		{"Seqs", stmtSeqs, switchboard.KindLiveContact, "records_list", nil},
		{"Seqs of users", stmtSeqs, switchboard.KindUser, "records_list_users", nil},
		{"ListSummaries", stmtListSummaries, switchboard.KindQueue, "records_list", []any{0, 100}},
	} {
		args := append([]any{"a", "r", "p", string(tc.kind)}, tc.args...)
		got := queryPlan(t, s, listBy(tc.id, tc.kind), args...)
		if !strings.Contains(got, "INDEX "+tc.index+" ") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan of %s = %q, want a range of %s without a sort", tc.name, got, tc.index)
		}
	}
}

// TestRefsStatementsUseTheKey: since 0004 the refs table is keyed by
// target and has no other index; every statement on it must still find
// its rows by a range of that key, never by scanning the table.
func TestRefsStatementsUseTheKey(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name string
		id   stmtID
		args []any
	}{
		{"Referrers", stmtReferrers, []any{"a", "r", "p", "queue", "q", "user", "u", 1}},
		{"CountReferrers", stmtCountReferrers, []any{"a", "r", "p", "queue", "q", "user", "queue", "q"}},
		{"deleting one ref", stmtDeleteRef, []any{"a", "r", "p", "queue", "q", "user", 7}},
		{"deleting an instance's refs", stmtDeleteChildRefs, []any{"a", "r", "p"}},
	} {
		got := queryPlan(t, s, tc.id, tc.args...)
		if !strings.Contains(got, "USING PRIMARY KEY") || strings.Contains(got, "SCAN refs") {
			t.Errorf("plan of %s = %q, want a search of the primary key", tc.name, got)
		}
	}
}

// TestWritesBySeqFindTheRowByRowid: a Replace or Delete whose record the
// writer knows finds the row by its Seq (the rowid), not by records_key.
func TestWritesBySeqFindTheRowByRowid(t *testing.T) {
	s, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name string
		id   stmtID
		args []any
	}{
		{"UpdateKeepNameBySeq", stmtUpdateKeepNameBySeq, []any{"d", nil, nil, 1, 2, 3, 4, 5, "u"}},
		{"DeleteBySeq", stmtDeleteBySeq, []any{5, "u"}},
	} {
		got := queryPlan(t, s, tc.id, tc.args...)
		if !strings.Contains(got, "INTEGER PRIMARY KEY (rowid=?)") {
			t.Errorf("plan of %s = %q, want a search by rowid", tc.name, got)
		}
	}
}

// queryPlan returns EXPLAIN QUERY PLAN of one prepared statement's SQL.
func queryPlan(t *testing.T, s *Store, id stmtID, args ...any) string {
	t.Helper()
	rows, err := s.writer.raw.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+stmtSQL[id], args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
