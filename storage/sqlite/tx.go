package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	switchboard "github.com/switchboard-dev/switchboard"
)

// errTxDone is returned when a Tx is used after its fn returned.
var errTxDone = errors.New("sqlite: transaction used after its function returned")

// errReadOnly is returned by a write inside View. The read connections would
// refuse anyway (query_only), but an in-memory store's View runs on the write
// connection, so the check is made here for both.
var errReadOnly = errors.New("sqlite: write in a read-only transaction")

// tx is a switchboard.Tx on one connection inside BEGIN ... COMMIT.
type tx struct {
	ctx   context.Context
	store *Store
	c     *conn
	write bool
	done  bool
	// failed is set when a write failed in a way that may have left part of
	// it applied; the transaction then refuses to commit.
	failed error
	// wrote is set once a statement may have changed the database (a
	// write that succeeded, or one that failed half way): a grouped Update
	// that fails after that has work to undo (group.go).
	wrote bool
	// wc is the writer's cache (wcache.go), set in write transactions on
	// the writer connection only.
	wc *writerCache
	// rcChecked and rcOK: whether the read connection's cache (rcache.go)
	// was checked against this transaction's snapshot, and may be used.
	rcChecked, rcOK bool
	// writeTx numbers the database transaction a write runs in (Store.
	// writeTxs): the Updates of a group share it (WriteTx).
	writeTx uint64
}

// WriteTx numbers the database transaction this write transaction runs
// in: Updates grouped into one commit (group.go) have the same number, and
// no other transaction ever has it. A caller may keep what one Update
// learnt for the next one of the same number, which sees its writes
// uncommitted; 0 for a read.
func (t *tx) WriteTx() uint64 { return t.writeTx }

