package e2e

// A randomized simulation of a contact center on the virtual clock: tasks
// and chats arrive in three queues, agents with random settings change
// status, accept, reject, hang up and clear, customers leave, time passes.
// The contact event log is replayed to check the engine's invariants (no
// contact offered to two agents, no agent above its concurrency or mixing
// channels its profile keeps apart), and GetCurrentMetricData is checked
// against figures recomputed from the log.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// simEvent is the part of a contact event the replay reads.
type simEvent struct {
	typ, contact, agent, channel, queue string
	acw                                 bool // agentInfo has an after contact work start
	enqueued                            time.Time
}

func (f *engineFixture) allEvents(t *testing.T) []simEvent {
	t.Helper()
	var out []simEvent
	token := ""
	for {
		body := fmt.Sprintf(`{"InstanceId":%q,"MaxResults":1000}`, f.instance)
		if token != "" {
			body = fmt.Sprintf(`{"InstanceId":%q,"MaxResults":1000,"NextToken":%q}`, f.instance, token)
		}
		a := f.testAPI("POST", "contact-events", body)
		if a.status != 200 {
			t.Fatalf("contact-events: %s", a.raw)
		}
		for _, e := range a.body["Events"].([]any) {
			d := e.(map[string]any)["detail"].(map[string]any)
			ev := simEvent{typ: d["eventType"].(string), contact: d["contactId"].(string), channel: d["channel"].(string)}
			if ai, ok := d["agentInfo"].(map[string]any); ok {
				arn := ai["agentArn"].(string)
				ev.agent = arn[strings.LastIndex(arn, "/")+1:]
				_, ev.acw = ai["afterContactWorkStartTimestamp"]
			}
			if qi, ok := d["queueInfo"].(map[string]any); ok {
				arn := qi["queueArn"].(string)
				ev.queue = arn[strings.LastIndex(arn, "/")+1:]
				ev.enqueued, _ = time.Parse("2006-01-02T15:04:05.000Z", qi["enqueueTimestamp"].(string))
			}
			out = append(out, ev)
		}
		next, ok := a.body["NextToken"].(string)
		if !ok {
			return out
		}
		token = next
	}
}

// simReplay is the state the event log implies.
type simReplay struct {
	holder   map[string]string // contact -> agent holding it
	inACW    map[string]bool
	last     map[string]simEvent // contact -> its last event
	held     map[string]map[string]int
	contacts []string
}

// replay checks the invariants event by event and returns the final state.
func replay(t *testing.T, events []simEvent, maxSlots map[string]int) *simReplay {
	t.Helper()
	r := &simReplay{holder: map[string]string{}, inACW: map[string]bool{}, last: map[string]simEvent{}, held: map[string]map[string]int{}}
	release := func(c string) {
		a := r.holder[c]
		r.held[a][r.last[c].channel]--
		delete(r.holder, c)
		delete(r.inACW, c)
	}
	for i, e := range events {
		if _, seen := r.last[e.contact]; !seen {
			r.contacts = append(r.contacts, e.contact)
		}
		switch e.typ {
		case "OFFERED":
			if h, ok := r.holder[e.contact]; ok {
				t.Fatalf("event %d: %s offered to %s while %s holds it", i, e.contact, e.agent, h)
			}
			if r.held[e.agent] == nil {
				r.held[e.agent] = map[string]int{}
			}
			for ch, n := range r.held[e.agent] {
				if n > 0 && ch != e.channel {
					t.Fatalf("event %d: %s offered a %s while holding %d %s (current channel only)", i, e.agent, e.channel, n, ch)
				}
			}
			r.held[e.agent][e.channel]++
			if n := r.held[e.agent][e.channel]; n > maxSlots[e.channel] {
				t.Fatalf("event %d: %s holds %d %s contacts, above its concurrency %d", i, e.agent, n, e.channel, maxSlots[e.channel])
			}
			r.holder[e.contact] = e.agent
		case "RETURNED", "COMPLETED":
			if r.holder[e.contact] != e.agent {
				t.Fatalf("event %d: %s %s by %s, held by %q", i, e.typ, e.contact, e.agent, r.holder[e.contact])
			}
			release(e.contact)
		case "CONNECTED_TO_AGENT":
			if r.holder[e.contact] != e.agent {
				t.Fatalf("event %d: %s connected to %s, held by %q", i, e.contact, e.agent, r.holder[e.contact])
			}
		case "DISCONNECTED":
			if h, ok := r.holder[e.contact]; ok {
				if e.acw {
					r.inACW[e.contact] = true
				} else {
					_ = h
					r.last[e.contact] = e
					release(e.contact)
				}
			}
		}
		r.last[e.contact] = e
	}
	return r
}

