package e2e

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"
	"github.com/switchboard-dev/switchboard/service"
)

// Tests of the resources users point at: security profiles, hours of
// operation, queues and routing profiles, through aws-sdk-go-v2.

// wantErr fails unless err is the SDK's typed error T and its message
// mentions each of names (the members the error is about).
func wantErr[T error](t *testing.T, err error, names ...string) T {
	t.Helper()
	var target T
	if err == nil || !errors.As(err, &target) {
		t.Fatalf("got %v, want %T", err, target)
	}
	var ae smithy.APIError
	errors.As(err, &ae)
	for _, n := range names {
		if !strings.Contains(ae.ErrorMessage(), n) {
			t.Errorf("message %q does not mention %q", ae.ErrorMessage(), n)
		}
	}
	return target
}

// wantCode fails unless err is an API error with that code; for errors an
// operation does not declare, which the SDK cannot decode to a type.
func wantCode(t *testing.T, err error, code string) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	return ae
}

// result carries an SDK call's output and error so that call(...).must(t)
// can unwrap it in one expression.
type result[T any] struct {
	v   T
	err error
}

func call[T any](v T, err error) result[T] { return result[T]{v, err} }

// must fails the test when the call failed and returns its output.
func (r result[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func arnOf(f *fixture, kind, id string) string {
	return "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance + "/" + kind + "/" + id
}

// lookup finds the default hours and queue of the fixture's instance.
func (f *fixture) lookup(t *testing.T) {
	t.Helper()
	c := ctx(t)
	hs := call(f.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &f.instance})).must(t)
	for _, h := range hs.HoursOfOperationSummaryList {
		if *h.Name == "Basic Hours" {
			f.hours = *h.Id
		}
	}
	qs := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeStandard}})).must(t)
	for _, q := range qs.QueueSummaryList {
		if *q.Name == "BasicQueue" {
			f.queue = *q.Id
		}
	}
	if f.hours == "" || f.queue == "" {
		t.Fatalf("default hours %q or queue %q missing", f.hours, f.queue)
	}
}

func slice(h, m int32) *types.HoursOfOperationTimeSlice {
	return &types.HoursOfOperationTimeSlice{Hours: aws.Int32(h), Minutes: aws.Int32(m)}
}

// weekdays is Monday to Friday from start to end (whole hours).
func weekdays(start, end int32) []types.HoursOfOperationConfig {
	var out []types.HoursOfOperationConfig
	for _, d := range []types.HoursOfOperationDays{types.HoursOfOperationDaysMonday, types.HoursOfOperationDaysTuesday, types.HoursOfOperationDaysWednesday, types.HoursOfOperationDaysThursday, types.HoursOfOperationDaysFriday} {
		out = append(out, types.HoursOfOperationConfig{Day: d, StartTime: slice(start, 0), EndTime: slice(end, 0)})
	}
	return out
}

func (f *fixture) newHours(t *testing.T, name string) string {
	t.Helper()
	out := call(f.client.CreateHoursOfOperation(ctx(t), &connect.CreateHoursOfOperationInput{
		InstanceId: &f.instance, Name: aws.String(name), TimeZone: aws.String("Europe/London"), Config: weekdays(9, 17),
	})).must(t)
	return *out.HoursOfOperationId
}

func (f *fixture) newQueue(t *testing.T, name, hours string) string {
	t.Helper()
	out := call(f.client.CreateQueue(ctx(t), &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String(name), HoursOfOperationId: &hours})).must(t)
	return *out.QueueId
}

func qc(queue string, ch types.Channel, priority, delay int32) types.RoutingProfileQueueConfig {
	return types.RoutingProfileQueueConfig{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(queue), Channel: ch}, Priority: aws.Int32(priority), Delay: aws.Int32(delay)}
}

func voiceAndChat() []types.MediaConcurrency {
	return []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}, {Channel: types.ChannelChat, Concurrency: aws.Int32(2)}}
}

func (f *fixture) newRoutingProfile(t *testing.T, name, outbound string, configs ...types.RoutingProfileQueueConfig) string {
	t.Helper()
	out := call(f.client.CreateRoutingProfile(ctx(t), &connect.CreateRoutingProfileInput{
		InstanceId: &f.instance, Name: aws.String(name), Description: aws.String(name), DefaultOutboundQueueId: &outbound,
		MediaConcurrencies: voiceAndChat(), QueueConfigs: configs,
	})).must(t)
	return *out.RoutingProfileId
}

func recent(t *testing.T, what string, ts *time.Time) {
	t.Helper()
	if ts == nil || time.Since(*ts) > time.Minute || time.Since(*ts) < -time.Second {
		t.Errorf("%s LastModifiedTime %v is not now", what, ts)
	}
}

