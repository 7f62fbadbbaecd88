package e2e

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

func (f *fixture) putStatus(t *testing.T, user, status string) {
	t.Helper()
	call(f.client.PutUserStatus(ctx(t), &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &user, AgentStatusId: &status})).must(t)
}

// userData walks GetCurrentUserData one agent at a time and returns the
// agents by user id; it fails when pages disagree on the total.
func (f *fixture) userData(t *testing.T, filters *types.UserDataFilters) map[string]types.UserData {
	t.Helper()
	out := map[string]types.UserData{}
	var token *string
	for {
		page := call(f.client.GetCurrentUserData(ctx(t), &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: filters, MaxResults: aws.Int32(1), NextToken: token})).must(t)
		for _, d := range page.UserDataList {
			if _, dup := out[*d.User.Id]; dup {
				t.Fatalf("%s listed twice", *d.User.Id)
			}
			out[*d.User.Id] = d
		}
		if aws.ToInt64(page.ApproximateTotalCount) < int64(len(out)) {
			t.Fatalf("ApproximateTotalCount %d below the %d agents listed", aws.ToInt64(page.ApproximateTotalCount), len(out))
		}
		if page.NextToken == nil {
			if int(aws.ToInt64(page.ApproximateTotalCount)) != len(out) {
				t.Fatalf("ApproximateTotalCount %d, listed %d", aws.ToInt64(page.ApproximateTotalCount), len(out))
			}
			return out
		}
		token = page.NextToken
	}
}

