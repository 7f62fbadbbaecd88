package e2e

// The contact engine end to end: contacts started through aws-sdk-go-v2 run
// their flows, wait in queues and reach agents as the agents' users and
// routing profiles say, on a virtual clock moved through the test API; the
// agents act through the test API. One named test per rule
// (docs/BEHAVIOUR.md, "Routing").

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// engineFixture is an instance on a virtual clock (at clockStart, a
// Tuesday 09:00 UTC) with a queue "Support", open around the clock, a
// routing profile serving it on TASK (concurrency 1), CHAT (2) and VOICE
// (1), and a flow sending contacts to it.
type engineFixture struct {
	*fixture
	vc         *engine.VirtualClock
	support    string // queue
	profile    string // routing profile
	toSupport  string // flow
	alwaysOpen string // hours
	available  string // the system Available status
	offline    string
}

func newEngineFixture(t *testing.T, configs ...types.RoutingProfileQueueConfig) *engineFixture {
	t.Helper()
	vc := engine.NewVirtualClock(clockStart)
	f := &engineFixture{fixture: newFixture(t, types.DirectoryTypeConnectManaged, options{clock: vc}), vc: vc}
	f.setUp(t, configs...)
	return f
}

// setUp makes the fixture's queue, routing profile and flow.
func (f *engineFixture) setUp(t *testing.T, configs ...types.RoutingProfileQueueConfig) {
	t.Helper()
	c := ctx(t)
	f.alwaysOpen = *call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String("Always"),
		TimeZone: aws.String("UTC"), Config: everyDay(0, 0)})).must(t).HoursOfOperationId
	f.support = f.newQueue(t, "Support", f.alwaysOpen)
	if len(configs) == 0 {
		configs = []types.RoutingProfileQueueConfig{qc(f.support, types.ChannelTask, 1, 0), qc(f.support, types.ChannelChat, 1, 0), qc(f.support, types.ChannelVoice, 1, 0)}
	}
	f.profile = *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{
		InstanceId: &f.instance, Name: aws.String("Support agents"), Description: aws.String("support"), DefaultOutboundQueueId: &f.support,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1)}, {Channel: types.ChannelChat, Concurrency: aws.Int32(2)},
			{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}},
		QueueConfigs: configs,
	})).must(t).RoutingProfileId
	f.toSupport = f.newFlow(t, "To support", types.ContactFlowTypeContactFlow, toQueue(f.support))
	for _, s := range call(f.client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance})).must(t).AgentStatusSummaryList {
		switch s.Type {
		case types.AgentStatusTypeRoutable:
			f.available = *s.Id
		case types.AgentStatusTypeOffline:
			f.offline = *s.Id
		}
	}
}

func everyDay(start, end int32) []types.HoursOfOperationConfig {
	var out []types.HoursOfOperationConfig
	for _, d := range types.HoursOfOperationDays("").Values() {
		out = append(out, types.HoursOfOperationConfig{Day: d, StartTime: slice(start, 0), EndTime: slice(end, 0)})
	}
	return out
}

// toQueue is a flow that transfers its contact to queue, and ends it when
// that fails.
func toQueue(queue string) string {
	return `{"Version":"2019-10-30","StartAction":"target","Actions":[
 {"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"` + queue + `"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
}

// agentSettings are an agent's per-channel settings for TASK, CHAT and
// VOICE.
type agentSettings struct {
	autoAccept bool
	acw        int32 // seconds; 0: until cleared
}

// agent creates a user of the fixture's routing profile with settings for
// TASK and CHAT and sets it Available; it returns the user's id.
func (f *engineFixture) agent(t *testing.T, name string, s agentSettings) string {
	t.Helper()
	in := f.user(name)
	in.RoutingProfileId = &f.profile
	for _, ch := range []types.Channel{types.ChannelTask, types.ChannelChat, types.ChannelVoice} {
		in.AutoAcceptConfigs = append(in.AutoAcceptConfigs, types.AutoAcceptConfig{Channel: ch, AutoAccept: s.autoAccept})
		in.AfterContactWorkConfigs = append(in.AfterContactWorkConfigs, types.AfterContactWorkConfigPerChannel{Channel: ch,
			AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: s.acw}})
	}
	id := f.create(t, in)
	f.setStatus(t, id, f.available)
	return id
}

func (f *engineFixture) setStatus(t *testing.T, user, status string) {
	t.Helper()
	call(f.client.PutUserStatus(ctx(t), &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &user, AgentStatusId: &status})).must(t)
}

func (f *engineFixture) task(t *testing.T, name string) string {
	t.Helper()
	return *call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String(name), ContactFlowId: &f.toSupport})).must(t).ContactId
}

func (f *engineFixture) chat(t *testing.T, name string) string {
	t.Helper()
	return *call(f.client.StartChatContact(ctx(t), &connect.StartChatContactInput{InstanceId: &f.instance, ContactFlowId: &f.toSupport,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String(name)}})).must(t).ContactId
}

// advance moves the virtual clock through the test API.
func (f *engineFixture) advance(t *testing.T, seconds int) {
	t.Helper()
	if a := f.testAPI("POST", "clock/advance", fmt.Sprintf(`{"seconds":%d}`, seconds)); a.status != 200 {
		t.Fatalf("advance: %d %s", a.status, a.raw)
	}
}

// act does an agent's action through the test API and returns its answer.
func (f *engineFixture) act(t *testing.T, contact, user, action string) apiAnswer {
	t.Helper()
	return f.testAPI("POST", "agent/action", fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q,"UserId":%q,"Action":%q}`, f.instance, contact, user, action))
}

func (f *engineFixture) mustAct(t *testing.T, contact, user, action string) {
	t.Helper()
	if a := f.act(t, contact, user, action); a.status != 200 {
		t.Fatalf("%s: %d %s", action, a.status, a.raw)
	}
}

// at is clockStart plus seconds.
func at(seconds int) time.Time { return clockStart.Add(time.Duration(seconds) * time.Second) }

