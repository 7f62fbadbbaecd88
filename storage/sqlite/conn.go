package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	switchboard "github.com/switchboard-dev/switchboard"
)

// stmtID names one of the statements every connection prepares once, so that
// a transaction never parses SQL.
type stmtID int

const (
	stmtGet stmtID = iota
	stmtGetBySeq
	stmtGetByName
	stmtVersion
	stmtExists
	stmtInsert
	stmtUpdate
	stmtUpdateKeepName
	stmtUpdateKeepNameBySeq
	stmtDelete
	stmtDeleteBySeq
	stmtDeleteRef
	stmtInsertRef
	stmtInsertRef2
	stmtReferrers
	stmtCountReferrers
	stmtList
	stmtListUsers
	stmtCount
	stmtDeleteChildren
	stmtDeleteChildRefs
	stmtCollection
	stmtSetCollection
	stmtBumpParent
	stmtListChanged
	stmtSeqs
	stmtSeqsUsers
	stmtListSummaries
	stmtListSummariesUsers
	stmtBegin
	stmtBeginImmediate
	stmtCommit
	stmtRollback
	stmtDataVersion
	numStmts
)

// recordCols are the columns a read returns, in the order scanRecord expects.
const recordCols = "seq, id, name, data, tags, refs, created, modified, version"

// keyWhere matches one record by key, taking account, region, parent, kind, id.
const keyWhere = "account = ? AND region = ? AND parent = ? AND kind = ? AND id = ?"

