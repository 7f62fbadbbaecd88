-- records_list becomes a covering index for listings of summaries: the
-- columns a ListUsers page shows (id, name, modified) are in the index
-- entry, so a page is one range scan of the index instead of a rowid
-- lookup and a table leaf read (with the whole document) per row. The old
-- index is a prefix of the new one, so every query that used it can use
-- this one, and an insert still touches the same number of B-trees. The
-- rows are untouched; the index is built from them.
DROP INDEX records_list;
CREATE INDEX records_list ON records (account, region, parent, kind, seq, id, name, modified);
