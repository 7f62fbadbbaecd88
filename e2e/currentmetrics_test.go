package e2e

// GetCurrentMetricData over a contact center the engine runs on the
// virtual clock: every metric by queue and channel against values worked
// out by hand from the scenario, the summary, sorting, paging and the
// request rules.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

var allCurrentMetrics = []types.CurrentMetricName{
	types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameAgentsAvailable, types.CurrentMetricNameAgentsOnCall,
	types.CurrentMetricNameAgentsNonProductive, types.CurrentMetricNameAgentsAfterContactWork, types.CurrentMetricNameAgentsError,
	types.CurrentMetricNameAgentsStaffed, types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameOldestContactAge,
	types.CurrentMetricNameContactsScheduled, types.CurrentMetricNameAgentsOnContact, types.CurrentMetricNameSlotsActive,
	types.CurrentMetricNameSlotsAvailable,
}

func metric(name types.CurrentMetricName) types.CurrentMetric {
	unit := types.UnitCount
	if name == types.CurrentMetricNameOldestContactAge || name == types.CurrentMetricNameEstimatedWaitTime {
		unit = types.UnitSeconds
	}
	return types.CurrentMetric{Name: name, Unit: unit}
}

func metricsOf(names ...types.CurrentMetricName) []types.CurrentMetric {
	var out []types.CurrentMetric
	for _, n := range names {
		out = append(out, metric(n))
	}
	return out
}

// values maps "queueName/CHANNEL" to each metric's value (-1: no value).
func values(t *testing.T, out *connect.GetCurrentMetricDataOutput, queueNames map[string]string) map[string]map[types.CurrentMetricName]float64 {
	t.Helper()
	got := map[string]map[types.CurrentMetricName]float64{}
	for _, r := range out.MetricResults {
		key := ""
		if r.Dimensions.Queue != nil {
			key = queueNames[aws.ToString(r.Dimensions.Queue.Id)]
		}
		key += "/" + string(r.Dimensions.Channel)
		got[key] = map[types.CurrentMetricName]float64{}
		for _, c := range r.Collections {
			v := -1.0
			if c.Value != nil {
				v = *c.Value
			}
			got[key][c.Metric.Name] = v
		}
	}
	return got
}

