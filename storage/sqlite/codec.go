package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
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
	var tags map[string]string
	if err := json.Unmarshal([]byte(s.String), &tags); err != nil {
		return nil, fmt.Errorf("sqlite: corrupt tags: %w", err)
	}
	return tags, nil
}

// encodeRefs flattens refs to a JSON array of strings, kind then id. A flat
// array of strings is the cheapest shape for encoding/json.
func encodeRefs(refs []switchboard.Ref) (any, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	flat := make([]string, 0, 2*len(refs))
	for _, r := range refs {
		flat = append(flat, string(r.Kind), r.ID)
	}
	b, err := json.Marshal(flat)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func decodeRefs(s sql.NullString) ([]switchboard.Ref, error) {
	if !s.Valid {
		return nil, nil
	}
	var flat []string
	if err := json.Unmarshal([]byte(s.String), &flat); err != nil || len(flat)%2 != 0 {
		return nil, fmt.Errorf("sqlite: corrupt refs %q", s.String)
	}
	refs := make([]switchboard.Ref, len(flat)/2)
	for i := range refs {
		refs[i] = switchboard.Ref{Kind: switchboard.Kind(flat[2*i]), ID: flat[2*i+1]}
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