func sameTime(got *time.Time, want time.Time) bool { return got != nil && got.Equal(want) }

// userData is the agent's GetCurrentUserData entry (nil: not logged in).
func (f *engineFixture) userData(t *testing.T, user string) *types.UserData {
	t.Helper()
	out := call(f.client.GetCurrentUserData(ctx(t), &connect.GetCurrentUserDataInput{InstanceId: &f.instance,
		Filters: &types.UserDataFilters{Agents: []string{user}}})).must(t)
	if len(out.UserDataList) == 0 {
		return nil
	}
	return &out.UserDataList[0]
}

// agentContacts is the agent's contacts as "id:STATE".
func (f *engineFixture) agentContacts(t *testing.T, user string) []string {
	t.Helper()
	var out []string
	if ud := f.userData(t, user); ud != nil {
		for _, c := range ud.Contacts {
			out = append(out, aws.ToString(c.ContactId)+":"+string(c.AgentContactState))
		}
	}
	return out
}

func agentOf(c *types.Contact) string {
	if c.AgentInfo == nil {
		return ""
	}
	return aws.ToString(c.AgentInfo.Id)
}

func TestEngineAutoAcceptConnectsAtOnce(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true, acw: 30})
	f.advance(t, 5)
	id := f.task(t, "invoice")
	c := f.describeContact(t, id)
	if agentOf(c) != mary || c.QueueInfo == nil || aws.ToString(c.QueueInfo.Id) != f.support || !sameTime(c.QueueInfo.EnqueueTimestamp, at(5)) ||
		!sameTime(c.AgentInfo.ConnectedToAgentTimestamp, at(5)) || !sameTime(c.AgentInfo.AcceptedByAgentTimestamp, at(5)) || c.DisconnectTimestamp != nil {
		t.Fatalf("auto-accepted task: %+v (agent %+v, queue %+v)", c, c.AgentInfo, c.QueueInfo)
	}
	ud := f.userData(t, mary)
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":CONNECTED" {
		t.Errorf("agent's contacts %v", got)
	}
	if ud.ActiveSlotsByChannel["TASK"] != 1 || ud.AvailableSlotsByChannel["TASK"] != 0 || ud.MaxSlotsByChannel["TASK"] != 1 {
		t.Errorf("slots: active %v available %v max %v", ud.ActiveSlotsByChannel, ud.AvailableSlotsByChannel, ud.MaxSlotsByChannel)
	}
	// A task in hand on "current channel only" leaves no chat slot either.
	if ud.AvailableSlotsByChannel["CHAT"] != 0 {
		t.Errorf("chat slots while a task is in hand: %v", ud.AvailableSlotsByChannel)
	}
}

func TestEngineRingsUntilAccepted(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{})
	id := f.task(t, "invoice")
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":CONNECTING" {
		t.Fatalf("offered: %v", got)
	}
	c := f.describeContact(t, id)
	if agentOf(c) != mary || c.AgentInfo.ConnectedToAgentTimestamp != nil || !sameTime(c.RingStartTimestamp, at(0)) {
		t.Fatalf("ringing: %+v %+v", c, c.AgentInfo)
	}
	f.advance(t, 7)
	f.mustAct(t, id, mary, "accept")
	c = f.describeContact(t, id)
	if !sameTime(c.AgentInfo.ConnectedToAgentTimestamp, at(7)) || !sameTime(c.AgentInfo.AcceptedByAgentTimestamp, at(7)) {
		t.Fatalf("accepted: %+v", c.AgentInfo)
	}
	// Accepting again is a conflict: the contact is no longer offered.
	if a := f.act(t, id, mary, "accept"); a.status != 409 || a.errorType != "ResourceConflictException" {
		t.Errorf("accept twice: %d %s %s", a.status, a.errorType, a.raw)
	}
}

func TestEngineMissedAfterRingTimeout(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{})
	id := f.task(t, "invoice")
	f.advance(t, int(engine.RingTimeout/time.Second)-1)
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":CONNECTING" {
		t.Fatalf("still ringing a second before the timeout: %v", got)
	}
	f.advance(t, 1)
	c := f.describeContact(t, id)
	if agentOf(c) != "" || c.QueueInfo == nil || !sameTime(c.QueueInfo.EnqueueTimestamp, at(0)) {
		t.Fatalf("missed contact is back in its queue, with its first enqueue time: %+v %+v", c.AgentInfo, c.QueueInfo)
	}
	ud := f.userData(t, mary)
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":MISSED" || ud.AvailableSlotsByChannel["TASK"] != 0 {
		t.Fatalf("agent after missing: %v, available %v", got, ud.AvailableSlotsByChannel)
	}
	// Another agent who becomes available gets it.
	john := f.agent(t, "john", agentSettings{autoAccept: true})
	if c := f.describeContact(t, id); agentOf(c) != john {
		t.Fatalf("after john is available: agent %q", agentOf(c))
	}
	// Dismissing the missed contact makes mary routable again.
	call(f.client.DismissUserContact(ctx(t), &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &mary, ContactId: &id})).must(t)
	second := f.task(t, "second")
	if c := f.describeContact(t, second); agentOf(c) != mary {
		t.Errorf("after dismissing, the next task goes to mary, not %q", agentOf(c))
	}
}

func TestEngineRejectRequeues(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{})
	f.advance(t, 1)
	john := f.agent(t, "john", agentSettings{})
	id := f.task(t, "invoice")
	if c := f.describeContact(t, id); agentOf(c) != mary {
		t.Fatalf("offered to %q, want mary (idle longest)", agentOf(c))
	}
	f.advance(t, 2)
	f.mustAct(t, id, mary, "reject")
	// mary is idle from the rejection on, so john (idle longer) gets it.
	if c := f.describeContact(t, id); agentOf(c) != john || !sameTime(c.RingStartTimestamp, at(1)) {
		t.Fatalf("after mary rejects: agent %q, ring start %v", agentOf(c), c.RingStartTimestamp)
	}
}