// TestTerraformLookupsOnFreshInstance replays what Terraform's data sources
// do on a new instance: find the default profiles, queue and hours by name
// through the List operations (security profiles paged 60 at a time), then
// describe each and read the Admin profile's permissions.
func TestTerraformLookupsOnFreshInstance(t *testing.T) {
	e := start(t, options{})
	c := ctx(t)
	instance := e.createInstance("terraform")

	sps := map[string]string{}
	var token *string
	for pages := 0; ; pages++ {
		out := call(e.client.ListSecurityProfiles(c, &connect.ListSecurityProfilesInput{InstanceId: &instance, MaxResults: aws.Int32(60), NextToken: token})).must(t)
		for _, s := range out.SecurityProfileSummaryList {
			sps[*s.Name] = *s.Id
			if !strings.HasSuffix(*s.Arn, "/security-profile/"+*s.Id) || *s.LastModifiedRegion != region {
				t.Errorf("summary %+v", s)
			}
		}
		if token = out.NextToken; token == nil || pages > 10 {
			break
		}
	}
	for _, name := range []string{"Admin", "Agent", "CallCenterManager"} {
		id, ok := sps[name]
		if !ok {
			t.Fatalf("security profile %s not listed: %v", name, sps)
		}
		d := call(e.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &instance, SecurityProfileId: &id})).must(t)
		p := d.SecurityProfile
		if *p.Id != id || *p.SecurityProfileName != name || *p.OrganizationResourceId != instance || !strings.HasSuffix(*p.Arn, instance+"/security-profile/"+id) {
			t.Errorf("DescribeSecurityProfile %s: %+v", name, p)
		}
		recent(t, name, p.LastModifiedTime)
	}
	var perms []string
	pg := connect.NewListSecurityProfilePermissionsPaginator(e.client, &connect.ListSecurityProfilePermissionsInput{InstanceId: &instance, SecurityProfileId: aws.String(sps["Admin"])})
	for pg.HasMorePages() {
		perms = append(perms, call(pg.NextPage(c)).must(t).Permissions...)
	}
	for _, want := range []string{"BasicAgentAccess", "Users.Create", "SecurityProfiles.Edit", "RoutingPolicies.Edit", "Queues.Create", "HoursOfOperation.Edit"} {
		if !contains(perms, want) {
			t.Errorf("Admin permissions %v lack %s", perms, want)
		}
	}

	var routing string
	rps := call(e.client.ListRoutingProfiles(c, &connect.ListRoutingProfilesInput{InstanceId: &instance})).must(t)
	for _, r := range rps.RoutingProfileSummaryList {
		if *r.Name == "Basic Routing Profile" {
			routing = *r.Id
		}
	}
	var queue string
	qs := call(e.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &instance})).must(t)
	for _, q := range qs.QueueSummaryList {
		if aws.ToString(q.Name) == "BasicQueue" && q.QueueType == types.QueueTypeStandard {
			queue = *q.Id
		}
	}
	var hours string
	hs := call(e.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &instance})).must(t)
	for _, h := range hs.HoursOfOperationSummaryList {
		if *h.Name == "Basic Hours" {
			hours = *h.Id
		}
	}
	if routing == "" || queue == "" || hours == "" {
		t.Fatalf("defaults not found: routing %q queue %q hours %q", routing, queue, hours)
	}

	rp := call(e.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &instance, RoutingProfileId: &routing})).must(t).RoutingProfile
	if *rp.Name != "Basic Routing Profile" || *rp.DefaultOutboundQueueId != queue || !rp.IsDefault || *rp.NumberOfAssociatedQueues != 1 || *rp.NumberOfAssociatedUsers != 0 || *rp.InstanceId != instance {
		t.Errorf("DescribeRoutingProfile: %+v", rp)
	}
	q := call(e.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &instance, QueueId: &queue})).must(t).Queue
	if *q.Name != "BasicQueue" || *q.HoursOfOperationId != hours || q.Status != types.QueueStatusEnabled || *q.QueueArn != "arn:aws:connect:"+region+":000000000000:instance/"+instance+"/queue/"+queue {
		t.Errorf("DescribeQueue: %+v", q)
	}
	h := call(e.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &instance, HoursOfOperationId: &hours})).must(t).HoursOfOperation
	if *h.Name != "Basic Hours" || *h.TimeZone == "" || len(h.Config) != 7 || !strings.HasSuffix(*h.HoursOfOperationArn, "/operating-hours/"+hours) {
		t.Errorf("DescribeHoursOfOperation: %+v", h)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSecurityProfileLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	created := call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{
		InstanceId: &f.instance, SecurityProfileName: aws.String("Team Lead_1"), Description: aws.String("leads"),
		Permissions:              []string{"BasicAgentAccess", "Users.View", "BasicAgentAccess"},
		AllowedAccessControlTags: map[string]string{"team": "red"}, TagRestrictedResources: []string{"User"},
		HierarchyRestrictedResources: []string{"User"},
		Tags:                         map[string]string{"owner": "ops"},
	})).must(t)
	id := *created.SecurityProfileId
	if *created.SecurityProfileArn != arnOf(f, "security-profile", id) {
		t.Errorf("SecurityProfileArn %s", *created.SecurityProfileArn)
	}
	describe := func() *types.SecurityProfile {
		t.Helper()
		return call(f.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id})).must(t).SecurityProfile
	}
	permissions := func() []string {
		t.Helper()
		return call(f.client.ListSecurityProfilePermissions(c, &connect.ListSecurityProfilePermissionsInput{InstanceId: &f.instance, SecurityProfileId: &id})).must(t).Permissions
	}
	p := describe()
	want := types.SecurityProfile{
		Id: &id, Arn: created.SecurityProfileArn, SecurityProfileName: aws.String("Team Lead_1"), Description: aws.String("leads"),
		OrganizationResourceId: &f.instance, AllowedAccessControlTags: map[string]string{"team": "red"}, TagRestrictedResources: []string{"User"},
		HierarchyRestrictedResources: []string{"User"}, Tags: map[string]string{"owner": "ops"},
		LastModifiedRegion: aws.String(region), LastModifiedTime: p.LastModifiedTime,
	}
	if !reflect.DeepEqual(*p, want) {
		t.Errorf("DescribeSecurityProfile\n got %+v\nwant %+v", *p, want)
	}
	recent(t, "created profile", p.LastModifiedTime)
	if got := permissions(); !reflect.DeepEqual(got, []string{"BasicAgentAccess", "Users.View"}) {
		t.Errorf("permissions %v (duplicates should be dropped)", got)
	}

	time.Sleep(5 * time.Millisecond)
	call(f.client.UpdateSecurityProfile(c, &connect.UpdateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id,
		Permissions: []string{"Queues.View"}, Description: aws.String("team leads")})).must(t)
	p2 := describe()
	if *p2.Description != "team leads" || !p2.LastModifiedTime.After(*p.LastModifiedTime) {
		t.Errorf("after update: %+v", p2)
	}
	if got := permissions(); !reflect.DeepEqual(got, []string{"Queues.View"}) {
		t.Errorf("permissions after replace %v", got)
	}
	// Members left out keep their values.
	call(f.client.UpdateSecurityProfile(c, &connect.UpdateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id, Description: aws.String("x")})).must(t)
	if got := permissions(); !reflect.DeepEqual(got, []string{"Queues.View"}) {
		t.Errorf("permissions changed by an update without Permissions: %v", got)
	}
	if p3 := describe(); !reflect.DeepEqual(p3.AllowedAccessControlTags, map[string]string{"team": "red"}) {
		t.Errorf("AllowedAccessControlTags changed by an update without them: %v", p3.AllowedAccessControlTags)
	}
	// An empty list clears.
	call(f.client.UpdateSecurityProfile(c, &connect.UpdateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id, Permissions: []string{}})).must(t)
	if got := permissions(); len(got) != 0 {
		t.Errorf("permissions after clearing: %v", got)
	}

	call(f.client.DeleteSecurityProfile(c, &connect.DeleteSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id})).must(t)
	_, err := f.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.DeleteSecurityProfile(c, &connect.DeleteSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.UpdateSecurityProfile(c, &connect.UpdateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &id, Description: aws.String("gone")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestSecurityProfileRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("taken")})).must(t)
	base := func(name string) *connect.CreateSecurityProfileInput {
		return &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String(name)}
	}
	tooMany := make([]string, 501)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("P.%d", i)
	}
	cases := []struct {
		name  string
		in    *connect.CreateSecurityProfileInput
		mut   func(*connect.CreateSecurityProfileInput)
		check func(error)
	}{
		{"name with allowed punctuation accepted", base("Ops team_2@x-y"), nil, nil},
		{"duplicate name", base("taken"), nil, func(err error) { wantErr[*types.DuplicateResourceException](t, err, "taken") }},
		{"name outside the pattern", base("ops/team"), nil, func(err error) { wantErr[*types.InvalidParameterException](t, err, "securityProfileName") }},
		{"name over 127 characters", base(strings.Repeat("n", 128)), nil, func(err error) { wantErr[*types.InvalidParameterException](t, err, "securityProfileName") }},
		{"500 permissions accepted", base("many"), func(in *connect.CreateSecurityProfileInput) { in.Permissions = tooMany[:500] }, nil},
		{"501 permissions refused", base("toomany"), func(in *connect.CreateSecurityProfileInput) { in.Permissions = tooMany }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "permissions")
		}},
		{"five access-control tags refused", base("tags5"), func(in *connect.CreateSecurityProfileInput) {
			in.AllowedAccessControlTags = map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "allowedAccessControlTags") }},
		{"hierarchy restriction on anything but User refused", base("hr"), func(in *connect.CreateSecurityProfileInput) {
			in.HierarchyRestrictedResources = []string{"Queue"}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "HierarchyRestrictedResources") }},
		{"unknown access-control hierarchy group", base("hg"), func(in *connect.CreateSecurityProfileInput) {
			in.AllowedAccessControlHierarchyGroupId = aws.String("no-such-group")
		}, func(err error) {
			wantErr[*types.ResourceNotFoundException](t, err, "AllowedAccessControlHierarchyGroupId")
		}},
		{"unknown instance", base("ni"), func(in *connect.CreateSecurityProfileInput) {
			in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
		}, func(err error) {
			wantErr[*types.ResourceNotFoundException](t, err)
		}},
		{"tag key with aws: prefix", base("awstag"), func(in *connect.CreateSecurityProfileInput) { in.Tags = map[string]string{"aws:x": "y"} }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mut != nil {
				tc.mut(tc.in)
			}
			_, err := f.client.CreateSecurityProfile(ctx(t), tc.in)
			if tc.check == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			tc.check(err)
		})
	}

	t.Run("quota", func(t *testing.T) {
		// The four default profiles count against the quota.
		q := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{SecurityProfilesPerInstance: 5}})
		call(q.client.CreateSecurityProfile(ctx(t), &connect.CreateSecurityProfileInput{InstanceId: &q.instance, SecurityProfileName: aws.String("fifth")})).must(t)
		_, err := q.client.CreateSecurityProfile(ctx(t), &connect.CreateSecurityProfileInput{InstanceId: &q.instance, SecurityProfileName: aws.String("sixth")})
		wantErr[*types.LimitExceededException](t, err, "security profiles")
	})
}