var stmtSQL = [numStmts]string{
	stmtGet: "SELECT " + recordCols + " FROM records WHERE " + keyWhere,
	// stmtGetBySeq is stmtGet through a Seq remembered for the key
	// (seqhint.go): one descent of the table, whose row must still have
	// the whole key. NOT INDEXED keeps the planner on the rowid, which
	// records_key (equally unique) could otherwise displace.
	stmtGetBySeq:  "SELECT " + recordCols + " FROM records NOT INDEXED WHERE seq = ? AND " + keyWhere,
	stmtGetByName: "SELECT " + recordCols + " FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND name = ?",
	stmtVersion:   "SELECT seq, version, refs, name FROM records WHERE " + keyWhere,
	stmtExists:    "SELECT 1 FROM records WHERE " + keyWhere,
	// A written record's chg is the value its collection's counter takes
	// with that write (the last parameter; the writer keeps the counters,
	// wcache.go).
	stmtInsert: "INSERT INTO records (account, region, parent, kind, id, name, data, tags, refs, created, modified, version, chg)" +
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
	stmtUpdate: "UPDATE records SET name = ?1, data = ?2, tags = ?3, refs = ?4, created = ?5, modified = ?6, version = ?7, chg = ?13" +
		" WHERE account = ?8 AND region = ?9 AND parent = ?10 AND kind = ?11 AND id = ?12",
	// stmtUpdateKeepName is stmtUpdate (same parameters) for a Replace that
	// keeps the name: SQLite rewrites only the index entries of columns an
	// UPDATE sets, so leaving name out spares the records_name entry.
	stmtUpdateKeepName: "UPDATE records SET data = ?2, tags = ?3, refs = ?4, created = ?5, modified = ?6, version = ?7, chg = ?13" +
		" WHERE account = ?8 AND region = ?9 AND parent = ?10 AND kind = ?11 AND id = ?12 AND name = ?1",
	// stmtUpdateKeepNameBySeq is stmtUpdateKeepName finding the row by its
	// rowid, when the writer knows its Seq: one B-tree search of the table
	// instead of one of records_key and one of the table. Its parameters
	// are only what it uses (binding each costs a conversion): the columns
	// written, then the Seq and the id, which is checked on the row.
	stmtUpdateKeepNameBySeq: "UPDATE records SET data = ?, tags = ?, refs = ?, created = ?, modified = ?, version = ?, chg = ?" +
		" WHERE seq = ? AND id = ?",
	stmtDelete: "DELETE FROM records WHERE " + keyWhere,
	// stmtDeleteBySeq is stmtDelete by rowid, as stmtUpdateKeepNameBySeq:
	// the Seq, then the id.
	stmtDeleteBySeq: "DELETE FROM records WHERE seq = ? AND id = ?",
	// stmtDeleteRef deletes one refs row by its whole key: the scope and
	// parent, the target's kind and id, the source's kind and Seq
	// (0005_refs_by_source_seq.sql).
	stmtDeleteRef: "DELETE FROM refs WHERE account = ? AND region = ? AND parent = ? AND to_kind = ? AND to_id = ? AND from_kind = ? AND from_seq = ?",
	// OR IGNORE: a record may list the same target twice; one row is
	// enough to block the target's deletion.
	stmtInsertRef: "INSERT OR IGNORE INTO refs (account, region, parent, from_kind, from_seq, from_id, to_kind, to_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	// stmtInsertRef2 writes two refs of one record: the record's scope,
	// parent, kind, Seq and id, then the two targets' kind and id.
	stmtInsertRef2: "INSERT OR IGNORE INTO refs (account, region, parent, from_kind, from_seq, from_id, to_kind, to_id)" +
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8), (?1, ?2, ?3, ?4, ?5, ?6, ?9, ?10)",
	// The last two parameters exclude the record's refs to itself, which
	// must not keep it from being deleted. LIMIT -1 means no limit.
	stmtReferrers: "SELECT from_kind, from_id FROM refs WHERE account = ? AND region = ? AND parent = ? AND to_kind = ? AND to_id = ?" +
		" AND NOT (from_kind = ? AND from_id = ?) LIMIT ?",
	// stmtCountReferrers counts the refs of records of one kind to a
	// target: the key's prefix up to from_kind, less the target's refs to
	// itself (same parameters as stmtReferrers but the limit, with the
	// source kind after the target).
	stmtCountReferrers: "SELECT count(*) FROM refs WHERE account = ? AND region = ? AND parent = ? AND to_kind = ? AND to_id = ? AND from_kind = ?" +
		" AND NOT (from_kind = ? AND from_id = ?)",
	// The listings in Seq order come in two forms, for the two partial
	// indexes of 0006_list_by_kind.sql: the one for users names kind =
	// 'user' (its kind parameter is only compared with 'user', once, not
	// on every row), the other kind <> 'user' (listBy picks one).
	stmtList: "SELECT " + recordCols + " FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND kind <> 'user' AND seq > ?" +
		" ORDER BY seq LIMIT ?",
	stmtListUsers: "SELECT " + recordCols + " FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = 'user' AND ? = 'user' AND seq > ?" +
		" ORDER BY seq LIMIT ?",
	// Count reads the counter collections keeps (0002_collections.sql).
	stmtCount:      "SELECT n FROM collections WHERE account = ? AND region = ? AND parent = ? AND kind = ?",
	stmtCollection: "SELECT n, chg, dels FROM collections WHERE account = ? AND region = ? AND parent = ? AND kind = ?",
	// stmtSetCollection writes the counters of one collection.
	stmtSetCollection: "INSERT INTO collections (account, region, parent, kind, n, chg, dels) VALUES (?, ?, ?, ?, ?, ?, ?)" +
		" ON CONFLICT DO UPDATE SET n = excluded.n, chg = excluded.chg, dels = excluded.dels",
	// Deleting an instance empties every collection under it.
	stmtBumpParent:  "UPDATE collections SET n = 0, chg = chg + 1, dels = dels + 1 WHERE account = ? AND region = ? AND parent = ?",
	stmtListChanged: "SELECT " + recordCols + " FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND chg > ? ORDER BY chg",
	stmtSeqs:        "SELECT seq FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND kind <> 'user' ORDER BY seq",
	stmtSeqsUsers:   "SELECT seq FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = 'user' AND ? = 'user' ORDER BY seq",
	stmtListSummaries: "SELECT seq, id, name, modified FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = ? AND kind <> 'user' AND seq > ?" +
		" ORDER BY seq LIMIT ?",
	stmtListSummariesUsers: "SELECT seq, id, name, modified FROM records WHERE account = ? AND region = ? AND parent = ? AND kind = 'user' AND ? = 'user' AND seq > ?" +
		" ORDER BY seq LIMIT ?",
	stmtDeleteChildren:  "DELETE FROM records WHERE account = ? AND region = ? AND parent = ?",
	stmtDeleteChildRefs: "DELETE FROM refs WHERE account = ? AND region = ? AND parent = ?",
	// Transaction control is prepared too: parsing "BEGIN" and "ROLLBACK"
	// on every View cost about a third of a point read.
	stmtBegin:          "BEGIN",
	stmtBeginImmediate: "BEGIN IMMEDIATE",
	stmtCommit:         "COMMIT",
	stmtRollback:       "ROLLBACK",
	stmtDataVersion:    "PRAGMA data_version",
}