func TestEngineAfterContactWorkForTheTimeLimit(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true, acw: 30})
	first, second := f.task(t, "first"), f.task(t, "second")
	f.advance(t, 60)
	f.mustAct(t, first, mary, "hang-up")
	c := f.describeContact(t, first)
	if !sameTime(c.DisconnectTimestamp, at(60)) || !sameTime(c.AgentInfo.AfterContactWorkStartTimestamp, at(60)) ||
		c.AgentInfo.AfterContactWorkEndTimestamp != nil || aws.ToString(c.DisconnectReason) != "AGENT_DISCONNECT" {
		t.Fatalf("in after contact work: %+v %+v", c, c.AgentInfo)
	}
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != first+":ENDED" {
		t.Fatalf("agent in ACW: %v", got)
	}
	f.advance(t, 29)
	if c := f.describeContact(t, second); agentOf(c) != "" {
		t.Fatalf("second task offered during ACW, to %q", agentOf(c))
	}
	f.advance(t, 1)
	c = f.describeContact(t, first)
	if !sameTime(c.AgentInfo.AfterContactWorkEndTimestamp, at(90)) || aws.ToInt32(c.AgentInfo.AfterContactWorkDuration) != 30 {
		t.Fatalf("ACW over: %+v", c.AgentInfo)
	}
	if c := f.describeContact(t, second); agentOf(c) != mary || !sameTime(c.AgentInfo.ConnectedToAgentTimestamp, at(90)) {
		t.Fatalf("second task when the slot frees: %+v", c.AgentInfo)
	}
}

func TestEngineAfterContactWorkZeroUntilCleared(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	id := f.task(t, "first")
	f.mustAct(t, id, "", "customer-hang-up")
	if c := f.describeContact(t, id); aws.ToString(c.DisconnectReason) != "CUSTOMER_DISCONNECT" {
		t.Errorf("disconnect reason %q", aws.ToString(c.DisconnectReason))
	}
	f.advance(t, 86400)
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":ENDED" {
		t.Fatalf("a day later, still in ACW: %v", got)
	}
	f.mustAct(t, id, mary, "clear")
	c := f.describeContact(t, id)
	if !sameTime(c.AgentInfo.AfterContactWorkEndTimestamp, at(86400)) {
		t.Fatalf("cleared: %+v", c.AgentInfo)
	}
	if got := f.agentContacts(t, mary); len(got) != 0 {
		t.Errorf("contacts after clearing: %v", got)
	}
	// The public API's way: DismissUserContact of the contact, which the
	// agent sees ENDED.
	second := f.task(t, "second")
	f.mustAct(t, second, mary, "hang-up")
	f.advance(t, 60)
	call(f.client.DismissUserContact(ctx(t), &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &mary, ContactId: &second})).must(t)
	if c := f.describeContact(t, second); !sameTime(c.AgentInfo.AfterContactWorkEndTimestamp, at(86460)) {
		t.Errorf("dismissed: %+v", c.AgentInfo)
	}
	if got := f.agentContacts(t, mary); len(got) != 0 {
		t.Errorf("contacts after dismissing: %v", got)
	}
}

func TestEngineLongestIdleAgentFirst(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	f.advance(t, 10)
	john := f.agent(t, "john", agentSettings{autoAccept: true})
	first, second := f.task(t, "first"), f.task(t, "second")
	if a, b := agentOf(f.describeContact(t, first)), agentOf(f.describeContact(t, second)); a != mary || b != john {
		t.Fatalf("first to %q, second to %q; want mary then john", a, b)
	}
}

func TestEngineOnlyRoutableAgentsReceiveContacts(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	brk := *call(f.client.CreateAgentStatus(ctx(t), &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	f.setStatus(t, mary, brk)
	id := f.task(t, "invoice")
	f.advance(t, 600)
	if c := f.describeContact(t, id); agentOf(c) != "" {
		t.Fatalf("offered to an agent on break: %q", agentOf(c))
	}
	f.setStatus(t, mary, f.available)
	if c := f.describeContact(t, id); agentOf(c) != mary || !sameTime(c.AgentInfo.ConnectedToAgentTimestamp, at(600)) {
		t.Fatalf("when mary is available: %+v", c.AgentInfo)
	}
}

func TestEngineConcurrencyAndCrossChannel(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	chats := []string{f.chat(t, "a"), f.chat(t, "b"), f.chat(t, "c")}
	task := f.task(t, "task")
	var got []string
	for _, id := range append(chats, task) {
		got = append(got, agentOf(f.describeContact(t, id)))
	}
	if got[0] != mary || got[1] != mary || got[2] != "" || got[3] != "" {
		t.Fatalf("agents of chats a, b, c and the task: %q (chat concurrency 2, current channel only)", got)
	}
	if ud := f.userData(t, mary); ud.ActiveSlotsByChannel["CHAT"] != 2 || ud.AvailableSlotsByChannel["CHAT"] != 0 || ud.AvailableSlotsByChannel["TASK"] != 0 {
		t.Errorf("slots: %v %v", ud.ActiveSlotsByChannel, ud.AvailableSlotsByChannel)
	}
}

func TestEngineCrossChannelAnyChannel(t *testing.T) {
	f := newEngineFixture(t)
	call(f.client.UpdateRoutingProfileConcurrency(ctx(t), &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: &f.instance, RoutingProfileId: &f.profile,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1)},
			{Channel: types.ChannelChat, Concurrency: aws.Int32(2), CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}}}})).must(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	chat := f.chat(t, "a")
	task := f.task(t, "task")
	if a, b := agentOf(f.describeContact(t, chat)), agentOf(f.describeContact(t, task)); a != mary || b != mary {
		t.Fatalf("chat to %q, task to %q: ROUTE_ANY_CHANNEL on chat lets the task in", a, b)
	}
}

