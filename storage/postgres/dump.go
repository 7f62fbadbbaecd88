package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"
	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// Dump and Load: the optional switchboard.Dumper and switchboard.Loader, for
// `switchboard export` and `switchboard import`.

var (
	_ switchboard.Dumper = (*tx)(nil)
	_ switchboard.Loader = (*tx)(nil)
)

const (
	sqlDump = "SELECT account, region, parent, kind, " + recordCols + " FROM records"
	// sqlLoad is sqlInsert with the version given rather than 1.
	sqlLoad = "INSERT INTO records (account, region, parent, kind, id, name, data, tags, refs, created, modified, version)" +
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING seq"
	// sqlLoadMissingRef returns the 1-based position of the first ref
	// (scope, parent, target kind and id) whose target does not exist.
	sqlLoadMissingRef = "SELECT t.i FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::text[], $5::bytea[])" +
		" WITH ORDINALITY AS t(account, region, parent, kind, id, i)" +
		" WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.account = t.account AND r.region = t.region AND r.parent = t.parent" +
		" AND r.kind = t.kind AND r.id = t.id) ORDER BY t.i LIMIT 1"
	// sqlLoadRefs writes every loaded record's refs in one statement.
	sqlLoadRefs = "INSERT INTO refs (account, region, parent, from_kind, from_id, to_kind, to_id)" +
		" SELECT DISTINCT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::text[], $5::bytea[], $6::text[], $7::bytea[])" +
		" ON CONFLICT DO NOTHING"
)

// loadBatch is how many inserts Load sends in one round trip.
const loadBatch = 500

// Dump calls fn with every record of the accounts o selects, in Seq order.
func (t *tx) Dump(o switchboard.DumpOptions, fn func(*switchboard.Record) error) error {
	if err := t.check(false); err != nil {
		return err
	}
	q, args := sqlDump, []any(nil)
	if len(o.Accounts) > 0 {
		accounts := make([][]byte, len(o.Accounts))
		for i, a := range o.Accounts {
			accounts[i] = []byte(a)
		}
		q, args = q+" WHERE account = ANY($1::bytea[])", []any{accounts}
	}
	rows, err := t.ptx.Query(t.ctx, q+" ORDER BY seq", args...)
	if err != nil {
		return t.fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var account, region, parent []byte
		var kind string
		r, err := scanRecord(storeutil.Prefixed{Sc: rows, Pre: []any{&account, &region, &parent, &kind}}, switchboard.Scope{}, "", "")
		if err != nil {
			return t.fail(err)
		}
		r.Scope = switchboard.Scope{Account: string(account), Region: string(region)}
		r.Parent, r.Kind = string(parent), switchboard.Kind(kind)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return t.fail(err)
	}
	return nil
}

// Load inserts recs as they are (switchboard.Loader): every record first,
// in batches, then every ref checked and written in one statement each.
// Any error after the first write fails the transaction, so that it cannot
// be committed half loaded.
func (t *tx) Load(recs []*switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := storeutil.CheckLoadVersions("postgres", recs); err != nil {
		return err
	}
	seqs := make([]int64, len(recs))
	for start := 0; start < len(recs); start += loadBatch {
		part := recs[start:min(start+loadBatch, len(recs))]
		b := &pgx.Batch{}
		for _, r := range part {
			args, err := fieldArgs(r)
			if err != nil {
				return t.fail(err)
			}
			b.Queue(sqlLoad, append(args, r.Version)...)
		}
		if err := t.sendLoad(b, seqs[start:start+len(part)]); err != nil {
			return err
		}
	}
	var refs refColumns
	for _, r := range recs {
		for _, ref := range r.Refs {
			refs.add(r, ref)
		}
	}
	if len(refs.toKind) > 0 {
		var pos int64
		err := t.queryRow(sqlLoadMissingRef, []any{refs.account, refs.region, refs.parent, refs.toKind, refs.toID}, &pos)
		if err == nil {
			return t.fail(&switchboard.MissingRefError{Ref: refs.refs[pos-1]})
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := t.exec(sqlLoadRefs, refs.account, refs.region, refs.parent, refs.fromKind, refs.fromID, refs.toKind, refs.toID); err != nil {
			return err
		}
	}
	for i, r := range recs {
		r.Seq = seqs[i]
	}
	return nil
}

// sendLoad sends one batch of sqlLoad and reads the Seqs it assigned.
func (t *tx) sendLoad(b *pgx.Batch, seqs []int64) error {
	br := t.ptx.SendBatch(t.ctx, b)
	for i := range seqs {
		err := br.QueryRow().Scan(&seqs[i])
		if errors.Is(err, pgx.ErrNoRows) {
			err = switchboard.ErrAlreadyExists
		}
		if err != nil {
			br.Close()
			return t.fail(err)
		}
	}
	if err := br.Close(); err != nil {
		return t.fail(err)
	}
	return nil
}

// refColumns are refs as the arrays sqlLoadMissingRef and sqlLoadRefs
// unnest.
type refColumns struct {
	account, region, parent, fromID, toID [][]byte
	fromKind, toKind                      []string
	refs                                  []switchboard.Ref
}

func (c *refColumns) add(r *switchboard.Record, ref switchboard.Ref) {
	c.account = append(c.account, []byte(r.Account))
	c.region = append(c.region, []byte(r.Region))
	c.parent = append(c.parent, []byte(r.Parent))
	c.fromKind = append(c.fromKind, string(r.Kind))
	c.fromID = append(c.fromID, []byte(r.ID))
	c.toKind = append(c.toKind, string(ref.Kind))
	c.toID = append(c.toID, []byte(ref.ID))
	c.refs = append(c.refs, ref)
}
