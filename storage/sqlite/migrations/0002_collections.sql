-- collections keeps, per (scope, parent, kind), what would otherwise need a
-- scan: n, the number of records (Count, and so every quota check, becomes
-- one lookup instead of counting a million index entries), and two change
-- counters that let a process keep an in-memory projection of a collection
-- (the user search index) correct while other processes write the same
-- file: chg grows by one on every insert, replace and delete, and dels on
-- every delete. Both only ever grow.
CREATE TABLE collections (
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	parent  TEXT NOT NULL,
	kind    TEXT NOT NULL,
	n       INTEGER NOT NULL,
	chg     INTEGER NOT NULL,
	dels    INTEGER NOT NULL,
	PRIMARY KEY (account, region, parent, kind)
) STRICT, WITHOUT ROWID;

INSERT INTO collections (account, region, parent, kind, n, chg, dels)
	SELECT account, region, parent, kind, count(*), 0, 0 FROM records GROUP BY account, region, parent, kind;

-- chg of a record is its collection's chg at its last insert or replace, so
-- "what changed since counter c" is a range of records_chg. Records written
-- before this migration have 0, which every reader's full build covers.
ALTER TABLE records ADD COLUMN chg INTEGER NOT NULL DEFAULT 0;
CREATE INDEX records_chg ON records (account, region, parent, kind, chg);
