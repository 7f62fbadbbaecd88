// Package dump writes a store's records as one versioned JSON Lines stream
// and loads such a stream into a store: `switchboard export` and
// `switchboard import` (docs/EXPORT.md). It knows records only, never the
// wire or the service's documents, so it works with any backend whose
// transactions are switchboard.Dumper and switchboard.Loader.
package dump

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	switchboard "github.com/switchboard-dev/switchboard"
)

// The stream is JSON Lines: a header, one line per record in Seq order, and
// an end line with the number of records, so that a truncated file is told
// from a complete one.
const (
	// Format is the header's "format".
	Format = "switchboard-export"
	// Version is the format version written, and the newest one read.
	Version = 1
)

// Header is the first line.
type Header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Account and Instance are the filter the export was made with.
	Account  string `json:"account,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// line is a record line, or the end line (End set).
type line struct {
	Account  string            `json:"account,omitempty"`
	Region   string            `json:"region,omitempty"`
	Kind     string            `json:"kind,omitempty"`
	Parent   string            `json:"parent,omitempty"`
	ID       string            `json:"id,omitempty"`
	Name     string            `json:"name,omitempty"`
	Version  int64             `json:"version,omitempty"`
	Created  string            `json:"created,omitempty"`
	Modified string            `json:"modified,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
	Refs     []lineRef         `json:"refs,omitempty"`
	// Data is the record's data as JSON when it is a compact JSON object
	// or array (what the service stores), so that it reads back byte for
	// byte; DataBase64 holds any other data.
	Data       json.RawMessage `json:"data,omitempty"`
	DataBase64 []byte          `json:"data_base64,omitempty"`

	End     bool `json:"end,omitempty"`
	Records *int `json:"records,omitempty"`
}

type lineRef struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// timeLayout keeps every nanosecond; times are written in UTC.
const timeLayout = time.RFC3339Nano

// toLine converts a record. Strings that are not UTF-8 cannot be written
// in JSON as they are, so such a record is refused rather than changed.
func toLine(r *switchboard.Record) (*line, error) {
	l := &line{Account: r.Account, Region: r.Region, Kind: string(r.Kind), Parent: r.Parent, ID: r.ID, Name: r.Name,
		Version: r.Version, Tags: r.Tags}
	strs := []string{r.Account, r.Region, string(r.Kind), r.Parent, r.ID, r.Name}
	for k, v := range r.Tags {
		strs = append(strs, k, v)
	}
	for _, ref := range r.Refs {
		l.Refs = append(l.Refs, lineRef{Kind: string(ref.Kind), ID: ref.ID})
		strs = append(strs, string(ref.Kind), ref.ID)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("%s %q (account %q): a field is not valid UTF-8, which the export format cannot carry", r.Kind, r.ID, r.Account)
		}
	}
	if len(l.Tags) == 0 {
		l.Tags = nil
	}
	if !r.Created.IsZero() {
		l.Created = r.Created.UTC().Format(timeLayout)
	}
	if !r.Modified.IsZero() {
		l.Modified = r.Modified.UTC().Format(timeLayout)
	}
	switch {
	case len(r.Data) == 0:
		// No data: nil and empty are the same to every backend.
	case verbatimJSON(r.Data):
		l.Data = json.RawMessage(r.Data)
	default:
		l.DataBase64 = r.Data
	}
	return l, nil
}

// verbatimJSON says whether data can be written as JSON and read back byte
// for byte: a JSON object or array, valid UTF-8, already compact (the
// encoder compacts what it embeds).
func verbatimJSON(data []byte) bool {
	if data[0] != '{' && data[0] != '[' || !utf8.Valid(data) || !json.Valid(data) {
		return false
	}
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		return false
	}
	return bytes.Equal(b.Bytes(), data)
}

// record converts a record line back, checking what a store needs.
func (l *line) record() (*switchboard.Record, error) {
	switch {
	case l.Account == "" || l.Region == "":
		return nil, errors.New("a record needs an account and a region")
	case l.Kind == "":
		return nil, errors.New("a record needs a kind")
	case l.ID == "":
		return nil, errors.New("a record needs an id")
	case l.Version < 1:
		return nil, fmt.Errorf("version %d: want 1 or more", l.Version)
	case l.Data != nil && l.DataBase64 != nil:
		return nil, errors.New("a record has data or data_base64, not both")
	}
	r := &switchboard.Record{Scope: switchboard.Scope{Account: l.Account, Region: l.Region}, Kind: switchboard.Kind(l.Kind),
		Parent: l.Parent, ID: l.ID, Name: l.Name, Tags: l.Tags, Version: l.Version}
	var err error
	if r.Created, err = parseTime("created", l.Created); err != nil {
		return nil, err
	}
	if r.Modified, err = parseTime("modified", l.Modified); err != nil {
		return nil, err
	}
	for _, ref := range l.Refs {
		if ref.Kind == "" || ref.ID == "" {
			return nil, errors.New("a ref needs a kind and an id")
		}
		r.Refs = append(r.Refs, switchboard.Ref{Kind: switchboard.Kind(ref.Kind), ID: ref.ID})
	}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	switch {
	case len(l.Data) > 0:
		if l.Data[0] != '{' && l.Data[0] != '[' {
			return nil, errors.New("data must be a JSON object or array (other data is in data_base64)")
		}
		r.Data = []byte(l.Data)
	case len(l.DataBase64) > 0:
		r.Data = l.DataBase64
	}
	return r, nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t.UTC(), nil
}

// LineError is a problem with one line of an export file.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }
