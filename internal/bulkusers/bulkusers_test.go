package bulkusers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/bulkusers"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

var scope = switchboard.Scope{Account: "000000000000", Region: "us-east-1"}

// center is a service on an in-memory store, built by server.New as the
// server builds it, with one instance holding a two-level hierarchy.
type center struct {
	t    *testing.T
	svc  *service.Service
	inst string
	// groups are the hierarchy groups' ids by path.
	groups map[string]string
}

func newCenter(t *testing.T) *center {
	t.Helper()
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	_, svc := server.New(server.Config{Store: store})
	t.Cleanup(svc.Close)
	c := &center{t: t, svc: svc, groups: map[string]string{}}
	var inst api.CreateInstanceResponse
	c.do("CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: p(api.DirectoryTypeConnectManaged),
		InstanceAlias: p("bulk-test"), InboundCallsEnabled: p(true), OutboundCallsEnabled: p(true)}, &inst)
	c.inst = *inst.Id
	c.do("UpdateUserHierarchyStructure", &api.UpdateUserHierarchyStructureRequest{InstanceId: &c.inst,
		HierarchyStructure: &api.HierarchyStructureUpdate{LevelOne: &api.HierarchyLevelUpdate{Name: p("Region")}, LevelTwo: &api.HierarchyLevelUpdate{Name: p("Team")}}}, nil)
	teams := map[string][]string{"North": {"Sales", "Support"}, "South": {"Billing", "Retention"}}
	for _, region := range []string{"North", "South"} {
		var g api.CreateUserHierarchyGroupResponse
		c.do("CreateUserHierarchyGroup", &api.CreateUserHierarchyGroupRequest{InstanceId: &c.inst, Name: p(region)}, &g)
		c.groups[region] = *g.HierarchyGroupId
		for _, team := range teams[region] {
			var tg api.CreateUserHierarchyGroupResponse
			c.do("CreateUserHierarchyGroup", &api.CreateUserHierarchyGroupRequest{InstanceId: &c.inst, Name: p(team), ParentGroupId: g.HierarchyGroupId}, &tg)
			c.groups[region+"/"+team] = *tg.HierarchyGroupId
		}
	}
	return c
}

func p[T any](v T) *T { return &v }

// do runs an operation as the wire does (validation, then handler) and
// decodes its output into out.
func (c *center) do(op string, in api.Request, out any) {
	c.t.Helper()
	if err := c.try(op, in, out); err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
}

