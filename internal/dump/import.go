package dump

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	switchboard "github.com/switchboard-dev/switchboard"
)

// File is a parsed export: its header and its records, in file order.
type File struct {
	Header  Header
	Records []*switchboard.Record
	// lines[i] is the line of Records[i], for errors.
	lines []int
}

// maxLine bounds one line (one record); a contact flow's content is at most
// 256 KiB, so a record is far below it.
const maxLine = 64 << 20

// Read parses an export and checks it whole: the header (a newer format
// version is refused), every record line, the end line and its count, and
// that no key or name appears twice. Errors are *LineError.
func Read(r io.Reader) (*File, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	f := &File{}
	n := 0
	ended := false
	keys := map[switchboard.Key]int{}
	type nameKey struct {
		switchboard.Scope
		kind         switchboard.Kind
		parent, name string
	}
	names := map[nameKey]int{}
	for {
		raw, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			raw, err = readLong(br, raw)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if len(raw) == 0 && errors.Is(err, io.EOF) {
			break
		}
		n++
		text := bytes.TrimRight(raw, "\r\n")
		lineErr := func(e error) error { return &LineError{Line: n, Err: e} }
		if ended {
			return nil, lineErr(errors.New("a line follows the end line"))
		}
		if n == 1 {
			if err := readHeader(text, &f.Header); err != nil {
				return nil, lineErr(err)
			}
			continue
		}
		var l line
		if err := strictUnmarshal(text, &l); err != nil {
			return nil, lineErr(err)
		}
		if l.End {
			if l.Records == nil || *l.Records != len(f.Records) {
				return nil, lineErr(fmt.Errorf("the end line counts %v records, but the file holds %d", ptrOr(l.Records), len(f.Records)))
			}
			ended = true
			continue
		}
		if l.Records != nil {
			return nil, lineErr(errors.New(`"records" belongs on the end line only`))
		}
		rec, err := l.record()
		if err != nil {
			return nil, lineErr(err)
		}
		if first, dup := keys[rec.Key()]; dup {
			return nil, lineErr(fmt.Errorf("%s is also on line %d", describe(rec.Key()), first))
		}
		keys[rec.Key()] = n
		if rec.Name != "" {
			nk := nameKey{rec.Scope, rec.Kind, rec.Parent, rec.Name}
			if first, dup := names[nk]; dup {
				return nil, lineErr(fmt.Errorf("%s has the name %q of line %d's record", describe(rec.Key()), rec.Name, first))
			}
			names[nk] = n
		}
		f.Records = append(f.Records, rec)
		f.lines = append(f.lines, n)
	}
	switch {
	case n == 0:
		return nil, &LineError{Line: 1, Err: errors.New("the file is empty, not a switchboard export")}
	case !ended:
		return nil, &LineError{Line: n, Err: errors.New("the file ends without its end line: it is truncated")}
	}
	return f, nil
}

// readLong reads the rest of a line longer than the reader's buffer.
func readLong(br *bufio.Reader, first []byte) ([]byte, error) {
	buf := append([]byte(nil), first...)
	for {
		more, err := br.ReadSlice('\n')
		buf = append(buf, more...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("a line is longer than %d bytes", maxLine)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return buf, err
		}
	}
}

func ptrOr(p *int) any {
	if p == nil {
		return "no"
	}
	return *p
}

// readHeader checks the first line. The version is checked before the rest
// of the header, so that a newer file is reported as such even when its
// header has fields this version does not know.
func readHeader(text []byte, h *Header) error {
	var probe struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(text, &probe); err != nil || probe.Format != Format {
		return fmt.Errorf("not a switchboard export (the first line must be a header with \"format\":%q)", Format)
	}
	if probe.Version > Version || probe.Version < 1 {
		return fmt.Errorf("format version %d: this switchboard reads versions 1 to %d; use the switchboard that made the file, or a newer one", probe.Version, Version)
	}
	return strictUnmarshal(text, h)
}

