-- records_list held every record's modified time so that a ListUsers page
-- is one covering range scan (0003). But every rewrite of a record changes
-- its modified time, so every Replace of any kind rewrote its records_list
-- entry, and the contact engine rewrites contacts, their live records,
-- agents' statuses and queue waits several times a contact. Users keep the
-- covering index, as a partial index of their own; every other kind's
-- index leaves modified out, so a Replace (which keeps seq, id and name)
-- does not touch it. A statement uses a partial index only when its WHERE
-- clause names the index's condition, so each listing statement comes in
-- a user and a non-user form (conn.go).
DROP INDEX records_list;
CREATE INDEX records_list ON records (account, region, parent, kind, seq, id, name) WHERE kind <> 'user';
CREATE INDEX records_list_users ON records (account, region, parent, kind, seq, id, name, modified) WHERE kind = 'user';
