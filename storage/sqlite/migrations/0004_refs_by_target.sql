-- refs is keyed by the target instead of the source, and loses its second
-- index. The only lookups by target ("who points at X": Delete's in-use
-- check, Referrers) become a range of the primary key, and those by source
-- (a record's own refs, when it is deleted or its refs change) read the
-- record's refs column and delete exact keys. Every insert of a ref then
-- writes one B-tree instead of two (a CreateUser wrote four, for its two
-- refs). Same rows, same columns; only the order of the key changes.
CREATE TABLE refs_by_target (
	account   TEXT NOT NULL,
	region    TEXT NOT NULL,
	parent    TEXT NOT NULL,
	to_kind   TEXT NOT NULL,
	to_id     TEXT NOT NULL,
	from_kind TEXT NOT NULL,
	from_id   TEXT NOT NULL,
	PRIMARY KEY (account, region, parent, to_kind, to_id, from_kind, from_id)
) STRICT, WITHOUT ROWID;

INSERT INTO refs_by_target (account, region, parent, to_kind, to_id, from_kind, from_id)
	SELECT account, region, parent, to_kind, to_id, from_kind, from_id FROM refs;

DROP TABLE refs; -- and its index refs_to
ALTER TABLE refs_by_target RENAME TO refs;
