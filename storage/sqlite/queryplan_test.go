package sqlite

import (
	"context"
	"strings"
	"testing"
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
	rows, err := s.writer.raw.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+stmtSQL[stmtListSummaries], "a", "r", "p", "user", 0, 1000)
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
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "USING COVERING INDEX records_list") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan of ListSummaries = %q, want a covering scan of records_list without a sort", got)
	}
}