func TestEngineRandomizedSimulation(t *testing.T) {
	seed, _ := strconv.ParseUint(os.Getenv("SWITCHBOARD_SIM_SEED"), 10, 64)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	steps := 400
	if testing.Short() {
		steps = 150
	}
	t.Logf("seed %d (SWITCHBOARD_SIM_SEED=%d reproduces the run)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	f := newEngineFixture(t)
	c := ctx(t)
	queues := []string{f.support, f.newQueue(t, "Billing", f.alwaysOpen), f.newQueue(t, "Sales", f.alwaysOpen)}
	flows := []string{f.toSupport, f.newFlow(t, "To billing", types.ContactFlowTypeContactFlow, toQueue(queues[1])),
		f.newFlow(t, "To sales", types.ContactFlowTypeContactFlow, toQueue(queues[2]))}
	// Support's profile takes billing too, second; a second profile takes
	// sales first and billing after 10 s.
	call(f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &f.profile,
		QueueConfigs: []types.RoutingProfileQueueConfig{qc(queues[1], types.ChannelTask, 2, 0), qc(queues[1], types.ChannelChat, 2, 0)}})).must(t)
	other := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String("Sales agents"),
		Description: aws.String("sales"), DefaultOutboundQueueId: &queues[2],
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1)}, {Channel: types.ChannelChat, Concurrency: aws.Int32(2)}},
		QueueConfigs: []types.RoutingProfileQueueConfig{qc(queues[2], types.ChannelTask, 1, 0), qc(queues[2], types.ChannelChat, 1, 0),
			qc(queues[1], types.ChannelTask, 2, 10), qc(queues[1], types.ChannelChat, 2, 10)}})).must(t).RoutingProfileId
	brk := *call(f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	var agents []string
	for i := range 8 {
		in := f.user(fmt.Sprintf("agent%d", i))
		if i%2 == 1 {
			in.RoutingProfileId = &other
		} else {
			in.RoutingProfileId = &f.profile
		}
		for _, ch := range []types.Channel{types.ChannelTask, types.ChannelChat} {
			in.AutoAcceptConfigs = append(in.AutoAcceptConfigs, types.AutoAcceptConfig{Channel: ch, AutoAccept: rng.IntN(2) == 0})
			in.AfterContactWorkConfigs = append(in.AfterContactWorkConfigs, types.AfterContactWorkConfigPerChannel{Channel: ch,
				AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: int32(rng.IntN(3) * 15)}})
		}
		id := f.create(t, in)
		f.setStatus(t, id, f.available)
		agents = append(agents, id)
	}
	maxSlots := map[string]int{"TASK": 1, "CHAT": 2, "VOICE": 1}
	var contacts []string
	elapsed := 0
	for step := range steps {
		if step == steps/3 || step == 2*steps/3 {
			// Read the metrics mid-way: the final check then answers from
			// live contacts brought up to date since (liveprojection.go),
			// not read afresh.
			call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
				CurrentMetrics: metricsOf(types.CurrentMetricNameSlotsActive), Filters: &types.Filters{Queues: queues}})).must(t)
		}
		switch k := rng.IntN(20); {
		case k < 2:
			contacts = append(contacts, f.taskOn(t, flows[rng.IntN(3)], nil))
		case k < 3:
			id := *call(f.client.StartChatContact(c, &connect.StartChatContactInput{InstanceId: &f.instance, ContactFlowId: &flows[rng.IntN(3)],
				ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("c")}})).must(t).ContactId
			contacts = append(contacts, id)
		case k < 6:
			n := rng.IntN(25)
			f.advance(t, n)
			elapsed += n
		case k < 16:
			// An agent acts on one of its contacts: mostly what its state
			// calls for, sometimes anything (an action that does not fit is
			// refused and changes nothing).
			a := agents[rng.IntN(len(agents))]
			if ud := f.userData(t, a); ud != nil && len(ud.Contacts) > 0 {
				ct := ud.Contacts[rng.IntN(len(ud.Contacts))]
				action := map[types.ContactState]string{types.ContactStateConnecting: "accept", types.ContactStateConnected: "hang-up",
					types.ContactStateEnded: "clear", types.ContactStateMissed: "accept"}[ct.AgentContactState]
				if rng.IntN(5) == 0 {
					action = []string{"accept", "reject", "hang-up", "clear"}[rng.IntN(4)]
				}
				if ct.AgentContactState == types.ContactStateMissed {
					call(f.client.DismissUserContact(c, &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &a, ContactId: ct.ContactId})).must(t)
				} else if r := f.act(t, aws.ToString(ct.ContactId), a, action); r.status != 200 && r.errorType != "ResourceConflictException" && r.errorType != "InvalidRequestException" {
					t.Fatalf("step %d: %s %s: %d %s", step, action, aws.ToString(ct.ContactId), r.status, r.raw)
				}
			}
		case k < 18:
			status := []string{f.available, f.available, f.available, brk, f.offline}[rng.IntN(5)]
			f.setStatus(t, agents[rng.IntN(len(agents))], status)
		case k < 19 && len(contacts) > 0:
			f.stop(t, contacts[rng.IntN(len(contacts))])
		case len(contacts) > 0:
			id := contacts[rng.IntN(len(contacts))]
			if r := f.act(t, id, "", "customer-hang-up"); r.status != 200 && r.errorType != "InvalidRequestException" {
				t.Fatalf("step %d: customer-hang-up: %s", step, r.raw)
			}
		}
	}
	events := f.allEvents(t)
	r := replay(t, events, maxSlots)
	byType := map[string]int{}
	for _, e := range events {
		byType[e.typ]++
	}
	t.Logf("%d steps, %d contacts, %d events %v, %d s simulated", steps, len(contacts), len(events), byType, elapsed)

	// GetCurrentMetricData against the log.
	now := at(elapsed)
	inQueue := map[string]int{}
	oldest := map[string]time.Time{}
	acw, active := 0, 0
	for _, id := range r.contacts {
		e := r.last[id]
		switch e.typ {
		case "QUEUED", "OFFERED", "RETURNED":
			inQueue[e.queue]++
			if o, ok := oldest[e.queue]; !ok || e.enqueued.Before(o) {
				oldest[e.queue] = e.enqueued
			}
		}
		if _, held := r.holder[id]; held && r.inACW[id] {
			acw++
		}
		if _, held := r.holder[id]; held && (e.typ == "CONNECTED_TO_AGENT" || r.inACW[id]) {
			active++
		}
	}
	out := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
		CurrentMetrics: metricsOf(types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameOldestContactAge),
		Filters:        &types.Filters{Queues: queues, Channels: []types.Channel{types.ChannelTask, types.ChannelChat}}, Groupings: []types.Grouping{types.GroupingQueue}})).must(t)
	for _, res := range out.MetricResults {
		q := aws.ToString(res.Dimensions.Queue.Id)
		age := 0.0
		if o, ok := oldest[q]; ok {
			age = float64(int64(now.Sub(o) / time.Second))
		}
		if got := *res.Collections[0].Value; got != float64(inQueue[q]) {
			t.Errorf("queue %s: CONTACTS_IN_QUEUE %v, the log says %d", q, got, inQueue[q])
		}
		if got := *res.Collections[1].Value; got != age {
			t.Errorf("queue %s: OLDEST_CONTACT_AGE %v, the log says %v", q, got, age)
		}
	}
	sum := call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
		CurrentMetrics: metricsOf(types.CurrentMetricNameAgentsAfterContactWork, types.CurrentMetricNameSlotsActive),
		Filters:        &types.Filters{Queues: queues}})).must(t)
	if got := *sum.MetricResults[0].Collections[0].Value; got != float64(acw) {
		t.Errorf("AGENTS_AFTER_CONTACT_WORK %v, the log says %d", got, acw)
	}
	if got := *sum.MetricResults[0].Collections[1].Value; got != float64(active) {
		t.Errorf("SLOTS_ACTIVE %v, the log says %d", got, active)
	}
}