// TestSecurityProfileReferences proves both directions: a profile a user
// holds cannot be deleted, and a deleted profile cannot be given to a user.
func TestSecurityProfileReferences(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	sp := *call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("held")})).must(t).SecurityProfileId
	in := f.user("holder")
	in.SecurityProfileIds = []string{sp}
	user := f.create(t, in)

	_, err := f.client.DeleteSecurityProfile(c, &connect.DeleteSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &sp})
	e := wantErr[*types.ResourceInUseException](t, err, sp, user)
	if e.ResourceType != types.ResourceTypeUser || aws.ToString(e.ResourceId) != arnOf(f, "agent", user) {
		t.Errorf("ResourceType %q ResourceId %q, want USER and the user's ARN", e.ResourceType, aws.ToString(e.ResourceId))
	}

	call(f.client.UpdateUserSecurityProfiles(c, &connect.UpdateUserSecurityProfilesInput{InstanceId: &f.instance, UserId: &user, SecurityProfileIds: []string{f.agent}})).must(t)
	call(f.client.DeleteSecurityProfile(c, &connect.DeleteSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &sp})).must(t)

	_, err = f.client.UpdateUserSecurityProfiles(c, &connect.UpdateUserSecurityProfilesInput{InstanceId: &f.instance, UserId: &user, SecurityProfileIds: []string{sp}})
	wantErr[*types.ResourceNotFoundException](t, err)
	in = f.user("late")
	in.SecurityProfileIds = []string{sp}
	_, err = f.client.CreateUser(c, in)
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestSearchSecurityProfiles(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	for i, name := range []string{"Sales Agent", "Sales Lead", "Support Agent", "Support Lead", "Billing"} {
		in := &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String(name), Description: aws.String("profile " + name)}
		if i%2 == 0 {
			in.Tags = map[string]string{"tier": "one"}
		}
		call(f.client.CreateSecurityProfile(c, in)).must(t)
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.SecurityProfileSearchCriteria {
		return &types.SecurityProfileSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	search := func(crit *types.SecurityProfileSearchCriteria, filter *types.SecurityProfilesSearchFilter) []string {
		t.Helper()
		var names []string
		pg := connect.NewSearchSecurityProfilesPaginator(f.client, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, SearchCriteria: crit, SearchFilter: filter, MaxResults: aws.Int32(2)})
		for pg.HasMorePages() {
			out := call(pg.NextPage(c)).must(t)
			for _, p := range out.SecurityProfiles {
				names = append(names, *p.SecurityProfileName)
				if *p.OrganizationResourceId != f.instance || !strings.HasSuffix(*p.Arn, "/security-profile/"+*p.Id) {
					t.Errorf("summary %+v", p)
				}
			}
		}
		sort.Strings(names)
		return names
	}
	cases := []struct {
		name   string
		crit   *types.SecurityProfileSearchCriteria
		filter *types.SecurityProfilesSearchFilter
		want   []string
	}{
		{"no criteria returns every profile", nil, nil, []string{"Admin", "Agent", "Billing", "CallCenterManager", "QualityAnalyst", "Sales Agent", "Sales Lead", "Support Agent", "Support Lead"}},
		{"name CONTAINS is case-insensitive", str("name", "AGENT", types.StringComparisonTypeContains), nil, []string{"Agent", "Sales Agent", "Support Agent"}},
		{"name STARTS_WITH", str("name", "su", types.StringComparisonTypeStartsWith), nil, []string{"Support Agent", "Support Lead"}},
		{"name EXACT", str("name", "billing", types.StringComparisonTypeExact), nil, []string{"Billing"}},
		{"description CONTAINS", str("description", "profile s", types.StringComparisonTypeContains), nil, []string{"Sales Agent", "Sales Lead", "Support Agent", "Support Lead"}},
		{"OrConditions", &types.SecurityProfileSearchCriteria{OrConditions: []types.SecurityProfileSearchCriteria{*str("name", "Billing", types.StringComparisonTypeExact), *str("name", "Admin", types.StringComparisonTypeExact)}}, nil, []string{"Admin", "Billing"}},
		{"AndConditions", &types.SecurityProfileSearchCriteria{AndConditions: []types.SecurityProfileSearchCriteria{*str("name", "Sales", types.StringComparisonTypeStartsWith), *str("name", "Lead", types.StringComparisonTypeContains)}}, nil, []string{"Sales Lead"}},
		{"tag filter", nil, &types.SecurityProfilesSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("tier"), TagValue: aws.String("one")}}}, []string{"Billing", "Sales Agent", "Support Agent"}},
		{"criteria and tag filter together", str("name", "Agent", types.StringComparisonTypeContains), &types.SecurityProfilesSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("tier")}}}, []string{"Sales Agent", "Support Agent"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(tc.crit, tc.filter); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("ApproximateTotalCount counts every match", func(t *testing.T) {
		out := call(f.client.SearchSecurityProfiles(c, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, MaxResults: aws.Int32(1), SearchCriteria: str("name", "Lead", types.StringComparisonTypeContains)})).must(t)
		if len(out.SecurityProfiles) != 1 || aws.ToInt64(out.ApproximateTotalCount) != 2 || out.NextToken == nil {
			t.Errorf("%d results, total %d, next %v", len(out.SecurityProfiles), aws.ToInt64(out.ApproximateTotalCount), out.NextToken)
		}
	})
	t.Run("unsupported field is refused", func(t *testing.T) {
		_, err := f.client.SearchSecurityProfiles(c, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, SearchCriteria: str("Permissions", "x", types.StringComparisonTypeExact)})
		wantErr[*types.InvalidParameterException](t, err, "FieldName")
	})
	t.Run("MaxResults above 100 refused", func(t *testing.T) {
		_, err := f.client.SearchSecurityProfiles(c, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, MaxResults: aws.Int32(101)})
		wantErr[*types.InvalidParameterException](t, err, "maxResults")
	})
}

func TestHoursOfOperationLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	cfg := append(weekdays(9, 12), types.HoursOfOperationConfig{Day: types.HoursOfOperationDaysMonday, StartTime: slice(13, 0), EndTime: slice(17, 30)},
		types.HoursOfOperationConfig{Day: types.HoursOfOperationDaysSaturday, StartTime: slice(22, 0), EndTime: slice(0, 0)})
	created := call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{
		InstanceId: &f.instance, Name: aws.String("Support Hours"), Description: aws.String("support"), TimeZone: aws.String("Europe/Berlin"),
		Config: cfg, Tags: map[string]string{"team": "support"},
	})).must(t)
	id := *created.HoursOfOperationId
	if *created.HoursOfOperationArn != arnOf(f, "operating-hours", id) {
		t.Errorf("HoursOfOperationArn %s", *created.HoursOfOperationArn)
	}
	describe := func() *types.HoursOfOperation {
		t.Helper()
		return call(f.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id})).must(t).HoursOfOperation
	}
	h := describe()
	if *h.Name != "Support Hours" || *h.Description != "support" || *h.TimeZone != "Europe/Berlin" || !reflect.DeepEqual(h.Config, cfg) ||
		!reflect.DeepEqual(h.Tags, map[string]string{"team": "support"}) || *h.HoursOfOperationId != id || *h.LastModifiedRegion != region {
		t.Errorf("DescribeHoursOfOperation: %+v", h)
	}
	recent(t, "hours", h.LastModifiedTime)

	time.Sleep(5 * time.Millisecond)
	call(f.client.UpdateHoursOfOperation(c, &connect.UpdateHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id,
		Name: aws.String("Support Hours EU"), TimeZone: aws.String("UTC"), Config: weekdays(8, 16)})).must(t)
	h2 := describe()
	if *h2.Name != "Support Hours EU" || *h2.TimeZone != "UTC" || !reflect.DeepEqual(h2.Config, weekdays(8, 16)) || *h2.Description != "support" || !h2.LastModifiedTime.After(*h.LastModifiedTime) {
		t.Errorf("after update: %+v", h2)
	}
	_, err := f.client.UpdateHoursOfOperation(c, &connect.UpdateHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id, Name: aws.String("Basic Hours")})
	wantErr[*types.DuplicateResourceException](t, err, "Basic Hours")
	_, err = f.client.UpdateHoursOfOperation(c, &connect.UpdateHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id, TimeZone: aws.String("Mars/Olympus_Mons")})
	wantErr[*types.InvalidParameterException](t, err, "TimeZone")

	// In use by a queue: refused until the queue moves to other hours.
	queue := f.newQueue(t, "Support", id)
	_, err = f.client.DeleteHoursOfOperation(c, &connect.DeleteHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id})
	// DeleteHoursOfOperation does not declare ResourceInUseException, so the
	// SDK surfaces it untyped (docs/BEHAVIOUR.md).
	ae := wantCode(t, err, "ResourceInUseException")
	if !strings.Contains(ae.ErrorMessage(), queue) {
		t.Errorf("message %q does not name queue %s", ae.ErrorMessage(), queue)
	}
	call(f.client.UpdateQueueHoursOfOperation(c, &connect.UpdateQueueHoursOfOperationInput{InstanceId: &f.instance, QueueId: &queue, HoursOfOperationId: &f.hours})).must(t)
	call(f.client.DeleteHoursOfOperation(c, &connect.DeleteHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id})).must(t)
	_, err = f.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.DeleteHoursOfOperation(c, &connect.DeleteHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	// ...and deleted hours cannot be referenced.
	_, err = f.client.UpdateQueueHoursOfOperation(c, &connect.UpdateQueueHoursOfOperationInput{InstanceId: &f.instance, QueueId: &queue, HoursOfOperationId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, "HoursOfOperationId")
}

func TestHoursOfOperationRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	base := func(name string) *connect.CreateHoursOfOperationInput {
		return &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String(name), TimeZone: aws.String("America/Chicago"), Config: weekdays(9, 17)}
	}
	one := func(day types.HoursOfOperationDays, sh, sm, eh, em int32) types.HoursOfOperationConfig {
		return types.HoursOfOperationConfig{Day: day, StartTime: slice(sh, sm), EndTime: slice(eh, em)}
	}
	mon := types.HoursOfOperationDaysMonday
	cases := []struct {
		name  string
		in    *connect.CreateHoursOfOperationInput
		mut   func(*connect.CreateHoursOfOperationInput)
		check func(error)
	}{
		{"open all day with 00:00-00:00", base("allday"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 0, 0, 0, 0)}
		}, nil},
		{"open until midnight with EndTime 00:00", base("late"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 18, 0, 0, 0)}
		}, nil},
		{"no config at all (always closed)", base("closed"), func(in *connect.CreateHoursOfOperationInput) { in.Config = []types.HoursOfOperationConfig{} }, nil},
		{"a break splits a day", base("lunch"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 9, 0, 12, 0), one(mon, 12, 30, 17, 0)}
		}, nil},
		{"UTC is a zone", base("utc"), func(in *connect.CreateHoursOfOperationInput) { in.TimeZone = aws.String("UTC") }, nil},
		{"EndTime before StartTime is an overnight slot", base("night"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 22, 0, 2, 0)}
		}, nil},
		{"an overnight slot still may not overlap the same day", base("bad1"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 20, 0, 23, 0), one(mon, 22, 0, 2, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "overlaps") }},
		{"EndTime equal to StartTime", base("bad2"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 9, 30, 9, 30)}
		}, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "EndTime")
		}},
		{"overlapping entries of one day", base("bad3"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 9, 0, 12, 0), one(mon, 11, 0, 14, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "overlaps") }},
		{"hour 24", base("bad4"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 9, 0, 24, 0)}
		}, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "hours")
		}},
		{"minute 60", base("bad5"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one(mon, 9, 60, 10, 0)}
		}, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "minutes")
		}},
		{"unknown day", base("bad6"), func(in *connect.CreateHoursOfOperationInput) {
			in.Config = []types.HoursOfOperationConfig{one("FUNDAY", 9, 0, 10, 0)}
		}, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "day")
		}},
		{"time zone that does not exist", base("bad7"), func(in *connect.CreateHoursOfOperationInput) { in.TimeZone = aws.String("America/Atlantis") }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "TimeZone", "America/Atlantis")
		}},
		{"empty time zone", base("bad8"), func(in *connect.CreateHoursOfOperationInput) { in.TimeZone = aws.String("") }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "TimeZone")
		}},
		{"Local is not a zone name", base("bad9"), func(in *connect.CreateHoursOfOperationInput) { in.TimeZone = aws.String("Local") }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "TimeZone")
		}},
		{"duplicate name", base("Basic Hours"), nil, func(err error) { wantErr[*types.DuplicateResourceException](t, err, "Basic Hours") }},
		{"name over 127 characters", base(strings.Repeat("h", 128)), nil, func(err error) { wantErr[*types.InvalidParameterException](t, err, "name") }},
		{"child hours are not supported", base("child"), func(in *connect.CreateHoursOfOperationInput) {
			in.ParentHoursOfOperationConfigs = []types.ParentHoursOfOperationConfig{{HoursOfOperationId: aws.String("x")}}
		}, func(err error) { wantErr[*types.InvalidRequestException](t, err, "ParentHoursOfOperationConfigs") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mut != nil {
				tc.mut(tc.in)
			}
			_, err := f.client.CreateHoursOfOperation(ctx(t), tc.in)
			if tc.check == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			tc.check(err)
		})
	}
	t.Run("quota", func(t *testing.T) {
		q := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{HoursPerInstance: 2}})
		q.newHours(t, "second")
		_, err := q.client.CreateHoursOfOperation(ctx(t), &connect.CreateHoursOfOperationInput{InstanceId: &q.instance, Name: aws.String("third"), TimeZone: aws.String("UTC"), Config: weekdays(9, 17)})
		wantErr[*types.ServiceQuotaExceededException](t, err, "hours of operation")
	})
}

func TestQueueLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	hours := f.newHours(t, "Queue Hours")
	created := call(f.client.CreateQueue(c, &connect.CreateQueueInput{
		InstanceId: &f.instance, Name: aws.String("Billing"), Description: aws.String("billing questions"), HoursOfOperationId: &hours,
		MaxContacts: aws.Int32(25), OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Example Billing")},
		Tags: map[string]string{"dept": "finance"},
	})).must(t)
	id := *created.QueueId
	if *created.QueueArn != arnOf(f, "queue", id) {
		t.Errorf("QueueArn %s", *created.QueueArn)
	}
	describe := func() *types.Queue {
		t.Helper()
		return call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &id})).must(t).Queue
	}
	q := describe()
	want := types.Queue{
		QueueId: &id, QueueArn: created.QueueArn, Name: aws.String("Billing"), Description: aws.String("billing questions"), HoursOfOperationId: &hours,
		MaxContacts: aws.Int32(25), OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Example Billing")},
		Status: types.QueueStatusEnabled, Tags: map[string]string{"dept": "finance"}, LastModifiedRegion: aws.String(region), LastModifiedTime: q.LastModifiedTime,
	}
	if !reflect.DeepEqual(*q, want) {
		t.Errorf("DescribeQueue\n got %+v\nwant %+v", *q, want)
	}
	recent(t, "queue", q.LastModifiedTime)

	step := updateSteps(t, *q.LastModifiedTime, describe, func(q *types.Queue) *time.Time { return q.LastModifiedTime })
	call(f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &id, Name: aws.String("Billing EU")})).must(t)
	step("UpdateQueueName", func(q *types.Queue) bool { return *q.Name == "Billing EU" && *q.Description == "billing questions" })
	call(f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &id, Description: aws.String("EU billing")})).must(t)
	step("UpdateQueueName (description only)", func(q *types.Queue) bool { return *q.Name == "Billing EU" && *q.Description == "EU billing" })
	call(f.client.UpdateQueueStatus(c, &connect.UpdateQueueStatusInput{InstanceId: &f.instance, QueueId: &id, Status: types.QueueStatusDisabled})).must(t)
	step("UpdateQueueStatus", func(q *types.Queue) bool { return q.Status == types.QueueStatusDisabled })
	call(f.client.UpdateQueueHoursOfOperation(c, &connect.UpdateQueueHoursOfOperationInput{InstanceId: &f.instance, QueueId: &id, HoursOfOperationId: &f.hours})).must(t)
	step("UpdateQueueHoursOfOperation", func(q *types.Queue) bool { return *q.HoursOfOperationId == f.hours })
	call(f.client.UpdateQueueMaxContacts(c, &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &id, MaxContacts: aws.Int32(0)})).must(t)
	step("UpdateQueueMaxContacts 0", func(q *types.Queue) bool { return q.MaxContacts != nil && *q.MaxContacts == 0 })
	call(f.client.UpdateQueueMaxContacts(c, &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &id})).must(t)
	step("UpdateQueueMaxContacts without a value", func(q *types.Queue) bool { return q.MaxContacts == nil })

	// The hours the queue left are free again.
	call(f.client.DeleteHoursOfOperation(c, &connect.DeleteHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &hours})).must(t)

	std := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeStandard}})).must(t)
	var names []string
	for _, s := range std.QueueSummaryList {
		names = append(names, *s.Name)
	}
	if sort.Strings(names); !reflect.DeepEqual(names, []string{"BasicQueue", "Billing EU"}) {
		t.Errorf("STANDARD queues %v", names)
	}

	call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &id})).must(t)
	_, err := f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestQueueRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	other := f.newQueue(t, "Other", f.hours)
	user := f.create(t, f.user("agentq"))
	var agentQueue string
	aq := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}})).must(t)
	if len(aq.QueueSummaryList) != 1 {
		t.Fatalf("agent queues %+v", aq.QueueSummaryList)
	}
	agentQueue = *aq.QueueSummaryList[0].Id

	t.Run("CreateQueue needs existing hours", func(t *testing.T) {
		_, err := f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("nohours"), HoursOfOperationId: aws.String("no-such-hours")})
		wantErr[*types.ResourceNotFoundException](t, err, "HoursOfOperationId", "no-such-hours")
	})
	t.Run("duplicate name on create", func(t *testing.T) {
		_, err := f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("BasicQueue"), HoursOfOperationId: &f.hours})
		wantErr[*types.DuplicateResourceException](t, err, "BasicQueue")
	})
	t.Run("duplicate name on rename", func(t *testing.T) {
		_, err := f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &other, Name: aws.String("BasicQueue")})
		wantErr[*types.DuplicateResourceException](t, err, "BasicQueue")
	})
	t.Run("UpdateQueueName needs Name or Description", func(t *testing.T) {
		_, err := f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &other})
		wantErr[*types.InvalidParameterException](t, err, "Name", "Description")
	})
	t.Run("unknown status", func(t *testing.T) {
		_, err := f.client.UpdateQueueStatus(c, &connect.UpdateQueueStatusInput{InstanceId: &f.instance, QueueId: &other, Status: "PAUSED"})
		wantErr[*types.InvalidParameterException](t, err, "status")
	})
	t.Run("negative MaxContacts", func(t *testing.T) {
		_, err := f.client.UpdateQueueMaxContacts(c, &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &other, MaxContacts: aws.Int32(-1)})
		wantErr[*types.InvalidParameterException](t, err, "maxContacts")
	})
	t.Run("unknown queue", func(t *testing.T) {
		_, err := f.client.UpdateQueueStatus(c, &connect.UpdateQueueStatusInput{InstanceId: &f.instance, QueueId: aws.String("no-such-queue"), Status: types.QueueStatusEnabled})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
	})
	t.Run("AGENT queues cannot be changed or deleted", func(t *testing.T) {
		_, err := f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &agentQueue, Name: aws.String("mine")})
		wantErr[*types.InvalidRequestException](t, err, agentQueue, "AGENT")
		_, err = f.client.UpdateQueueStatus(c, &connect.UpdateQueueStatusInput{InstanceId: &f.instance, QueueId: &agentQueue, Status: types.QueueStatusDisabled})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		_, err = f.client.UpdateQueueHoursOfOperation(c, &connect.UpdateQueueHoursOfOperationInput{InstanceId: &f.instance, QueueId: &agentQueue, HoursOfOperationId: &f.hours})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		_, err = f.client.UpdateQueueMaxContacts(c, &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &agentQueue, MaxContacts: aws.Int32(1)})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		_, err = f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &agentQueue})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		// It goes with its user.
		call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &user})).must(t)
		_, err = f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &agentQueue})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("a queue a routing profile uses cannot be deleted", func(t *testing.T) {
		q := f.newQueue(t, "used", f.hours)
		rp := f.newRoutingProfile(t, "uses queue", f.queue, qc(q, types.ChannelChat, 1, 0))
		_, err := f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})
		e := wantErr[*types.ResourceInUseException](t, err, q, rp)
		if aws.ToString(e.ResourceId) != arnOf(f, "routing-profile", rp) || e.ResourceType != "" {
			t.Errorf("ResourceType %q ResourceId %q, want no type and the routing profile's ARN", e.ResourceType, aws.ToString(e.ResourceId))
		}
		call(f.client.DisassociateRoutingProfileQueues(c, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp,
			QueueReferences: []types.RoutingProfileQueueReference{{QueueId: &q, Channel: types.ChannelChat}}})).must(t)
		call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})).must(t)
	})
	t.Run("a default outbound queue cannot be deleted", func(t *testing.T) {
		q := f.newQueue(t, "outbound only", f.hours)
		rp := f.newRoutingProfile(t, "dials out", q)
		_, err := f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})
		wantErr[*types.ResourceInUseException](t, err, q, rp)
		call(f.client.UpdateRoutingProfileDefaultOutboundQueue(c, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: &f.instance, RoutingProfileId: &rp, DefaultOutboundQueueId: &f.queue})).must(t)
		call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})).must(t)
	})
	t.Run("a manual-assignment queue cannot be deleted", func(t *testing.T) {
		q := f.newQueue(t, "manual", f.hours)
		ref := &types.RoutingProfileQueueReference{QueueId: &q, Channel: types.ChannelTask}
		rp := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{
			InstanceId: &f.instance, Name: aws.String("picks work"), Description: aws.String("d"), DefaultOutboundQueueId: &f.queue,
			MediaConcurrencies: voiceAndChat(), ManualAssignmentQueueConfigs: []types.RoutingProfileManualAssignmentQueueConfig{{QueueReference: ref}},
		})).must(t).RoutingProfileId
		d := call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &rp})).must(t).RoutingProfile
		if aws.ToInt64(d.NumberOfAssociatedManualAssignmentQueues) != 1 || aws.ToInt64(d.NumberOfAssociatedQueues) != 0 {
			t.Errorf("manual %v, queues %v", d.NumberOfAssociatedManualAssignmentQueues, d.NumberOfAssociatedQueues)
		}
		_, err := f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})
		wantErr[*types.ResourceInUseException](t, err, q, rp)
		call(f.client.DisassociateRoutingProfileQueues(c, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp,
			ManualAssignmentQueueReferences: []types.RoutingProfileQueueReference{*ref}})).must(t)
		call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})).must(t)
	})
	t.Run("quota counts STANDARD queues only", func(t *testing.T) {
		q := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{QueuesPerInstance: 2}})
		q.lookup(t)
		// Users bring AGENT queues; they do not count.
		q.create(t, q.user("a1"))
		q.create(t, q.user("a2"))
		q.newQueue(t, "second", q.hours)
		_, err := q.client.CreateQueue(ctx(t), &connect.CreateQueueInput{InstanceId: &q.instance, Name: aws.String("third"), HoursOfOperationId: &q.hours})
		wantErr[*types.LimitExceededException](t, err, "queues")
	})
}

func TestRoutingProfileLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	sales := f.newQueue(t, "Sales", f.hours)
	support := f.newQueue(t, "Support", f.hours)
	created := call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{
		InstanceId: &f.instance, Name: aws.String("Front Line"), Description: aws.String("first line"), DefaultOutboundQueueId: &sales,
		MediaConcurrencies: []types.MediaConcurrency{
			{Channel: types.ChannelTask, Concurrency: aws.Int32(10)},
			{Channel: types.ChannelChat, Concurrency: aws.Int32(3), CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}},
			{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)},
		},
		QueueConfigs:           []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0), qc(sales, types.ChannelChat, 2, 30), qc(support, types.ChannelChat, 5, 60)},
		AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastInbound,
		Tags:                   map[string]string{"tier": "1"},
	})).must(t)
	id := *created.RoutingProfileId
	if *created.RoutingProfileArn != arnOf(f, "routing-profile", id) {
		t.Errorf("RoutingProfileArn %s", *created.RoutingProfileArn)
	}
	describe := func() *types.RoutingProfile {
		t.Helper()
		return call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &id})).must(t).RoutingProfile
	}
	current := types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteCurrentChannelOnly}
	rp := describe()
	want := types.RoutingProfile{
		RoutingProfileId: &id, RoutingProfileArn: created.RoutingProfileArn, InstanceId: &f.instance, Name: aws.String("Front Line"), Description: aws.String("first line"),
		DefaultOutboundQueueId: &sales, AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastInbound,
		MediaConcurrencies: []types.MediaConcurrency{
			{Channel: types.ChannelVoice, Concurrency: aws.Int32(1), CrossChannelBehavior: &current},
			{Channel: types.ChannelChat, Concurrency: aws.Int32(3), CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}},
			{Channel: types.ChannelTask, Concurrency: aws.Int32(10), CrossChannelBehavior: &current},
		},
		NumberOfAssociatedQueues: aws.Int64(2), NumberOfAssociatedUsers: aws.Int64(0), Tags: map[string]string{"tier": "1"},
		LastModifiedRegion: aws.String(region), LastModifiedTime: rp.LastModifiedTime,
	}
	if !reflect.DeepEqual(*rp, want) {
		t.Errorf("DescribeRoutingProfile\n got %+v\nwant %+v", *rp, want)
	}
	recent(t, "routing profile", rp.LastModifiedTime)

	listQueues := func() []types.RoutingProfileQueueConfigSummary {
		t.Helper()
		var all []types.RoutingProfileQueueConfigSummary
		pg := connect.NewListRoutingProfileQueuesPaginator(f.client, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &id, MaxResults: aws.Int32(2)})
		for pg.HasMorePages() {
			out := call(pg.NextPage(c)).must(t)
			recent(t, "ListRoutingProfileQueues", out.LastModifiedTime)
			all = append(all, out.RoutingProfileQueueConfigSummaryList...)
		}
		return all
	}
	summary := func(q, name string, ch types.Channel, p, d int32) types.RoutingProfileQueueConfigSummary {
		return types.RoutingProfileQueueConfigSummary{QueueId: aws.String(q), QueueArn: aws.String(arnOf(f, "queue", q)), QueueName: aws.String(name), Channel: ch, Priority: aws.Int32(p), Delay: d}
	}
	if got, want := listQueues(), []types.RoutingProfileQueueConfigSummary{summary(sales, "Sales", types.ChannelVoice, 1, 0), summary(sales, "Sales", types.ChannelChat, 2, 30), summary(support, "Support", types.ChannelChat, 5, 60)}; !reflect.DeepEqual(got, want) {
		t.Errorf("ListRoutingProfileQueues\n got %+v\nwant %+v", got, want)
	}

	// Users are counted.
	in := f.user("frontline")
	in.RoutingProfileId = &id
	user := f.create(t, in)
	if n := *describe().NumberOfAssociatedUsers; n != 1 {
		t.Errorf("NumberOfAssociatedUsers %d after CreateUser", n)
	}

	step := updateSteps(t, *describe().LastModifiedTime, describe, func(r *types.RoutingProfile) *time.Time { return r.LastModifiedTime })
	call(f.client.UpdateRoutingProfileName(c, &connect.UpdateRoutingProfileNameInput{InstanceId: &f.instance, RoutingProfileId: &id, Name: aws.String("Front Line EU")})).must(t)
	step("UpdateRoutingProfileName", func(r *types.RoutingProfile) bool {
		return *r.Name == "Front Line EU" && *r.Description == "first line"
	})
	call(f.client.UpdateRoutingProfileConcurrency(c, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: &f.instance, RoutingProfileId: &id,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}, {Channel: types.ChannelEmail, Concurrency: aws.Int32(4)}}})).must(t)
	step("UpdateRoutingProfileConcurrency", func(r *types.RoutingProfile) bool {
		return len(r.MediaConcurrencies) == 2 && r.MediaConcurrencies[1].Channel == types.ChannelEmail && *r.MediaConcurrencies[1].Concurrency == 4
	})
	call(f.client.UpdateRoutingProfileDefaultOutboundQueue(c, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: &f.instance, RoutingProfileId: &id, DefaultOutboundQueueId: &f.queue})).must(t)
	step("UpdateRoutingProfileDefaultOutboundQueue", func(r *types.RoutingProfile) bool { return *r.DefaultOutboundQueueId == f.queue })
	call(f.client.UpdateRoutingProfileAgentAvailabilityTimer(c, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: &f.instance, RoutingProfileId: &id, AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastActivity})).must(t)
	step("UpdateRoutingProfileAgentAvailabilityTimer", func(r *types.RoutingProfile) bool {
		return r.AgentAvailabilityTimer == types.AgentAvailabilityTimerTimeSinceLastActivity
	})
	call(f.client.UpdateRoutingProfileQueues(c, &connect.UpdateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &id, QueueConfigs: []types.RoutingProfileQueueConfig{qc(support, types.ChannelChat, 9, 99)}})).must(t)
	step("UpdateRoutingProfileQueues", func(r *types.RoutingProfile) bool { return *r.NumberOfAssociatedQueues == 2 })
	if got := listQueues(); len(got) != 3 || *got[2].Priority != 9 || got[2].Delay != 99 {
		t.Errorf("after UpdateRoutingProfileQueues: %+v", got)
	}
	billing := f.newQueue(t, "Billing", f.hours)
	call(f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &id,
		QueueConfigs: []types.RoutingProfileQueueConfig{qc(billing, types.ChannelTask, 3, 0), qc(sales, types.ChannelVoice, 4, 4)}})).must(t)
	step("AssociateRoutingProfileQueues", func(r *types.RoutingProfile) bool { return *r.NumberOfAssociatedQueues == 3 })
	if got := listQueues(); len(got) != 4 || *got[0].Priority != 4 || *got[3].QueueId != billing {
		t.Errorf("after AssociateRoutingProfileQueues (re-associating sales/VOICE updates it in place): %+v", got)
	}
	call(f.client.DisassociateRoutingProfileQueues(c, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &id,
		QueueReferences: []types.RoutingProfileQueueReference{{QueueId: &sales, Channel: types.ChannelVoice}, {QueueId: &sales, Channel: types.ChannelChat}, {QueueId: &billing, Channel: types.ChannelVoice}}})).must(t)
	step("DisassociateRoutingProfileQueues", func(r *types.RoutingProfile) bool { return *r.NumberOfAssociatedQueues == 2 })

	// Queues the profile no longer uses can go; the ones it uses cannot.
	call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &sales})).must(t)
	_, err := f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &billing})
	wantErr[*types.ResourceInUseException](t, err, billing)
	_, err = f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &f.queue})
	wantErr[*types.ResourceInUseException](t, err)

	// A profile a user holds cannot be deleted.
	_, err = f.client.DeleteRoutingProfile(c, &connect.DeleteRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &id})
	e := wantErr[*types.ResourceInUseException](t, err, id, user)
	if e.ResourceType != types.ResourceTypeUser || aws.ToString(e.ResourceId) != arnOf(f, "agent", user) {
		t.Errorf("ResourceType %q ResourceId %q", e.ResourceType, aws.ToString(e.ResourceId))
	}
	call(f.client.UpdateUserRoutingProfile(c, &connect.UpdateUserRoutingProfileInput{InstanceId: &f.instance, UserId: &user, RoutingProfileId: &f.routing})).must(t)
	call(f.client.DeleteRoutingProfile(c, &connect.DeleteRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &id})).must(t)
	_, err = f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.UpdateUserRoutingProfile(c, &connect.UpdateUserRoutingProfileInput{InstanceId: &f.instance, UserId: &user, RoutingProfileId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	// With the profile gone its queues are free.
	call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &billing})).must(t)
	call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &support})).must(t)
}

func TestRoutingProfileRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	f.create(t, f.user("owner"))
	aq := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}})).must(t)
	agentQueue := *aq.QueueSummaryList[0].Id
	existing := f.newRoutingProfile(t, "Existing", f.queue, qc(f.queue, types.ChannelVoice, 1, 0))

	base := func(name string) *connect.CreateRoutingProfileInput {
		return &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String(name), Description: aws.String("d"), DefaultOutboundQueueId: aws.String(f.queue), MediaConcurrencies: voiceAndChat()}
	}
	mc := func(ch types.Channel, n int32) []types.MediaConcurrency {
		return []types.MediaConcurrency{{Channel: ch, Concurrency: aws.Int32(n)}}
	}
	var eleven []types.RoutingProfileQueueConfig
	for _, ch := range []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask, types.ChannelEmail} {
		for p := int32(1); p <= 3; p++ {
			eleven = append(eleven, qc(f.queue, ch, p, 0))
		}
	}
	eleven = eleven[:11]
	cases := []struct {
		name  string
		in    *connect.CreateRoutingProfileInput
		mut   func(*connect.CreateRoutingProfileInput)
		check func(error)
	}{
		{"chat only, no voice", base("chat"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelChat, 10) }, nil},
		{"EMAIL up to 10", base("email"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelEmail, 10) }, nil},
		{"no queue configs (outbound only)", base("outbound"), nil, nil},
		{"VOICE concurrency 2", base("v2"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelVoice, 2) }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "MediaConcurrencies", "VOICE")
		}},
		{"CHAT concurrency 11", base("c11"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelChat, 11) }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "concurrency")
		}},
		{"TASK concurrency 0", base("t0"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelTask, 0) }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "concurrency")
		}},
		{"EMAIL concurrency 11", base("e11"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc(types.ChannelEmail, 11) }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "concurrency")
		}},
		{"a channel twice", base("twice"), func(in *connect.CreateRoutingProfileInput) {
			in.MediaConcurrencies = append(mc(types.ChannelChat, 1), mc(types.ChannelChat, 2)...)
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "MediaConcurrencies", "CHAT") }},
		{"no channels", base("none"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = []types.MediaConcurrency{} }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "MediaConcurrencies")
		}},
		{"unknown channel", base("fax"), func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = mc("FAX", 1) }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "channel")
		}},
		{"11 queue configs", base("q11"), func(in *connect.CreateRoutingProfileInput) { in.QueueConfigs = eleven }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "queueConfigs")
		}},
		{"priority 100", base("p100"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelVoice, 100, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "priority") }},
		{"priority 0", base("p0"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelVoice, 0, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "priority") }},
		{"delay 10000", base("d10000"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelVoice, 1, 10000)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "delay") }},
		{"priority 99 and delay 9999 accepted", base("edges"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelVoice, 99, 9999)}
		}, nil},
		{"the same queue and channel twice", base("dupq"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelVoice, 1, 0), qc(f.queue, types.ChannelVoice, 2, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "QueueConfigs") }},
		{"unknown default outbound queue", base("nodq"), func(in *connect.CreateRoutingProfileInput) { in.DefaultOutboundQueueId = aws.String("no-such-queue") }, func(err error) {
			wantErr[*types.ResourceNotFoundException](t, err, "DefaultOutboundQueueId", "no-such-queue")
		}},
		{"unknown queue in QueueConfigs", base("noq"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc("no-such-queue", types.ChannelChat, 1, 0)}
		}, func(err error) { wantErr[*types.ResourceNotFoundException](t, err, "QueueConfigs", "no-such-queue") }},
		{"AGENT queue as default outbound queue", base("agentdq"), func(in *connect.CreateRoutingProfileInput) { in.DefaultOutboundQueueId = &agentQueue }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "DefaultOutboundQueueId", "AGENT")
		}},
		{"AGENT queue in QueueConfigs", base("agentq"), func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(agentQueue, types.ChannelVoice, 1, 0)}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "QueueConfigs", "AGENT") }},
		{"duplicate name", base("Basic Routing Profile"), nil, func(err error) { wantErr[*types.DuplicateResourceException](t, err, "Basic Routing Profile") }},
		{"description is required", base("nodesc"), func(in *connect.CreateRoutingProfileInput) { in.Description = aws.String("") }, func(err error) {
			wantErr[*types.InvalidParameterException](t, err, "description")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mut != nil {
				tc.mut(tc.in)
			}
			_, err := f.client.CreateRoutingProfile(ctx(t), tc.in)
			if tc.check == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			tc.check(err)
		})
	}

	t.Run("rename to a taken name", func(t *testing.T) {
		_, err := f.client.UpdateRoutingProfileName(c, &connect.UpdateRoutingProfileNameInput{InstanceId: &f.instance, RoutingProfileId: &existing, Name: aws.String("Basic Routing Profile")})
		wantErr[*types.DuplicateResourceException](t, err, "Basic Routing Profile")
	})
	t.Run("UpdateRoutingProfileName needs Name or Description", func(t *testing.T) {
		_, err := f.client.UpdateRoutingProfileName(c, &connect.UpdateRoutingProfileNameInput{InstanceId: &f.instance, RoutingProfileId: &existing})
		wantErr[*types.InvalidParameterException](t, err, "Name", "Description")
	})
	t.Run("UpdateRoutingProfileConcurrency applies the channel rules", func(t *testing.T) {
		_, err := f.client.UpdateRoutingProfileConcurrency(c, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: &f.instance, RoutingProfileId: &existing, MediaConcurrencies: mc(types.ChannelVoice, 3)})
		wantErr[*types.InvalidParameterException](t, err, "VOICE")
	})
	t.Run("UpdateRoutingProfileDefaultOutboundQueue needs an existing queue", func(t *testing.T) {
		_, err := f.client.UpdateRoutingProfileDefaultOutboundQueue(c, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: &f.instance, RoutingProfileId: &existing, DefaultOutboundQueueId: aws.String("gone")})
		wantErr[*types.ResourceNotFoundException](t, err, "DefaultOutboundQueueId")
	})
	t.Run("UpdateRoutingProfileQueues only changes associated queues", func(t *testing.T) {
		_, err := f.client.UpdateRoutingProfileQueues(c, &connect.UpdateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &existing, QueueConfigs: []types.RoutingProfileQueueConfig{qc(f.queue, types.ChannelChat, 1, 0)}})
		wantErr[*types.InvalidParameterException](t, err, "QueueConfigs", "AssociateRoutingProfileQueues")
	})
	t.Run("AssociateRoutingProfileQueues needs existing queues", func(t *testing.T) {
		_, err := f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &existing, QueueConfigs: []types.RoutingProfileQueueConfig{qc("nope", types.ChannelChat, 1, 0)}})
		wantErr[*types.ResourceNotFoundException](t, err, "nope")
	})
	t.Run("AssociateRoutingProfileQueues needs something to associate", func(t *testing.T) {
		_, err := f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &existing})
		wantErr[*types.InvalidParameterException](t, err, "QueueConfigs")
	})
	t.Run("DisassociateRoutingProfileQueues takes at most 10 references", func(t *testing.T) {
		refs := make([]types.RoutingProfileQueueReference, 11)
		for i := range refs {
			refs[i] = types.RoutingProfileQueueReference{QueueId: aws.String(fmt.Sprint("q", i)), Channel: types.ChannelVoice}
		}
		_, err := f.client.DisassociateRoutingProfileQueues(c, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &existing, QueueReferences: refs})
		wantErr[*types.InvalidParameterException](t, err, "QueueReferences")
	})
	t.Run("DisassociateRoutingProfileQueues ignores queues the profile does not have", func(t *testing.T) {
		call(f.client.DisassociateRoutingProfileQueues(c, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &existing,
			QueueReferences: []types.RoutingProfileQueueReference{{QueueId: aws.String("never"), Channel: types.ChannelTask}}})).must(t)
	})
	t.Run("ListRoutingProfileQueues of an unknown profile", func(t *testing.T) {
		_, err := f.client.ListRoutingProfileQueues(c, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: aws.String("nope")})
		wantErr[*types.ResourceNotFoundException](t, err, "nope")
	})
	t.Run("at most 50 queue and channel combinations", func(t *testing.T) {
		var configs []types.RoutingProfileQueueConfig
		for i := 0; i < 13; i++ {
			q := f.newQueue(t, fmt.Sprint("combo", i), f.hours)
			for _, ch := range []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask, types.ChannelEmail} {
				configs = append(configs, qc(q, ch, 1, 0))
			}
		}
		rp := f.newRoutingProfile(t, "combos", f.queue)
		// Existing has nothing else; 50 combinations fit, the 51st does not.
		for len(configs) > 2 {
			n := min(10, len(configs)-2)
			call(f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp, QueueConfigs: configs[:n]})).must(t)
			configs = configs[n:]
		}
		_, err := f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp, QueueConfigs: configs[:1]})
		wantErr[*types.InvalidParameterException](t, err, "50")
	})
	t.Run("quota", func(t *testing.T) {
		q := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{RoutingProfilesPerInstance: 2}})
		q.lookup(t)
		q.newRoutingProfile(t, "second", q.queue)
		_, err := q.client.CreateRoutingProfile(ctx(t), &connect.CreateRoutingProfileInput{InstanceId: &q.instance, Name: aws.String("third"), Description: aws.String("d"), DefaultOutboundQueueId: &q.queue, MediaConcurrencies: voiceAndChat()})
		wantErr[*types.LimitExceededException](t, err, "routing profiles")
	})
}

