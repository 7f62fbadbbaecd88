package e2e

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/service"
)

// statusIDs lists an instance's agent statuses by name, walking
// ListAgentStatuses one at a time.
func (f *fixture) statusIDs(t *testing.T, kinds ...types.AgentStatusType) map[string]types.AgentStatusSummary {
	t.Helper()
	out := map[string]types.AgentStatusSummary{}
	p := connect.NewListAgentStatusesPaginator(f.client, &connect.ListAgentStatusesInput{InstanceId: &f.instance, AgentStatusTypes: kinds, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		for _, s := range call(p.NextPage(ctx(t))).must(t).AgentStatusSummaryList {
			if _, dup := out[*s.Name]; dup {
				t.Fatalf("%s listed twice", *s.Name)
			}
			out[*s.Name] = s
		}
	}
	return out
}

func (f *fixture) newStatus(t *testing.T, name string, state types.AgentStatusState) string {
	t.Helper()
	return *call(f.client.CreateAgentStatus(ctx(t), &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: &name, State: state})).must(t).AgentStatusId
}

func (f *fixture) describeStatus(t *testing.T, id string) *types.AgentStatus {
	t.Helper()
	return call(f.client.DescribeAgentStatus(ctx(t), &connect.DescribeAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &id})).must(t).AgentStatus
}

// TestSystemAgentStatuses: a new instance has Available (ROUTABLE, first)
// and Offline (OFFLINE, second), enabled and untagged; they can be renamed
// and reordered but not disabled.
func TestSystemAgentStatuses(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	all := f.statusIDs(t)
	if len(all) != 2 || all["Available"].Type != types.AgentStatusTypeRoutable || all["Offline"].Type != types.AgentStatusTypeOffline {
		t.Fatalf("a new instance's statuses: %+v", all)
	}
	avail := f.describeStatus(t, *all["Available"].Id)
	if aws.ToInt32(avail.DisplayOrder) != 1 || avail.State != types.AgentStatusStateEnabled || avail.Tags == nil || len(avail.Tags) != 0 ||
		*avail.AgentStatusARN != arnOf(f, "agent-state", *avail.AgentStatusId) || aws.ToString(avail.LastModifiedRegion) != region {
		t.Fatalf("Available: %+v", avail)
	}
	if off := f.describeStatus(t, *all["Offline"].Id); aws.ToInt32(off.DisplayOrder) != 2 {
		t.Errorf("Offline's display order %d, want 2", aws.ToInt32(off.DisplayOrder))
	}
	for name, s := range all {
		_, err := f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: s.Id, State: types.AgentStatusStateDisabled})
		wantErr[*types.InvalidRequestException](t, err, name)
	}
	call(f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: all["Available"].Id, Name: aws.String("Ready"), DisplayOrder: aws.Int32(3)})).must(t)
	if got := f.describeStatus(t, *all["Available"].Id); *got.Name != "Ready" || aws.ToInt32(got.DisplayOrder) != 3 || got.Type != types.AgentStatusTypeRoutable {
		t.Errorf("renamed Available: %+v", got)
	}
	if got := f.statusIDs(t, types.AgentStatusTypeRoutable); len(got) != 1 || got["Ready"].Id == nil {
		t.Errorf("ROUTABLE statuses after the rename: %v", got)
	}
}

// TestSystemStatusesOfOlderInstances: an instance stored before agent
// statuses existed gets the same two, with the ids a new one would have,
// on first use.
func TestSystemStatusesOfOlderInstances(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	want := f.statusIDs(t)
	// Take them out behind the server's back, as a store written by an
	// older version lacks them, and forget that they were there.
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	keys := []switchboard.Key{{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: f.instance, ID: "statuses+flows+prompts"}}
	for _, s := range want {
		keys = append(keys, switchboard.Key{Scope: sc, Kind: switchboard.KindAgentStatus, Parent: f.instance, ID: *s.Id})
	}
	for _, k := range keys {
		if err := f.store.Update(ctx(t), func(tx switchboard.Tx) error { return tx.Delete(k) }); err != nil {
			t.Fatalf("deleting %v: %v", k, err)
		}
	}
	e2 := start(t, options{store: f.store})
	f2 := &fixture{env: e2, instance: f.instance}
	got := f2.statusIDs(t)
	if len(got) != 2 || *got["Available"].Id != *want["Available"].Id || *got["Offline"].Id != *want["Offline"].Id {
		t.Fatalf("statuses given back: %+v, want the ids %s and %s", got, *want["Available"].Id, *want["Offline"].Id)
	}
}

