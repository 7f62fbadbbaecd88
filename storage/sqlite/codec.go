package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	switchboard "github.com/switchboard-dev/switchboard"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// isUniqueViolation reports whether err is SQLite refusing a row because a
// unique index (the key or the name) already holds it. The driver enables
// extended result codes, so the code says which constraint failed.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// Times are stored as unix nanoseconds, which keeps full precision and sorts
// as numbers; the cost is the range int64 nanoseconds can hold.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// encodeTime returns NULL for the zero time, so it reads back as zero.
func encodeTime(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return nil, fmt.Errorf("sqlite: time %v is outside the storable range (years 1678-2262)", t)
	}
	return t.UnixNano(), nil
}

func decodeTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// encodeTags returns NULL for no tags, so that nil and empty maps both read
// back as nil.
func encodeTags(tags map[string]string) (any, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func decodeTags(s sql.NullString) (map[string]string, error) {
	if !s.Valid {
		return nil, nil
	}
	if tags, ok := parseFlatTags(s.String); ok {
		return tags, nil
	}
	var tags map[string]string
	if err := json.Unmarshal([]byte(s.String), &tags); err != nil {
		return nil, fmt.Errorf("sqlite: corrupt tags: %w", err)
	}
	return tags, nil
}

// encodeRefs is storeutil.EncodeRefs as a column value (nil: NULL).
func encodeRefs(refs []switchboard.Ref) (any, error) {
	s, ok, err := storeutil.EncodeRefs(refs)
	if !ok || err != nil {
		return nil, err
	}
	return s, nil
}

func decodeRefs(s sql.NullString) ([]switchboard.Ref, error) {
	if !s.Valid {
		return nil, nil
	}
	flat, ok := parseFlatStrings(s.String)
	var err error
	if !ok {
		err = json.Unmarshal([]byte(s.String), &flat)
	}
	refs, ok := storeutil.RefsFromFlat(flat)
	if err != nil || !ok {
		return nil, fmt.Errorf("sqlite: corrupt refs %q", s.String)
	}
	return refs, nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanRecord reads recordCols into a record whose scope, parent and kind the
// caller already knows.
func scanRecord(sc scanner, s switchboard.Scope, kind switchboard.Kind, parent string) (*switchboard.Record, error) {
	r := &switchboard.Record{Scope: s, Kind: kind, Parent: parent}
	var tags, refs sql.NullString
	var created, modified sql.NullInt64
	if err := sc.Scan(&r.Seq, &r.ID, &r.Name, &r.Data, &tags, &refs, &created, &modified, &r.Version); err != nil {
		return nil, err
	}
	var err error
	if r.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	if r.Refs, err = decodeRefs(refs); err != nil {
		return nil, err
	}
	r.Created = decodeTime(created)
	r.Modified = decodeTime(modified)
	return r, nil
}

// The tags and refs columns are written by encoding/json, and nearly always
// hold only plain strings: no escapes, so every string is the bytes between
// two quotes. parseFlatStrings and parseFlatTags read exactly that form
// (what encoding/json would decode it to, without its reflection) and
// report false for anything else, which is then left to encoding/json.

// parseFlatStrings parses ["a","b",...] without escapes or spaces.
func parseFlatStrings(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return nil, false
	}
	body := s[1 : len(s)-1]
	out := make([]string, 0, 4)
	for len(body) > 0 {
		v, rest, ok := cutQuoted(body)
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if rest == "" {
			break
		}
		if rest[0] != ',' {
			return nil, false
		}
		body = rest[1:]
		if body == "" {
			return nil, false // trailing comma
		}
	}
	return out, true
}

// parseFlatTags parses {"k":"v",...} without escapes or spaces, the form
// json.Marshal gives a map[string]string.
func parseFlatTags(s string) (map[string]string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return nil, false
	}
	body := s[1 : len(s)-1]
	out := make(map[string]string, 4)
	for len(body) > 0 {
		k, rest, ok := cutQuoted(body)
		if !ok || rest == "" || rest[0] != ':' {
			return nil, false
		}
		v, rest, ok := cutQuoted(rest[1:])
		if !ok {
			return nil, false
		}
		out[k] = v
		if rest == "" {
			break
		}
		if rest[0] != ',' {
			return nil, false
		}
		body = rest[1:]
		if body == "" {
			return nil, false
		}
	}
	return out, true
}

// cutQuoted reads one "..." string (no escapes, no control characters) at
// the start of s.
func cutQuoted(s string) (v, rest string, ok bool) {
	if len(s) < 2 || s[0] != '"' {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", "", false
	}
	v = s[1 : 1+end]
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 {
			return "", "", false
		}
	}
	return v, s[2+end:], true
}