func TestEngineContactPriorityThenAge(t *testing.T) {
	f := newEngineFixture(t)
	old := f.task(t, "old")
	f.advance(t, 10)
	young := f.task(t, "young")
	f.advance(t, 10)
	youngest := f.task(t, "youngest")
	call(f.client.UpdateContactRoutingData(ctx(t), &connect.UpdateContactRoutingDataInput{InstanceId: &f.instance, ContactId: &youngest, QueuePriority: aws.Int64(1)})).must(t)
	call(f.client.UpdateContactRoutingData(ctx(t), &connect.UpdateContactRoutingDataInput{InstanceId: &f.instance, ContactId: &young, QueueTimeAdjustmentSeconds: aws.Int32(60)})).must(t)
	var order []string
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	for range 3 {
		ud := f.userData(t, mary)
		if len(ud.Contacts) != 1 {
			t.Fatalf("mary holds %d contacts", len(ud.Contacts))
		}
		id := aws.ToString(ud.Contacts[0].ContactId)
		order = append(order, id)
		f.stop(t, id)
		f.mustAct(t, id, mary, "clear")
	}
	names := map[string]string{old: "old", young: "young", youngest: "youngest"}
	if got := names[order[0]] + "," + names[order[1]] + "," + names[order[2]]; got != "youngest,young,old" {
		t.Errorf("routed %s; want the priority-1 contact, then the one adjusted 60 s older, then the oldest", got)
	}
}

func TestEngineRoutingProfilePriorityAndDelay(t *testing.T) {
	f := newEngineFixture(t)
	overflow := f.newQueue(t, "Overflow", f.alwaysOpen)
	call(f.client.AssociateRoutingProfileQueues(ctx(t), &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &f.profile,
		QueueConfigs: []types.RoutingProfileQueueConfig{qc(overflow, types.ChannelTask, 2, 30)}})).must(t)
	toOverflow := f.newFlow(t, "To overflow", types.ContactFlowTypeContactFlow, toQueue(overflow))
	over := *call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("over"), ContactFlowId: &toOverflow})).must(t).ContactId
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	f.advance(t, 29)
	if c := f.describeContact(t, over); agentOf(c) != "" {
		t.Fatalf("offered before the queue's 30 s delay: %q", agentOf(c))
	}
	f.advance(t, 1)
	c := f.describeContact(t, over)
	if agentOf(c) != mary || !sameTime(c.AgentInfo.ConnectedToAgentTimestamp, at(30)) {
		t.Fatalf("after the delay: %+v", c.AgentInfo)
	}
	f.stop(t, over)
	f.mustAct(t, over, mary, "clear")
	// With contacts in both queues, the priority-1 queue's goes first even
	// when the other has waited longer.
	f.setStatus(t, mary, f.offline)
	older := *call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("older"), ContactFlowId: &toOverflow})).must(t).ContactId
	f.advance(t, 60)
	newer := f.task(t, "newer")
	f.setStatus(t, mary, f.available)
	if a, b := agentOf(f.describeContact(t, newer)), agentOf(f.describeContact(t, older)); a != mary || b != "" {
		t.Fatalf("support (priority 1) contact to %q, overflow (priority 2) contact to %q", a, b)
	}
}

