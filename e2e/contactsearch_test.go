package e2e

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// searchedTraffic is what the test knows of a contact, from DescribeContact
// and GetContactAttributes: the brute-force side of the comparison.
type searchedTraffic struct {
	c     *types.Contact
	attrs map[string]string
}

// TestSearchContactsEqualsABruteForceFilter runs seeded traffic on the
// virtual clock (tasks and chats, scheduled tasks, contacts stopped before
// and after an agent took them) and checks that every search answers
// exactly what filtering and sorting the described contacts gives.
// SWITCHBOARD_SEARCH_SEED replays a seed.
func TestSearchContactsEqualsABruteForceFilter(t *testing.T) {
	seed := time.Now().UnixNano()
	if v, err := strconv.ParseInt(os.Getenv("SWITCHBOARD_SEARCH_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (SWITCHBOARD_SEARCH_SEED=%d replays it)", seed, seed)
	rnd := rand.New(rand.NewSource(seed))
	f := newEngineFixture(t)
	agents := []string{f.agent(t, "ann", agentSettings{autoAccept: true, acw: 5}), f.agent(t, "bob", agentSettings{autoAccept: true, acw: 5})}
	var ids []string
	var running []string
	tiers := []string{"gold", "silver", "bronze"}
	for i := range 40 {
		switch r := rnd.Intn(10); {
		case r < 2:
			ids = append(ids, f.chat(t, fmt.Sprintf("customer-%d", i)))
		case r < 3:
			at := f.vc.Now().Add(time.Duration(600+rnd.Intn(3600)) * time.Second)
			out := call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, ContactFlowId: &f.toSupport,
				Name: aws.String(fmt.Sprintf("callback-%d", i)), ScheduledTime: &at})).must(t)
			ids = append(ids, *out.ContactId)
			continue // not running yet
		default:
			out := call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, ContactFlowId: &f.toSupport,
				Name: aws.String(fmt.Sprintf("Order-%d", i%5)), Attributes: map[string]string{"tier": tiers[rnd.Intn(3)]}})).must(t)
			ids = append(ids, *out.ContactId)
		}
		running = append(running, ids[len(ids)-1])
		f.advance(t, 1+rnd.Intn(40))
		if len(running) > 0 && rnd.Intn(3) == 0 {
			k := rnd.Intn(len(running))
			call(f.client.StopContact(ctx(t), &connect.StopContactInput{InstanceId: &f.instance, ContactId: &running[k]})).must(t)
			running = append(running[:k], running[k+1:]...)
		}
	}
	_ = agents
	// The many searches go through a client with the SDK's default
	// retries (aws/aws-sdk-go-v2#2737, as in TestCurrentMetricDataLatency).
	sc := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(f.url), Credentials: f.client.Options().Credentials})
	all := map[string]*searchedTraffic{}
	for _, id := range ids {
		c := call(f.client.DescribeContact(ctx(t), &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &id})).must(t).Contact
		attrs := call(f.client.GetContactAttributes(ctx(t), &connect.GetContactAttributesInput{InstanceId: &f.instance, InitialContactId: c.InitialContactId})).must(t).Attributes
		all[id] = &searchedTraffic{c, attrs}
	}
	start, end := clockStart.Add(-time.Minute), clockStart.Add(3*time.Hour)
	mid := clockStart.Add(8 * time.Minute)
	whole := &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: &start, EndTime: &end}
	stampOf := func(c *types.Contact, typ types.SearchContactsTimeRangeType) *time.Time {
		switch typ {
		case types.SearchContactsTimeRangeTypeInitiationTimestamp:
			return c.InitiationTimestamp
		case types.SearchContactsTimeRangeTypeScheduledTimestamp:
			return c.ScheduledTimestamp
		case types.SearchContactsTimeRangeTypeDisconnectTimestamp:
			return c.DisconnectTimestamp
		case types.SearchContactsTimeRangeTypeConnectedToAgentTimestamp:
			if c.AgentInfo != nil {
				return c.AgentInfo.ConnectedToAgentTimestamp
			}
		case types.SearchContactsTimeRangeTypeEnqueueTimestamp:
			if c.QueueInfo != nil {
				return c.QueueInfo.EnqueueTimestamp
			}
		}
		return nil
	}
	within := func(c *types.Contact, r *types.SearchContactsTimeRange) bool {
		s := stampOf(c, r.Type)
		// Calls and chats are found once an agent has them or they ended.
		shown := c.Channel == types.ChannelTask || c.DisconnectTimestamp != nil || stampOf(c, types.SearchContactsTimeRangeTypeConnectedToAgentTimestamp) != nil
		return shown && s != nil && !s.Before(*r.StartTime) && !s.After(*r.EndTime)
	}
	// A range is inclusive at both ends.
	first := all[ids[0]].c.InitiationTimestamp
	exact := &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: first, EndTime: first}
	type search struct {
		name  string
		in    connect.SearchContactsInput
		keep  func(*searchedTraffic) bool
		field types.SearchContactsTimeRangeType // sort key ("" : initiation)
		asc   bool
	}
	cases := []search{
		{name: "everything, newest first", in: connect.SearchContactsInput{TimeRange: whole}, keep: func(*searchedTraffic) bool { return true }},
		{name: "started at the first contact's instant", in: connect.SearchContactsInput{TimeRange: exact}, keep: func(*searchedTraffic) bool { return true }},
		{name: "started in the first eight minutes", in: connect.SearchContactsInput{TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: &start, EndTime: &mid}},
			keep: func(s *searchedTraffic) bool { return !s.c.InitiationTimestamp.After(mid) }},
		{name: "connected to an agent", in: connect.SearchContactsInput{TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeConnectedToAgentTimestamp, StartTime: &start, EndTime: &end}},
			keep: func(s *searchedTraffic) bool {
				return stampOf(s.c, types.SearchContactsTimeRangeTypeConnectedToAgentTimestamp) != nil
			}},
		{name: "scheduled, by scheduled time ascending", in: connect.SearchContactsInput{TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeScheduledTimestamp, StartTime: &start, EndTime: &end},
			Sort: &types.Sort{FieldName: types.SortableFieldNameScheduledTimestamp, Order: types.SortOrderAscending}},
			keep: func(s *searchedTraffic) bool { return s.c.ScheduledTimestamp != nil }, field: types.SearchContactsTimeRangeTypeScheduledTimestamp, asc: true},
		{name: "chats", in: connect.SearchContactsInput{TimeRange: whole, SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelChat}}},
			keep: func(s *searchedTraffic) bool { return s.c.Channel == types.ChannelChat }},
		{name: "ann's", in: connect.SearchContactsInput{TimeRange: whole, SearchCriteria: &types.SearchCriteria{AgentIds: []string{agents[0]}}},
			keep: func(s *searchedTraffic) bool {
				return s.c.AgentInfo != nil && aws.ToString(s.c.AgentInfo.Id) == agents[0]
			}},
		{name: "gold tier", in: connect.SearchContactsInput{TimeRange: whole, SearchCriteria: &types.SearchCriteria{SearchableContactAttributes: &types.SearchableContactAttributes{
			Criteria: []types.SearchableContactAttributesCriteria{{Key: aws.String("tier"), Values: []string{"gold"}}}}}},
			keep: func(s *searchedTraffic) bool { return s.attrs["tier"] == "gold" }},
		{name: "names with order-1 or order-2", in: connect.SearchContactsInput{TimeRange: whole, SearchCriteria: &types.SearchCriteria{Name: &types.NameCriteria{
			SearchText: []string{"order-1", "order-2"}, MatchType: types.SearchContactsMatchTypeMatchAny}}},
			keep: func(s *searchedTraffic) bool {
				n := strings.ToLower(aws.ToString(s.c.Name))
				return strings.Contains(n, "order-1") || strings.Contains(n, "order-2")
			}},
		{name: "still running, by disconnect time", in: connect.SearchContactsInput{TimeRange: whole, SearchCriteria: &types.SearchCriteria{AdditionalTimeRange: &types.SearchContactsAdditionalTimeRange{
			MatchType: types.SearchContactsMatchTypeMatchAll, Criteria: []types.SearchContactsAdditionalTimeRangeCriteria{{TimestampCondition: &types.SearchContactsTimestampCondition{
				Type: types.SearchContactsTimeRangeTypeDisconnectTimestamp, ConditionType: types.SearchContactsTimeRangeConditionTypeNotExists}}}}}},
			keep: func(s *searchedTraffic) bool { return s.c.DisconnectTimestamp == nil }},
		{name: "ended tasks of the queue, by disconnect time ascending", in: connect.SearchContactsInput{TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeDisconnectTimestamp, StartTime: &start, EndTime: &end},
			SearchCriteria: &types.SearchCriteria{QueueIds: []string{f.support}, Channels: []types.Channel{types.ChannelTask}},
			Sort:           &types.Sort{FieldName: types.SortableFieldNameDisconnectTimestamp, Order: types.SortOrderAscending}},
			keep: func(s *searchedTraffic) bool {
				return s.c.DisconnectTimestamp != nil && s.c.Channel == types.ChannelTask && s.c.QueueInfo != nil && aws.ToString(s.c.QueueInfo.Id) == f.support
			}, field: types.SearchContactsTimeRangeTypeDisconnectTimestamp, asc: true},
	}
	for _, tc := range cases {
		var want []string
		for _, id := range ids {
			if s := all[id]; within(s.c, tc.in.TimeRange) && tc.keep(s) {
				want = append(want, id)
			}
		}
		field := tc.field
		if field == "" {
			field = types.SearchContactsTimeRangeTypeInitiationTimestamp
		}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := stampOf(all[want[i]].c, field), stampOf(all[want[j]].c, field)
			if !a.Equal(*b) {
				return a.Before(*b) == tc.asc
			}
			return want[i] < want[j]
		})
		// Paged by 7, the pages make the whole answer.
		in := tc.in
		in.InstanceId, in.MaxResults = &f.instance, aws.Int32(7)
		var got []string
		for pages := 0; pages < 20; pages++ {
			out := call(sc.SearchContacts(ctx(t), &in)).must(t)
			if out.TotalCount == nil || *out.TotalCount != int64(len(want)) {
				t.Errorf("%s: TotalCount %v, want %d", tc.name, out.TotalCount, len(want))
			}
			for _, c := range out.Contacts {
				got = append(got, aws.ToString(c.Id))
				d := all[aws.ToString(c.Id)]
				if d == nil || aws.ToString(c.Arn) != aws.ToString(d.c.Arn) || c.Channel != d.c.Channel || !c.InitiationTimestamp.Equal(*d.c.InitiationTimestamp) ||
					(c.AgentInfo == nil) != (d.c.AgentInfo == nil) || c.Tags["aws:connect:instanceId"] == "" {
					t.Errorf("%s: summary %+v does not agree with DescribeContact", tc.name, c)
				}
			}
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, got, want)
		}
		if len(want) == 0 && tc.name != "scheduled, by scheduled time ascending" {
			t.Logf("%s: no contact matches with this seed", tc.name)
		}
	}

	// Refusals, with the member named.
	var pe *types.InvalidParameterException
	backwards := &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: &end, EndTime: &start}
	if _, err := f.client.SearchContacts(ctx(t), &connect.SearchContactsInput{InstanceId: &f.instance, TimeRange: backwards}); !errors.As(err, &pe) || !strings.Contains(err.Error(), "TimeRange") {
		t.Errorf("a range ending before it starts: %v", err)
	}
	// No contact has a transcript here: a transcript search finds none.
	if out := call(f.client.SearchContacts(ctx(t), &connect.SearchContactsInput{InstanceId: &f.instance, TimeRange: whole, SearchCriteria: &types.SearchCriteria{
		ContactAnalysis: &types.ContactAnalysis{Transcript: &types.Transcript{Criteria: []types.TranscriptCriteria{{ParticipantRole: types.ParticipantRoleAgent, SearchText: []string{"refund"}, MatchType: types.SearchContactsMatchTypeMatchAny}}}}}})).must(t); len(out.Contacts) != 0 || aws.ToInt64(out.TotalCount) != 0 {
		t.Errorf("transcript search: %d contacts, TotalCount %v", len(out.Contacts), aws.ToInt64(out.TotalCount))
	}
	var nf *types.ResourceNotFoundException
	if _, err := f.client.SearchContacts(ctx(t), &connect.SearchContactsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), TimeRange: whole}); !errors.As(err, &nf) {
		t.Errorf("an unknown instance: %v", err)
	}
	if _, err := f.client.SearchContacts(ctx(t), &connect.SearchContactsInput{InstanceId: &f.instance, TimeRange: whole, NextToken: aws.String("sb1.bm9wZQ")}); !errors.As(err, &pe) {
		t.Errorf("a made-up token: %v", err)
	}
}

