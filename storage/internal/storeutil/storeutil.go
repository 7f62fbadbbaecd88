// Package storeutil holds what every SQL backend of switchboard.Store does
// the same way: the numbering of embedded migration scripts, and the flat
// form refs are stored in.
package storeutil

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
)

// Migration is one numbered script, NNNN_name.sql.
type Migration struct {
	Version int
	Name    string // the file name
	SQL     string
}

// Migrations returns the scripts in dir of fsys in order, checking that they
// are numbered 1, 2, 3... without gaps, so a misnamed file fails loudly
// instead of being skipped.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q is not named NNNN_name.sql", e.Name())
		}
		script, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(script)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %q: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// Pending returns the migrations a database at schema version current
// still needs, or an error when the database is newer than ms.
func Pending(ms []Migration, current int) ([]Migration, error) {
	if current > len(ms) {
		return nil, fmt.Errorf("database schema version %d is newer than this program's %d", current, len(ms))
	}
	return ms[current:], nil
}

// EncodeRefs flattens refs to a JSON array of strings, kind then id (a flat
// array of strings is the cheapest shape for encoding/json); ok is false
// when there are none, which backends store as NULL.
func EncodeRefs(refs []switchboard.Ref) (s string, ok bool, err error) {
	if len(refs) == 0 {
		return "", false, nil
	}
	flat := make([]string, 0, 2*len(refs))
	for _, r := range refs {
		flat = append(flat, string(r.Kind), r.ID)
	}
	b, err := json.Marshal(flat)
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

// RefsFromFlat pairs a flattened list back into refs; ok is false when the
// list has an odd length.
func RefsFromFlat(flat []string) (refs []switchboard.Ref, ok bool) {
	if len(flat)%2 != 0 {
		return nil, false
	}
	refs = make([]switchboard.Ref, len(flat)/2)
	for i := range refs {
		refs[i] = switchboard.Ref{Kind: switchboard.Kind(flat[2*i]), ID: flat[2*i+1]}
	}
	return refs, true
}

// Scanner is what a row offers a scan (sql.Row, sql.Rows, pgx.Row).
type Scanner interface{ Scan(dest ...any) error }

// Prefixed scans columns into Pre before the ones its caller asks for: a
// dump reads the scope and kind columns a record scan does not.
type Prefixed struct {
	Sc  Scanner
	Pre []any
}

// Scan scans into p.Pre, then dest.
func (p Prefixed) Scan(dest ...any) error {
	return p.Sc.Scan(append(p.Pre[:len(p.Pre):len(p.Pre)], dest...)...)
}

// CheckLoadVersions refuses records a Load cannot store as they are: each
// must have a Version of 1 or more. backend names the store in the error.
func CheckLoadVersions(backend string, recs []*switchboard.Record) error {
	for _, r := range recs {
		if r.Version < 1 {
			return fmt.Errorf("%s: load: %s %q has version %d, want 1 or more", backend, r.Kind, r.ID, r.Version)
		}
	}
	return nil
}
