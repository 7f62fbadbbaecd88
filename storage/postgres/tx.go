package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	switchboard "github.com/switchboard-dev/switchboard"
)

// errTxDone is returned when a Tx is used after its fn returned.
var errTxDone = errors.New("postgres: transaction used after its function returned")

// errReadOnly is returned by a write inside View, before the server (which
// would refuse it too, the transaction being READ ONLY) aborts the
// transaction over it.
var errReadOnly = errors.New("postgres: write in a read-only transaction")

// Every statement names the key columns in one order, so that the
// parameters are account, region, parent, kind, id (or name) throughout.
// Client-supplied strings are bytea columns (see migrations/0001_init.sql)
// and are passed as []byte.
const (
	keyWhere = "account = $1 AND region = $2 AND parent = $3 AND kind = $4 AND id = $5"
	setWhere = "account = $1 AND region = $2 AND parent = $3 AND kind = $4"

	sqlGet       = "SELECT " + recordCols + " FROM records WHERE " + keyWhere
	sqlGetByName = "SELECT " + recordCols + " FROM records WHERE " + setWhere + " AND name = $5"
	sqlVersion   = "SELECT seq, version FROM records WHERE " + keyWhere
	// sqlNameTaken looks for another record holding a name, so that Replace
	// can refuse a rename without the server raising (and so aborting the
	// transaction over) a unique violation.
	sqlNameTaken = "SELECT EXISTS (SELECT 1 FROM records WHERE " + setWhere + " AND name = $5 AND id <> $6)"
	// ON CONFLICT DO NOTHING (no target: every unique index, key and name)
	// turns a taken key or name into "no row returned" instead of an error
	// that would abort the whole transaction; the caller may carry on after
	// ErrAlreadyExists. A conflict with a row this transaction cannot see
	// (committed by another after this one began) is still an error, a
	// serialization failure, and Update retries.
	sqlInsert = "INSERT INTO records (account, region, parent, kind, id, name, data, tags, refs, created, modified, version)" +
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) ON CONFLICT DO NOTHING RETURNING seq"
	sqlUpdate = "UPDATE records SET name = $6, data = $7, tags = $8, refs = $9, created = $10, modified = $11, version = version + 1" +
		" WHERE " + keyWhere + " AND version = $12"
	sqlDelete          = "DELETE FROM records WHERE " + keyWhere
	sqlDeleteRefsFrom  = "DELETE FROM refs WHERE account = $1 AND region = $2 AND parent = $3 AND from_kind = $4 AND from_id = $5"
	sqlDeleteChildren  = "DELETE FROM records WHERE account = $1 AND region = $2 AND parent = $3"
	sqlDeleteChildRefs = "DELETE FROM refs WHERE account = $1 AND region = $2 AND parent = $3"
	// sqlInsertRefs writes all of a record's refs in one round trip.
	// DISTINCT: a record may list the same target twice; one row is enough
	// to block the target's deletion.
	sqlInsertRefs = "INSERT INTO refs (account, region, parent, from_kind, from_id, to_kind, to_id)" +
		" SELECT DISTINCT $1::bytea, $2::bytea, $3::bytea, $4::text, $5::bytea, t.kind, t.id FROM unnest($6::text[], $7::bytea[]) AS t(kind, id)" +
		" ON CONFLICT DO NOTHING"
	// sqlMissingRef returns the 1-based position of the first ref whose
	// target does not exist, checking all refs in one round trip.
	sqlMissingRef = "SELECT t.i FROM unnest($4::text[], $5::bytea[]) WITH ORDINALITY AS t(kind, id, i)" +
		" WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.account = $1 AND r.region = $2 AND r.parent = $3" +
		" AND r.kind = t.kind AND r.id = t.id) ORDER BY t.i LIMIT 1"
	// The record's refs to itself are left out: they must not keep it from
	// being deleted. LIMIT NULL means no limit.
	sqlReferrers = "SELECT from_kind, from_id FROM refs WHERE account = $1 AND region = $2 AND parent = $3 AND to_kind = $4 AND to_id = $5" +
		" AND NOT (from_kind = $4 AND from_id = $5) LIMIT $6"
	sqlList  = "SELECT " + recordCols + " FROM records WHERE " + setWhere + " AND seq > $5 ORDER BY seq LIMIT $6"
	sqlCount = "SELECT count(*) FROM records WHERE " + setWhere
)

// tx is a switchboard.Tx on one pgx transaction.
type tx struct {
	ctx   context.Context
	ptx   pgx.Tx
	write bool
	done  bool
	// failed is the first error the server (or the connection) returned.
	// PostgreSQL aborts a transaction on any error, so once it is set
	// nothing can be committed; Update retries when it was a lost race.
	failed error
}

var _ switchboard.Tx = (*tx)(nil)

func (t *tx) check(write bool) error {
	if t.done {
		return errTxDone
	}
	if write && !t.write {
		return errReadOnly
	}
	return nil
}