func TestEngineNextStatusWhileOnAContact(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	brk := *call(f.client.CreateAgentStatus(ctx(t), &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	id := f.task(t, "invoice")
	f.setStatus(t, mary, brk)
	ud := f.userData(t, mary)
	if aws.ToString(ud.Status.StatusName) != "Available" || aws.ToString(ud.NextStatus) != "Break" {
		t.Fatalf("status %q next %q", aws.ToString(ud.Status.StatusName), aws.ToString(ud.NextStatus))
	}
	f.advance(t, 45)
	f.mustAct(t, id, mary, "hang-up")
	f.mustAct(t, id, mary, "clear")
	ud = f.userData(t, mary)
	if aws.ToString(ud.Status.StatusName) != "Break" || ud.NextStatus != nil || !ud.Status.StatusStartTimestamp.Equal(at(45)) {
		t.Fatalf("after the contact: status %q since %v, next %v", aws.ToString(ud.Status.StatusName), ud.Status.StatusStartTimestamp, ud.NextStatus)
	}
	if id2 := f.task(t, "second"); agentOf(f.describeContact(t, id2)) != "" {
		t.Error("an agent on break was offered a contact")
	}
}

// flowFixture is an engine fixture with a flow of the given actions (JSON
// objects), which end in "bye" (DisconnectParticipant) or "xfer"
// (TransferContactToQueue to Support).
func (f *engineFixture) flowOf(t *testing.T, name, start string, actions ...string) string {
	t.Helper()
	content := `{"Version":"2019-10-30","StartAction":"` + start + `","Actions":[`
	for _, a := range actions {
		content += a + ","
	}
	content += `{"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"` + f.support + `"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	return f.newFlow(t, name, types.ContactFlowTypeContactFlow, content)
}

func (f *engineFixture) taskOn(t *testing.T, flowID string, attrs map[string]string) string {
	t.Helper()
	return *call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &flowID, Attributes: attrs})).must(t).ContactId
}

func TestEngineFlowWaitDelaysTheQueue(t *testing.T) {
	f := newEngineFixture(t)
	flowID := f.flowOf(t, "Wait then queue", "wait",
		`{"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"90"},"Transitions":{"NextAction":"target","Conditions":[{"NextAction":"target","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}}`)
	id := f.taskOn(t, flowID, nil)
	f.advance(t, 89)
	if c := f.describeContact(t, id); c.QueueInfo != nil {
		t.Fatalf("queued before the flow's wait is over: %+v", c.QueueInfo)
	}
	f.advance(t, 1)
	if c := f.describeContact(t, id); c.QueueInfo == nil || !sameTime(c.QueueInfo.EnqueueTimestamp, at(90)) {
		t.Fatalf("queue info after the wait: %+v", c.QueueInfo)
	}
}

func TestEngineFlowChecksHoursOnTheEngineClock(t *testing.T) {
	f := newEngineFixture(t)
	// Open on Tuesdays 09:00-09:30 UTC; the clock starts Tuesday 09:00.
	hours := *call(f.client.CreateHoursOfOperation(ctx(t), &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String("Half hour"),
		TimeZone: aws.String("UTC"), Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysTuesday, StartTime: slice(9, 0), EndTime: slice(9, 30)}}})).must(t).HoursOfOperationId
	flowID := f.flowOf(t, "Hours", "hours",
		`{"Identifier":"hours","Type":"CheckHoursOfOperation","Parameters":{"HoursOfOperationId":"`+hours+`"},"Transitions":{"NextAction":"bye","Conditions":[{"NextAction":"target","Condition":{"Operator":"Equals","Operands":["True"]}},{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["False"]}}],"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}}`)
	open := f.taskOn(t, flowID, nil)
	f.advance(t, 1800)
	closed := f.taskOn(t, flowID, nil)
	if c := f.describeContact(t, open); c.QueueInfo == nil || c.DisconnectTimestamp != nil {
		t.Errorf("started while open: queue %+v, disconnected %v", c.QueueInfo, c.DisconnectTimestamp)
	}
	if c := f.describeContact(t, closed); c.QueueInfo != nil || !sameTime(c.DisconnectTimestamp, at(1800)) || aws.ToString(c.DisconnectReason) != "CONTACT_FLOW_DISCONNECT" {
		t.Errorf("started once closed: queue %+v, disconnected %v (%q)", c.QueueInfo, c.DisconnectTimestamp, aws.ToString(c.DisconnectReason))
	}
}

func TestEngineQueueAtCapacity(t *testing.T) {
	f := newEngineFixture(t)
	call(f.client.UpdateQueueMaxContacts(ctx(t), &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &f.support, MaxContacts: aws.Int32(1)})).must(t)
	first, second := f.task(t, "first"), f.task(t, "second")
	if c := f.describeContact(t, first); c.QueueInfo == nil {
		t.Errorf("first task not queued")
	}
	if c := f.describeContact(t, second); c.QueueInfo != nil || c.DisconnectTimestamp == nil {
		t.Errorf("second task in a full queue: queue %+v, disconnected %v", c.QueueInfo, c.DisconnectTimestamp)
	}
}

func TestEngineLambdaStubAnswersTheFlow(t *testing.T) {
	f := newEngineFixture(t)
	fn := "arn:aws:lambda:" + region + ":000000000000:function:lookup"
	call(f.client.AssociateLambdaFunction(ctx(t), &connect.AssociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: &fn})).must(t)
	flowID := f.flowOf(t, "Lookup", "lookup",
		`{"Identifier":"lookup","Type":"InvokeLambdaFunction","Parameters":{"LambdaFunctionARN":"`+fn+`","InvocationTimeLimitSeconds":"3"},"Transitions":{"NextAction":"save","Errors":[{"NextAction":"failed","ErrorType":"NoMatchingError"}]}}`,
		`{"Identifier":"save","Type":"UpdateContactAttributes","Parameters":{"Attributes":{"tier":"$.External.tier"}},"Transitions":{"NextAction":"target","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}}`,
		`{"Identifier":"failed","Type":"UpdateContactAttributes","Parameters":{"Attributes":{"tier":"unknown"}},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}}`)
	noStub := f.taskOn(t, flowID, nil)
	if got := f.contactAttributes(t, noStub)["tier"]; got != "unknown" {
		t.Errorf("without a stub the error branch runs: tier %q", got)
	}
	if a := f.testAPI("POST", "lambda-stubs", `{"FunctionArn":"`+fn+`","Response":{"tier":"gold"}}`); a.status != 200 {
		t.Fatalf("setting the stub: %d %s", a.status, a.raw)
	}
	stubbed := f.taskOn(t, flowID, nil)
	if got := f.contactAttributes(t, stubbed)["tier"]; got != "gold" {
		t.Errorf("with the stub: tier %q", got)
	}
	if c := f.describeContact(t, stubbed); c.QueueInfo == nil {
		t.Error("stubbed contact not queued")
	}
	if a := f.testAPI("POST", "lambda-stubs", `{"FunctionArn":"`+fn+`","Error":"boom"}`); a.status != 200 {
		t.Fatalf("setting a failing stub: %d %s", a.status, a.raw)
	}
	if got := f.contactAttributes(t, f.taskOn(t, flowID, nil))["tier"]; got != "unknown" {
		t.Errorf("a failing stub takes the error branch: tier %q", got)
	}
}

func TestEngineScheduledTaskStartsOnTime(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	when := at(3600)
	id := *call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("later"), ContactFlowId: &f.toSupport,
		ScheduledTime: &when})).must(t).ContactId
	f.advance(t, 3599)
	if c := f.describeContact(t, id); c.QueueInfo != nil || agentOf(c) != "" {
		t.Fatalf("scheduled task ran early: %+v", c.QueueInfo)
	}
	f.advance(t, 1)
	if c := f.describeContact(t, id); agentOf(c) != mary || !sameTime(c.QueueInfo.EnqueueTimestamp, when) {
		t.Fatalf("at its time: agent %q, queue %+v", agentOf(c), c.QueueInfo)
	}
}

func TestEngineStopContactOfAConnectedTask(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true, acw: 10})
	id := f.task(t, "invoice")
	f.advance(t, 5)
	f.stop(t, id)
	c := f.describeContact(t, id)
	if !sameTime(c.DisconnectTimestamp, at(5)) || !sameTime(c.AgentInfo.AfterContactWorkStartTimestamp, at(5)) || aws.ToString(c.DisconnectReason) != "API" {
		t.Fatalf("stopped while connected: %+v %+v", c, c.AgentInfo)
	}
	f.advance(t, 10)
	if got := f.agentContacts(t, mary); len(got) != 0 {
		t.Errorf("after ACW: %v", got)
	}
}