// TestGetContactMetricsOfAQueuedContact: a waiting contact's position
// follows routing's order (priority, then time in queue), its estimated
// wait is the queue's recent answers', and a contact not waiting has none.
func TestGetContactMetricsOfAQueuedContact(t *testing.T) {
	f := newEngineFixture(t)
	metrics := func(id string, names ...types.ContactMetricName) (map[types.ContactMetricName]float64, error) {
		in := &connect.GetContactMetricsInput{InstanceId: &f.instance, ContactId: &id}
		for _, n := range names {
			in.Metrics = append(in.Metrics, types.ContactMetricInfo{Name: n})
		}
		out, err := f.client.GetContactMetrics(ctx(t), in)
		if err != nil {
			return nil, err
		}
		if aws.ToString(out.Id) != id || !strings.HasSuffix(aws.ToString(out.Arn), "/contact/"+id) {
			t.Errorf("Id %v Arn %v for %s", aws.ToString(out.Id), aws.ToString(out.Arn), id)
		}
		got := map[types.ContactMetricName]float64{}
		for _, r := range out.MetricResults {
			got[r.Name] = r.Value.(*types.ContactMetricValueMemberNumber).Value
		}
		return got, nil
	}
	position := func(id string) float64 {
		t.Helper()
		got, err := metrics(id, types.ContactMetricNamePositionInQueue)
		if err != nil {
			t.Fatal(err)
		}
		return got[types.ContactMetricNamePositionInQueue]
	}
	first := f.task(t, "first")
	f.advance(t, 10)
	second := f.task(t, "second")
	f.advance(t, 10)
	third := f.task(t, "third")
	if p := []float64{position(first), position(second), position(third)}; p[0] != 1 || p[1] != 2 || p[2] != 3 {
		t.Fatalf("positions %v, want [1 2 3]", p)
	}
	call(f.client.UpdateContactRoutingData(ctx(t), &connect.UpdateContactRoutingDataInput{InstanceId: &f.instance, ContactId: &third, QueuePriority: aws.Int64(1)})).must(t)
	if p := []float64{position(first), position(second), position(third)}; p[0] != 2 || p[1] != 3 || p[2] != 1 {
		t.Fatalf("positions after the third's priority went to 1: %v, want [2 3 1]", p)
	}
	// No contact answered yet: no estimate.
	if got, err := metrics(first, types.ContactMetricNameEstimatedWaitTime, types.ContactMetricNamePositionInQueue); err != nil || len(got) != 1 {
		t.Fatalf("before any answer: %v %v, want the position alone", got, err)
	}
	// An agent arrives 40 s after the first and takes the third (its
	// priority), waited 20 s: the estimate is 20 s.
	f.advance(t, 20)
	f.agent(t, "ann", agentSettings{autoAccept: true})
	got, err := metrics(first, types.ContactMetricNameEstimatedWaitTime)
	if err != nil || got[types.ContactMetricNameEstimatedWaitTime] != 20 {
		t.Fatalf("estimated wait after one answer: %v %v, want 20", got, err)
	}
	var re *types.InvalidRequestException
	if _, err := metrics(third, types.ContactMetricNamePositionInQueue); !errors.As(err, &re) || !strings.Contains(err.Error(), third) {
		t.Errorf("a connected contact: %v", err)
	}
	var nf *types.ResourceNotFoundException
	if _, err := metrics("00000000-0000-0000-0000-000000000000", types.ContactMetricNamePositionInQueue); !errors.As(err, &nf) {
		t.Errorf("an unknown contact: %v", err)
	}
	var pe *types.InvalidParameterException
	if _, err := metrics(first, types.ContactMetricNamePositionInQueue, types.ContactMetricNamePositionInQueue); !errors.As(err, &pe) {
		t.Errorf("a metric twice: %v", err)
	}
}