func ids(m map[string]types.UserData) string {
	var out []string
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func joinSorted(xs ...string) string {
	sort.Strings(xs)
	return strings.Join(xs, ",")
}

// TestPutUserStatusAndCurrentUserData: a new user is Offline and so not
// logged in; PutUserStatus makes it appear in GetCurrentUserData with its
// status, routing profile, hierarchy path and slots.
func TestPutUserStatusAndCurrentUserData(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	c := ctx(t)
	statuses := f.statusIDs(t)
	available, offline := *statuses["Available"].Id, *statuses["Offline"].Id
	lunch := f.newStatus(t, "Lunch", types.AgentStatusStateEnabled)
	disabled := f.newStatus(t, "Retired", types.AgentStatusStateDisabled)

	call(f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})).must(t)
	emea := *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("EMEA")})).must(t).HierarchyGroupId
	paris := *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Paris"), ParentGroupId: &emea})).must(t).HierarchyGroupId
	support := f.newQueue(t, "Support", f.hours)
	voiceOnly := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String("Voice only"), Description: aws.String("v"),
		DefaultOutboundQueueId: &support, MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}},
		QueueConfigs: []types.RoutingProfileQueueConfig{qc(support, types.ChannelVoice, 1, 0)}})).must(t).RoutingProfileId

	in := f.user("mary")
	in.HierarchyGroupId = &paris
	mary := f.create(t, in)
	in = f.user("john")
	in.RoutingProfileId = &voiceOnly
	john := f.create(t, in)
	in = f.user("ana")
	in.HierarchyGroupId = &emea
	ana := f.create(t, in)
	everyone := &types.UserDataFilters{Agents: []string{mary, john, ana}}

	if got := f.userData(t, everyone); len(got) != 0 {
		t.Fatalf("new users are Offline, yet GetCurrentUserData lists %s", ids(got))
	}
	before := time.Now().Add(-time.Second)
	f.putStatus(t, mary, available)
	f.putStatus(t, john, lunch)
	f.putStatus(t, ana, available)
	got := f.userData(t, everyone)
	if ids(got) != joinSorted(mary, john, ana) {
		t.Fatalf("logged-in agents %s", ids(got))
	}
	m := got[mary]
	if *m.User.Arn != arnOf(f, "agent", mary) || *m.RoutingProfile.Id != f.routing || *m.RoutingProfile.Arn != arnOf(f, "routing-profile", f.routing) ||
		*m.Status.StatusName != "Available" || *m.Status.StatusArn != arnOf(f, "agent-state", available) ||
		m.Status.StatusStartTimestamp == nil || m.Status.StatusStartTimestamp.Before(before) || m.Status.StatusStartTimestamp.After(time.Now().Add(time.Second)) {
		t.Fatalf("mary's data: user %+v, profile %+v, status %+v", m.User, m.RoutingProfile, m.Status)
	}
	if m.HierarchyPath == nil || *m.HierarchyPath.LevelOne.Id != emea || *m.HierarchyPath.LevelTwo.Id != paris || *m.HierarchyPath.LevelTwo.Arn != arnOf(f, "agent-group", paris) || m.HierarchyPath.LevelThree != nil {
		t.Fatalf("mary's hierarchy path %+v", m.HierarchyPath)
	}
	basic := map[string]int32{"VOICE": 1, "CHAT": 2, "TASK": 1}
	zero := map[string]int32{"VOICE": 0, "CHAT": 0, "TASK": 0}
	if !sameSlots(m.MaxSlotsByChannel, basic) || !sameSlots(m.AvailableSlotsByChannel, basic) || !sameSlots(m.ActiveSlotsByChannel, zero) || m.Contacts == nil || len(m.Contacts) != 0 {
		t.Fatalf("mary's slots: max %v available %v active %v contacts %v", m.MaxSlotsByChannel, m.AvailableSlotsByChannel, m.ActiveSlotsByChannel, m.Contacts)
	}
	j := got[john]
	if *j.Status.StatusName != "Lunch" || !sameSlots(j.MaxSlotsByChannel, map[string]int32{"VOICE": 1}) || !sameSlots(j.AvailableSlotsByChannel, map[string]int32{"VOICE": 0}) || j.HierarchyPath != nil {
		t.Fatalf("john at lunch: status %+v, max %v, available %v, path %+v", j.Status, j.MaxSlotsByChannel, j.AvailableSlotsByChannel, j.HierarchyPath)
	}

	t.Run("the same status again keeps its start", func(t *testing.T) {
		f.putStatus(t, mary, available)
		if again := f.userData(t, &types.UserDataFilters{Agents: []string{mary}})[mary]; !again.Status.StatusStartTimestamp.Equal(*m.Status.StatusStartTimestamp) {
			t.Fatalf("StatusStartTimestamp moved from %v to %v", m.Status.StatusStartTimestamp, again.Status.StatusStartTimestamp)
		}
	})
	filters := []struct {
		name    string
		filters *types.UserDataFilters
		want    string
	}{
		{"Agents", &types.UserDataFilters{Agents: []string{mary, "not-a-user"}}, joinSorted(mary)},
		{"RoutingProfiles", &types.UserDataFilters{RoutingProfiles: []string{f.routing}}, joinSorted(mary, ana)},
		{"Queues: a routing profile's queue", &types.UserDataFilters{Queues: []string{support}}, joinSorted(john)},
		{"Queues: BasicQueue", &types.UserDataFilters{Queues: []string{f.queue}}, joinSorted(mary, ana)},
		{"Queues: an agent's own AGENT queue", &types.UserDataFilters{Queues: []string{ana}}, joinSorted(ana)},
		{"UserHierarchyGroups takes child groups", &types.UserDataFilters{UserHierarchyGroups: []string{emea}}, joinSorted(mary, ana)},
		{"UserHierarchyGroups: the child group alone", &types.UserDataFilters{UserHierarchyGroups: []string{paris}}, joinSorted(mary)},
		{"ids may be ARNs", &types.UserDataFilters{RoutingProfiles: []string{arnOf(f, "routing-profile", f.routing)}}, joinSorted(mary, ana)},
		{"ContactFilter with agents alone", &types.UserDataFilters{Agents: []string{mary, john, ana}, ContactFilter: &types.ContactFilter{}}, joinSorted(mary, john, ana)},
		{"ContactFilter: nobody has a contact", &types.UserDataFilters{Agents: []string{mary, john, ana}, ContactFilter: &types.ContactFilter{ContactStates: []types.ContactState{types.ContactStateConnected}}}, ""},
	}
	for _, tc := range filters {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(f.userData(t, tc.filters)); got != tc.want {
				t.Fatalf("found %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("Filters without an agent criterion is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{}})
		wantErr[*types.InvalidParameterException](t, err, "Filters")
	})
	t.Run("two kinds of filter is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{RoutingProfiles: []string{f.routing}, UserHierarchyGroups: []string{paris}}})
		wantErr[*types.InvalidParameterException](t, err, "exactly one")
	})
	t.Run("more than one hierarchy group is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{UserHierarchyGroups: []string{emea, paris}}})
		wantErr[*types.InvalidParameterException](t, err, "userHierarchyGroups")
	})
	t.Run("a disabled status is InvalidRequestException", func(t *testing.T) {
		_, err := f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &mary, AgentStatusId: &disabled})
		wantErr[*types.InvalidRequestException](t, err, "Retired")
	})
	t.Run("an unknown status is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &mary, AgentStatusId: aws.String("no-such-status")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-status")
	})
	t.Run("an unknown user is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: aws.String("no-such-user"), AgentStatusId: &available})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-user")
	})
	t.Run("Offline logs an agent out", func(t *testing.T) {
		f.putStatus(t, john, offline)
		if got := ids(f.userData(t, everyone)); got != joinSorted(mary, ana) {
			t.Fatalf("after john went Offline: %s", got)
		}
	})
	t.Run("DeleteUser takes the status with it", func(t *testing.T) {
		call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &ana})).must(t)
		if got := ids(f.userData(t, everyone)); got != joinSorted(mary) {
			t.Fatalf("after ana was deleted: %s", got)
		}
	})
}

func sameSlots(got, want map[string]int32) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}

// TestUserStatusSurvivesRestart: a status set before a restart is the
// status after it, with the same start.
func TestUserStatusSurvivesRestart(t *testing.T) {
	e, restart := durable(t, options{})
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{store: e.store})
	mary := f.create(t, f.user("mary"))
	lunch := f.newStatus(t, "Lunch", types.AgentStatusStateEnabled)
	f.putStatus(t, mary, lunch)
	was := f.userData(t, &types.UserDataFilters{Agents: []string{mary}})[mary]
	f.srv.Close()
	f2 := &fixture{env: restart(), instance: f.instance}
	now := f2.userData(t, &types.UserDataFilters{Agents: []string{mary}})[mary]
	if now.Status == nil || *now.Status.StatusName != "Lunch" || !now.Status.StatusStartTimestamp.Equal(*was.Status.StatusStartTimestamp) {
		t.Fatalf("after a restart: %+v, was %+v", now.Status, was.Status)
	}
}
