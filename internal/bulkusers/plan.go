package bulkusers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
)

// canonical is each field's column name in the template, for messages
// about a column the file does not have.
var canonical = map[field]string{
	fieldFirstName:        "first name",
	fieldLastName:         "last name",
	fieldEmail:            "email address",
	fieldPassword:         "password",
	fieldUsername:         "user login",
	fieldRoutingProfile:   "routing profile name",
	fieldSecurityProfiles: "security_profile_name_1|security_profile_name_2",
	fieldPhoneType:        "phone type (soft/desk)",
	fieldDeskPhone:        "phone number",
	fieldAutoAccept:       "soft phone auto accept (yes/no)",
	fieldACW:              "ACW timeout (seconds)",
	fieldHierarchy:        "user hierarchy",
	fieldTags:             "tags",
	fieldSecondaryEmail:   "secondary email address",
	fieldMobile:           "mobile number",
}

// members map a CreateUser request member (lower case, list indexes and
// map keys left out) to the column that sets it.
var members = map[string]field{
	"username":                              fieldUsername,
	"password":                              fieldPassword,
	"identityinfo.firstname":                fieldFirstName,
	"identityinfo.lastname":                 fieldLastName,
	"identityinfo.email":                    fieldEmail,
	"identityinfo.secondaryemail":           fieldSecondaryEmail,
	"identityinfo.mobile":                   fieldMobile,
	"routingprofileid":                      fieldRoutingProfile,
	"securityprofileids":                    fieldSecurityProfiles,
	"hierarchygroupid":                      fieldHierarchy,
	"phoneconfig":                           fieldPhoneType,
	"phoneconfig.phonetype":                 fieldPhoneType,
	"phoneconfig.deskphonenumber":           fieldDeskPhone,
	"phoneconfig.autoaccept":                fieldAutoAccept,
	"phoneconfig.aftercontactworktimelimit": fieldACW,
	"tags":                                  fieldTags,
}