func TestCurrentMetricData(t *testing.T) {
	f := newEngineFixture(t)
	c := ctx(t)
	sales := f.newQueue(t, "Sales", f.alwaysOpen)
	salesProfile := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{
		InstanceId: &f.instance, Name: aws.String("Sales agents"), Description: aws.String("sales"), DefaultOutboundQueueId: &sales,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}, {Channel: types.ChannelChat, Concurrency: aws.Int32(2)}},
		QueueConfigs:       []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0), qc(sales, types.ChannelChat, 1, 0)},
	})).must(t).RoutingProfileId
	brk := *call(f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId

	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	f.advance(t, 1)
	f.agent(t, "john", agentSettings{}) // misses task two
	ann := f.agent(t, "ann", agentSettings{})
	f.setStatus(t, ann, brk)
	bobIn := f.user("bob")
	bobIn.RoutingProfileId = &salesProfile
	bob := f.create(t, bobIn)
	f.setStatus(t, bob, f.available)
	f.advance(t, 1)
	task1 := f.task(t, "one") // t=2: to mary, connected
	f.advance(t, 1)
	task2 := f.task(t, "two") // t=3: offered to john
	f.advance(t, 1)
	f.task(t, "three") // t=4: waits
	f.advance(t, 19)   // t=23: john misses task two, which waits again
	f.advance(t, 7)    // t=30
	f.mustAct(t, task1, mary, "hang-up")
	if agentOf(f.describeContact(t, task2)) != "" {
		t.Fatal("task two was routed again")
	}

	names := map[string]string{f.support: "Support", sales: "Sales"}
	in := &connect.GetCurrentMetricDataInput{InstanceId: &f.instance, CurrentMetrics: metricsOf(allCurrentMetrics...),
		Filters:   &types.Filters{Queues: []string{f.support, arnOf(f.fixture, "queue", sales)}, Channels: []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask}},
		Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel}}
	out := call(f.client.GetCurrentMetricData(c, in)).must(t)
	if out.DataSnapshotTime == nil || !out.DataSnapshotTime.Equal(at(30)) || aws.ToInt64(out.ApproximateTotalCount) != 6 || len(out.MetricResults) != 6 {
		t.Fatalf("snapshot %v, count %d, %d results", out.DataSnapshotTime, aws.ToInt64(out.ApproximateTotalCount), len(out.MetricResults))
	}
	got := values(t, out, names)
	type m = types.CurrentMetricName
	want := map[string]map[m]float64{
		// mary (task in ACW), john (missed) and ann (on break) serve Support on
		// every channel; tasks two (queued at 3) and three (at 4) wait.
		"Support/TASK": {"AGENTS_ONLINE": 3, "AGENTS_AVAILABLE": 0, "AGENTS_ON_CALL": 0, "AGENTS_NON_PRODUCTIVE": 1, "AGENTS_AFTER_CONTACT_WORK": 1,
			"AGENTS_ERROR": 1, "AGENTS_STAFFED": 2, "CONTACTS_IN_QUEUE": 2, "OLDEST_CONTACT_AGE": 27, "CONTACTS_SCHEDULED": 0,
			"AGENTS_ON_CONTACT": 0, "SLOTS_ACTIVE": 1, "SLOTS_AVAILABLE": 0},
		"Support/CHAT": {"AGENTS_ONLINE": 3, "AGENTS_AVAILABLE": 0, "AGENTS_ON_CALL": 0, "AGENTS_NON_PRODUCTIVE": 1, "AGENTS_AFTER_CONTACT_WORK": 0,
			"AGENTS_ERROR": 1, "AGENTS_STAFFED": 2, "CONTACTS_IN_QUEUE": 0, "OLDEST_CONTACT_AGE": 0, "CONTACTS_SCHEDULED": 0,
			"AGENTS_ON_CONTACT": 0, "SLOTS_ACTIVE": 0, "SLOTS_AVAILABLE": 0},
		"Support/VOICE": {"AGENTS_ONLINE": 3, "AGENTS_AVAILABLE": 0, "AGENTS_NON_PRODUCTIVE": 1, "AGENTS_ERROR": 1, "AGENTS_STAFFED": 2,
			"SLOTS_ACTIVE": 0, "SLOTS_AVAILABLE": 0},
		// bob serves Sales on VOICE (1 slot) and CHAT (2), idle.
		"Sales/VOICE": {"AGENTS_ONLINE": 1, "AGENTS_AVAILABLE": 1, "AGENTS_STAFFED": 1, "AGENTS_NON_PRODUCTIVE": 0, "SLOTS_AVAILABLE": 1, "CONTACTS_IN_QUEUE": 0},
		"Sales/CHAT":  {"AGENTS_ONLINE": 1, "AGENTS_AVAILABLE": 1, "SLOTS_AVAILABLE": 2},
		"Sales/TASK":  {"AGENTS_ONLINE": 0, "AGENTS_AVAILABLE": 0, "SLOTS_AVAILABLE": 0},
	}
	for key, ms := range want {
		for name, v := range ms {
			if got[key][name] != v {
				t.Errorf("%s %s = %v, want %v", key, name, got[key][name], v)
			}
		}
		if len(got[key]) != len(allCurrentMetrics) {
			t.Errorf("%s has %d metrics, want every one requested (%d)", key, len(got[key]), len(allCurrentMetrics))
		}
	}
	// Default order: AGENTS_ONLINE descending.
	if first := out.MetricResults[0]; aws.ToString(first.Dimensions.Queue.Id) != f.support || aws.ToString(first.Dimensions.Queue.Arn) != arnOf(f.fixture, "queue", f.support) {
		t.Errorf("first result %+v, want a Support group (3 agents online)", first.Dimensions)
	}

	t.Run("summary without groupings: OLDEST_CONTACT_AGE in milliseconds", func(t *testing.T) {
		out := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
			CurrentMetrics: metricsOf(types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameOldestContactAge, types.CurrentMetricNameContactsInQueue),
			Filters:        &types.Filters{Queues: []string{f.support, sales}}})).must(t)
		if len(out.MetricResults) != 1 {
			t.Fatalf("%d results", len(out.MetricResults))
		}
		v := values(t, out, names)["/"]
		if v["AGENTS_ONLINE"] != 4 || v["OLDEST_CONTACT_AGE"] != 27000 || v["CONTACTS_IN_QUEUE"] != 2 {
			t.Errorf("summary %v", v)
		}
	})
	t.Run("sorted ascending and paged", func(t *testing.T) {
		page := *in
		page.SortCriteria = []types.CurrentMetricSortCriteria{{SortByMetric: types.CurrentMetricNameAgentsOnline, SortOrder: types.SortOrderAscending}}
		page.MaxResults = aws.Int32(4)
		first := call(f.client.GetCurrentMetricData(c, &page)).must(t)
		if len(first.MetricResults) != 4 || first.NextToken == nil || *first.MetricResults[0].Collections[0].Value != 0 {
			t.Fatalf("first page: %d results, token %v", len(first.MetricResults), first.NextToken)
		}
		page.NextToken = first.NextToken
		second := call(f.client.GetCurrentMetricData(c, &page)).must(t)
		if len(second.MetricResults) != 2 || second.NextToken != nil || *second.MetricResults[1].Collections[0].Value != 3 {
			t.Fatalf("second page: %d results, token %v", len(second.MetricResults), second.NextToken)
		}
	})
	t.Run("by routing profile", func(t *testing.T) {
		out := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
			CurrentMetrics: metricsOf(types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameContactsInQueue),
			Filters:        &types.Filters{RoutingProfiles: []string{f.profile, salesProfile}}, Groupings: []types.Grouping{types.GroupingRoutingProfile}})).must(t)
		byProfile := map[string][2]float64{}
		for _, r := range out.MetricResults {
			byProfile[aws.ToString(r.Dimensions.RoutingProfile.Id)] = [2]float64{*r.Collections[0].Value, *r.Collections[1].Value}
		}
		if byProfile[f.profile] != [2]float64{3, 2} || byProfile[salesProfile] != [2]float64{1, 0} {
			t.Errorf("by routing profile: %v", byProfile)
		}
	})
	t.Run("by queue and agent status", func(t *testing.T) {
		out := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
			CurrentMetrics: metricsOf(types.CurrentMetricNameAgentsOnline), Filters: &types.Filters{Queues: []string{f.support}},
			Groupings: []types.Grouping{types.GroupingQueue, types.GroupingAgentStatus}})).must(t)
		byStatus := map[string]float64{}
		for _, r := range out.MetricResults {
			byStatus[aws.ToString(r.Dimensions.AgentStatus.Id)] = *r.Collections[0].Value
		}
		if byStatus[f.available] != 2 || byStatus[brk] != 1 {
			t.Errorf("by status: %v", byStatus)
		}
	})
	t.Run("estimated wait time from answered contacts", func(t *testing.T) {
		ewt := func() *float64 {
			out := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
				CurrentMetrics: metricsOf(types.CurrentMetricNameEstimatedWaitTime),
				Filters:        &types.Filters{Queues: []string{f.support}, Channels: []types.Channel{types.ChannelTask}},
				Groupings:      []types.Grouping{types.GroupingQueue, types.GroupingChannel}})).must(t)
			return out.MetricResults[0].Collections[0].Value
		}
		// Only task one was answered so far, after 0 s in queue.
		if v := ewt(); v == nil || *v != 0 {
			t.Fatalf("before: %v", v)
		}
		f.mustAct(t, task1, mary, "clear") // task two (queued at 3) goes to mary at 30
		if v := ewt(); v == nil || *v != 13.5 {
			t.Errorf("after task two waited 27 s: %v, want the mean 13.5", v)
		}
	})
	t.Run("request rules", func(t *testing.T) {
		one := metricsOf(types.CurrentMetricNameAgentsOnline)
		q := []string{f.support}
		for _, tc := range []struct {
			name   string
			in     connect.GetCurrentMetricDataInput
			member string
			nf     bool
		}{
			{"queues and routing profiles", connect.GetCurrentMetricDataInput{CurrentMetrics: one, Filters: &types.Filters{Queues: q, RoutingProfiles: []string{f.profile}}}, "Filters", false},
			{"neither queues nor routing profiles", connect.GetCurrentMetricDataInput{CurrentMetrics: one, Filters: &types.Filters{Channels: []types.Channel{types.ChannelVoice}}}, "Filters", false},
			{"wrong unit", connect.GetCurrentMetricDataInput{CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameOldestContactAge, Unit: types.UnitCount}}, Filters: &types.Filters{Queues: q}}, "Unit", false},
			{"CHANNEL without a Channels filter", connect.GetCurrentMetricDataInput{CurrentMetrics: one, Filters: &types.Filters{Queues: q}, Groupings: []types.Grouping{types.GroupingChannel}}, "CHANNEL", false},
			{"ESTIMATED_WAIT_TIME without QUEUE, CHANNEL", connect.GetCurrentMetricDataInput{CurrentMetrics: metricsOf(types.CurrentMetricNameEstimatedWaitTime), Filters: &types.Filters{Queues: q}}, "ESTIMATED_WAIT_TIME", false},
			{"sorting on SLOTS_ACTIVE", connect.GetCurrentMetricDataInput{CurrentMetrics: metricsOf(types.CurrentMetricNameSlotsActive), Filters: &types.Filters{Queues: q},
				SortCriteria: []types.CurrentMetricSortCriteria{{SortByMetric: types.CurrentMetricNameSlotsActive, SortOrder: types.SortOrderAscending}}}, "SLOTS_ACTIVE", false},
			{"AGENT_STATUS with another metric", connect.GetCurrentMetricDataInput{CurrentMetrics: metricsOf(types.CurrentMetricNameAgentsAvailable), Filters: &types.Filters{Queues: q},
				Groupings: []types.Grouping{types.GroupingQueue, types.GroupingAgentStatus}}, "AGENTS_ONLINE", false},
			{"CONTACTS_IN_QUEUE by routing profile without its filter", connect.GetCurrentMetricDataInput{CurrentMetrics: metricsOf(types.CurrentMetricNameContactsInQueue), Filters: &types.Filters{Queues: q},
				Groupings: []types.Grouping{types.GroupingRoutingProfile}}, "RoutingProfiles", false},
			{"an unknown queue", connect.GetCurrentMetricDataInput{CurrentMetrics: one, Filters: &types.Filters{Queues: []string{"no-such-queue"}}}, "no-such-queue", true},
		} {
			tc.in.InstanceId = &f.instance
			_, err := f.client.GetCurrentMetricData(c, &tc.in)
			if tc.nf {
				wantErr[*types.ResourceNotFoundException](t, err, tc.member)
			} else {
				wantErr[*types.InvalidParameterException](t, err, tc.member)
			}
		}
	})
}