// TestCustomAgentStatusRules: one named case per rule of Create and
// Update.
func TestCustomAgentStatusRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{AgentStatusesPerInstance: 3}})
	c := ctx(t)
	lunch := *call(f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled,
		Description: aws.String("Out to lunch"), DisplayOrder: aws.Int32(5), Tags: map[string]string{"team": "ops"}})).must(t).AgentStatusId
	got := f.describeStatus(t, lunch)
	if got.Type != types.AgentStatusTypeCustom || aws.ToString(got.Description) != "Out to lunch" || aws.ToInt32(got.DisplayOrder) != 5 || got.Tags["team"] != "ops" {
		t.Fatalf("Lunch: %+v", got)
	}

	t.Run("duplicate name is DuplicateResourceException", func(t *testing.T) {
		_, err := f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled})
		wantErr[*types.DuplicateResourceException](t, err, "Lunch")
	})
	t.Run("a system status's name is taken too", func(t *testing.T) {
		_, err := f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Offline"), State: types.AgentStatusStateEnabled})
		wantErr[*types.DuplicateResourceException](t, err)
	})
	t.Run("State is required", func(t *testing.T) {
		// The Go SDK refuses to send it; boto3 with validation off, or a
		// hand-written client, would.
		resp, body := f.raw("PUT", "/agent-status/"+f.instance, []byte(`{"Name":"Stateless"}`))
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "'state'") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("DisplayOrder above 50 is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Late"), State: types.AgentStatusStateEnabled, DisplayOrder: aws.Int32(51)})
		wantErr[*types.InvalidParameterException](t, err, "displayOrder")
	})
	t.Run("unknown instance is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), Name: aws.String("x"), State: types.AgentStatusStateEnabled})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("custom statuses beyond the quota are LimitExceededException; system ones do not count", func(t *testing.T) {
		f.newStatus(t, "Training", types.AgentStatusStateEnabled)
		f.newStatus(t, "Break", types.AgentStatusStateDisabled)
		_, err := f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Meeting"), State: types.AgentStatusStateEnabled})
		wantErr[*types.LimitExceededException](t, err, "3")
	})
	t.Run("update renames, describes, disables and reorders", func(t *testing.T) {
		call(f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &lunch, Name: aws.String("Long lunch"),
			Description: aws.String(""), State: types.AgentStatusStateDisabled, DisplayOrder: aws.Int32(7)})).must(t)
		got := f.describeStatus(t, lunch)
		if *got.Name != "Long lunch" || got.Description != nil || got.State != types.AgentStatusStateDisabled || aws.ToInt32(got.DisplayOrder) != 7 || got.Tags["team"] != "ops" {
			t.Fatalf("after update: %+v", got)
		}
	})
	t.Run("ResetOrderNumber removes the display order", func(t *testing.T) {
		call(f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &lunch, ResetOrderNumber: true})).must(t)
		if got := f.describeStatus(t, lunch); got.DisplayOrder != nil {
			t.Fatalf("DisplayOrder %d after ResetOrderNumber", *got.DisplayOrder)
		}
	})
	t.Run("DisplayOrder with ResetOrderNumber is InvalidRequestException", func(t *testing.T) {
		_, err := f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &lunch, DisplayOrder: aws.Int32(2), ResetOrderNumber: true})
		wantErr[*types.InvalidRequestException](t, err, "ResetOrderNumber")
	})
	t.Run("renaming onto another status is DuplicateResourceException", func(t *testing.T) {
		_, err := f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &lunch, Name: aws.String("Training")})
		wantErr[*types.DuplicateResourceException](t, err, "Training")
	})
	t.Run("unknown status is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.UpdateAgentStatus(c, &connect.UpdateAgentStatusInput{InstanceId: &f.instance, AgentStatusId: aws.String("no-such-status"), Name: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-status")
		_, err = f.client.DescribeAgentStatus(c, &connect.DescribeAgentStatusInput{InstanceId: &f.instance, AgentStatusId: aws.String("no-such-status")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-status")
	})
	t.Run("ListAgentStatuses filters by type, in creation order", func(t *testing.T) {
		out := call(f.client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance, AgentStatusTypes: []types.AgentStatusType{types.AgentStatusTypeCustom, types.AgentStatusTypeOffline}})).must(t)
		var names []string
		for _, s := range out.AgentStatusSummaryList {
			names = append(names, *s.Name)
		}
		if strings.Join(names, ",") != "Offline,Long lunch,Training,Break" {
			t.Fatalf("CUSTOM and OFFLINE statuses: %v", names)
		}
	})
	t.Run("tags through the agent-state ARN", func(t *testing.T) {
		arn := arnOf(f, "agent-state", lunch)
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"k": "v"}})).must(t)
		if got := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})).must(t).Tags; len(got) != 2 || got["k"] != "v" {
			t.Fatalf("tags %v", got)
		}
	})
}

