-- Records are keyed (account, region, parent, kind, id): parent comes before
-- kind so that deleting an instance removes all its children with one range
-- delete on the primary key's prefix.
CREATE TABLE records (
	seq      INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: a deleted Seq is never handed out again, so List paging by AfterSeq stays valid
	account  TEXT NOT NULL,
	region   TEXT NOT NULL,
	parent   TEXT NOT NULL,
	kind     TEXT NOT NULL,
	id       TEXT NOT NULL,
	name     TEXT NOT NULL,
	data     BLOB,
	tags     TEXT,            -- JSON object, NULL when there are no tags
	refs     TEXT,            -- JSON [kind, id, kind, id, ...] in the caller's order, NULL when none
	created  INTEGER,         -- unix nanoseconds UTC, NULL for the zero time
	modified INTEGER,
	version  INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX records_key ON records (account, region, parent, kind, id);
CREATE UNIQUE INDEX records_name ON records (account, region, parent, kind, name) WHERE name <> '';
-- List and Count walk one (scope, parent, kind) in seq order.
CREATE INDEX records_list ON records (account, region, parent, kind, seq);

-- refs duplicates records.refs as rows so that "who points at X" (Delete's
-- in-use check, Referrers) is an index lookup rather than a scan.
CREATE TABLE refs (
	account   TEXT NOT NULL,
	region    TEXT NOT NULL,
	parent    TEXT NOT NULL,
	from_kind TEXT NOT NULL,
	from_id   TEXT NOT NULL,
	to_kind   TEXT NOT NULL,
	to_id     TEXT NOT NULL,
	PRIMARY KEY (account, region, parent, from_kind, from_id, to_kind, to_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX refs_to ON refs (account, region, parent, to_kind, to_id);
