package sqlite

import (
	"database/sql"

	switchboard "github.com/switchboard-dev/switchboard"
)

// ListSummaries is List without the columns a listing of summaries does not
// show: each record has its scope, kind, parent, Seq, ID, Name and Modified
// set, and no Data, Tags, Refs, Created or Version. Reading and decoding
// those (the document, two JSON columns) was most of the cost of a
// ListUsers page. It is an optional extension of switchboard.Tx: the
// service uses it when the store offers it and List otherwise.
func (t *tx) ListSummaries(s switchboard.Scope, kind switchboard.Kind, parent string, o switchboard.ListOptions) ([]switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.c.stmts[listBy(stmtListSummaries, kind)].QueryContext(t.ctx, s.Account, s.Region, parent, string(kind), o.AfterSeq, sqlLimit(o.Limit))
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	defer rows.Close()
	var out []switchboard.Record
	if o.Limit > 0 {
		out = make([]switchboard.Record, 0, min(o.Limit, 1024))
	}
	for rows.Next() {
		r := switchboard.Record{Scope: s, Kind: kind, Parent: parent}
		var modified sql.NullInt64
		if err := rows.Scan(&r.Seq, &r.ID, &r.Name, &modified); err != nil {
			return nil, ctxErr(t.ctx, err)
		}
		r.Modified = decodeTime(modified)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	t.store.hints.putAll(out)
	return out, nil
}