// TestResourceListsPage walks every list of these resources in small pages
// and checks each record is seen exactly once.
func TestResourceListsPage(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	for i := 0; i < 7; i++ {
		call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String(fmt.Sprint("sp", i))})).must(t)
		f.newHours(t, fmt.Sprint("hours", i))
		q := f.newQueue(t, fmt.Sprint("queue", i), f.hours)
		f.newRoutingProfile(t, fmt.Sprint("rp", i), q)
		f.create(t, f.user(fmt.Sprint("u", i)))
	}
	// Defaults plus seven of each; queues also have the seven AGENT queues.
	want := map[string]int{"security profiles": 4 + 7, "hours": 1 + 7, "queues": 1 + 7 + 7, "routing profiles": 1 + 7, "STANDARD queues": 1 + 7}
	got := map[string]map[string]int{}
	seen := func(list, id string) {
		if got[list] == nil {
			got[list] = map[string]int{}
		}
		got[list][id]++
	}
	sp := connect.NewListSecurityProfilesPaginator(f.client, &connect.ListSecurityProfilesInput{InstanceId: &f.instance, MaxResults: aws.Int32(3)})
	for sp.HasMorePages() {
		for _, s := range call(sp.NextPage(c)).must(t).SecurityProfileSummaryList {
			seen("security profiles", *s.Id)
		}
	}
	hp := connect.NewListHoursOfOperationsPaginator(f.client, &connect.ListHoursOfOperationsInput{InstanceId: &f.instance, MaxResults: aws.Int32(3)})
	for hp.HasMorePages() {
		for _, s := range call(hp.NextPage(c)).must(t).HoursOfOperationSummaryList {
			seen("hours", *s.Id)
		}
	}
	qp := connect.NewListQueuesPaginator(f.client, &connect.ListQueuesInput{InstanceId: &f.instance, MaxResults: aws.Int32(4)})
	for qp.HasMorePages() {
		for _, s := range call(qp.NextPage(c)).must(t).QueueSummaryList {
			seen("queues", *s.Id)
		}
	}
	sq := connect.NewListQueuesPaginator(f.client, &connect.ListQueuesInput{InstanceId: &f.instance, MaxResults: aws.Int32(3), QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	for sq.HasMorePages() {
		for _, s := range call(sq.NextPage(c)).must(t).QueueSummaryList {
			if s.QueueType != types.QueueTypeStandard {
				t.Errorf("STANDARD filter returned %+v", s)
			}
			seen("STANDARD queues", *s.Id)
		}
	}
	rp := connect.NewListRoutingProfilesPaginator(f.client, &connect.ListRoutingProfilesInput{InstanceId: &f.instance, MaxResults: aws.Int32(3)})
	for rp.HasMorePages() {
		for _, s := range call(rp.NextPage(c)).must(t).RoutingProfileSummaryList {
			seen("routing profiles", *s.Id)
		}
	}
	for list, n := range want {
		if len(got[list]) != n {
			t.Errorf("%s: walked %d, want %d", list, len(got[list]), n)
		}
		for id, times := range got[list] {
			if times != 1 {
				t.Errorf("%s: %s seen %d times", list, id, times)
			}
		}
	}
	_, err := f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, NextToken: aws.String("not-a-token")})
	wantErr[*types.InvalidParameterException](t, err, "nextToken")
}

// TestResourceTags checks the Tags given at creation and the tagging
// operations on each resource's ARN.
func TestResourceTags(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	tags := map[string]string{"env": "test"}
	sp := call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("tagged"), Tags: tags})).must(t).SecurityProfileArn
	hours := call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String("tagged"), TimeZone: aws.String("UTC"), Config: weekdays(9, 17), Tags: tags})).must(t)
	queue := call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("tagged"), HoursOfOperationId: hours.HoursOfOperationId, Tags: tags})).must(t)
	rp := call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String("tagged"), Description: aws.String("d"), DefaultOutboundQueueId: queue.QueueId, MediaConcurrencies: voiceAndChat(), Tags: tags})).must(t)
	for _, arn := range []*string{sp, hours.HoursOfOperationArn, queue.QueueArn, rp.RoutingProfileArn} {
		got := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: arn})).must(t).Tags
		if !reflect.DeepEqual(got, tags) {
			t.Errorf("%s: tags %v, want %v", *arn, got, tags)
		}
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"owner": "me"}})).must(t)
		call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env"}})).must(t)
		got = call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: arn})).must(t).Tags
		if !reflect.DeepEqual(got, map[string]string{"owner": "me"}) {
			t.Errorf("%s: tags after tag/untag %v", *arn, got)
		}
	}
	d := call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: rp.RoutingProfileId})).must(t)
	if !reflect.DeepEqual(d.RoutingProfile.Tags, map[string]string{"owner": "me"}) {
		t.Errorf("DescribeRoutingProfile tags %v", d.RoutingProfile.Tags)
	}
}

// TestDeleteQueueRacesRoutingProfiles deletes a queue while routing
// profiles that use it are being created: the store's references decide,
// so either the queue survives or no profile refers to it.
func TestDeleteQueueRacesRoutingProfiles(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	for round := 0; round < 5; round++ {
		q := f.newQueue(t, fmt.Sprint("contended", round), f.hours)
		var wg sync.WaitGroup
		var deleted bool
		var created []string
		var mu sync.Mutex
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				out, err := f.client.CreateRoutingProfile(ctx(t), &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String(fmt.Sprintf("racer-%d-%d", round, i)),
					Description: aws.String("d"), DefaultOutboundQueueId: &f.queue, MediaConcurrencies: voiceAndChat(), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q, types.ChannelChat, 1, 0)}})
				var nf *types.ResourceNotFoundException
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					created = append(created, *out.RoutingProfileId)
				case !errors.As(err, &nf):
					t.Errorf("CreateRoutingProfile: %v", err)
				}
			}(i)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.client.DeleteQueue(ctx(t), &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})
			var inUse *types.ResourceInUseException
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				deleted = true
			case !errors.As(err, &inUse):
				t.Errorf("DeleteQueue: %v", err)
			}
		}()
		wg.Wait()
		if deleted && len(created) > 0 {
			t.Fatalf("round %d: queue deleted while routing profiles %v use it", round, created)
		}
		for _, rp := range created {
			call(f.client.DeleteRoutingProfile(ctx(t), &connect.DeleteRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &rp})).must(t)
		}
	}
}

// updateSteps checks a resource after each update: describe reads it
// again, check judges it, and its LastModifiedTime (read by modified) must
// have moved past the previous one. Updates are spaced so that a clock of
// millisecond resolution still tells them apart.
func updateSteps[R any](t *testing.T, first time.Time, describe func() R, modified func(R) *time.Time) func(what string, check func(R) bool) {
	last := first
	time.Sleep(5 * time.Millisecond)
	return func(what string, check func(R) bool) {
		t.Helper()
		got := describe()
		if !check(got) {
			t.Errorf("after %s: %+v", what, got)
		}
		m := modified(got)
		if m == nil || !m.After(last) {
			t.Errorf("%s did not advance LastModifiedTime (%v, before %v)", what, m, last)
		} else {
			last = *m
		}
		time.Sleep(5 * time.Millisecond)
	}
}