// strictUnmarshal decodes one JSON object, refusing unknown fields and
// anything after it.
func strictUnmarshal(text []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("corrupt line: %w", err)
	}
	if dec.More() {
		return errors.New("corrupt line: more than one JSON value")
	}
	return nil
}

// describe names a record for messages.
func describe(k switchboard.Key) string {
	s := fmt.Sprintf("%s %q (account %s, region %s", k.Kind, k.ID, k.Account, k.Region)
	if k.Parent != "" {
		s += ", instance " + k.Parent
	}
	return s + ")"
}

// ClashError says records of the file already exist in the store: by key,
// or by name where the store keeps names unique. Nothing was written.
type ClashError struct {
	// Clashes describe the first clashes, at most maxClashes of them.
	Clashes []string
	// Total is how many records of the file clash.
	Total int
}

// maxClashes is how many clashes a ClashError lists.
const maxClashes = 20

func (e *ClashError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records of the file already exist in the store; nothing was imported", e.Total)
	for _, c := range e.Clashes {
		b.WriteString("\n  ")
		b.WriteString(c)
	}
	if more := e.Total - len(e.Clashes); more > 0 {
		fmt.Fprintf(&b, "\n  ... and %d more", more)
	}
	return b.String()
}

// Import loads f into s in one transaction: it refuses, before writing
// anything, a file whose records clash with stored ones (*ClashError) or
// refer to records neither in the file nor stored (*LineError); then it
// loads every record as it was exported. On error the store is unchanged.
func Import(ctx context.Context, s switchboard.Store, f *File) error {
	return s.Update(ctx, func(tx switchboard.Tx) error {
		ld, ok := tx.(switchboard.Loader)
		if !ok {
			return errors.New("this store cannot be imported into (its transactions are not a switchboard.Loader)")
		}
		if err := checkClashes(tx, f); err != nil {
			return err
		}
		if err := checkRefs(tx, f); err != nil {
			return err
		}
		// Load sets each record's Seq; the file's records stay as read
		// should fn run again.
		recs := make([]*switchboard.Record, len(f.Records))
		for i, r := range f.Records {
			c := *r
			recs[i] = &c
		}
		return ld.Load(recs)
	})
}

func checkClashes(tx switchboard.Tx, f *File) error {
	e := &ClashError{}
	for i, r := range f.Records {
		var what string
		if _, err := tx.Get(r.Key()); err == nil {
			what = "exists"
		} else if !errors.Is(err, switchboard.ErrNotFound) {
			return err
		} else if r.Name != "" {
			other, err := tx.GetByName(r.Scope, r.Kind, r.Parent, r.Name)
			if err == nil {
				what = fmt.Sprintf("has the name %q of stored %s %q", r.Name, r.Kind, other.ID)
			} else if !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		if what == "" {
			continue
		}
		e.Total++
		if len(e.Clashes) < maxClashes {
			e.Clashes = append(e.Clashes, fmt.Sprintf("line %d: %s %s", f.lines[i], describe(r.Key()), what))
		}
	}
	if e.Total > 0 {
		return e
	}
	return nil
}

// checkRefs finds the first ref whose target is neither in the file nor in
// the store.
func checkRefs(tx switchboard.Tx, f *File) error {
	inFile := make(map[switchboard.Key]bool, len(f.Records))
	for _, r := range f.Records {
		inFile[r.Key()] = true
	}
	for i, r := range f.Records {
		for _, ref := range r.Refs {
			k := switchboard.Key{Scope: r.Scope, Kind: ref.Kind, Parent: r.Parent, ID: ref.ID}
			if inFile[k] {
				continue
			}
			if _, err := tx.Get(k); errors.Is(err, switchboard.ErrNotFound) {
				return &LineError{Line: f.lines[i], Err: fmt.Errorf("%s refers to %s, which is neither in the file nor in the store",
					describe(r.Key()), describe(k))}
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}
