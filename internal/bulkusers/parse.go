// Package bulkusers imports users from a CSV file in the column layout of
// Amazon Connect's bulk user upload template (docs/BULKIMPORT.md).
//
// Importing is three steps: Parse reads the file; Plan checks every row
// against the instance — names resolved, values mapped, the generated
// validation and CreateUser's own checks run — and collects every problem
// of every row; Apply creates the users through the CreateUser handler,
// and only when no row has a problem, unless told to import the valid
// rows alone.
package bulkusers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// field is what a column of the file sets.
type field int

const (
	fieldFirstName field = iota
	fieldLastName
	fieldEmail
	fieldPassword
	fieldUsername
	fieldRoutingProfile
	fieldSecurityProfiles
	fieldPhoneType
	fieldDeskPhone
	fieldAutoAccept
	fieldACW
	fieldHierarchy
	fieldTags
	fieldSecondaryEmail
	fieldMobile
)

// headers are the column names the template uses, normalized (lower case,
// runs of blanks as one space), with the names Switchboard accepts besides
// (docs/BULKIMPORT.md says where each comes from).
var headers = map[string]field{
	"first name":           fieldFirstName,
	"last name":            fieldLastName,
	"email address":        fieldEmail,
	"password":             fieldPassword,
	"user login":           fieldUsername,
	"routing profile name": fieldRoutingProfile,
	"security_profile_name_1|security_profile_name_2": fieldSecurityProfiles,
	"phone type (soft/desk)":                          fieldPhoneType,
	"phone number":                                    fieldDeskPhone,
	"desk phone number":                               fieldDeskPhone,
	"soft phone auto accept (yes/no)":                 fieldAutoAccept,
	"acw timeout (seconds)":                           fieldACW,
	"user hierarchy":                                  fieldHierarchy,
	"userhierarchy":                                   fieldHierarchy,
	"agent hierarchy":                                 fieldHierarchy,
	"tags":                                            fieldTags,
	"secondary email address":                         fieldSecondaryEmail,
	"mobile number":                                   fieldMobile,
}

// securityProfileN is the one-profile-per-column spelling of the security
// profile column (security_profile_name_1, security_profile_name_2, ...).
var securityProfileN = regexp.MustCompile(`^security_profile_name_[0-9]+$`)

// required are the columns without which no row can make a user.
var required = []struct {
	f    field
	name string
}{
	{fieldUsername, "user login"},
	{fieldRoutingProfile, "routing profile name"},
	{fieldSecurityProfiles, "security_profile_name_1|security_profile_name_2"},
}

// Column is one column of the file.
type Column struct {
	// Name is the header as the file writes it.
	Name string
	// Letter is the column's spreadsheet letter (A, B, ..., AA).
	Letter string
	field  field
}

// Cell is one value of a row.
type Cell struct {
	Column *Column
	Value  string
}

// Row is one user of the file.
type Row struct {
	// Number is the row's number in the file, the header being row 1
	// (the line the record starts on, so a blank line counts as a row as
	// a spreadsheet shows it).
	Number int
	Cells  []Cell
	// Extra is how many values the row has beyond the header's columns.
	Extra int
}

// File is a parsed CSV file.
type File struct {
	Columns []*Column
	Rows    []Row
}

// HeaderError is a header row Parse refuses: unknown, repeated or missing
// columns. Every problem of the header is listed.
type HeaderError struct {
	Problems []string
}

func (e *HeaderError) Error() string {
	return "row 1 (header): " + strings.Join(e.Problems, "; ")
}

// Parse reads a CSV file whose first row names the columns. Column names
// are matched case-insensitively, blanks around them ignored; a UTF-8 byte
// order mark (as Excel writes) is skipped. An unknown column is refused
// with its letter and name, as is a header lacking user login, routing
// profile name or a security profile column.
func Parse(r io.Reader) (*File, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &HeaderError{Problems: []string{"the file is empty; the first row must name the columns"}}
	}
	if err != nil {
		return nil, err
	}
	f := &File{}
	var problems []string
	seen := map[string]string{} // normalized name → letter
	has := map[field]bool{}
	for i, h := range head {
		c := &Column{Name: h, Letter: letter(i)}
		n := normalize(h)
		fl, ok := headers[n]
		if !ok && securityProfileN.MatchString(n) {
			fl, ok = fieldSecurityProfiles, true
		}
		switch {
		case n == "":
			problems = append(problems, fmt.Sprintf("column %s has no name", c.Letter))
		case !ok:
			problems = append(problems, fmt.Sprintf("column %s %q is not a column of the bulk user template", c.Letter, h))
		case seen[n] != "":
			problems = append(problems, fmt.Sprintf("column %s %q repeats column %s", c.Letter, h, seen[n]))
		}
		seen[n] = c.Letter
		c.field = fl
		has[fl] = has[fl] || ok
		f.Columns = append(f.Columns, c)
	}
	for _, req := range required {
		if !has[req.f] {
			problems = append(problems, fmt.Sprintf("column %q is missing", req.name))
		}
	}
	if len(problems) > 0 {
		return nil, &HeaderError{Problems: problems}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		row := Row{Number: line}
		for i, v := range rec {
			if i >= len(f.Columns) {
				if strings.TrimSpace(v) != "" {
					row.Extra++
				}
				continue
			}
			row.Cells = append(row.Cells, Cell{Column: f.Columns[i], Value: v})
		}
		if blank(rec) {
			continue // a spreadsheet's empty row, such as ,,,,,
		}
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func normalize(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(h), " "))
}

// letter is a spreadsheet's name of the column of index i: A..Z, AA...
func letter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