// TestCurrentMetricDataFollowsContactsThatComeAndGo: the live contacts a
// request counts are the store's at that moment, read after contacts
// started, ended while waiting and were taken by an agent since the
// previous request (the projection is brought up to date, not rebuilt).
func TestCurrentMetricDataFollowsContactsThatComeAndGo(t *testing.T) {
	f := newEngineFixture(t)
	inQueue := func() float64 {
		t.Helper()
		out := call(f.client.GetCurrentMetricData(ctx(t), &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
			CurrentMetrics: metricsOf(types.CurrentMetricNameContactsInQueue), Filters: &types.Filters{Queues: []string{f.support}}})).must(t)
		return *out.MetricResults[0].Collections[0].Value
	}
	a, b, c := f.task(t, "a"), f.task(t, "b"), f.task(t, "c")
	if n := inQueue(); n != 3 {
		t.Fatalf("three tasks waiting: %v", n)
	}
	f.stop(t, b)
	if n := inQueue(); n != 2 {
		t.Fatalf("after one ended while waiting: %v", n)
	}
	d := f.task(t, "d")
	f.stop(t, a)
	if n := inQueue(); n != 2 {
		t.Fatalf("after one more started and another ended: %v", n)
	}
	f.agent(t, "ann", agentSettings{autoAccept: true})
	if n := inQueue(); n != 1 {
		t.Fatalf("after an agent took one: %v", n)
	}
	f.stop(t, c) // with the agent or waiting: either way it ends
	f.stop(t, d)
	if n := inQueue(); n != 0 {
		t.Fatalf("after the last two ended: %v", n)
	}
}