// fail records a statement's error, which has ended the transaction.
func (t *tx) fail(err error) error {
	err = ctxErr(t.ctx, err)
	if t.ctx.Err() == nil && t.ptx.Conn().IsClosed() {
		// Say so in the log line the error ends up in: the text alone
		// ("unexpected EOF", "terminating connection due to
		// administrator command") does not name the database.
		err = fmt.Errorf("postgres: lost the connection to the database (database unreachable?): %w", err)
	}
	if t.failed == nil {
		t.failed = err
	}
	return err
}

func (t *tx) exec(sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.ptx.Exec(t.ctx, sql, args...)
	if err != nil {
		return tag, t.fail(err)
	}
	return tag, nil
}

// queryRow runs a one-row query and scans it; pgx.ErrNoRows is returned as
// is (it does not end the transaction), any other error fails it.
func (t *tx) queryRow(sql string, args []any, dest ...any) error {
	err := t.ptx.QueryRow(t.ctx, sql, args...).Scan(dest...)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return t.fail(err)
	}
	return err
}

// keyArgs returns the parameters $1..$5 for a key.
func keyArgs(s switchboard.Scope, kind switchboard.Kind, parent, id string) []any {
	return []any{[]byte(s.Account), []byte(s.Region), []byte(parent), string(kind), []byte(id)}
}

// getOne reads one record.
func (t *tx) getOne(sql string, s switchboard.Scope, kind switchboard.Kind, parent, idOrName string) (*switchboard.Record, error) {
	r, err := scanRecord(t.ptx.QueryRow(t.ctx, sql, keyArgs(s, kind, parent, idOrName)...), s, kind, parent)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, switchboard.ErrNotFound
	}
	if err != nil {
		return nil, t.fail(err)
	}
	return r, nil
}

// Get returns the record with key k, or ErrNotFound.
func (t *tx) Get(k switchboard.Key) (*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.getOne(sqlGet, k.Scope, k.Kind, k.Parent, k.ID)
}

// GetByName returns the record whose Name is name, or ErrNotFound. The empty
// name is never unique, so it never matches.
func (t *tx) GetByName(s switchboard.Scope, kind switchboard.Kind, parent, name string) (*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, switchboard.ErrNotFound
	}
	return t.getOne(sqlGetByName, s, kind, parent, name)
}

// checkRefs returns *MissingRefError for the first ref of r whose target is
// not stored. A ref to r itself counts as present, so a record may point at
// itself from its first Insert.
func (t *tx) checkRefs(r *switchboard.Record) error {
	var check []switchboard.Ref
	for _, ref := range r.Refs {
		if ref.Kind != r.Kind || ref.ID != r.ID {
			check = append(check, ref)
		}
	}
	if len(check) == 0 {
		return nil
	}
	kinds, ids := splitRefs(check)
	var pos int64
	err := t.queryRow(sqlMissingRef, []any{[]byte(r.Account), []byte(r.Region), []byte(r.Parent), kinds, ids}, &pos)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &switchboard.MissingRefError{Ref: check[pos-1]}
}

// splitRefs returns the kinds and ids of refs as the two arrays the ref
// statements unnest.
func splitRefs(refs []switchboard.Ref) ([]string, [][]byte) {
	kinds := make([]string, len(refs))
	ids := make([][]byte, len(refs))
	for i, ref := range refs {
		kinds[i], ids[i] = string(ref.Kind), []byte(ref.ID)
	}
	return kinds, ids
}

// writeRefs adds r's refs to the refs table.
func (t *tx) writeRefs(r *switchboard.Record) error {
	if len(r.Refs) == 0 {
		return nil
	}
	kinds, ids := splitRefs(r.Refs)
	_, err := t.exec(sqlInsertRefs, append(keyArgs(r.Scope, r.Kind, r.Parent, r.ID), kinds, ids)...)
	return err
}

// fieldArgs returns r's key and then its stored fields: parameters $1..$11.
func fieldArgs(r *switchboard.Record) ([]any, error) {
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return nil, err
	}
	refs, err := encodeRefs(r.Refs)
	if err != nil {
		return nil, err
	}
	created, err := encodeTime(r.Created)
	if err != nil {
		return nil, err
	}
	modified, err := encodeTime(r.Modified)
	if err != nil {
		return nil, err
	}
	return append(keyArgs(r.Scope, r.Kind, r.Parent, r.ID), []byte(r.Name), r.Data, tags, refs, created, modified), nil
}

// Insert stores a new record and sets its Seq and Version.
func (t *tx) Insert(r *switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	args, err := fieldArgs(r)
	if err != nil {
		return err
	}
	if err := t.checkRefs(r); err != nil {
		return err
	}
	var seq int64
	err = t.queryRow(sqlInsert, args, &seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return switchboard.ErrAlreadyExists
	}
	if err != nil {
		return err
	}
	if err := t.writeRefs(r); err != nil {
		return err
	}
	r.Seq, r.Version = seq, 1
	return nil
}