func TestEngineQueuedContactsSurviveARestart(t *testing.T) {
	vc := engine.NewVirtualClock(clockStart)
	e, restart := durable(t, options{clock: vc})
	f := &engineFixture{fixture: fixtureOn(t, e, types.DirectoryTypeConnectManaged), vc: vc}
	f.setUp(t)
	mary := f.agent(t, "mary", agentSettings{})
	id := f.task(t, "invoice")
	f.fixture.env = restart()
	f.advance(t, int(engine.RingTimeout/time.Second))
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":MISSED" {
		t.Fatalf("the ring timer set before the restart fired after it: %v", got)
	}
	if c := f.describeContact(t, id); c.QueueInfo == nil || agentOf(c) != "" {
		t.Fatalf("back in the queue: %+v %+v", c.QueueInfo, c.AgentInfo)
	}
}

// An older store kept the contacts' timers as records of their own
// (KindEngineTimer); the timers are now the live records', and a process
// that resumes deletes those records and still fires the timers.
func TestEngineResumeDropsAnOlderStoresTimerRecords(t *testing.T) {
	vc := engine.NewVirtualClock(clockStart)
	e, restart := durable(t, options{clock: vc})
	f := &engineFixture{fixture: fixtureOn(t, e, types.DirectoryTypeConnectManaged), vc: vc}
	f.setUp(t)
	mary := f.agent(t, "mary", agentSettings{})
	id := f.task(t, "invoice") // offered to mary: a ring timer
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	old := &switchboard.Record{Scope: sc, Kind: switchboard.KindEngineTimer, Parent: f.instance, ID: id,
		Data: []byte(`{"due":"2030-01-01T09:00:20Z"}`), Created: clockStart, Modified: clockStart}
	count := func(s switchboard.Store) (n int) {
		t.Helper()
		if err := s.View(context.Background(), func(tx switchboard.Tx) (err error) {
			n, err = tx.Count(sc, switchboard.KindEngineTimer, f.instance)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := e.store.Update(context.Background(), func(tx switchboard.Tx) error { return tx.Insert(old) }); err != nil {
		t.Fatal(err)
	}
	if n := count(e.store); n != 1 {
		t.Fatalf("%d timer records written by the test", n)
	}
	f.fixture.env = restart()
	if n := count(f.fixture.env.store); n != 0 {
		t.Errorf("%d timer records left after resuming", n)
	}
	f.advance(t, int(engine.RingTimeout/time.Second))
	if got := f.agentContacts(t, mary); len(got) != 1 || got[0] != id+":MISSED" {
		t.Fatalf("the ring timer fired from the live record: %v", got)
	}
}

// events returns a contact's events as "TYPE agent" lines (agent: the
// user id the event's agentInfo names, or "-").
func (f *engineFixture) events(t *testing.T, contact string) []string {
	t.Helper()
	a := f.testAPI("POST", "contact-events", fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q}`, f.instance, contact))
	if a.status != 200 {
		t.Fatalf("contact-events: %d %s", a.status, a.raw)
	}
	var out []string
	for _, e := range a.body["Events"].([]any) {
		d := e.(map[string]any)["detail"].(map[string]any)
		agent := "-"
		if ai, ok := d["agentInfo"].(map[string]any); ok {
			arn := ai["agentArn"].(string)
			agent = arn[strings.LastIndex(arn, "/")+1:]
		}
		out = append(out, fmt.Sprint(d["eventType"], " ", agent))
	}
	return out
}

func TestEngineEventsFollowTheContact(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{})
	id := f.task(t, "invoice")
	f.advance(t, 20) // missed by mary
	john := f.agent(t, "john", agentSettings{acw: 5})
	f.mustAct(t, id, john, "accept")
	f.advance(t, 10)
	f.mustAct(t, id, john, "hang-up")
	f.advance(t, 5)
	got := strings.Join(f.events(t, id), ", ")
	want := strings.Join([]string{"INITIATED -", "QUEUED -", "OFFERED " + mary, "RETURNED " + mary, "OFFERED " + john,
		"CONNECTED_TO_AGENT " + john, "DISCONNECTED " + john, "COMPLETED " + john}, ", ")
	if got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	a := f.testAPI("POST", "contact-events", fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q,"MaxResults":2}`, f.instance, id))
	evs := a.body["Events"].([]any)
	if len(evs) != 2 || a.body["NextToken"] == nil {
		t.Fatalf("a page of 2: %s", a.raw)
	}
	first := evs[1].(map[string]any) // QUEUED
	d := first["detail"].(map[string]any)
	q := d["queueInfo"].(map[string]any)
	if first["detail-type"] != "Amazon Connect Contact Event" || first["source"] != "aws.connect" || first["account"] != "000000000000" ||
		first["time"] != "2030-01-01T09:00:00.000Z" || d["channel"] != "TASK" || d["initiationMethod"] != "API" ||
		q["queueArn"] != arnOf(f.fixture, "queue", f.support) || q["queueType"] != "STANDARD" || q["enqueueTimestamp"] != "2030-01-01T09:00:00.000Z" {
		t.Errorf("QUEUED event: %v", first)
	}
	next := f.testAPI("POST", "contact-events", fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q,"NextToken":%q}`, f.instance, id, a.body["NextToken"]))
	if n := len(next.body["Events"].([]any)); n != 6 {
		t.Errorf("second page: %d events, want 6", n)
	}
	returned := f.testAPI("POST", "contact-events", fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q,"MaxResults":4}`, f.instance, id)).body["Events"].([]any)[3].(map[string]any)
	if returned["detail-type"] != "Switchboard Contact Routing Event" || returned["detail"].(map[string]any)["routingReason"] != "MISSED" {
		t.Errorf("RETURNED event: %v", returned)
	}
	// The whole instance's log, paged by every size, is the same log: the
	// events of one transaction are stored together, and a page may end
	// inside them.
	ids := func(body string) ([]string, any) {
		t.Helper()
		a := f.testAPI("POST", "contact-events", body)
		if a.status != 200 {
			t.Fatalf("contact-events %s: %d %s", body, a.status, a.raw)
		}
		var out []string
		for _, e := range a.body["Events"].([]any) {
			out = append(out, e.(map[string]any)["id"].(string))
		}
		return out, a.body["NextToken"]
	}
	all, tok := ids(fmt.Sprintf(`{"InstanceId":%q}`, f.instance))
	if len(all) != 8 || tok != nil {
		t.Fatalf("the instance's log: %d events, token %v", len(all), tok)
	}
	for size := 1; size <= 4; size++ {
		var paged []string
		body := fmt.Sprintf(`{"InstanceId":%q,"MaxResults":%d}`, f.instance, size)
		for pages := 0; ; pages++ {
			evs, tok := ids(body)
			paged = append(paged, evs...)
			if tok == nil || pages > 10 {
				break
			}
			body = fmt.Sprintf(`{"InstanceId":%q,"MaxResults":%d,"NextToken":%q}`, f.instance, size, tok)
		}
		if strings.Join(paged, ",") != strings.Join(all, ",") {
			t.Errorf("paged by %d:\n %v\nwant %v", size, paged, all)
		}
	}
	if a := f.testAPI("POST", "contact-events", fmt.Sprintf(`{"InstanceId":%q,"NextToken":"sb1.bm9wZQ"}`, f.instance)); a.status != 400 || a.errorType != "InvalidParameterException" {
		t.Errorf("a made-up token: %d %s", a.status, a.raw)
	}
}

