package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	switchboard "github.com/switchboard-dev/switchboard"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// SQLSTATE codes the store acts on (PostgreSQL appendix A).
const (
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
)

// lostRaceError says an Update attempt lost a race with a concurrent
// transaction and should run again.
type lostRaceError struct{ err error }

func (e *lostRaceError) Error() string { return "postgres: transaction lost a race: " + e.err.Error() }
func (e *lostRaceError) Unwrap() error { return e.err }

// final is the error Update returns when the last attempt also lost. A
// unique violation still means "already exists" to the caller.
func (e *lostRaceError) final() error {
	if pgCode(e.err) == codeUniqueViolation {
		return fmt.Errorf("%w: %w", switchboard.ErrAlreadyExists, e.err)
	}
	return fmt.Errorf("postgres: transaction lost a race %d times in a row: %w", maxAttempts, e.err)
}

// asLostRace returns a *lostRaceError when err means the transaction lost a
// race, and nil otherwise.
//
// Serialization failures and deadlocks are the server's own verdict. Unique
// and foreign key violations are races too, here: the store checks names,
// keys and references before it writes (or writes with ON CONFLICT DO
// NOTHING), so the server raises them only for a row committed by another
// transaction after this one's snapshot was taken. Run again, the checks see
// that row and return ErrAlreadyExists or *MissingRefError cleanly — which a
// transaction the server has already aborted could not do.
func asLostRace(err error) *lostRaceError {
	switch pgCode(err) {
	case codeSerializationFailure, codeDeadlockDetected, codeUniqueViolation, codeForeignKeyViolation:
		return &lostRaceError{err: err}
	}
	return nil
}

// pgCode returns err's SQLSTATE, or "" when err does not come from the
// server.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// Times are stored as unix nanoseconds: full precision (timestamptz keeps
// microseconds) and the same encoding as the SQLite backend, at the cost of
// the range an int64 of nanoseconds can hold.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// encodeTime returns NULL for the zero time, so it reads back as zero.
func encodeTime(t time.Time) (*int64, error) {
	if t.IsZero() {
		return nil, nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return nil, fmt.Errorf("postgres: time %v is outside the storable range (years 1678-2262)", t)
	}
	n := t.UnixNano()
	return &n, nil
}

func decodeTime(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

// encodeTags returns NULL for no tags, so that nil and empty maps both read
// back as nil.
func encodeTags(tags map[string]string) (*string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func decodeTags(s *string) (map[string]string, error) {
	if s == nil {
		return nil, nil
	}
	var tags map[string]string
	if err := json.Unmarshal([]byte(*s), &tags); err != nil {
		return nil, fmt.Errorf("postgres: corrupt tags: %w", err)
	}
	return tags, nil
}

// encodeRefs is storeutil.EncodeRefs as a column value (nil: NULL).
func encodeRefs(refs []switchboard.Ref) (*string, error) {
	s, ok, err := storeutil.EncodeRefs(refs)
	if !ok || err != nil {
		return nil, err
	}
	return &s, nil
}

func decodeRefs(s *string) ([]switchboard.Ref, error) {
	if s == nil {
		return nil, nil
	}
	var flat []string
	err := json.Unmarshal([]byte(*s), &flat)
	refs, ok := storeutil.RefsFromFlat(flat)
	if err != nil || !ok {
		return nil, fmt.Errorf("postgres: corrupt refs %q", *s)
	}
	return refs, nil
}

// scanner is pgx.Row or pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

// recordCols are the columns a read returns, in the order scanRecord expects.
const recordCols = "seq, id, name, data, tags, refs, created, modified, version"

// scanRecord reads recordCols into a record whose scope, parent and kind the
// caller already knows.
func scanRecord(sc scanner, s switchboard.Scope, kind switchboard.Kind, parent string) (*switchboard.Record, error) {
	r := &switchboard.Record{Scope: s, Kind: kind, Parent: parent}
	var id, name []byte
	var tags, refs *string
	var created, modified *int64
	if err := sc.Scan(&r.Seq, &id, &name, &r.Data, &tags, &refs, &created, &modified, &r.Version); err != nil {
		return nil, err
	}
	r.ID, r.Name = string(id), string(name)
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