// listBy is the form of a listing statement (stmtList, stmtSeqs,
// stmtListSummaries) for kind: the statement itself, or its users' form,
// which follows it in the list of statements.
func listBy(id stmtID, kind switchboard.Kind) stmtID {
	if kind == switchboard.KindUser {
		return id + 1
	}
	return id
}

// conn is one pinned connection with its prepared statements.
type conn struct {
	raw   *sql.Conn
	stmts [numStmts]*sql.Stmt
	// rc is the records cache of a read connection (rcache.go); nil on
	// the writer.
	rc *recordCache
	// setColls[n-1] writes n collections' counters in one statement
	// (writerCache.flush), prepared on first use on the writer.
	setColls [maxSetColls]*sql.Stmt
}

// maxSetColls is the most collections one statement writes; a transaction
// that changed more writes them in several.
const maxSetColls = 8

// setCollsStmt returns the statement writing n (1..maxSetColls)
// collections' counters: stmtSetCollection with n rows of values.
func (c *conn) setCollsStmt(n int) (*sql.Stmt, error) {
	if st := c.setColls[n-1]; st != nil {
		return st, nil
	}
	q := "INSERT INTO collections (account, region, parent, kind, n, chg, dels) VALUES (?, ?, ?, ?, ?, ?, ?)" +
		strings.Repeat(", (?, ?, ?, ?, ?, ?, ?)", n-1) +
		" ON CONFLICT DO UPDATE SET n = excluded.n, chg = excluded.chg, dels = excluded.dels"
	st, err := c.raw.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	c.setColls[n-1] = st
	return st, nil
}

// prepare prepares every statement on raw. On error raw is left open for the
// caller to close. With partial set (a database a test keeps at an older
// schema version, see openSchema) a statement that names what that version
// lacks is left unprepared, and running it fails (tx.exec).
func prepare(raw *sql.Conn, partial bool) (*conn, error) {
	c := &conn{raw: raw}
	for i, q := range stmtSQL {
		st, err := raw.PrepareContext(context.Background(), q)
		if err != nil && partial {
			continue
		}
		if err != nil {
			c.closeStmts()
			return nil, err
		}
		c.stmts[i] = st
	}
	return c, nil
}

// newConn pins a fresh connection of db and prepares it.
func newConn(db *sql.DB, partial bool) (*conn, error) {
	raw, err := db.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	c, err := prepare(raw, partial)
	if err != nil {
		raw.Close()
		return nil, err
	}
	return c, nil
}

func (c *conn) closeStmts() error {
	var errs []error
	for i, st := range c.stmts {
		if st != nil {
			errs = append(errs, st.Close())
			c.stmts[i] = nil
		}
	}
	for i, st := range c.setColls {
		if st != nil {
			errs = append(errs, st.Close())
			c.setColls[i] = nil
		}
	}
	return errors.Join(errs...)
}

func (c *conn) close() error {
	return errors.Join(c.closeStmts(), c.raw.Close())
}
