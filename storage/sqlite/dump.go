package sqlite

import (
	"strings"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// Dump and Load: the optional switchboard.Dumper and switchboard.Loader, for
// `switchboard export` and `switchboard import`. They run rarely and on
// whole stores, so their statements are prepared when used rather than
// kept on every connection.

var (
	_ switchboard.Dumper = (*tx)(nil)
	_ switchboard.Loader = (*tx)(nil)
)

// sqlLoad is stmtInsert with the version given rather than 1.
const sqlLoad = "INSERT INTO records (account, region, parent, kind, id, name, data, tags, refs, created, modified, version, chg)" +
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

// Dump calls fn with every record of the accounts o selects, in Seq order.
func (t *tx) Dump(o switchboard.DumpOptions, fn func(*switchboard.Record) error) error {
	if err := t.check(false); err != nil {
		return err
	}
	q := "SELECT account, region, parent, kind, " + recordCols + " FROM records"
	var args []any
	if len(o.Accounts) > 0 {
		q += " WHERE account IN (?" + strings.Repeat(", ?", len(o.Accounts)-1) + ")"
		for _, a := range o.Accounts {
			args = append(args, a)
		}
	}
	rows, err := t.c.raw.QueryContext(t.ctx, q+" ORDER BY seq", args...)
	if err != nil {
		return ctxErr(t.ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s switchboard.Scope
		var parent, kind string
		r, err := scanRecord(storeutil.Prefixed{Sc: rows, Pre: []any{&s.Account, &s.Region, &parent, &kind}}, s, "", "")
		if err != nil {
			return ctxErr(t.ctx, err)
		}
		r.Scope, r.Parent, r.Kind = s, parent, switchboard.Kind(kind)
		if err := fn(r); err != nil {
			return err
		}
	}
	return ctxErr(t.ctx, rows.Err())
}

// Load inserts recs as they are (switchboard.Loader): every record first,
// then, with all of them in, each one's refs checked and written. Any error
// after the first write fails the transaction (tx.fail), so that it cannot
// be committed half loaded.
func (t *tx) Load(recs []*switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := storeutil.CheckLoadVersions("sqlite", recs); err != nil {
		return err
	}
	st, err := t.c.raw.PrepareContext(t.ctx, sqlLoad)
	if err != nil {
		return ctxErr(t.ctx, err)
	}
	defer st.Close()
	seqs := make([]int64, len(recs))
	for i, r := range recs {
		tags, refs, created, modified, err := encodeFields(r)
		if err != nil {
			return t.failIfWrote(err)
		}
		cs, err := t.coll(r.Scope, r.Kind, r.Parent)
		if err != nil {
			return t.failIfWrote(err)
		}
		res, err := st.ExecContext(t.ctx, r.Account, r.Region, r.Parent, string(r.Kind), r.ID, r.Name, r.Data,
			tags, refs, created, modified, r.Version, cs.chg+1)
		if err != nil {
			if isUniqueViolation(err) {
				return t.failIfWrote(switchboard.ErrAlreadyExists)
			}
			return t.fail(err)
		}
		t.wrote = true
		if seqs[i], err = res.LastInsertId(); err != nil {
			return t.fail(err)
		}
		t.wc.changed(cs, 1, 0)
		t.wc.put(r.Key(), nil) // known to exist: checkRefs below needs no statement for it
	}
	for i, r := range recs {
		if len(r.Refs) == 0 {
			continue
		}
		if err := t.checkRefs(r); err != nil {
			return t.fail(err)
		}
		if err := t.writeRefs(r, seqs[i]); err != nil {
			return err
		}
	}
	for i, r := range recs {
		r.Seq = seqs[i]
	}
	return nil
}

// failIfWrote is err, and fails the transaction when it has written.
func (t *tx) failIfWrote(err error) error {
	if t.wrote {
		return t.fail(err)
	}
	return err
}