// TestSearchAgentStatuses compares SearchAgentStatuses with what a filter
// over the described statuses finds, for a table of criteria.
func TestSearchAgentStatuses(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	for i, name := range []string{"Lunch", "Training", "Coaching", "Break room", "Meeting"} {
		state := types.AgentStatusStateEnabled
		if i%2 == 1 {
			state = types.AgentStatusStateDisabled
		}
		in := &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String(name), State: state, DisplayOrder: aws.Int32(int32(10 + i)), Tags: map[string]string{"n": string(rune('a' + i))}}
		if i < 3 {
			in.Description = aws.String("away from the desk: " + strings.ToLower(name))
		}
		call(f.client.CreateAgentStatus(c, in)).must(t)
	}
	var all []types.AgentStatus
	for _, s := range f.statusIDs(t) {
		all = append(all, *f.describeStatus(t, *s.Id))
	}
	str := func(field, how, v string) *types.AgentStatusSearchCriteria {
		return &types.AgentStatusSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), ComparisonType: types.StringComparisonType(how), Value: aws.String(v)}}
	}
	cases := []struct {
		name string
		crit *types.AgentStatusSearchCriteria
		want func(types.AgentStatus) bool
	}{
		{"no criteria", nil, func(types.AgentStatus) bool { return true }},
		{"name CONTAINS, any case", str("name", "CONTAINS", "ING"), func(s types.AgentStatus) bool { return strings.Contains(strings.ToLower(*s.Name), "ing") }},
		{"name STARTS_WITH", str("name", "STARTS_WITH", "b"), func(s types.AgentStatus) bool { return strings.HasPrefix(strings.ToLower(*s.Name), "b") }},
		{"description CONTAINS", str("description", "CONTAINS", "desk"), func(s types.AgentStatus) bool { return strings.Contains(aws.ToString(s.Description), "desk") }},
		{"state EXACT", str("state", "EXACT", "DISABLED"), func(s types.AgentStatus) bool { return s.State == types.AgentStatusStateDisabled }},
		{"type EXACT", str("type", "EXACT", "CUSTOM"), func(s types.AgentStatus) bool { return s.Type == types.AgentStatusTypeCustom }},
		{"displayOrder EXACT", str("displayOrder", "EXACT", "12"), func(s types.AgentStatus) bool { return aws.ToInt32(s.DisplayOrder) == 12 }},
		{"OR of types", &types.AgentStatusSearchCriteria{OrConditions: []types.AgentStatusSearchCriteria{*str("type", "EXACT", "ROUTABLE"), *str("type", "EXACT", "OFFLINE")}},
			func(s types.AgentStatus) bool { return s.Type != types.AgentStatusTypeCustom }},
		{"AND of state and name", &types.AgentStatusSearchCriteria{AndConditions: []types.AgentStatusSearchCriteria{*str("state", "EXACT", "ENABLED"), *str("name", "CONTAINS", "in")}},
			func(s types.AgentStatus) bool {
				return s.State == types.AgentStatusStateEnabled && strings.Contains(strings.ToLower(*s.Name), "in")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want, got []string
			for _, s := range all {
				if tc.want(s) {
					want = append(want, *s.Name)
				}
			}
			p := connect.NewSearchAgentStatusesPaginator(f.client, &connect.SearchAgentStatusesInput{InstanceId: &f.instance, SearchCriteria: tc.crit, MaxResults: aws.Int32(2)})
			for p.HasMorePages() {
				page := call(p.NextPage(c)).must(t)
				if int(aws.ToInt64(page.ApproximateTotalCount)) != len(want) {
					t.Errorf("ApproximateTotalCount %d, want %d", aws.ToInt64(page.ApproximateTotalCount), len(want))
				}
				for _, s := range page.AgentStatuses {
					got = append(got, *s.Name)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("found %v, want %v", got, want)
			}
		})
	}
	t.Run("tag filter", func(t *testing.T) {
		out := call(f.client.SearchAgentStatuses(c, &connect.SearchAgentStatusesInput{InstanceId: &f.instance, SearchFilter: &types.AgentStatusSearchFilter{
			AttributeFilter: &types.ControlPlaneAttributeFilter{TagCondition: &types.TagCondition{TagKey: aws.String("n"), TagValue: aws.String("c")}}}})).must(t)
		if len(out.AgentStatuses) != 1 || *out.AgentStatuses[0].Name != "Coaching" {
			t.Fatalf("tag n=c found %+v", out.AgentStatuses)
		}
	})
	t.Run("unknown field is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.SearchAgentStatuses(c, &connect.SearchAgentStatusesInput{InstanceId: &f.instance, SearchCriteria: str("colour", "EXACT", "red")})
		wantErr[*types.InvalidParameterException](t, err, "FieldName")
	})
}