func (c *center) try(op string, in api.Request, out any) error {
	if err := api.Validate(in); err != nil {
		return err
	}
	res, err := c.svc.Handlers()[op](switchboard.WithScope(context.Background(), scope), in)
	if err != nil || out == nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// users are the instance's users by username.
func (c *center) users() map[string]string {
	var out api.ListUsersResponse
	c.do("ListUsers", &api.ListUsersRequest{InstanceId: &c.inst, MaxResults: p(int32(1000))}, &out)
	m := map[string]string{}
	for _, u := range out.UserSummaryList {
		m[*u.Username] = *u.Id
	}
	return m
}

// idOf finds a resource's id by name through a List operation.
func (c *center) profileID(kind, name string) string {
	c.t.Helper()
	switch kind {
	case "routing":
		var out api.ListRoutingProfilesResponse
		c.do("ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: &c.inst}, &out)
		for _, s := range out.RoutingProfileSummaryList {
			if *s.Name == name {
				return *s.Id
			}
		}
	case "security":
		var out api.ListSecurityProfilesResponse
		c.do("ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: &c.inst}, &out)
		for _, s := range out.SecurityProfileSummaryList {
			if *s.Name == name {
				return *s.Id
			}
		}
	}
	c.t.Fatalf("no %s profile %q", kind, name)
	return ""
}

const header = "first name,last name,email address,password,user login,routing profile name," +
	"security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number," +
	"soft phone auto accept (yes/no),ACW timeout (seconds),user hierarchy,tags"

// spec is what row i of the generated file asks for.
type spec struct {
	username, first, last, email string
	security                     []string
	desk                         bool
	deskNumber                   string
	autoAccept                   bool
	acw                          int
	group                        string // path, "" for none
	tags                         map[string]string
}

func specOf(i int) spec {
	s := spec{username: fmt.Sprintf("agent%03d", i), first: fmt.Sprintf("First%d", i), last: fmt.Sprintf("Last%d", i),
		email: fmt.Sprintf("agent%03d@example.com", i), security: []string{"Agent"},
		autoAccept: i%2 == 0, acw: i % 60, tags: map[string]string{"team": fmt.Sprintf("t%d", i%3)}}
	if i%3 == 0 {
		s.security = []string{"Agent", "CallCenterManager"}
	}
	if i%5 == 0 {
		s.desk, s.deskNumber = true, fmt.Sprintf("+1206555%04d", i)
	}
	switch i % 4 {
	case 1:
		s.group = "North/Support"
	case 2:
		s.group = "South/Billing"
	case 3:
		s.group = "North"
	}
	return s
}

func (s spec) line() string {
	phone, yes := "soft", "no"
	if s.desk {
		phone = "desk"
	}
	if s.autoAccept {
		yes = "yes"
	}
	var tags []string
	for k, v := range s.tags {
		tags = append(tags, k+":"+v)
	}
	return strings.Join([]string{s.first, s.last, s.email, "Str0ngPassw0rd", s.username, "Basic Routing Profile",
		strings.Join(s.security, "|"), phone, s.deskNumber, yes, fmt.Sprint(s.acw), s.group, strings.Join(tags, "|")}, ",")
}

// file is a CSV of n generated rows, with edit applied to each row's
// fields (split on commas) when not nil.
func file(n int, edit func(i int, fields []string)) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := 1; i <= n; i++ {
		fields := strings.Split(specOf(i).line(), ",")
		if edit != nil {
			edit(i, fields)
		}
		b.WriteString(strings.Join(fields, ",") + "\n")
	}
	return b.String()
}

func plan(t *testing.T, c *center, csv string) *bulkusers.ImportPlan {
	t.Helper()
	f, err := bulkusers.Parse(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := bulkusers.Plan(context.Background(), c.svc, scope, c.inst, f)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// TestOneBadRowBlocksTheImport: one bad cell among 200 rows is reported
// at its row (the header being row 1) and column, with the reason, and
// nothing is imported; with validOnly the other 199 are, with their
// settings.
func TestOneBadRowBlocksTheImport(t *testing.T) {
	cases := []struct {
		name   string
		col    int // index of the field in a line
		value  string
		column string
		want   func(error) bool
	}{
		{"unknown routing profile", 5, "No Such Profile", "routing profile name", func(err error) bool {
			var nf *bulkusers.NotFoundError
			return errors.As(err, &nf) && nf.Name == "No Such Profile" && nf.Kind == "routing profile"
		}},
		{"invalid e-mail", 2, "not-an-email", "email address", func(err error) bool {
			var ip *api.InvalidParameterException
			return errors.As(err, &ip) && strings.Contains(*ip.Message, "Email")
		}},
		{"auto accept neither yes nor no", 9, "maybe", "soft phone auto accept (yes/no)", func(err error) bool {
			var ve *bulkusers.ValueError
			return errors.As(err, &ve) && ve.Value == "maybe"
		}},
		{"first name too long for the model", 0, strings.Repeat("x", 256), "first name", func(err error) bool {
			var ve *api.ValidationError
			return errors.As(err, &ve) && len(ve.Violations) == 1
		}},
		{"desk phone without a number", 7, "desk", "phone number", func(err error) bool {
			var ip *api.InvalidParameterException
			return errors.As(err, &ip)
		}},
	}
	const bad = 117 // the user of file row 118
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCenter(t)
			before := c.users()
			pl := plan(t, c, file(200, func(i int, f []string) {
				if i == bad {
					f[tc.col] = tc.value
					if tc.col == 7 {
						f[8] = ""
					}
				}
			}))
			errs := pl.Errors()
			if len(errs) != 1 {
				t.Fatalf("want 1 error, got %d: %v", len(errs), errs)
			}
			if e := errs[0]; e.Row != bad+1 || e.Column != tc.column || !tc.want(e.Err) {
				t.Fatalf("error %v (row %d, column %q, %T)", e, e.Row, e.Column, e.Err)
			}
			res, err := bulkusers.Apply(context.Background(), pl, nil, false)
			var inv *bulkusers.InvalidError
			if !errors.As(err, &inv) || res != nil || inv.Valid != 199 {
				t.Fatalf("Apply: %v, %v", res, err)
			}
			if got := c.users(); !reflect.DeepEqual(got, before) {
				t.Fatalf("users changed by a refused import: %d before, %d after", len(before), len(got))
			}

			var calls []int
			res, err = bulkusers.Apply(context.Background(), pl, func(done, total int) {
				if total != 199 {
					t.Errorf("progress total %d", total)
				}
				calls = append(calls, done)
			}, true)
			if err != nil {
				t.Fatal(err)
			}
			if res.Count(bulkusers.Created) != 199 || res.Count(bulkusers.Invalid) != 1 || len(calls) != 200 || calls[199] != 199 {
				t.Fatalf("created %d, invalid %d, progress calls %d", res.Count(bulkusers.Created), res.Count(bulkusers.Invalid), len(calls))
			}
			users := c.users()
			if len(users) != len(before)+199 {
				t.Fatalf("%d users, want %d", len(users), len(before)+199)
			}
			if _, ok := users[specOf(bad).username]; ok {
				t.Fatal("the bad row was imported")
			}
			c.checkUsers(t, users, bad)
		})
	}
}

// checkUsers reads every generated user but skip back and compares it with
// what its row asked for.
func (c *center) checkUsers(t *testing.T, users map[string]string, skip int) {
	t.Helper()
	routing := c.profileID("routing", "Basic Routing Profile")
	secIDs := map[string]string{"Agent": c.profileID("security", "Agent"), "CallCenterManager": c.profileID("security", "CallCenterManager")}
	for i := 1; i <= 200; i++ {
		if i == skip {
			continue
		}
		s := specOf(i)
		var out api.DescribeUserResponse
		c.do("DescribeUser", &api.DescribeUserRequest{InstanceId: &c.inst, UserId: p(users[s.username])}, &out)
		u := out.User
		var wantSec []string
		for _, n := range s.security {
			wantSec = append(wantSec, secIDs[n])
		}
		sort.Strings(wantSec)
		gotSec := append([]string(nil), u.SecurityProfileIds...)
		sort.Strings(gotSec)
		wantType := api.PhoneTypeSoftPhone
		if s.desk {
			wantType = api.PhoneTypeDeskPhone
		}
		pc := u.PhoneConfig
		problems := []string{}
		check := func(what string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				problems = append(problems, fmt.Sprintf("%s = %v, want %v", what, got, want))
			}
		}
		check("first name", *u.IdentityInfo.FirstName, s.first)
		check("last name", *u.IdentityInfo.LastName, s.last)
		check("email", *u.IdentityInfo.Email, s.email)
		check("routing profile", *u.RoutingProfileId, routing)
		check("security profiles", gotSec, wantSec)
		check("phone type", *pc.PhoneType, wantType)
		check("auto accept", *pc.AutoAccept, s.autoAccept)
		check("ACW", int(*pc.AfterContactWorkTimeLimit), s.acw)
		check("desk phone", strings.TrimSpace(derefOr(pc.DeskPhoneNumber)), s.deskNumber)
		check("hierarchy group", derefOr(u.HierarchyGroupId), c.groups[s.group])
		check("tags", u.Tags, s.tags)
		if len(problems) > 0 {
			t.Fatalf("user %s: %s", s.username, strings.Join(problems, "; "))
		}
	}
}

func derefOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestDuplicateUsernames: a name repeated in the file is reported at its
// second row, and a name the instance has already at its row.
func TestDuplicateUsernames(t *testing.T) {
	c := newCenter(t)
	c.do("CreateUser", &api.CreateUserRequest{InstanceId: &c.inst, Username: p(specOf(3).username), Password: p("Str0ngPassw0rd"),
		IdentityInfo: &api.UserIdentityInfo{FirstName: p("A"), LastName: p("B")}, PhoneConfig: &api.UserPhoneConfig{PhoneType: p(api.PhoneTypeSoftPhone)},
		RoutingProfileId: p(c.profileID("routing", "Basic Routing Profile")), SecurityProfileIds: []string{c.profileID("security", "Agent")}}, nil)
	pl := plan(t, c, file(5, func(i int, f []string) {
		if i == 5 {
			f[4] = specOf(2).username
		}
	}))
	errs := pl.Errors()
	if len(errs) != 2 {
		t.Fatalf("want 2 errors, got %v", errs)
	}
	var d1, d2 *bulkusers.DuplicateError
	if e := errs[0]; e.Row != 4 || e.Column != "user login" || !errors.As(e.Err, &d1) || d1.FirstRow != 0 || d1.Username != specOf(3).username {
		t.Errorf("existing user: %v", e)
	}
	if e := errs[1]; e.Row != 6 || e.Column != "user login" || !errors.As(e.Err, &d2) || d2.FirstRow != 3 {
		t.Errorf("repeated in the file: %v", e)
	}
	if pl.Valid() != 3 {
		t.Errorf("valid rows %d", pl.Valid())
	}
}