func TestEngineInboundCallOnAClaimedNumber(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	numberID, number := f.claim(t)
	dial := func(body string) apiAnswer { t.Helper(); return f.testAPI("POST", "inbound-call", body) }
	if a := dial(`{"PhoneNumber":"` + number + `","CustomerPhoneNumber":"+15555550123"}`); a.status != 400 || a.errorType != "InvalidRequestException" {
		t.Fatalf("a number without a flow: %d %s", a.status, a.raw)
	}
	call(f.client.AssociatePhoneNumberContactFlow(ctx(t), &connect.AssociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: &numberID, ContactFlowId: &f.toSupport})).must(t)
	a := dial(`{"PhoneNumber":"` + number + `","CustomerPhoneNumber":"+15555550123"}`)
	if a.status != 200 {
		t.Fatalf("inbound call: %d %s", a.status, a.raw)
	}
	id := a.body["ContactId"].(string)
	c := f.describeContact(t, id)
	if c.Channel != types.ChannelVoice || c.InitiationMethod != types.ContactInitiationMethodInbound || agentOf(c) != mary ||
		aws.ToString(c.CustomerEndpoint.Address) != "+15555550123" || aws.ToString(c.SystemEndpoint.Address) != number {
		t.Fatalf("inbound call: %+v customer %+v system %+v agent %q", c, c.CustomerEndpoint, c.SystemEndpoint, agentOf(c))
	}
	f.mustAct(t, id, "", "customer-hang-up")
	if c := f.describeContact(t, id); aws.ToString(c.DisconnectReason) != "CUSTOMER_DISCONNECT" || c.AgentInfo.AfterContactWorkStartTimestamp == nil {
		t.Errorf("after the caller hangs up: %q %+v", aws.ToString(c.DisconnectReason), c.AgentInfo)
	}
	// Straight to a flow, without a number.
	direct := dial(fmt.Sprintf(`{"InstanceId":%q,"ContactFlowId":%q,"CustomerPhoneNumber":"+15555550124","Attributes":{"lang":"fr"}}`, f.instance, f.toSupport))
	if direct.status != 200 || f.contactAttributes(t, direct.body["ContactId"].(string))["lang"] != "fr" {
		t.Errorf("a call to a flow: %d %s", direct.status, direct.raw)
	}
	for body, want := range map[string]string{
		`{"PhoneNumber":"+15550000000","CustomerPhoneNumber":"+15555550123"}`:                                        "ResourceNotFoundException",
		`{"PhoneNumber":"` + number + `","CustomerPhoneNumber":"0800"}`:                                              "InvalidParameterException",
		`{"PhoneNumber":"` + number + `","InstanceId":"x","ContactFlowId":"y","CustomerPhoneNumber":"+15555550123"}`: "InvalidRequestException",
		`{"CustomerPhoneNumber":"+15555550123","Extra":1}`:                                                           "InvalidRequestException",
	} {
		if a := dial(body); a.errorType != want {
			t.Errorf("%s: %d %s, want %s", body, a.status, a.raw, want)
		}
	}
}

func TestEngineDeletingABusyAgentReleasesItsContacts(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	chat := f.chat(t, "a")
	f.mustAct(t, chat, mary, "hang-up") // in after contact work until cleared
	task := f.task(t, "task")           // waits: a chat in hand (even in ACW) lets no task in
	if agentOf(f.describeContact(t, task)) != "" {
		t.Fatal("the task reached mary while her chat was in after contact work")
	}
	second := f.chat(t, "b")
	if agentOf(f.describeContact(t, second)) != mary {
		t.Fatal("second chat not routed to mary")
	}
	call(f.client.DeleteUser(ctx(t), &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &mary})).must(t)
	if c := f.describeContact(t, chat); c.AgentInfo.AfterContactWorkEndTimestamp == nil {
		t.Errorf("ACW of the deleted agent's chat did not end: %+v", c.AgentInfo)
	}
	if c := f.describeContact(t, second); c.DisconnectTimestamp == nil || aws.ToString(c.DisconnectReason) != "AGENT_DISCONNECT" {
		t.Errorf("the deleted agent's connected chat: %v %q", c.DisconnectTimestamp, aws.ToString(c.DisconnectReason))
	}
	john := f.agent(t, "john", agentSettings{autoAccept: true})
	if agentOf(f.describeContact(t, task)) != john {
		t.Error("the waiting task did not reach the next agent")
	}
}