// AfterCommit has fn run once the write transaction has committed, before
// the writer runs another (so a reader of what fn publishes cannot begin
// in between); not at all if it rolls back. fn must not use the store.
func (t *tx) AfterCommit(fn func()) {
	if t.write {
		t.store.afterCommit = append(t.store.afterCommit, fn)
	}
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

// fail records an unexpected error of a write so that the transaction
// cannot be committed with half an operation in it.
func (t *tx) fail(err error) error {
	err = ctxErr(t.ctx, err)
	t.wrote = true
	if t.failed == nil {
		t.failed = err
	}
	return err
}

func (t *tx) exec(id stmtID, args ...any) (sql.Result, error) {
	st := t.c.stmts[id]
	if st == nil { // only in a store kept at an older schema (prepare)
		return nil, fmt.Errorf("sqlite: %q needs a newer schema", stmtSQL[id])
	}
	return st.ExecContext(t.stmtCtx(id), args...)
}

func (t *tx) queryRow(id stmtID, args ...any) *sql.Row {
	return t.c.stmts[id].QueryRowContext(t.stmtCtx(id), args...)
}

// stmtCtx is the context a statement of the transaction runs with. A
// cancellable context costs two goroutines per statement (database/sql
// watches it for the rows, the driver to interrupt SQLite), which was a
// fifth of a DescribeUser. The statements exec and queryRow run touch a
// handful of rows by key and never wait for a lock (a write transaction
// holds it already), so there is nothing to interrupt: they run without
// cancellation once the context is checked. Only the range deletes of an
// instance's children, and the listings (which use t.ctx directly), stay
// interruptible.
func (t *tx) stmtCtx(id stmtID) context.Context {
	if id == stmtDeleteChildren || id == stmtDeleteChildRefs || t.ctx.Err() != nil {
		return t.ctx // a cancelled context fails the statement at once
	}
	return context.Background()
}

// Get returns the record with key k, or ErrNotFound.
func (t *tx) Get(k switchboard.Key) (*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if t.wc != nil {
		if r, ok := t.wc.get(k); ok {
			return r, nil
		}
	}
	rc := t.readerCache()
	if rc != nil {
		r, ok := rc.get(k)
		rc.counted(ok)
		if ok {
			return r, nil
		}
	}
	var r *switchboard.Record
	err := sql.ErrNoRows
	if seq, ok := t.store.hints.get(k); ok {
		row := t.queryRow(stmtGetBySeq, seq, k.Account, k.Region, k.Parent, string(k.Kind), k.ID)
		r, err = scanRecord(row, k.Scope, k.Kind, k.Parent)
	}
	if errors.Is(err, sql.ErrNoRows) { // no hint, or a stale one
		row := t.queryRow(stmtGet, k.Account, k.Region, k.Parent, string(k.Kind), k.ID)
		r, err = scanRecord(row, k.Scope, k.Kind, k.Parent)
		if err == nil {
			t.store.hints.put(k.Scope, k.Kind, k.Parent, k.ID, r.Seq)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, switchboard.ErrNotFound
	}
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	if t.wc != nil {
		t.wc.put(k, r)
	}
	if rc != nil {
		rc.put(k, r)
	}
	return r, nil
}

// Peek is Get without the copy, for a caller that only reads the record
// (the contact engine's routing pass reads every candidate agent's status):
// a cached record is handed out as it is, and the caller must not change
// it or anything it points to.
func (t *tx) Peek(k switchboard.Key) (*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if t.wc != nil {
		if r, _ := t.wc.lookup(k); r != nil {
			return r, nil
		}
	} else if rc := t.readerCache(); rc != nil {
		if r, _ := rc.lookup(k); r != nil {
			rc.counted(true)
			return r, nil
		}
	}
	return t.Get(k)
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
	row := t.queryRow(stmtGetByName, s.Account, s.Region, parent, string(kind), name)
	r, err := scanRecord(row, s, kind, parent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, switchboard.ErrNotFound
	}
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	if t.wc != nil {
		t.wc.put(switchboard.Key{Scope: s, Kind: kind, Parent: parent, ID: r.ID}, r)
	}
	return r, nil
}

// checkRefs returns *MissingRefError for the first ref of r whose target is
// not stored. A ref to r itself counts as present, so a record may point at
// itself from its first Insert; so does one to a record this transaction
// has already found (the writer's cache).
func (t *tx) checkRefs(r *switchboard.Record) error {
	for _, ref := range r.Refs {
		if ref.Kind == r.Kind && ref.ID == r.ID {
			continue
		}
		k := switchboard.Key{Scope: r.Scope, Kind: ref.Kind, Parent: r.Parent, ID: ref.ID}
		if t.wc != nil && t.wc.exists(k) {
			continue
		}
		var one int
		err := t.queryRow(stmtExists, r.Account, r.Region, r.Parent, string(ref.Kind), ref.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return &switchboard.MissingRefError{Ref: ref}
		}
		if err != nil {
			return ctxErr(t.ctx, err)
		}
		if t.wc != nil {
			t.wc.put(k, nil)
		}
	}
	return nil
}

// encodeFields converts the columns of r that need encoding.
func encodeFields(r *switchboard.Record) (tags, refs, created, modified any, err error) {
	if tags, err = encodeTags(r.Tags); err != nil {
		return
	}
	if refs, err = encodeRefs(r.Refs); err != nil {
		return
	}
	if created, err = encodeTime(r.Created); err != nil {
		return
	}
	modified, err = encodeTime(r.Modified)
	return
}

// writeRefs adds the refs of r, stored under seq, to the refs table, two
// rows a statement (a user has two refs: its security profile and routing
// profile).
func (t *tx) writeRefs(r *switchboard.Record, seq int64) error {
	refs := r.Refs
	for len(refs) >= 2 {
		a, b := refs[0], refs[1]
		if _, err := t.exec(stmtInsertRef2, r.Account, r.Region, r.Parent, string(r.Kind), seq, r.ID,
			string(a.Kind), a.ID, string(b.Kind), b.ID); err != nil {
			return t.fail(err)
		}
		refs = refs[2:]
	}
	for _, ref := range refs {
		if _, err := t.exec(stmtInsertRef, r.Account, r.Region, r.Parent, string(r.Kind), seq, r.ID, string(ref.Kind), ref.ID); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// deleteRefs removes the refs rows of the record with key k, stored under
// seq, whose refs are refs.
func (t *tx) deleteRefs(k switchboard.Key, seq int64, refs []switchboard.Ref) error {
	for _, ref := range refs {
		if _, err := t.exec(stmtDeleteRef, k.Account, k.Region, k.Parent, string(ref.Kind), ref.ID, string(k.Kind), seq); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// Insert stores a new record and sets its Seq and Version.
func (t *tx) Insert(r *switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	tags, refs, created, modified, err := encodeFields(r)
	if err != nil {
		return err
	}
	if err := t.checkRefs(r); err != nil {
		return err
	}
	st, err := t.coll(r.Scope, r.Kind, r.Parent)
	if err != nil {
		return err
	}
	res, err := t.exec(stmtInsert, r.Account, r.Region, r.Parent, string(r.Kind), r.ID, r.Name, r.Data, tags, refs, created, modified, st.chg+1)
	if err != nil {
		// A failed statement undoes itself, so a taken key or name leaves
		// the transaction as it was.
		if isUniqueViolation(err) {
			return switchboard.ErrAlreadyExists
		}
		return t.fail(err)
	}
	t.wrote = true
	seq, err := res.LastInsertId()
	if err != nil {
		return t.fail(err)
	}
	if err := t.writeRefs(r, seq); err != nil {
		return err
	}
	t.wc.changed(st, 1, 0)
	t.cacheWritten(r, tags, refs, created, modified, seq, 1)
	r.Seq, r.Version = seq, 1
	return nil
}

// cacheWritten gives the writer's cache the record r was just written as:
// what a Get of it would now return, decoded from the very column values
// written (tags, refs and times as encodeFields encoded them). A record
// without data is only remembered as existing, since whether an empty
// document reads back as nil or empty is the driver's to say.
func (t *tx) cacheWritten(r *switchboard.Record, tags, refs, created, modified any, seq, version int64) {
	k := r.Key()
	if len(r.Data) == 0 {
		t.wc.put(k, nil)
		return
	}
	c := &switchboard.Record{Scope: r.Scope, Kind: r.Kind, Parent: r.Parent, ID: r.ID, Name: r.Name, Data: r.Data,
		Created: decodeTime(nullInt(created)), Modified: decodeTime(nullInt(modified)), Seq: seq, Version: version}
	var err1, err2 error
	c.Tags, err1 = decodeTags(nullString(tags))
	c.Refs, err2 = decodeRefs(nullString(refs))
	if err1 != nil || err2 != nil {
		t.wc.put(k, nil)
		return
	}
	t.wc.put(k, c)
}

func nullString(v any) sql.NullString {
	s, ok := v.(string)
	return sql.NullString{String: s, Valid: ok}
}

func nullInt(v any) sql.NullInt64 {
	n, ok := v.(int64)
	return sql.NullInt64{Int64: n, Valid: ok}
}

// stored returns the seq, version, refs column and name of the stored
// record with key k, or ErrNotFound: from the writer's cache when it holds
// the record (its refs encoded again, as they were written), else read.
func (t *tx) stored(k switchboard.Key) (seq, version int64, refs sql.NullString, name string, err error) {
	if c, _ := t.wc.lookup(k); c != nil {
		enc, err := encodeRefs(c.Refs)
		return c.Seq, c.Version, nullString(enc), c.Name, err
	}
	err = t.queryRow(stmtVersion, k.Account, k.Region, k.Parent, string(k.Kind), k.ID).Scan(&seq, &version, &refs, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, refs, "", switchboard.ErrNotFound
	}
	if err != nil {
		err = ctxErr(t.ctx, err)
	}
	return seq, version, refs, name, err
}

// Replace overwrites the stored record when its Version is r.Version. Seq
// stays what Insert gave it; r.Seq is set from the store.
func (t *tx) Replace(r *switchboard.Record) error {
	if err := t.check(true); err != nil {
		return err
	}
	tags, refs, created, modified, err := encodeFields(r)
	if err != nil {
		return err
	}
	seq, version, oldRefs, oldName, err := t.stored(r.Key())
	if err != nil {
		return err
	}
	if version != r.Version {
		return switchboard.ErrConflict
	}
	// Most replaces (tags, a user's identity) keep the refs as they were.
	// Then the refs rows are already right, and their targets exist (a
	// target cannot be deleted while a ref holds it), so neither the
	// existence checks nor deleting and rewriting the rows is needed.
	newRefs, _ := refs.(string)
	sameRefs := oldRefs.Valid == (refs != nil) && oldRefs.String == newRefs
	if !sameRefs {
		if err := t.checkRefs(r); err != nil {
			return err
		}
	}
	st, err := t.coll(r.Scope, r.Kind, r.Parent)
	if err != nil {
		return err
	}
	// Writers are serialized, so the version read above is still current.
	var res sql.Result
	if r.Name == oldName {
		res, err = t.exec(stmtUpdateKeepNameBySeq, r.Data, tags, refs, created, modified, version+1, st.chg+1, seq, r.ID)
	} else {
		res, err = t.exec(stmtUpdate, r.Name, r.Data, tags, refs, created, modified, version+1,
			r.Account, r.Region, r.Parent, string(r.Kind), r.ID, st.chg+1)
	}
	if err == nil {
		err = oneRow(res)
	}
	if err != nil {
		if isUniqueViolation(err) {
			return switchboard.ErrAlreadyExists
		}
		return t.fail(err)
	}
	t.wrote = true
	t.wc.changed(st, 0, 0)
	t.cacheWritten(r, tags, refs, created, modified, seq, version+1)
	if !sameRefs {
		old, err := decodeRefs(oldRefs)
		if err != nil {
			return t.fail(err)
		}
		if err := t.deleteRefs(r.Key(), seq, old); err != nil {
			return err
		}
		if err := t.writeRefs(r, seq); err != nil {
			return err
		}
	}
	r.Seq, r.Version = seq, version+1
	return nil
}

// oneRow checks that a write by key and Seq found its row: a Seq that is
// not the record's (which the writer's cache must never hold) fails the
// transaction instead of writing nothing.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err == nil && n != 1 {
		err = fmt.Errorf("sqlite: a write by Seq changed %d rows", n)
	}
	return err
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
	// The refs table is keyed by target (0004_refs_by_target.sql): the
	// record's own refs rows are found from its refs column and its Seq
	// (0005_refs_by_source_seq.sql).
	seq, _, enc, _, err := t.stored(k)
	if err != nil {
		return err
	}
	refs, err := decodeRefs(enc)
	if err != nil {
		return err
	}
	res, err := t.exec(stmtDeleteBySeq, seq, k.ID)
	if err != nil {
		return t.fail(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.fail(err)
	}
	if n == 0 {
		return switchboard.ErrNotFound
	}
	t.wrote = true
	t.wc.forget(k)
	if err := t.deleteRefs(k, seq, refs); err != nil {
		return err
	}
	st, err := t.coll(k.Scope, k.Kind, k.Parent)
	if err != nil {
		return t.fail(err)
	}
	t.wc.changed(st, -1, 1)
	if k.Kind == switchboard.KindInstance && k.Parent == "" && t.wc.alone {
		// The counters are the writer's own (wcache.go): changed there.
		t.wc.bumpParent(k.Scope, k.ID)
		t.wc.clear() // the children's records
		if _, err := t.exec(stmtDeleteChildren, k.Account, k.Region, k.ID); err != nil {
			return t.fail(err)
		}
		if _, err := t.exec(stmtDeleteChildRefs, k.Account, k.Region, k.ID); err != nil {
			return t.fail(err)
		}
	} else if k.Kind == switchboard.KindInstance && k.Parent == "" {
		// The statements below change the counters of the instance's
		// collections in the table: it must hold every pending change
		// first, and the cache forgets the children and their counters.
		if err := t.flush(); err != nil {
			return err
		}
		t.wc.reset()
		if _, err := t.exec(stmtBumpParent, k.Account, k.Region, k.ID); err != nil {
			return t.fail(err)
		}
		if _, err := t.exec(stmtDeleteChildren, k.Account, k.Region, k.ID); err != nil {
			return t.fail(err)
		}
		if _, err := t.exec(stmtDeleteChildRefs, k.Account, k.Region, k.ID); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// List returns one page of records in Seq order.
func (t *tx) List(s switchboard.Scope, kind switchboard.Kind, parent string, o switchboard.ListOptions) ([]*switchboard.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rc := t.readerCache()
	lk := listKey{scope: s, kind: kind, parent: parent, opts: o}
	if rc != nil {
		recs, ok := rc.getList(lk)
		rc.counted(ok)
		if ok {
			return recs, nil
		}
	}
	recs, err := t.queryRecords(listBy(stmtList, kind), s, kind, parent, s.Account, s.Region, parent, string(kind), o.AfterSeq, sqlLimit(o.Limit))
	if err == nil && rc != nil {
		rc.putList(lk, recs)
	}
	return recs, err
}

// queryRecords runs a statement selecting recordCols of one collection.
func (t *tx) queryRecords(id stmtID, s switchboard.Scope, kind switchboard.Kind, parent string, args ...any) ([]*switchboard.Record, error) {
	rows, err := t.c.stmts[id].QueryContext(t.ctx, args...)
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	defer rows.Close()
	var out []*switchboard.Record
	prefix := t.store.hints.prefix(s, kind, parent) // one collection: hashed once
	for rows.Next() {
		r, err := scanRecord(rows, s, kind, parent)
		if err != nil {
			return nil, ctxErr(t.ctx, err)
		}
		out = append(out, r)
		t.store.hints.putHashed(prefix, r.ID, r.Seq)
	}
	if err := rows.Err(); err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	return out, nil
}

// Count returns how many records of that scope, kind and parent exist.
func (t *tx) Count(s switchboard.Scope, kind switchboard.Kind, parent string) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	if t.wc != nil || t.store.wc.alone {
		st, err := t.coll(s, kind, parent)
		if err != nil {
			return 0, err
		}
		return int(st.n), nil
	}
	var n int
	err := t.queryRow(stmtCount, s.Account, s.Region, parent, string(kind)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil // no record of that collection was ever written
	}
	if err != nil {
		return 0, ctxErr(t.ctx, err)
	}
	return n, nil
}

// coll returns the writer's state of a collection's counters (wcache.go),
// reading them from the table the first time.
//
// When the writer keeps the counters alone (in memory), a read-only
// transaction reads them there too: it runs on the writer's connection,
// never beside a write (Store.mu), and a collection not there has had no
// record written.
func (t *tx) coll(s switchboard.Scope, kind switchboard.Kind, parent string) (*collState, error) {
	ck := collKey{s, kind, parent}
	wc := t.wc
	if wc == nil {
		wc = &t.store.wc // alone: see above
	}
	if st := wc.colls[ck]; st != nil {
		return st, nil
	}
	if wc.alone {
		if t.wc == nil {
			return &collState{ck: ck}, nil // a read: nothing to keep
		}
		return wc.putColl(ck, 0, 0, 0), nil
	}
	n, chg, dels, err := t.collection(s, kind, parent)
	if err != nil {
		return nil, err
	}
	return wc.putColl(ck, n, chg, dels), nil
}

// flush writes the counters this transaction changed to the collections
// table.
func (t *tx) flush() error {
	if err := t.wc.flush(t.c); err != nil {
		return t.fail(err)
	}
	return nil
}

func (t *tx) collection(s switchboard.Scope, kind switchboard.Kind, parent string) (n, chg, dels int64, err error) {
	err = t.queryRow(stmtCollection, s.Account, s.Region, parent, string(kind)).Scan(&n, &chg, &dels)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, nil
	}
	if err != nil {
		return 0, 0, 0, ctxErr(t.ctx, err)
	}
	return n, chg, dels, nil
}

// Referrers returns up to limit (0: all) refs of other records that point at
// k. A record's refs to itself are left out, as they are by Delete's in-use
// check.
func (t *tx) Referrers(k switchboard.Key, limit int) ([]switchboard.Ref, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.referrers(k, limit)
}

// CountReferrers returns how many records of kind from refer to k (a
// record's refs to itself left out, as by Referrers), counted in the refs
// table's key without reading the refs. DescribeRoutingProfile counts its
// users with it: at a million users listing them took seconds and
// hundreds of MiB. An optional extension of switchboard.Tx.
func (t *tx) CountReferrers(k switchboard.Key, from switchboard.Kind) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	var n int
	err := t.c.stmts[stmtCountReferrers].QueryRowContext(t.ctx, k.Account, k.Region, k.Parent, string(k.Kind), k.ID, string(from),
		string(k.Kind), k.ID).Scan(&n)
	if err != nil {
		return 0, ctxErr(t.ctx, err)
	}
	return n, nil
}

func (t *tx) referrers(k switchboard.Key, limit int) ([]switchboard.Ref, error) {
	rows, err := t.c.stmts[stmtReferrers].QueryContext(t.ctx, k.Account, k.Region, k.Parent, string(k.Kind), k.ID,
		string(k.Kind), k.ID, sqlLimit(limit))
	if err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	defer rows.Close()
	var out []switchboard.Ref
	for rows.Next() {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, ctxErr(t.ctx, err)
		}
		out = append(out, switchboard.Ref{Kind: switchboard.Kind(kind), ID: id})
	}
	if err := rows.Err(); err != nil {
		return nil, ctxErr(t.ctx, err)
	}
	return out, nil
}

// sqlLimit maps "0 or less: no limit" to SQLite's LIMIT -1.
func sqlLimit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
