-- The schema mirrors storage/sqlite's, with two differences that keep the
-- two backends' behaviour identical:
--
-- * Strings that come from clients (account, region, parent, id, name) are
--   bytea, not text: PostgreSQL text cannot hold NUL or invalid UTF-8, which
--   a Go string (and SQLite TEXT) can, so a request carrying such an id
--   would be a ResourceNotFound on SQLite and an internal error here. Kinds
--   are constants of the program, so they stay readable text.
-- * Foreign keys make the refs table's invariants hold in the database
--   itself, as a second line behind the checks the store makes in every
--   serializable transaction.
CREATE TABLE records (
	-- An identity column draws from a sequence, which never hands a value
	-- out twice (not even after a rollback), so List paging by AfterSeq
	-- stays valid across deletes and across replicas.
	seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account  bytea  NOT NULL,
	region   bytea  NOT NULL,
	parent   bytea  NOT NULL,
	kind     text   NOT NULL,
	id       bytea  NOT NULL,
	name     bytea  NOT NULL,
	data     bytea,
	tags     text,   -- JSON object, NULL when there are no tags (text, not jsonb: jsonb refuses \u0000)
	refs     text,   -- JSON [kind, id, kind, id, ...] in the caller's order, NULL when none
	created  bigint, -- unix nanoseconds UTC, NULL for the zero time (timestamptz keeps only microseconds)
	modified bigint,
	version  bigint NOT NULL,
	-- parent comes before kind so that deleting an instance removes all its
	-- children with one range scan of this index's prefix.
	CONSTRAINT records_key UNIQUE (account, region, parent, kind, id)
);

CREATE UNIQUE INDEX records_name ON records (account, region, parent, kind, name) WHERE name <> ''::bytea;
-- List and Count walk one (scope, parent, kind) in seq order.
CREATE INDEX records_list ON records (account, region, parent, kind, seq);

-- refs duplicates records.refs as rows so that "who points at X" (Delete's
-- in-use check, Referrers) is an index lookup rather than a scan.
CREATE TABLE refs (
	account   bytea NOT NULL,
	region    bytea NOT NULL,
	parent    bytea NOT NULL,
	from_kind text  NOT NULL,
	from_id   bytea NOT NULL,
	to_kind   text  NOT NULL,
	to_id     bytea NOT NULL,
	PRIMARY KEY (account, region, parent, from_kind, from_id, to_kind, to_id),
	-- NO ACTION, not CASCADE: the store deletes a record's refs itself,
	-- before the record, so that the order of the two constraints' triggers
	-- never matters (a record may refer to itself).
	CONSTRAINT refs_from FOREIGN KEY (account, region, parent, from_kind, from_id)
		REFERENCES records (account, region, parent, kind, id),
	CONSTRAINT refs_to FOREIGN KEY (account, region, parent, to_kind, to_id)
		REFERENCES records (account, region, parent, kind, id)
);

CREATE INDEX refs_to_idx ON refs (account, region, parent, to_kind, to_id);