// RowError is one problem of one row: Row is the row's number in the file
// (the header is row 1), Column the column's name as the file writes it
// ("" when the problem is the row's as a whole).
type RowError struct {
	Row    int
	Column string
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %v", e.Row, e.Err)
	}
	return fmt.Sprintf("row %d: %s: %v", e.Row, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// NotFoundError is a name that no resource of the instance has.
type NotFoundError struct {
	Kind, Name string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s of the instance is named %q", e.Kind, e.Name)
}

// ValueError is a cell whose value the column does not take.
type ValueError struct {
	Value string
	Want  string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%q is not %s", e.Value, e.Want)
}

// DuplicateError is a user name that another row of the file, or a user of
// the instance, has already.
type DuplicateError struct {
	Username string
	// FirstRow is the earlier row of the file with the name; 0 when the
	// instance has a user of the name.
	FirstRow int
}

func (e *DuplicateError) Error() string {
	if e.FirstRow == 0 {
		return fmt.Sprintf("User with username %s already exists in the instance", e.Username)
	}
	return fmt.Sprintf("username %s is also in row %d", e.Username, e.FirstRow)
}

// PlannedRow is one row and the CreateUser request it makes.
type PlannedRow struct {
	Row      int
	Username string
	Request  *api.CreateUserRequest
	Errors   []*RowError
}

// ImportPlan is a checked file, ready for Apply.
type ImportPlan struct {
	scope      switchboard.Scope
	c          Caller
	InstanceID string
	// usernameColumn names the user login column in errors.
	usernameColumn string
	Rows           []*PlannedRow
}

// Errors are every problem of every row, in row order.
func (p *ImportPlan) Errors() []*RowError {
	var out []*RowError
	for _, r := range p.Rows {
		out = append(out, r.Errors...)
	}
	return out
}

// Valid is how many rows have no problem.
func (p *ImportPlan) Valid() int {
	n := 0
	for _, r := range p.Rows {
		if len(r.Errors) == 0 {
			n++
		}
	}
	return n
}

// directory is what Plan knows of the instance: names to ids.
type directory struct {
	routing, security map[string]string
	// groups are by path ("Region/Team") and, when unique, by name.
	groups     map[string]string
	groupNames map[string][]string // name → ids
	users      map[string]bool
}

// Plan checks every row of f for the instance: names resolved through
// the service's List operations, values mapped, the generated validation
// (api.Validate) and CreateUser's own checks (service.CheckCreateUser) run
// on the request each row makes, user names checked against the other
// rows and the instance's users. It returns an error only for what is no
// row's fault (the instance does not exist, a List fails); the rows'
// problems are in the ImportPlan.
func Plan(ctx context.Context, svc *service.Service, scope switchboard.Scope, instanceID string, f *File) (*ImportPlan, error) {
	return PlanWith(ctx, Direct(svc), svc.CheckCreateUser, scope, instanceID, f)
}

// CheckFunc runs CreateUser's own rules beyond the model on a request,
// without creating anything (service.CheckCreateUser); a *service.MemberError
// names the member at fault.
type CheckFunc func(ctx context.Context, in *api.CreateUserRequest) error

// PlanWith is Plan making its calls (and Apply's) through c; check, when
// not nil, runs CreateUser's own rules on each valid row. Without it those
// rules are left to CreateUser itself when Apply runs (the console, which
// has no access to the service: docs/BULKIMPORT.md).
func PlanWith(ctx context.Context, c Caller, check CheckFunc, scope switchboard.Scope, instanceID string, f *File) (*ImportPlan, error) {
	ctx = switchboard.WithScope(ctx, scope)
	dir, err := loadDirectory(ctx, c, instanceID)
	if err != nil {
		return nil, err
	}
	p := &ImportPlan{scope: scope, c: c, InstanceID: instanceID, usernameColumn: columnName(f, fieldUsername)}
	firstRow := map[string]int{}
	for _, row := range f.Rows {
		pr := planRow(ctx, check, dir, instanceID, f, row)
		if u := pr.Username; u != "" {
			col := columnName(f, fieldUsername)
			if first, dup := firstRow[u]; dup {
				pr.add(col, &DuplicateError{Username: u, FirstRow: first})
			} else {
				firstRow[u] = row.Number
				if dir.users[u] {
					pr.add(col, &DuplicateError{Username: u})
				}
			}
		}
		p.Rows = append(p.Rows, pr)
	}
	return p, nil
}

func (pr *PlannedRow) add(column string, err error) {
	pr.Errors = append(pr.Errors, &RowError{Row: pr.Row, Column: column, Err: err})
}

// columnName is the file's name of the column of fl, or the template's
// when the file has none.
func columnName(f *File, fl field) string {
	for _, c := range f.Columns {
		if c.field == fl {
			return c.Name
		}
	}
	return canonical[fl]
}

func loadDirectory(ctx context.Context, c Caller, inst string) (*directory, error) {
	d := &directory{routing: map[string]string{}, security: map[string]string{}, groups: map[string]string{},
		groupNames: map[string][]string{}, users: map[string]bool{}}
	err := listAll(ctx, c, "ListRoutingProfiles", func(next *string) api.Request {
		return &api.ListRoutingProfilesRequest{InstanceId: &inst, NextToken: next}
	}, func(out *api.ListRoutingProfilesResponse) *string {
		for _, s := range out.RoutingProfileSummaryList {
			d.routing[deref(s.Name)] = deref(s.Id)
		}
		return out.NextToken
	})
	if err != nil {
		return nil, err
	}
	err = listAll(ctx, c, "ListSecurityProfiles", func(next *string) api.Request {
		return &api.ListSecurityProfilesRequest{InstanceId: &inst, NextToken: next}
	}, func(out *api.ListSecurityProfilesResponse) *string {
		for _, s := range out.SecurityProfileSummaryList {
			d.security[deref(s.Name)] = deref(s.Id)
		}
		return out.NextToken
	})
	if err != nil {
		return nil, err
	}
	var groupIDs []string
	err = listAll(ctx, c, "ListUserHierarchyGroups", func(next *string) api.Request {
		return &api.ListUserHierarchyGroupsRequest{InstanceId: &inst, NextToken: next}
	}, func(out *api.ListUserHierarchyGroupsResponse) *string {
		for _, s := range out.UserHierarchyGroupSummaryList {
			groupIDs = append(groupIDs, deref(s.Id))
			d.groupNames[deref(s.Name)] = append(d.groupNames[deref(s.Name)], deref(s.Id))
		}
		return out.NextToken
	})
	if err != nil {
		return nil, err
	}
	for _, id := range groupIDs {
		var out api.DescribeUserHierarchyGroupResponse
		if err := c.Call(ctx, "DescribeUserHierarchyGroup", &api.DescribeUserHierarchyGroupRequest{InstanceId: &inst, HierarchyGroupId: &id}, &out); err != nil {
			return nil, fmt.Errorf("DescribeUserHierarchyGroup: %w", err)
		}
		if g := out.HierarchyGroup; g != nil && g.HierarchyPath != nil {
			hp := g.HierarchyPath
			var names []string
			for _, l := range []*api.HierarchyGroupSummary{hp.LevelOne, hp.LevelTwo, hp.LevelThree, hp.LevelFour, hp.LevelFive} {
				if l != nil {
					names = append(names, deref(l.Name))
				}
			}
			d.groups[strings.Join(names, "/")] = id
		}
	}
	err = listAll(ctx, c, "ListUsers", func(next *string) api.Request {
		return &api.ListUsersRequest{InstanceId: &inst, NextToken: next}
	}, func(out *api.ListUsersResponse) *string {
		for _, s := range out.UserSummaryList {
			d.users[deref(s.Username)] = true
		}
		return out.NextToken
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// group resolves a user hierarchy cell: the group's path of names from
// level one, separated by '/', or the name of a group alone when no other
// group has it.
func (d *directory) group(v string) (string, error) {
	parts := strings.Split(v, "/")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if id, ok := d.groups[strings.Join(parts, "/")]; ok {
		return id, nil
	}
	if len(parts) == 1 {
		switch ids := d.groupNames[parts[0]]; len(ids) {
		case 1:
			return ids[0], nil
		case 0:
		default:
			return "", fmt.Errorf("%d hierarchy groups are named %q: write the group's path from level one, such as Region/Team", len(ids), parts[0])
		}
	}
	return "", &NotFoundError{Kind: "hierarchy group", Name: v}
}

func planRow(ctx context.Context, check CheckFunc, d *directory, inst string, f *File, row Row) *PlannedRow {
	pr := &PlannedRow{Row: row.Number}
	if row.Extra > 0 {
		pr.add("", fmt.Errorf("the row has %d values beyond the header's %d columns", row.Extra, len(f.Columns)))
	}
	req := &api.CreateUserRequest{InstanceId: &inst, PhoneConfig: &api.UserPhoneConfig{}}
	info := &api.UserIdentityInfo{}
	phoneType := api.PhoneTypeSoftPhone
	autoAccept, acw := false, int32(0)
	set := func(p **string, v string) {
		if v != "" {
			*p = &v
		}
	}
	for _, cell := range row.Cells {
		v := strings.TrimSpace(cell.Value)
		col := cell.Column.Name
		switch cell.Column.field {
		case fieldFirstName:
			set(&info.FirstName, v)
		case fieldLastName:
			set(&info.LastName, v)
		case fieldEmail:
			set(&info.Email, v)
		case fieldSecondaryEmail:
			set(&info.SecondaryEmail, v)
		case fieldMobile:
			set(&info.Mobile, v)
		case fieldPassword:
			// A password is taken as written: blanks may be part of it.
			set(&req.Password, cell.Value)
		case fieldUsername:
			set(&req.Username, v)
			pr.Username = v
		case fieldRoutingProfile:
			if v == "" {
				break // the validation reports the missing member
			}
			if id, ok := d.routing[v]; ok {
				req.RoutingProfileId = &id
			} else {
				pr.add(col, &NotFoundError{Kind: "routing profile", Name: v})
			}
		case fieldSecurityProfiles:
			for _, name := range strings.Split(v, "|") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				if id, ok := d.security[name]; ok {
					req.SecurityProfileIds = append(req.SecurityProfileIds, id)
				} else {
					pr.add(col, &NotFoundError{Kind: "security profile", Name: name})
				}
			}
		case fieldPhoneType:
			switch strings.ToLower(v) {
			case "", "soft", "soft_phone":
			case "desk", "desk_phone":
				phoneType = api.PhoneTypeDeskPhone
			default:
				pr.add(col, &ValueError{Value: v, Want: "soft or desk"})
			}
		case fieldDeskPhone:
			set(&req.PhoneConfig.DeskPhoneNumber, v)
		case fieldAutoAccept:
			switch strings.ToLower(v) {
			case "", "no", "false":
			case "yes", "true":
				autoAccept = true
			default:
				pr.add(col, &ValueError{Value: v, Want: "yes or no"})
			}
		case fieldACW:
			if v == "" {
				break
			}
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || n < 0 {
				pr.add(col, &ValueError{Value: v, Want: "a whole number of seconds, 0 or more"})
				break
			}
			acw = int32(n)
		case fieldHierarchy:
			if v == "" {
				break
			}
			if id, err := d.group(v); err != nil {
				pr.add(col, err)
			} else {
				req.HierarchyGroupId = &id
			}
		case fieldTags:
			tags, err := parseTags(v)
			if err != nil {
				pr.add(col, err)
			}
			req.Tags = tags
		}
	}
	if *info != (api.UserIdentityInfo{}) {
		req.IdentityInfo = info
	}
	req.PhoneConfig.PhoneType, req.PhoneConfig.AutoAccept, req.PhoneConfig.AfterContactWorkTimeLimit = &phoneType, &autoAccept, &acw
	pr.Request = req
	if len(pr.Errors) > 0 {
		// A name that did not resolve leaves its member out, which the
		// checks below would report again as missing.
		return pr
	}
	if err := api.Validate(req); err != nil {
		var ve *api.ValidationError
		if errors.As(err, &ve) {
			for _, v := range ve.Violations {
				pr.add(memberColumn(f, v.Path), &api.ValidationError{Violations: []api.Violation{v}})
			}
		} else {
			pr.add("", err)
		}
		return pr
	}
	if check == nil {
		return pr
	}
	if err := check(ctx, req); err != nil {
		var me *service.MemberError
		col := ""
		if errors.As(err, &me) {
			col = memberColumn(f, me.Member)
		}
		pr.add(col, err)
	}
	return pr
}

// memberColumn is the column that sets a request member, given as a
// validation message's path (identityInfo.email, securityProfileIds.1) or
// a MemberError's (IdentityInfo.Email); "" when no column does.
func memberColumn(f *File, path string) string {
	var parts []string
	for _, p := range strings.Split(strings.ToLower(path), ".") {
		if _, err := strconv.Atoi(p); err == nil || p == "member" {
			continue
		}
		parts = append(parts, p)
	}
	for n := len(parts); n > 0; n-- {
		if fl, ok := members[strings.Join(parts[:n], ".")]; ok {
			return columnName(f, fl)
		}
	}
	return ""
}

// parseTags reads a tags cell: key:value pairs separated by '|'
// (docs/BULKIMPORT.md).
func parseTags(v string) (map[string]string, error) {
	if v == "" {
		return nil, nil
	}
	tags := map[string]string{}
	for _, pair := range strings.Split(v, "|") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, val, ok := strings.Cut(pair, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, &ValueError{Value: pair, Want: "a tag written key:value"}
		}
		if _, dup := tags[k]; dup {
			return nil, fmt.Errorf("tag key %q appears twice", k)
		}
		tags[k] = strings.TrimSpace(val)
	}
	return tags, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