// Replace overwrites the stored record when its Version is r.Version. Seq
// stays what Insert gave it; r.Seq is set from the store. Created is stored
// as given, like every other field.
func (t *tx) Replace(r *switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	args, err := fieldArgs(r)
	if err != nil {
		return err
	}
	var seq, version int64
	err = t.queryRow(sqlVersion, args[:5], &seq, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return switchboard.ErrNotFound
	}
	if err != nil {
		return err
	}
	if version != r.Version {
		return switchboard.ErrConflict
	}
	if err := t.checkRefs(r); err != nil {
		return err
	}
	if r.Name != "" {
		var taken bool
		nameArgs := append(keyArgs(r.Scope, r.Kind, r.Parent, r.Name), []byte(r.ID))
		if err := t.queryRow(sqlNameTaken, nameArgs, &taken); err != nil {
			return err
		}
		if taken {
			return switchboard.ErrAlreadyExists
		}
	}
	// SERIALIZABLE makes a concurrent change of this row since the read
	// above fail the transaction, so the version guard is belt and braces.
	tag, err := t.exec(sqlUpdate, append(args, version)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return switchboard.ErrConflict
	}
	if _, err := t.exec(sqlDeleteRefsFrom, args[:5]...); err != nil {
		return err
	}
	if err := t.writeRefs(r); err != nil {
		return err
	}
	r.Seq, r.Version = seq, version+1
	return nil
}

// Delete removes the record with key k and its refs; deleting an instance
// also removes every record (and ref) whose Parent is that instance.
func (t *tx) Delete(k switchboard.Key) error {
	if err := t.check(true); err != nil {
		return err
	}
	by, err := t.referrers(k, 1)
	if err != nil {
		return err
	}
	if len(by) > 0 {
		return &switchboard.InUseError{By: by[0]}
	}
	args := keyArgs(k.Scope, k.Kind, k.Parent, k.ID)
	// The record's own refs go first: the refs_from foreign key would
	// refuse to delete the record while they exist.
	if _, err := t.exec(sqlDeleteRefsFrom, args...); err != nil {
		return err
	}
	tag, err := t.exec(sqlDelete, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return switchboard.ErrNotFound
	}
	if k.Kind == switchboard.KindInstance && k.Parent == "" {
		// Children's refs before the children, for the same reason.
		childArgs := []any{[]byte(k.Account), []byte(k.Region), []byte(k.ID)}
		if _, err := t.exec(sqlDeleteChildRefs, childArgs...); err != nil {
			return err
		}
		if _, err := t.exec(sqlDeleteChildren, childArgs...); err != nil {
			return err
		}
	}
	return nil
}

// List returns one page of records in Seq order.
func (t *tx) List(s switchboard.Scope, kind switchboard.Kind, parent string, o switchboard.ListOptions) ([]*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	args := append(keyArgs(s, kind, parent, "")[:4], o.AfterSeq, sqlLimit(o.Limit))
	rows, err := t.ptx.Query(t.ctx, sqlList, args...)
	if err != nil {
		return nil, t.fail(err)
	}
	defer rows.Close()
	var out []*switchboard.Record
	for rows.Next() {
		r, err := scanRecord(rows, s, kind, parent)
		if err != nil {
			return nil, t.fail(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(err)
	}
	return out, nil
}

// Count returns how many records of that scope, kind and parent exist.
func (t *tx) Count(s switchboard.Scope, kind switchboard.Kind, parent string) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	var n int
	if err := t.queryRow(sqlCount, keyArgs(s, kind, parent, "")[:4], &n); err != nil {
		return 0, err
	}
	return n, nil
}

// Referrers returns up to limit (0 or less: all) refs of other records that
// point at k. A record's refs to itself are left out, as they are by
// Delete's in-use check.
func (t *tx) Referrers(k switchboard.Key, limit int) ([]switchboard.Ref, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.referrers(k, limit)
}

func (t *tx) referrers(k switchboard.Key, limit int) ([]switchboard.Ref, error) {
	args := append(keyArgs(k.Scope, k.Kind, k.Parent, k.ID), sqlLimit(limit))
	rows, err := t.ptx.Query(t.ctx, sqlReferrers, args...)
	if err != nil {
		return nil, t.fail(err)
	}
	defer rows.Close()
	var out []switchboard.Ref
	for rows.Next() {
		var kind string
		var id []byte
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, t.fail(err)
		}
		out = append(out, switchboard.Ref{Kind: switchboard.Kind(kind), ID: string(id)})
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(err)
	}
	return out, nil
}

// sqlLimit maps "0 or less: no limit" to LIMIT NULL.
func sqlLimit(n int) *int64 {
	if n <= 0 {
		return nil
	}
	l := int64(n)
	return &l
}