// justTransfer is a flow that transfers its contact to the target queue
// TransferContact set.
const justTransfer = `{"Version":"2019-10-30","StartAction":"xfer","Actions":[
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

func TestEngineTransferContact(t *testing.T) {
	f := newEngineFixture(t)
	c := ctx(t)
	billing := f.newQueue(t, "Billing", f.alwaysOpen)
	flowID := f.newFlow(t, "Transfer", types.ContactFlowTypeContactFlow, justTransfer)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true, acw: 30})
	id := f.task(t, "invoice")
	f.advance(t, 10)
	out := call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &id, QueueId: &billing, ContactFlowId: &flowID})).must(t)
	next := aws.ToString(out.ContactId)
	if next == id || aws.ToString(out.ContactArn) != arnOf(f.fixture, "contact", next) {
		t.Fatalf("answer %+v", out)
	}
	old := f.describeContact(t, id)
	if agentOf(old) != mary || !sameTime(old.DisconnectTimestamp, at(10)) || !sameTime(old.AgentInfo.AfterContactWorkStartTimestamp, at(10)) {
		t.Errorf("the transferred contact: disconnected %v, ACW %v", old.DisconnectTimestamp, old.AgentInfo.AfterContactWorkStartTimestamp)
	}
	n := f.describeContact(t, next)
	if n.InitiationMethod != types.ContactInitiationMethodTransfer || aws.ToString(n.PreviousContactId) != id || aws.ToString(n.InitialContactId) != id ||
		n.QueueInfo == nil || aws.ToString(n.QueueInfo.Id) != billing || aws.ToString(n.Name) != "invoice" || agentOf(n) != "" {
		t.Fatalf("the new contact: %+v queue %+v", n, n.QueueInfo)
	}
	// To an agent: through the agent's own queue, whatever its profile.
	john := f.agent(t, "john", agentSettings{autoAccept: true})
	f.setStatus(t, john, f.offline)
	third := *call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &next, UserId: &john, ContactFlowId: &flowID})).must(t).ContactId
	if agentOf(f.describeContact(t, third)) != "" {
		t.Fatal("routed to an offline agent")
	}
	f.setStatus(t, john, f.available)
	if c3 := f.describeContact(t, third); agentOf(c3) != john || aws.ToString(c3.QueueInfo.Id) != john {
		t.Fatalf("transferred to john: agent %q queue %+v", agentOf(c3), c3.QueueInfo)
	}
	// A retry with the same ClientToken answers the same contact.
	token := "transfer-once"
	first := call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &third, QueueId: &billing, ContactFlowId: &flowID, ClientToken: &token})).must(t)
	again := call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &third, QueueId: &billing, ContactFlowId: &flowID, ClientToken: &token})).must(t)
	if aws.ToString(first.ContactId) != aws.ToString(again.ContactId) {
		t.Errorf("retry answered %s, then %s", aws.ToString(first.ContactId), aws.ToString(again.ContactId))
	}
	chat := f.chat(t, "c")
	customerQueue := f.flows[types.ContactFlowTypeCustomerQueue]
	for _, tc := range []struct {
		name string
		in   connect.TransferContactInput
		want string
	}{
		{"a chat", connect.TransferContactInput{ContactId: &chat, QueueId: &billing, ContactFlowId: &flowID}, "TASK"},
		{"an ended contact", connect.TransferContactInput{ContactId: &id, QueueId: &billing, ContactFlowId: &flowID}, "active"},
		{"queue and user", connect.TransferContactInput{ContactId: aws.String(aws.ToString(first.ContactId)), QueueId: &billing, UserId: &john, ContactFlowId: &flowID}, "QueueId"},
		{"a customer queue flow", connect.TransferContactInput{ContactId: aws.String(aws.ToString(first.ContactId)), QueueId: &billing, ContactFlowId: &customerQueue}, "CUSTOMER_QUEUE"},
	} {
		tc.in.InstanceId = &f.instance
		_, err := f.client.TransferContact(c, &tc.in)
		wantErr[*types.InvalidRequestException](t, err, tc.want)
	}
	_, err := f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: first.ContactId, QueueId: aws.String("no-such-queue"), ContactFlowId: &flowID})
	wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
	// Eleven transfers at most.
	cur := aws.ToString(first.ContactId) // transferred 3 times so far
	for i := 4; i <= 11; i++ {
		cur = *call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &cur, QueueId: &billing, ContactFlowId: &flowID})).must(t).ContactId
	}
	_, err = f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &cur, QueueId: &billing, ContactFlowId: &flowID})
	wantErr[*types.ServiceQuotaExceededException](t, err, "11")
}

func TestEngineOutboundCallIsAnsweredThenRuns(t *testing.T) {
	f := newEngineFixture(t)
	mary := f.agent(t, "mary", agentSettings{autoAccept: true})
	_, number := f.claim(t)
	id := *call(f.client.StartOutboundVoiceContact(ctx(t), &connect.StartOutboundVoiceContactInput{InstanceId: &f.instance,
		DestinationPhoneNumber: aws.String("+15555550199"), SourcePhoneNumber: &number, ContactFlowId: &f.toSupport})).must(t).ContactId
	f.advance(t, 4)
	if c := f.describeContact(t, id); c.ConnectedToSystemTimestamp != nil || agentOf(c) != "" {
		t.Fatalf("before the callee answers: %v %q", c.ConnectedToSystemTimestamp, agentOf(c))
	}
	f.advance(t, 1) // the default 5 s
	c := f.describeContact(t, id)
	if !sameTime(c.ConnectedToSystemTimestamp, at(5)) || agentOf(c) != mary || !sameTime(c.QueueInfo.EnqueueTimestamp, at(5)) {
		t.Fatalf("answered: system %v agent %q queue %+v events %v", c.ConnectedToSystemTimestamp, agentOf(c), c.QueueInfo, f.events(t, id))
	}
	if got := strings.Join(f.events(t, id), ","); got != "INITIATED -,CONNECTED_TO_SYSTEM -,QUEUED -,OFFERED "+mary+",CONNECTED_TO_AGENT "+mary {
		t.Errorf("events %s", got)
	}
}
