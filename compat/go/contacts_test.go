package compat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// Contacts run their flows: holdFlow keeps a contact in its flow for an
// hour (hangUp would end it at once with CONTACT_FLOW_DISCONNECT), and
// toQueueFlow, with queueIDMark replaced, transfers it to a queue.
const (
	holdFlow    = `{"Version":"2019-10-30","StartAction":"wait","Actions":[{"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"3600"},"Transitions":{"NextAction":"bye","Conditions":[{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	toQueueFlow = `{"Version":"2019-10-30","StartAction":"target","Actions":[{"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"` + queueIDMark + `"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	queueIDMark = "<QUEUE_ID>"
	// transferFlow takes a contact transferred by TransferContact into the queue it was given.
	transferFlow = `{"Version":"2019-10-30","StartAction":"xfer","Actions":[{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
)

// contacts starts a task, merges its attributes and stops it, starts a
// chat, places an outbound call from a claimed number, and routes a task
// and a chat to an agent.
func (r *runner) contacts(ctx context.Context, c *connect.Client, instance, instanceARN string) {
	defer r.routing(ctx, c, instance, instanceARN)
	f, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat contacts"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(holdFlow)})
	if err != nil {
		r.report("CreateContactFlow", "a flow to start contacts with", err)
		return
	}
	flow := f.ContactFlowId
	describe := func(id string) (*types.Contact, error) {
		out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &instance, ContactId: &id})
		if err != nil {
			return nil, err
		}
		return out.Contact, nil
	}
	var task string
	if r.check("StartTaskContact", "a task INITIATED through the API, described with its tags", func() error {
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: flow, Name: aws.String("Compat task"),
			Attributes: map[string]string{"a": "1"}, References: map[string]types.Reference{"u": {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com")}}})
		if err != nil {
			return err
		}
		task = *out.ContactId
		got, err := describe(task)
		if err != nil {
			return err
		}
		return firstErr(eq("task", []any{aws.ToString(got.Id), got.Channel, got.InitiationMethod, aws.ToString(got.Name), got.Tags},
			[]any{task, types.ChannelTask, types.ContactInitiationMethodApi, "Compat task", map[string]string{"aws:connect:instanceId": instance}}),
			recent("InitiationTimestamp", got.InitiationTimestamp))
	}) {
		r.check("UpdateContactAttributes", "merged into the task's attributes", func() error {
			if _, err := c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: &instance, InitialContactId: &task, Attributes: map[string]string{"b": "2"}}); err != nil {
				return err
			}
			got, err := c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: &instance, InitialContactId: &task})
			if err != nil {
				return err
			}
			return eq("attributes", got.Attributes, map[string]string{"a": "1", "b": "2"})
		})
		_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: &instance, ContactId: &task, QueuePriority: aws.Int64(1)})
		expectError[types.ResourceConflictException](r, "UpdateContactRoutingData", "a contact not in a queue is ResourceConflictException", 409, err)
		r.check("StopContact", "the task ends with a DisconnectTimestamp and reason API", func() error {
			if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: &instance, ContactId: &task}); err != nil {
				return err
			}
			got, err := describe(task)
			if err != nil {
				return err
			}
			return firstErr(eq("reason", aws.ToString(got.DisconnectReason), "API"), recent("DisconnectTimestamp", got.DisconnectTimestamp))
		})
	}
	r.check("UpdateContactSchedule", "a scheduled task moved an hour later", func() error {
		now := time.Now().Truncate(time.Second)
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: flow, Name: aws.String("Compat later"), ScheduledTime: aws.Time(now.Add(time.Hour))})
		if err != nil {
			return err
		}
		if _, err := c.UpdateContactSchedule(ctx, &connect.UpdateContactScheduleInput{InstanceId: &instance, ContactId: out.ContactId, ScheduledTime: aws.Time(now.Add(2 * time.Hour))}); err != nil {
			return err
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		if !aws.ToTime(got.ScheduledTimestamp).Equal(now.Add(2 * time.Hour)) {
			return fmt.Errorf("ScheduledTimestamp %v, want %v", got.ScheduledTimestamp, now.Add(2*time.Hour))
		}
		return nil
	})
	_, err = describe("00000000-0000-0000-0000-000000000000")
	expectError[types.ResourceNotFoundException](r, "DescribeContact", "an unknown contact is ResourceNotFoundException", 404, err)

	r.check("StartChatContact", "a chat with a participant id and token", func() error {
		out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: &instance, ContactFlowId: flow, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Compat")}})
		if err != nil {
			return err
		}
		if aws.ToString(out.ParticipantId) == "" || aws.ToString(out.ParticipantToken) == "" {
			return fmt.Errorf("answer %+v", out)
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		return eq("channel", got.Channel, types.ChannelChat)
	})

	r.check("StartOutboundVoiceContact", "a VOICE contact from a claimed number to the callee", func() error {
		found, err := availableNumber(ctx, c, instanceARN)
		if err != nil {
			return err
		}
		number := &found
		claimed, err := c.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{TargetArn: &instanceARN, PhoneNumber: number})
		if err != nil {
			return err
		}
		out, err := c.StartOutboundVoiceContact(ctx, &connect.StartOutboundVoiceContactInput{InstanceId: &instance, ContactFlowId: flow,
			DestinationPhoneNumber: aws.String("+14255550100"), SourcePhoneNumber: number})
		if err != nil {
			return err
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		if got.CustomerEndpoint == nil || got.SystemEndpoint == nil {
			return fmt.Errorf("endpoints %+v %+v", got.CustomerEndpoint, got.SystemEndpoint)
		}
		_, err = c.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: claimed.PhoneNumberId})
		return firstErr(eq("call", []any{got.Channel, got.InitiationMethod, aws.ToString(got.CustomerEndpoint.Address), aws.ToString(got.SystemEndpoint.Address)},
			[]any{types.ChannelVoice, types.ContactInitiationMethodApi, "+14255550100", *number}), err)
	})
	_, err = c.StartOutboundVoiceContact(ctx, &connect.StartOutboundVoiceContactInput{InstanceId: &instance, ContactFlowId: flow, DestinationPhoneNumber: aws.String("+14255550100")})
	expectError[types.InvalidParameterException](r, "StartOutboundVoiceContact", "neither QueueId nor SourcePhoneNumber is InvalidParameterException", 400, err)
}

// routing sets up hours open all day, a queue on them, a routing profile
// taking TASK (one at a time) and CHAT (two) from it on any channel, a flow
// transferring to it and an Available agent of the profile who auto-accepts
// both channels and stays in after contact work (limit 0); then a task and a
// chat reach the agent, are described, and are stopped, and the queue's
// historical metrics count them. The agent is deleted at the end: the users
// quota is filled afterwards.
func (r *runner) routing(ctx context.Context, c *connect.Client, instance, instanceARN string) {
	began := time.Now()
	var queue, flow, agent string
	if !r.check("CreateRoutingProfile", "hours open all day, a queue, a TASK and CHAT profile, a flow to the queue", func() error {
		allDay := &types.HoursOfOperationTimeSlice{Hours: aws.Int32(0), Minutes: aws.Int32(0)}
		var days []types.HoursOfOperationConfig
		for _, d := range types.HoursOfOperationDays("").Values() {
			days = append(days, types.HoursOfOperationConfig{Day: d, StartTime: allDay, EndTime: allDay})
		}
		if len(days) != 7 {
			return fmt.Errorf("%d days", len(days))
		}
		h, err := c.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: &instance, Name: aws.String("Compat always"), TimeZone: aws.String("UTC"), Config: days})
		if err != nil {
			return err
		}
		q, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: &instance, Name: aws.String("Compat routed"), HoursOfOperationId: h.HoursOfOperationId})
		if err != nil {
			return err
		}
		queue = *q.QueueId
		anyChannel := &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}
		p, err := c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: &instance, Name: aws.String("Compat routing"),
			Description: aws.String("tasks and chats of Compat routed"), DefaultOutboundQueueId: &queue,
			MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1), CrossChannelBehavior: anyChannel},
				{Channel: types.ChannelChat, Concurrency: aws.Int32(2), CrossChannelBehavior: anyChannel}},
			QueueConfigs: []types.RoutingProfileQueueConfig{
				{QueueReference: &types.RoutingProfileQueueReference{QueueId: &queue, Channel: types.ChannelTask}, Priority: aws.Int32(1), Delay: aws.Int32(0)},
				{QueueReference: &types.RoutingProfileQueueReference{QueueId: &queue, Channel: types.ChannelChat}, Priority: aws.Int32(1), Delay: aws.Int32(0)}}})
		if err != nil {
			return err
		}
		fl, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat to queue"), Type: types.ContactFlowTypeContactFlow,
			Content: aws.String(strings.Replace(toQueueFlow, queueIDMark, queue, 1))})
		if err != nil {
			return err
		}
		flow = *fl.ContactFlowId
		sp, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		var agentSP string
		for _, s := range sp.SecurityProfileSummaryList {
			if *s.Name == "Agent" {
				agentSP = *s.Id
			}
		}
		// ACW 0 is the SDK's zero value and so not sent: the server's default.
		u, err := c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: &instance, Username: aws.String("compat.router"), Password: aws.String("Str0ngPassw0rd!"),
			IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Rita"), LastName: aws.String("Router")}, SecurityProfileIds: []string{agentSP}, RoutingProfileId: p.RoutingProfileId,
			AutoAcceptConfigs: []types.AutoAcceptConfig{{Channel: types.ChannelTask, AutoAccept: true}, {Channel: types.ChannelChat, AutoAccept: true}},
			AfterContactWorkConfigs: []types.AfterContactWorkConfigPerChannel{
				{Channel: types.ChannelTask, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 0}},
				{Channel: types.ChannelChat, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 0}}}})
		if err != nil {
			return err
		}
		agent = *u.UserId
		return nil
	}) {
		return
	}
	defer r.check("DeleteUser", "the routed agent, so the users quota is filled as before", func() error {
		_, err := c.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: &instance, UserId: &agent})
		return err
	})
	if !r.check("PutUserStatus", "the agent goes to the ROUTABLE status of ListAgentStatuses", func() error {
		st, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &instance, AgentStatusTypes: []types.AgentStatusType{types.AgentStatusTypeRoutable}})
		if err != nil {
			return err
		}
		if len(st.AgentStatusSummaryList) == 0 {
			return errors.New("no ROUTABLE status")
		}
		_, err = c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: &instance, UserId: &agent, AgentStatusId: st.AgentStatusSummaryList[0].Id})
		return err
	}) {
		return
	}
	describe := func(id string) (*types.Contact, error) {
		out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &instance, ContactId: &id})
		if err != nil {
			return nil, err
		}
		if out.Contact.AgentInfo == nil || out.Contact.QueueInfo == nil {
			return nil, fmt.Errorf("AgentInfo %+v QueueInfo %+v", out.Contact.AgentInfo, out.Contact.QueueInfo)
		}
		return out.Contact, nil
	}
	userData := func() (types.UserData, error) {
		out, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &instance, Filters: &types.UserDataFilters{Agents: []string{agent}}})
		if err != nil {
			return types.UserData{}, err
		}
		if len(out.UserDataList) != 1 {
			return types.UserData{}, fmt.Errorf("UserDataList %+v", out.UserDataList)
		}
		return out.UserDataList[0], nil
	}
	var task, chat string
	if !r.check("StartTaskContact", "the task is queued and connected to the auto-accepting agent", func() error {
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: &flow, Name: aws.String("Compat routed task")})
		if err != nil {
			return err
		}
		task = *out.ContactId
		got, err := describe(task)
		if err != nil {
			return err
		}
		var still error
		if got.DisconnectTimestamp != nil {
			still = fmt.Errorf("DisconnectTimestamp %v", *got.DisconnectTimestamp)
		}
		return firstErr(eq("agent", aws.ToString(got.AgentInfo.Id), agent), eq("queue", aws.ToString(got.QueueInfo.Id), queue),
			recent("ConnectedToAgentTimestamp", got.AgentInfo.ConnectedToAgentTimestamp), recent("EnqueueTimestamp", got.QueueInfo.EnqueueTimestamp), still)
	}) {
		return
	}
	r.check("GetCurrentUserData", "the agent holds the task, CONNECTED, one TASK slot active", func() error {
		d, err := userData()
		if err != nil {
			return err
		}
		if len(d.Contacts) != 1 {
			return fmt.Errorf("Contacts %+v", d.Contacts)
		}
		k := d.Contacts[0]
		var q string
		if k.Queue != nil {
			q = aws.ToString(k.Queue.Id)
		}
		return firstErr(eq("contact", []any{aws.ToString(k.ContactId), k.AgentContactState, k.Channel, q}, []any{task, types.ContactStateConnected, types.ChannelTask, queue}),
			recent("ConnectedToAgentTimestamp", k.ConnectedToAgentTimestamp), eq("ActiveSlotsByChannel TASK", d.ActiveSlotsByChannel["TASK"], int32(1)))
	})
	r.check("StartChatContact", "the chat reaches the same agent beside the task (ROUTE_ANY_CHANNEL)", func() error {
		out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: &instance, ContactFlowId: &flow, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Routed")}})
		if err != nil {
			return err
		}
		chat = *out.ContactId
		got, err := describe(chat)
		if err != nil {
			return err
		}
		return firstErr(eq("chat", []any{got.Channel, aws.ToString(got.AgentInfo.Id), aws.ToString(got.QueueInfo.Id)}, []any{types.ChannelChat, agent, queue}),
			recent("ConnectedToAgentTimestamp", got.AgentInfo.ConnectedToAgentTimestamp))
	})
	var waiting string
	if chat != "" {
		waiting = r.realTime(ctx, c, instance, queue, flow, chat)
	}
	r.contactSearch(ctx, c, instance, task, waiting)
	taskStopped := r.check("StopContact", "the routed task: reason API, the agent in after contact work, the task ENDED", func() error {
		if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: &instance, ContactId: &task}); err != nil {
			return err
		}
		got, err := describe(task)
		if err != nil {
			return err
		}
		d, err := userData()
		if err != nil {
			return err
		}
		var state types.ContactState
		for _, k := range d.Contacts {
			if aws.ToString(k.ContactId) == task {
				state = k.AgentContactState
			}
		}
		return firstErr(eq("DisconnectReason", aws.ToString(got.DisconnectReason), "API"), recent("DisconnectTimestamp", got.DisconnectTimestamp),
			recent("AfterContactWorkStartTimestamp", got.AgentInfo.AfterContactWorkStartTimestamp), eq("the task in GetCurrentUserData", state, types.ContactStateEnded))
	})
	if chat != "" {
		r.check("StopContact", "the routed chat ends with a DisconnectTimestamp", func() error {
			if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: &instance, ContactId: &chat}); err != nil {
				return err
			}
			got, err := describe(chat)
			if err != nil {
				return err
			}
			return recent("DisconnectTimestamp", got.DisconnectTimestamp)
		})
	}
	// The tasks the routing flow queued: the routed one and, when realTime
	// ran and its transfer succeeded, the one it transferred out.
	tasks, exact := 1, true
	if chat != "" {
		if waiting != "" {
			tasks = 2
		} else {
			exact = false
		}
	}
	r.historical(ctx, c, instanceARN, queue, chat != "", historicalTasks{queued: tasks, exact: exact, handled: taskStopped}, began)
}

// historicalTasks is what the runner knows of the routing queue's tasks:
// how many entered it (exactly, or at least), and whether the routed one,
// the only one an agent had, has ended.
type historicalTasks struct {
	queued         int
	exact, handled bool
}

// historical reads the routing queue's historical metrics over the last
// hour, grouped by queue and channel: in total, by hour, and its service
// level; then the refusals. began is when routing started: no contact was in
// the queue longer than the time since.
func (r *runner) historical(ctx context.Context, c *connect.Client, instanceARN, queue string, chat bool, tasks historicalTasks, began time.Time) {
	// EndTime may not be later than now, and the contacts stopped a moment
	// ago count in the range only if it ends after them: it ends at the next
	// whole second, once that has passed.
	end := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(end) + 100*time.Millisecond)
	start := end.Add(-time.Hour)
	elapsed := time.Since(began).Seconds()
	counts := []string{"CONTACTS_CREATED", "CONTACTS_QUEUED", "CONTACTS_HANDLED"}
	names := []string{"CONTACTS_CREATED", "CONTACTS_QUEUED", "CONTACTS_HANDLED", "AVG_QUEUE_ANSWER_TIME"}
	request := func(interval *types.IntervalDetails, metrics ...types.MetricV2) *connect.GetMetricDataV2Input {
		return &connect.GetMetricDataV2Input{ResourceArn: &instanceARN, StartTime: aws.Time(start), EndTime: aws.Time(end), Interval: interval,
			Filters:   []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{queue}}},
			Groupings: []string{"QUEUE", "CHANNEL"}, Metrics: metrics}
	}
	byName := func(names ...string) []types.MetricV2 {
		var m []types.MetricV2
		for _, n := range names {
			m = append(m, types.MetricV2{Name: aws.String(n)})
		}
		return m
	}
	// rows checks every result is the queue's, on a channel it had, with
	// Collections echoing the metrics in order, and returns the values of
	// each channel's results (one a result; absent values nil).
	rows := func(out *connect.GetMetricDataV2Output, metrics []types.MetricV2) (map[string][]map[string]*float64, error) {
		channels := map[string][]map[string]*float64{}
		for _, m := range out.MetricResults {
			ch := m.Dimensions["CHANNEL"]
			if m.Dimensions["QUEUE"] != queue || len(m.Dimensions) != 2 || (ch != "TASK" && (ch != "CHAT" || !chat)) {
				return nil, fmt.Errorf("Dimensions %v, want QUEUE %s and CHANNEL TASK or CHAT", m.Dimensions, queue)
			}
			if len(m.Collections) != len(metrics) {
				return nil, fmt.Errorf("%s: %d Collections for %d metrics", ch, len(m.Collections), len(metrics))
			}
			values := map[string]*float64{}
			for i, col := range m.Collections {
				if col.Metric == nil || metricString(*col.Metric) != metricString(metrics[i]) {
					var got string
					if col.Metric != nil {
						got = metricString(*col.Metric)
					}
					return nil, fmt.Errorf("%s: Collections[%d].Metric %q, want %q", ch, i, got, metricString(metrics[i]))
				}
				values[*col.Metric.Name] = col.Value
			}
			channels[ch] = append(channels[ch], values)
		}
		if len(channels["TASK"]) == 0 {
			return nil, fmt.Errorf("no TASK result among %d", len(out.MetricResults))
		}
		return channels, nil
	}
	// sums adds up each count over the results of a channel.
	sums := func(results []map[string]*float64) (map[string]float64, error) {
		total := map[string]float64{}
		for _, values := range results {
			for _, n := range counts {
				if values[n] == nil {
					return nil, fmt.Errorf("%s without a Value", n)
				}
				total[n] += *values[n]
			}
		}
		return total, nil
	}
	var totals map[string]float64
	r.check("GetMetricDataV2", "the routing queue's last hour by QUEUE and CHANNEL: its tasks created, queued and handled, the answer time of the one answered", func() error {
		metrics := byName(names...)
		out, err := c.GetMetricDataV2(ctx, request(nil, metrics...))
		if err != nil {
			return err
		}
		channels, err := rows(out, metrics)
		if err != nil {
			return err
		}
		if len(channels["TASK"]) != 1 {
			return fmt.Errorf("%d TASK results without an Interval", len(channels["TASK"]))
		}
		task := channels["TASK"][0]
		got, err := sums(channels["TASK"])
		if err != nil {
			return err
		}
		var problems []error
		// Every queued task was created through the routing flow, and only
		// the routed one reached the agent.
		if tasks.exact {
			problems = append(problems, eq("TASK CONTACTS_CREATED and CONTACTS_QUEUED", []float64{got["CONTACTS_CREATED"], got["CONTACTS_QUEUED"]}, []float64{float64(tasks.queued), float64(tasks.queued)}))
		} else if got["CONTACTS_CREATED"] < 1 || got["CONTACTS_QUEUED"] < 1 {
			problems = append(problems, fmt.Errorf("TASK CONTACTS_CREATED %v CONTACTS_QUEUED %v, want at least 1", got["CONTACTS_CREATED"], got["CONTACTS_QUEUED"]))
		}
		if tasks.handled {
			problems = append(problems, eq("TASK CONTACTS_HANDLED", got["CONTACTS_HANDLED"], 1.0))
		}
		if v := task["AVG_QUEUE_ANSWER_TIME"]; v == nil || *v < 0 || *v > elapsed {
			problems = append(problems, fmt.Errorf("TASK AVG_QUEUE_ANSWER_TIME %v, want 0 to %.3f", v, elapsed))
		}
		if chat {
			if len(channels["CHAT"]) != 1 {
				problems = append(problems, fmt.Errorf("%d CHAT results", len(channels["CHAT"])))
			} else if v := channels["CHAT"][0]["CONTACTS_CREATED"]; v == nil || *v != 1 {
				problems = append(problems, fmt.Errorf("CHAT CONTACTS_CREATED %v, want 1", v))
			}
		}
		totals = got
		return firstErr(problems...)
	})
	r.check("GetMetricDataV2", "by HOUR in UTC: each result's MetricInterval an HOUR inside the range, the TASK counts adding up to the total", func() error {
		metrics := byName(names...)
		out, err := c.GetMetricDataV2(ctx, request(&types.IntervalDetails{IntervalPeriod: types.IntervalPeriodHour, TimeZone: aws.String("UTC")}, metrics...))
		if err != nil {
			return err
		}
		channels, err := rows(out, metrics)
		if err != nil {
			return err
		}
		for _, m := range out.MetricResults {
			iv := m.MetricInterval
			if iv == nil || iv.StartTime == nil || iv.EndTime == nil {
				return fmt.Errorf("%v: MetricInterval %+v", m.Dimensions, iv)
			}
			if iv.Interval != types.IntervalPeriodHour || iv.StartTime.Before(start) || !iv.StartTime.Before(*iv.EndTime) || iv.EndTime.After(end) ||
				iv.EndTime.Sub(*iv.StartTime) > time.Hour {
				return fmt.Errorf("%v: MetricInterval %s %v to %v, want an HOUR within %v to %v", m.Dimensions, iv.Interval, *iv.StartTime, *iv.EndTime, start, end)
			}
		}
		got, err := sums(channels["TASK"])
		if err != nil {
			return err
		}
		if totals == nil {
			return errors.New("no totals: the request without an Interval failed")
		}
		return eq("TASK counts summed over the hours", got, totals)
	})
	serviceLevel := types.MetricV2{Name: aws.String("SERVICE_LEVEL"), Threshold: []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(60)}}}
	r.check("GetMetricDataV2", "SERVICE_LEVEL under 60 s, its Threshold echoed: a percentage, 100 when every contact left the queue within a minute", func() error {
		out, err := c.GetMetricDataV2(ctx, request(nil, serviceLevel))
		if err != nil {
			return err
		}
		channels, err := rows(out, []types.MetricV2{serviceLevel})
		if err != nil {
			return err
		}
		// The routed task left the queue when the agent answered it.
		for _, values := range channels["TASK"] {
			v := values["SERVICE_LEVEL"]
			if v == nil || *v < 0 || *v > 100 {
				return fmt.Errorf("TASK SERVICE_LEVEL %v, want 0 to 100", v)
			}
			if elapsed < 60 && *v != 100 {
				return fmt.Errorf("TASK SERVICE_LEVEL %v, want 100: every contact of the queue left it within %.3f s", *v, elapsed)
			}
		}
		return nil
	})
	_, err := c.GetMetricDataV2(ctx, request(nil, byName("AGENT_NON_RESPONSE")...))
	expectError[types.InvalidParameterException](r, "GetMetricDataV2", "AGENT_NON_RESPONSE (not computed) is InvalidParameterException", 400, err)
	_, err = c.GetMetricDataV2(ctx, request(nil, byName("SERVICE_LEVEL")...))
	expectError[types.InvalidParameterException](r, "GetMetricDataV2", "SERVICE_LEVEL without a Threshold is InvalidParameterException", 400, err)
	future := request(nil, byName("CONTACTS_CREATED")...)
	future.EndTime = aws.Time(time.Now().Add(time.Hour))
	_, err = c.GetMetricDataV2(ctx, future)
	expectError[types.InvalidParameterException](r, "GetMetricDataV2", "EndTime in the future is InvalidParameterException", 400, err)
}

// realTime reads the routing queue's real-time metrics while the agent holds
// the routed task and chat (two slots active), then starts a second task on
// the routing flow (it waits: the agent's TASK concurrency is 1) and
// transfers it to a second queue on the same hours; a chat cannot be
// transferred. It returns the transferred task, waiting in the second queue
// (no routing profile takes it), or "" when the transfer failed.
func (r *runner) realTime(ctx context.Context, c *connect.Client, instance, queue, flow, chat string) (waiting string) {
	r.check("GetCurrentMetricData", "the routing queue: one agent online, none in queue, two slots active", func() error {
		out, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: &instance,
			Filters:   &types.Filters{Queues: []string{queue}, Channels: []types.Channel{types.ChannelTask, types.ChannelChat}},
			Groupings: []types.Grouping{types.GroupingQueue},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsOnline, Unit: types.UnitCount},
				{Name: types.CurrentMetricNameContactsInQueue, Unit: types.UnitCount}, {Name: types.CurrentMetricNameSlotsActive, Unit: types.UnitCount}}})
		if err != nil {
			return err
		}
		if len(out.MetricResults) != 1 {
			return fmt.Errorf("MetricResults %+v", out.MetricResults)
		}
		m := out.MetricResults[0]
		var q string
		if m.Dimensions != nil && m.Dimensions.Queue != nil {
			q = aws.ToString(m.Dimensions.Queue.Id)
		}
		var names []types.CurrentMetricName
		var values []float64
		for _, col := range m.Collections {
			if col.Metric == nil || col.Value == nil {
				return fmt.Errorf("collection %+v", col)
			}
			names = append(names, col.Metric.Name)
			values = append(values, *col.Value)
		}
		return firstErr(eq("queue", q, queue),
			eq("metrics", names, []types.CurrentMetricName{types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameSlotsActive}),
			eq("values", values, []float64{1, 0, 2}), eq("ApproximateTotalCount", aws.ToInt64(out.ApproximateTotalCount), int64(1)),
			recent("DataSnapshotTime", out.DataSnapshotTime))
	})
	_, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: &instance,
		Filters: &types.Filters{Queues: []string{queue}, Channels: []types.Channel{types.ChannelTask}}, Groupings: []types.Grouping{types.GroupingQueue},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameOldestContactAge, Unit: types.UnitCount}}})
	expectError[types.InvalidParameterException](r, "GetCurrentMetricData", "OLDEST_CONTACT_AGE in COUNT is InvalidParameterException", 400, err)
	xferQueue, xferFlow := queue, flow
	r.check("TransferContact", "a waiting task to a second queue: a new TRANSFER contact, the original disconnected", func() error {
		q, err := c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: &instance, QueueId: &queue})
		if err != nil {
			return err
		}
		q2, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: &instance, Name: aws.String("Compat transfer queue"), HoursOfOperationId: q.Queue.HoursOfOperationId})
		if err != nil {
			return err
		}
		fl, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat transfer"), Type: types.ContactFlowTypeContactFlow,
			Content: aws.String(transferFlow)})
		if err != nil {
			return err
		}
		xferQueue, xferFlow = *q2.QueueId, *fl.ContactFlowId
		st, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: &flow, Name: aws.String("Compat transferred task")})
		if err != nil {
			return err
		}
		out, err := c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &instance, ContactId: st.ContactId, QueueId: q2.QueueId, ContactFlowId: fl.ContactFlowId})
		if err != nil {
			return err
		}
		id := aws.ToString(out.ContactId)
		waiting = id
		if id == *st.ContactId || !strings.HasSuffix(aws.ToString(out.ContactArn), "/contact/"+id) {
			return fmt.Errorf("ContactId %q ContactArn %q from %q", id, aws.ToString(out.ContactArn), *st.ContactId)
		}
		got, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &instance, ContactId: &id})
		if err != nil {
			return err
		}
		var inQueue string
		if got.Contact.QueueInfo != nil {
			inQueue = aws.ToString(got.Contact.QueueInfo.Id)
		}
		orig, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &instance, ContactId: st.ContactId})
		if err != nil {
			return err
		}
		return firstErr(eq("new contact", []any{got.Contact.InitiationMethod, aws.ToString(got.Contact.PreviousContactId), inQueue},
			[]any{types.ContactInitiationMethodTransfer, *st.ContactId, *q2.QueueId}), recent("the original's DisconnectTimestamp", orig.Contact.DisconnectTimestamp))
	})
	_, err = c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &instance, ContactId: &chat, QueueId: &xferQueue, ContactFlowId: &xferFlow})
	expectError[types.InvalidRequestException](r, "TransferContact", "a chat is InvalidRequestException", 400, err)
	return waiting
}

// contactSearch searches the instance's tasks initiated in the last hour
// (the runner started several: the routed task, connected to the agent, is
// among them), pages through them one at a time with the SDK's paginator,
// and reads the position in queue of the transferred task, which waits in a
// queue no agent serves; the routed task, with the agent, has no metrics.
func (r *runner) contactSearch(ctx context.Context, c *connect.Client, instance, task, waiting string) {
	now := time.Now()
	search := func() *connect.SearchContactsInput {
		return &connect.SearchContactsInput{InstanceId: &instance,
			TimeRange:      &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now.Add(time.Minute))},
			SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask}}}
	}
	r.check("SearchContacts", "tasks initiated in the last hour: the routed task with its Arn, TASK, API; TotalCount", func() error {
		out, err := c.SearchContacts(ctx, search())
		if err != nil {
			return err
		}
		var found *types.ContactSearchSummary
		var channels []types.Channel
		for i, k := range out.Contacts {
			if k.Channel != types.ChannelTask {
				channels = append(channels, k.Channel)
			}
			if aws.ToString(k.Id) == task {
				found = &out.Contacts[i]
			}
		}
		if found == nil {
			return fmt.Errorf("task %s not among %d contacts", task, len(out.Contacts))
		}
		var arn error
		if !strings.HasSuffix(aws.ToString(found.Arn), "/contact/"+task) {
			arn = fmt.Errorf("Arn %q", aws.ToString(found.Arn))
		}
		var total error
		if out.TotalCount == nil || *out.TotalCount < int64(len(out.Contacts)) {
			total = fmt.Errorf("TotalCount %v for %d contacts", out.TotalCount, len(out.Contacts))
		}
		return firstErr(eq("task", []any{found.Channel, found.InitiationMethod}, []any{types.ChannelTask, types.ContactInitiationMethodApi}),
			eq("channels other than TASK", channels, []types.Channel(nil)), arn, total, recent("InitiationTimestamp", found.InitiationTimestamp))
	})
	r.check("SearchContacts", "one task a page (SDK paginator, MaxResults 1): the NextToken leads to another task, TotalCount on both pages", func() error {
		in := search()
		in.MaxResults = aws.Int32(1)
		p := connect.NewSearchContactsPaginator(c, in)
		first, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		if len(first.Contacts) != 1 || aws.ToInt64(first.TotalCount) < 2 || !p.HasMorePages() {
			return fmt.Errorf("first page: %d contacts, TotalCount %v, NextToken %v", len(first.Contacts), first.TotalCount, first.NextToken)
		}
		second, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		if len(second.Contacts) != 1 || aws.ToString(second.Contacts[0].Id) == aws.ToString(first.Contacts[0].Id) {
			return fmt.Errorf("second page %+v after %s", second.Contacts, aws.ToString(first.Contacts[0].Id))
		}
		return eq("TotalCount on the second page", aws.ToInt64(second.TotalCount), aws.ToInt64(first.TotalCount))
	})
	backwards := search()
	backwards.TimeRange.StartTime, backwards.TimeRange.EndTime = backwards.TimeRange.EndTime, backwards.TimeRange.StartTime
	_, err := c.SearchContacts(ctx, backwards)
	expectError[types.InvalidParameterException](r, "SearchContacts", "EndTime before StartTime is InvalidParameterException", 400, err)

	position := []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}
	r.check("GetContactMetrics", "the transferred task waiting alone in its queue: POSITION_IN_QUEUE 1", func() error {
		if waiting == "" {
			return errors.New("no waiting task: TransferContact failed")
		}
		out, err := c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &instance, ContactId: &waiting, Metrics: position})
		if err != nil {
			return err
		}
		var arn error
		if !strings.HasSuffix(aws.ToString(out.Arn), "/contact/"+waiting) {
			arn = fmt.Errorf("Arn %q", aws.ToString(out.Arn))
		}
		if len(out.MetricResults) != 1 {
			return fmt.Errorf("MetricResults %+v", out.MetricResults)
		}
		m := out.MetricResults[0]
		n, ok := m.Value.(*types.ContactMetricValueMemberNumber)
		if !ok {
			return fmt.Errorf("Value %#v", m.Value)
		}
		return firstErr(eq("Id", aws.ToString(out.Id), waiting), arn, eq("metric", []any{m.Name, n.Value}, []any{types.ContactMetricNamePositionInQueue, 1.0}))
	})
	_, err = c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &instance, ContactId: &task, Metrics: position})
	expectError[types.InvalidRequestException](r, "GetContactMetrics", "the routed task, with the agent, not waiting: InvalidRequestException", 400, err)
}

// metricString shows a MetricV2 as its name, thresholds and metric filters.
func metricString(m types.MetricV2) string {
	s := aws.ToString(m.Name)
	for _, t := range m.Threshold {
		s += fmt.Sprintf(" %s %v", aws.ToString(t.Comparison), aws.ToFloat64(t.ThresholdValue))
	}
	for _, f := range m.MetricFilters {
		s += fmt.Sprintf(" %s=%v negate=%v", aws.ToString(f.MetricFilterKey), f.MetricFilterValues, f.Negate)
	}
	return s
}

// availableNumber finds one US DID number the instance can claim.
func availableNumber(ctx context.Context, c *connect.Client, instanceARN string) (string, error) {
	found, err := c.SearchAvailablePhoneNumbers(ctx, &connect.SearchAvailablePhoneNumbersInput{TargetArn: &instanceARN, PhoneNumberCountryCode: types.PhoneNumberCountryCodeUs,
		PhoneNumberType: types.PhoneNumberTypeDid, MaxResults: aws.Int32(1)})
	if err != nil {
		return "", err
	}
	if len(found.AvailableNumbersList) != 1 {
		return "", fmt.Errorf("available %+v", found.AvailableNumbersList)
	}
	return *found.AvailableNumbersList[0].PhoneNumber, nil
}