// TestHeader: unknown columns are refused with letter and name; case,
// blanks, a BOM and one-profile-per-column security columns are accepted.
func TestHeader(t *testing.T) {
	_, err := bulkusers.Parse(strings.NewReader("first name,last name,user login,favourite colour,routing profile name,security_profile_name_1,shoe size\n"))
	var he *bulkusers.HeaderError
	if !errors.As(err, &he) || len(he.Problems) != 2 ||
		!strings.Contains(he.Problems[0], `column D "favourite colour"`) || !strings.Contains(he.Problems[1], `column G "shoe size"`) {
		t.Fatalf("unknown columns: %v", err)
	}
	_, err = bulkusers.Parse(strings.NewReader("first name,last name\nA,B\n"))
	if !errors.As(err, &he) || len(he.Problems) != 3 {
		t.Fatalf("missing required columns: %v", err)
	}
	_, err = bulkusers.Parse(strings.NewReader("user login,User Login,routing profile name,security_profile_name_1\n"))
	if !errors.As(err, &he) || !strings.Contains(err.Error(), `column B "User Login" repeats column A`) {
		t.Fatalf("repeated column: %v", err)
	}

	c := newCenter(t)
	csv := "\xEF\xBB\xBF First Name ,LAST NAME,Email Address,Password,User Login,Routing Profile Name,Security_Profile_Name_1,SECURITY_PROFILE_NAME_2,Soft Phone Auto Accept (Yes/No)\n" +
		"Ann,Lee,ann@example.com,Str0ngPassw0rd,ann,Basic Routing Profile,Agent,CallCenterManager,YES\n\n" +
		"Bo,Ng,bo@example.com,Str0ngPassw0rd,bo,Basic Routing Profile,Agent,,no\n"
	pl := plan(t, c, csv)
	if errs := pl.Errors(); len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(pl.Rows) != 2 || pl.Rows[0].Row != 2 || pl.Rows[1].Row != 4 {
		t.Fatalf("rows %+v", pl.Rows)
	}
	if got := pl.Rows[0].Request; len(got.SecurityProfileIds) != 2 || !*got.PhoneConfig.AutoAccept || *got.IdentityInfo.FirstName != "Ann" {
		t.Fatalf("row 2 request %+v", got)
	}
}

// TestRollback: a user created between Plan and Apply makes CreateUser
// fail part way; the users created before it are deleted again and the
// result says which rows were rolled back, which failed and which were
// not attempted. With validOnly the failing row alone is left out.
func TestRollback(t *testing.T) {
	for _, validOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("validOnly=%v", validOnly), func(t *testing.T) {
			c := newCenter(t)
			pl := plan(t, c, file(10, nil))
			if errs := pl.Errors(); len(errs) != 0 {
				t.Fatal(errs)
			}
			// Injected failure: row 7 of the file (user 6) is taken meanwhile.
			taken := specOf(6).username
			c.do("CreateUser", &api.CreateUserRequest{InstanceId: &c.inst, Username: &taken, Password: p("Str0ngPassw0rd"),
				IdentityInfo: &api.UserIdentityInfo{FirstName: p("A"), LastName: p("B")}, PhoneConfig: &api.UserPhoneConfig{PhoneType: p(api.PhoneTypeSoftPhone)},
				RoutingProfileId: p(c.profileID("routing", "Basic Routing Profile")), SecurityProfileIds: []string{c.profileID("security", "Agent")}}, nil)
			before := c.users()
			res, err := bulkusers.Apply(context.Background(), pl, nil, validOnly)
			want := map[int]bulkusers.Status{}
			for row := 2; row <= 11; row++ {
				switch {
				case row == 7:
					want[row] = bulkusers.Failed
				case validOnly:
					want[row] = bulkusers.Created
				case row < 7:
					want[row] = bulkusers.RolledBack
				default:
					want[row] = bulkusers.NotAttempted
				}
			}
			got := map[int]bulkusers.Status{}
			for _, r := range res.Rows {
				got[r.Row] = r.Status
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("statuses %v, want %v", got, want)
			}
			var dup *api.DuplicateResourceException
			if !errors.As(res.Rows[5].Err, &dup) {
				t.Errorf("row 7's error: %v", res.Rows[5].Err)
			}
			users := c.users()
			if validOnly {
				if err != nil || len(users) != len(before)+9 {
					t.Fatalf("Apply: %v; %d users, want %d", err, len(users), len(before)+9)
				}
				return
			}
			var fe *bulkusers.FailedError
			if !errors.As(err, &fe) || fe.Failure.Row != 7 || fe.Failure.Column != "user login" || !errors.As(err, &dup) {
				t.Fatalf("Apply: %v", err)
			}
			if !reflect.DeepEqual(users, before) {
				t.Fatalf("rollback left %d users, had %d before", len(users), len(before))
			}
		})
	}
}
