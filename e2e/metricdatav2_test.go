package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/storage/postgres"
)

// loggedContact is a contact as the test rebuilds it from the contact
// event log alone: the independent side of the comparison.
type loggedContact struct {
	id, channel, initiation, queue, agent, previous string
	initiated                                       time.Time
	enqueued, connected, disconnected, completed    *time.Time
	transferredOut                                  bool
}

// eventLog reads the instance's whole event log through the test API and
// rebuilds each contact's timeline from it.
func (f *engineFixture) eventLog(t *testing.T) map[string]*loggedContact {
	t.Helper()
	out := map[string]*loggedContact{}
	body := fmt.Sprintf(`{"InstanceId":%q,"MaxResults":1000}`, f.instance)
	for {
		a := f.testAPI("POST", "contact-events", body)
		if a.status != 200 {
			t.Fatalf("contact-events: %d %s", a.status, a.raw)
		}
		var page struct {
			Events []struct {
				Time   string `json:"time"`
				Detail struct {
					ContactID         string `json:"contactId"`
					EventType         string `json:"eventType"`
					Channel           string `json:"channel"`
					InitiationMethod  string `json:"initiationMethod"`
					PreviousContactID string `json:"previousContactId"`
					QueueInfo         *struct {
						QueueArn string `json:"queueArn"`
					} `json:"queueInfo"`
					AgentInfo *struct {
						AgentArn string `json:"agentArn"`
					} `json:"agentInfo"`
				} `json:"detail"`
			} `json:"Events"`
			NextToken *string `json:"NextToken"`
		}
		if err := json.Unmarshal([]byte(a.raw), &page); err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			at, err := time.Parse(time.RFC3339, e.Time)
			if err != nil {
				t.Fatalf("event time %q: %v", e.Time, err)
			}
			d := e.Detail
			c := out[d.ContactID]
			if c == nil {
				c = &loggedContact{id: d.ContactID}
				out[d.ContactID] = c
			}
			c.channel, c.initiation, c.previous = d.Channel, d.InitiationMethod, d.PreviousContactID
			last := func(s string) string { return s[strings.LastIndex(s, "/")+1:] }
			switch d.EventType {
			case "INITIATED":
				c.initiated = at
			case "QUEUED":
				if c.enqueued == nil {
					c.enqueued = &at
					c.queue = last(d.QueueInfo.QueueArn)
				}
			case "CONNECTED_TO_AGENT":
				c.connected = &at
				c.agent = last(d.AgentInfo.AgentArn)
			case "DISCONNECTED":
				c.disconnected = &at
			case "COMPLETED":
				c.completed = &at
			}
		}
		if page.NextToken == nil {
			break
		}
		body = fmt.Sprintf(`{"InstanceId":%q,"MaxResults":1000,"NextToken":%q}`, f.instance, *page.NextToken)
	}
	for _, c := range out {
		if (c.initiation == "TRANSFER" || c.initiation == "QUEUE_TRANSFER") && out[c.previous] != nil {
			out[c.previous].transferredOut = true
		}
	}
	return out
}

// TestMetricDataV2EqualsARecomputationFromTheEventLog runs seeded traffic
// on the virtual clock — two queues, agents of two routing profiles, one
// of them not auto-accepting (missed contacts), abandons, transfers — and
// checks every supported metric, for several groupings and interval
// periods, against figures the test computes from the contact event log.
// SWITCHBOARD_METRICS_SEED replays a seed.
//
// It runs on SQLite, where the contacts are kept in memory between
// requests, and on PostgreSQL (when the test command provides one), where
// every request reads them.
func TestMetricDataV2EqualsARecomputationFromTheEventLog(t *testing.T) {
	seed := time.Now().UnixNano()
	if v, err := strconv.ParseInt(os.Getenv("SWITCHBOARD_METRICS_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (SWITCHBOARD_METRICS_SEED=%d replays it)", seed, seed)
	t.Run("sqlite", func(t *testing.T) { metricRecomputation(t, newEngineFixture(t), seed) })
	t.Run("postgres", func(t *testing.T) {
		if u := os.Getenv(pgEnvURL); u == "" || u == "off" {
			t.Skipf("%s is not set", pgEnvURL)
		}
		store, err := postgres.Open(context.Background(), freshDatabase(t, pgAdminURL(t)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		vc := engine.NewVirtualClock(clockStart)
		f := &engineFixture{fixture: newFixture(t, types.DirectoryTypeConnectManaged, options{clock: vc, store: store}), vc: vc}
		f.setUp(t)
		metricRecomputation(t, f, seed)
	})
}

func metricRecomputation(t *testing.T, f *engineFixture, seed int64) {
	rnd := rand.New(rand.NewSource(seed))
	c := ctx(t)
	// The many metrics requests go through a client with the SDK's default
	// retries: aws/aws-sdk-go-v2#2737 (a connection closed while an answer
	// is read) otherwise fails a request now and then on a busy machine,
	// as TestCurrentMetricDataLatency notes.
	mc := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(f.url), Credentials: f.client.Options().Credentials})
	billing := f.newQueue(t, "Billing", f.alwaysOpen)
	toBilling := f.newFlow(t, "To billing", types.ContactFlowTypeContactFlow, toQueue(billing))
	xfer := f.newFlow(t, "Transfer", types.ContactFlowTypeContactFlow, justTransfer)
	billingProfile := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String("Billing agents"),
		Description: aws.String("billing"), DefaultOutboundQueueId: &billing,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1)}, {Channel: types.ChannelChat, Concurrency: aws.Int32(1)}},
		QueueConfigs:       []types.RoutingProfileQueueConfig{qc(billing, types.ChannelTask, 1, 0), qc(billing, types.ChannelChat, 1, 0)}})).must(t).RoutingProfileId
	profileOf := map[string]string{}
	var supportAgents []string
	for i, s := range []agentSettings{{autoAccept: true, acw: 10}, {autoAccept: true, acw: 20}, {acw: 5}} {
		id := f.agent(t, fmt.Sprintf("support%d", i), s)
		profileOf[id] = f.profile
		supportAgents = append(supportAgents, id)
	}
	{
		in := f.user("billing0")
		in.RoutingProfileId = &billingProfile
		in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: types.ChannelTask, AutoAccept: true}, {Channel: types.ChannelChat, AutoAccept: true}}
		in.AfterContactWorkConfigs = []types.AfterContactWorkConfigPerChannel{{Channel: types.ChannelTask, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 15}},
			{Channel: types.ChannelChat, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 15}}}
		id := f.create(t, in)
		f.setStatus(t, id, f.available)
		profileOf[id] = billingProfile
	}
	// A two-level hierarchy: support0 and support1 in East/Team A,
	// support2 in West/Team B, the billing agent in none.
	call(f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})).must(t)
	group := func(name string, parent *string) string {
		return *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String(name), ParentGroupId: parent})).must(t).HierarchyGroupId
	}
	east, west := group("East", nil), group("West", nil)
	teamA, teamB := group("Team A", &east), group("Team B", &west)
	pathOf := map[string][2]string{}
	for i, id := range supportAgents {
		team, path := teamA, [2]string{east, teamA}
		if i == 2 {
			team, path = teamB, [2]string{west, teamB}
		}
		call(f.client.UpdateUserHierarchy(c, &connect.UpdateUserHierarchyInput{InstanceId: &f.instance, UserId: aws.String(id), HierarchyGroupId: &team})).must(t)
		pathOf[id] = path
	}
	// Agents take breaks and log off now and then (when they hold no
	// contact, so the change is immediate): the agent-time metrics.
	breakStatus := *call(f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Break"),
		State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	type statusAt struct {
		at  time.Time
		typ string
	}
	statusLog := map[string][]statusAt{}
	for id := range profileOf {
		statusLog[id] = []statusAt{{clockStart, "ROUTABLE"}}
	}
	instanceArn := "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance
	var live []string
	for step := 0; step < 120; step++ {
		if step == 60 {
			// Read once mid-way: the answers below then come from contact
			// records brought up to date since, not read afresh.
			from, to := clockStart, f.vc.Now()
			call(mc.GetMetricDataV2(c, &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &from, EndTime: &to,
				Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.support}}}, Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_CREATED")}}})).must(t)
		}
		switch r := rnd.Intn(10); {
		case r < 4:
			live = append(live, f.task(t, fmt.Sprintf("s%d", step)))
		case r < 6:
			live = append(live, f.taskOn(t, toBilling, nil))
		case r < 7:
			live = append(live, f.chat(t, fmt.Sprintf("c%d", step)))
		}
		if step%7 == 3 {
			id := supportAgents[rnd.Intn(len(supportAgents))]
			if len(f.agentContacts(t, id)) == 0 {
				cur := statusLog[id][len(statusLog[id])-1].typ
				next, typ := f.available, "ROUTABLE"
				switch {
				case cur == "ROUTABLE" && rnd.Intn(2) == 0:
					next, typ = breakStatus, "CUSTOM"
				case cur == "ROUTABLE":
					next, typ = f.offline, "OFFLINE"
				}
				f.setStatus(t, id, next)
				statusLog[id] = append(statusLog[id], statusAt{f.vc.Now(), typ})
			}
		}
		f.advance(t, 1+rnd.Intn(45))
		if len(live) == 0 {
			continue
		}
		k := rnd.Intn(len(live))
		id := live[k]
		d := f.describeContact(t, id)
		switch r := rnd.Intn(10); {
		case d.DisconnectTimestamp != nil:
			live = append(live[:k], live[k+1:]...)
		case r < 4:
			// Hung up: an abandon when it is still waiting.
			call(f.client.StopContact(c, &connect.StopContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
			live = append(live[:k], live[k+1:]...)
		case r < 5 && d.Channel == types.ChannelTask && d.AgentInfo != nil && d.AgentInfo.ConnectedToAgentTimestamp != nil:
			out := call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &id, QueueId: &billing, ContactFlowId: &xfer})).must(t)
			live[k] = aws.ToString(out.ContactId)
		case r < 6 && d.AgentInfo != nil && d.AgentInfo.ConnectedToAgentTimestamp == nil:
			f.act(t, id, aws.ToString(d.AgentInfo.Id), "accept") // the agent who does not auto-accept
		}
	}
	for _, id := range live {
		call(f.client.StopContact(c, &connect.StopContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
	}
	f.advance(t, 60) // after contact work ends
	log := f.eventLog(t)
	if len(log) < 40 {
		t.Fatalf("only %d contacts in the log", len(log))
	}

	// The figures the test expects, from the log.
	secs := func(a, b *time.Time) float64 { return b.Sub(*a).Seconds() }
	handled := func(l *loggedContact) bool { return l.connected != nil && l.disconnected != nil }
	answered := func(l *loggedContact) bool { return l.enqueued != nil && l.connected != nil }
	abandoned := func(l *loggedContact) bool {
		return l.enqueued != nil && l.connected == nil && l.disconnected != nil && !l.transferredOut
	}
	waited := func(l *loggedContact) float64 {
		if l.connected != nil {
			return secs(l.enqueued, l.connected)
		}
		return secs(l.enqueued, l.disconnected)
	}
	left := func(l *loggedContact) *time.Time {
		if l.connected != nil {
			return l.connected
		}
		return l.disconnected
	}
	handle := func(l *loggedContact) float64 {
		if l.completed != nil {
			return secs(l.connected, l.completed)
		}
		return secs(l.connected, l.disconnected)
	}
	const threshold = 20.0
	type contribution struct {
		at    *time.Time
		value float64 // per contact: 1 to count, a duration, a 0/1 for percents
	}
	metric := map[string]func(l *loggedContact) *contribution{
		"CONTACTS_CREATED": func(l *loggedContact) *contribution { return &contribution{&l.initiated, 1} },
		"CONTACTS_QUEUED": func(l *loggedContact) *contribution {
			if l.enqueued == nil {
				return nil
			}
			return &contribution{l.enqueued, 1}
		},
		"CONTACTS_HANDLED": func(l *loggedContact) *contribution {
			if !handled(l) {
				return nil
			}
			return &contribution{l.disconnected, 1}
		},
		"CONTACTS_ABANDONED": func(l *loggedContact) *contribution {
			if !abandoned(l) {
				return nil
			}
			return &contribution{l.disconnected, 1}
		},
		"CONTACTS_TRANSFERRED_OUT": func(l *loggedContact) *contribution {
			if !l.transferredOut || l.connected == nil {
				return nil
			}
			return &contribution{l.disconnected, 1}
		},
		"AVG_HANDLE_TIME": func(l *loggedContact) *contribution {
			if !handled(l) {
				return nil
			}
			return &contribution{l.disconnected, handle(l)}
		},
		"SUM_HANDLE_TIME": func(l *loggedContact) *contribution {
			if !handled(l) {
				return nil
			}
			return &contribution{l.disconnected, handle(l)}
		},
		"AVG_AFTER_CONTACT_WORK_TIME": func(l *loggedContact) *contribution {
			if l.connected == nil || l.disconnected == nil || l.completed == nil {
				return nil
			}
			return &contribution{l.completed, secs(l.disconnected, l.completed)}
		},
		"AVG_INTERACTION_TIME": func(l *loggedContact) *contribution {
			if !handled(l) {
				return nil
			}
			return &contribution{l.disconnected, secs(l.connected, l.disconnected)}
		},
		"AVG_QUEUE_ANSWER_TIME": func(l *loggedContact) *contribution {
			if !answered(l) {
				return nil
			}
			return &contribution{l.connected, waited(l)}
		},
		"AVG_ABANDON_TIME": func(l *loggedContact) *contribution {
			if !abandoned(l) {
				return nil
			}
			return &contribution{l.disconnected, waited(l)}
		},
		"MAX_QUEUED_TIME": func(l *loggedContact) *contribution {
			if !answered(l) && !abandoned(l) {
				return nil
			}
			return &contribution{left(l), waited(l)}
		},
		"SERVICE_LEVEL": func(l *loggedContact) *contribution {
			if !answered(l) && !abandoned(l) {
				return nil
			}
			v := 0.0
			if waited(l) < threshold {
				v = 1 // removed from the queue (answered or abandoned) in under X
			}
			return &contribution{left(l), v}
		},
		"CONTACTS_QUEUED_BY_ENQUEUE": func(l *loggedContact) *contribution {
			if l.enqueued == nil {
				return nil
			}
			return &contribution{l.enqueued, 1}
		},
		"CONTACTS_HANDLED_BY_CONNECTED_TO_AGENT": func(l *loggedContact) *contribution {
			if !handled(l) {
				return nil
			}
			return &contribution{l.connected, 1}
		},
		"SUM_CONTACTS_DISCONNECTED": func(l *loggedContact) *contribution {
			if l.disconnected == nil {
				return nil
			}
			return &contribution{l.disconnected, 1}
		},
		"AVG_CONTACT_DURATION": func(l *loggedContact) *contribution {
			if l.disconnected == nil {
				return nil
			}
			return &contribution{l.disconnected, secs(&l.initiated, l.disconnected)}
		},
		"ABANDONMENT_RATE": func(l *loggedContact) *contribution {
			if !answered(l) && !abandoned(l) {
				return nil
			}
			v := 0.0
			if abandoned(l) {
				v = 1
			}
			return &contribution{left(l), v}
		},
		"CONTACTS_REMOVED_FROM_QUEUE_IN_X": func(l *loggedContact) *contribution {
			if !answered(l) && !abandoned(l) {
				return nil
			}
			v := 0.0
			if waited(l) < threshold {
				v = 1
			}
			return &contribution{left(l), v}
		},
		"SUM_CONTACTS_ANSWERED_IN_X": func(l *loggedContact) *contribution {
			if !answered(l) {
				return nil
			}
			v := 0.0
			if waited(l) < threshold {
				v = 1
			}
			return &contribution{l.connected, v}
		},
		"SUM_CONTACTS_ABANDONED_IN_X": func(l *loggedContact) *contribution {
			if !abandoned(l) {
				return nil
			}
			v := 0.0
			if waited(l) < threshold {
				v = 1
			}
			return &contribution{l.disconnected, v}
		},
	}
	aggregate := func(name string, vs []float64) *float64 {
		if len(vs) == 0 {
			return nil
		}
		var sum, max float64
		for _, v := range vs {
			sum += v
			max = math.Max(max, v)
		}
		switch {
		case strings.HasPrefix(name, "CONTACTS_"), strings.HasPrefix(name, "SUM_"):
			return &sum
		case name == "MAX_QUEUED_TIME":
			return &max
		case name == "SERVICE_LEVEL", name == "ABANDONMENT_RATE":
			p := 100 * sum / float64(len(vs))
			return &p
		}
		avg := sum / float64(len(vs))
		return &avg
	}
	var names []string
	for n := range metric {
		names = append(names, n)
	}
	sort.Strings(names)
	var metricsIn []types.MetricV2
	for _, n := range names {
		m := types.MetricV2{Name: aws.String(n)}
		if n == "SERVICE_LEVEL" || strings.HasSuffix(n, "_IN_X") {
			m.Threshold = []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(threshold)}}
		}
		metricsIn = append(metricsIn, m)
	}
	dimOf := func(l *loggedContact, g string) (string, bool) {
		v := map[string]string{"QUEUE": l.queue, "CHANNEL": l.channel, "AGENT": l.agent, "ROUTING_PROFILE": profileOf[l.agent], "INITIATION_METHOD": l.initiation,
			"AGENT_HIERARCHY_LEVEL_ONE": pathOf[l.agent][0], "AGENT_HIERARCHY_LEVEL_TWO": pathOf[l.agent][1]}[g]
		return v, v != ""
	}
	start := clockStart
	end := f.vc.Now().Truncate(15 * time.Minute) // EndTime may not be in the future
	queueOnly := map[string]bool{"CONTACTS_CREATED": true, "AVG_QUEUE_ANSWER_TIME": true, "AVG_INTERACTION_TIME": true, "SERVICE_LEVEL": true,
		"SUM_CONTACTS_ANSWERED_IN_X": true, "SUM_CONTACTS_ABANDONED_IN_X": true, "CONTACTS_REMOVED_FROM_QUEUE_IN_X": true}
	// and these not by routing profile
	noProfile := map[string]bool{"CONTACTS_QUEUED_BY_ENQUEUE": true, "CONTACTS_HANDLED_BY_CONNECTED_TO_AGENT": true}
	for _, grouping := range [][]string{nil, {"QUEUE"}, {"CHANNEL"}, {"QUEUE", "CHANNEL"}, {"AGENT"}, {"ROUTING_PROFILE", "CHANNEL"}, {"AGENT_HIERARCHY_LEVEL_ONE"}, {"AGENT_HIERARCHY_LEVEL_TWO", "CHANNEL"}} {
		for _, period := range []types.IntervalPeriod{types.IntervalPeriodTotal, types.IntervalPeriodHour, types.IntervalPeriodFifteenMin} {
			for _, channels := range [][]string{nil, {"TASK"}} {
				name := fmt.Sprintf("grouped by %v, %s, channels %v", grouping, period, channels)
				filters := []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.support, billing}}}
				if channels != nil {
					filters = append(filters, types.FilterV2{FilterKey: aws.String("CHANNEL"), FilterValues: channels})
				}
				// Queue metrics cannot be grouped by agent or hierarchy.
				byAgent := len(grouping) > 0 && (grouping[0] == "AGENT" || strings.HasPrefix(grouping[0], "AGENT_HIERARCHY"))
				byProfile := len(grouping) > 0 && grouping[0] == "ROUTING_PROFILE"
				skipped := func(n string) bool { return byAgent && queueOnly[n] || byProfile && noProfile[n] }
				var asked []types.MetricV2
				for _, m := range metricsIn {
					if !skipped(*m.Name) {
						asked = append(asked, m)
					}
				}
				// Expected: cell -> metric -> contributions.
				want := map[string]map[string][]float64{}
				for _, l := range log {
					if l.queue == "" || channels != nil && l.channel != channels[0] {
						continue
					}
					key := ""
					skip := false
					for _, g := range grouping {
						v, ok := dimOf(l, g)
						skip = skip || !ok
						key += g + "=" + v + ";"
					}
					for n, fn := range metric {
						if skipped(n) {
							continue
						}
						ctb := fn(l)
						if ctb == nil || ctb.at.Before(start) || !ctb.at.Before(end) {
							continue
						}
						// A contact without a grouped dimension is grouped under
						// none: it is left out (decision, docs/METRICS.md).
						if skip {
							continue
						}
						is := start
						if period != types.IntervalPeriodTotal {
							l := map[types.IntervalPeriod]time.Duration{types.IntervalPeriodHour: time.Hour, types.IntervalPeriodFifteenMin: 15 * time.Minute}[period]
							is = start.Add(ctb.at.Sub(start) / l * l)
						}
						cell := key + "@" + is.Format(time.RFC3339)
						if want[cell] == nil {
							want[cell] = map[string][]float64{}
						}
						want[cell][n] = append(want[cell][n], ctb.value)
					}
				}
				// Served, every page.
				got := map[string]map[string]*float64{}
				in := &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &start, EndTime: &end, Filters: filters, Groupings: grouping,
					Metrics: asked, Interval: &types.IntervalDetails{IntervalPeriod: period, TimeZone: aws.String("UTC")}, MaxResults: aws.Int32(7)}
				for pages := 0; pages < 100; pages++ {
					out := call(mc.GetMetricDataV2(c, in)).must(t)
					for _, r := range out.MetricResults {
						key := ""
						for _, g := range grouping {
							key += g + "=" + r.Dimensions[g] + ";"
						}
						if r.MetricInterval == nil || r.MetricInterval.Interval != period {
							t.Fatalf("%s: MetricInterval %+v", name, r.MetricInterval)
						}
						cell := key + "@" + r.MetricInterval.StartTime.UTC().Format(time.RFC3339)
						if got[cell] != nil {
							t.Errorf("%s: %s answered twice", name, cell)
						}
						got[cell] = map[string]*float64{}
						for _, col := range r.Collections {
							got[cell][aws.ToString(col.Metric.Name)] = col.Value
						}
					}
					if out.NextToken == nil {
						break
					}
					in.NextToken = out.NextToken
				}
				for cell, ms := range want {
					for _, n := range names {
						if skipped(n) {
							continue
						}
						w := aggregate(n, ms[n])
						var g *float64
						if got[cell] != nil {
							g = got[cell][n]
						}
						switch {
						case w == nil && g != nil && *g != 0 && !strings.HasPrefix(n, "AVG_") && n != "MAX_QUEUED_TIME" && n != "SERVICE_LEVEL":
							t.Errorf("%s: %s %s = %v, want none", name, cell, n, *g)
						case w != nil && (g == nil || math.Abs(*g-*w) > 0.002):
							t.Errorf("%s: %s %s = %v, want %v", name, cell, n, fmtFloat(g), *w)
						}
					}
				}
				for cell := range got {
					if want[cell] == nil {
						t.Errorf("%s: %s answered, nothing expected", name, cell)
					}
				}
			}
		}
	}

	// The agent-time metrics, second by second from what the test did
	// (statuses) and the log (contacts, from connected to the end of after
	// contact work).
	now := f.vc.Now()
	spans := map[string][][2]time.Time{}
	for _, l := range log {
		if l.agent == "" || l.connected == nil {
			continue
		}
		e := now
		if l.completed != nil {
			e = *l.completed
		} else if l.disconnected != nil {
			e = *l.disconnected
		}
		spans[l.agent] = append(spans[l.agent], [2]time.Time{*l.connected, e})
	}
	agentMetrics := []string{"SUM_ONLINE_TIME_AGENT", "SUM_NON_PRODUCTIVE_TIME_AGENT", "SUM_IDLE_TIME_AGENT", "SUM_CONTACT_TIME_AGENT", "AGENT_OCCUPANCY"}
	for _, grouping := range []string{"AGENT", "ROUTING_PROFILE", "AGENT_HIERARCHY_LEVEL_ONE"} {
		for _, period := range []types.IntervalPeriod{types.IntervalPeriodTotal, types.IntervalPeriodHour, types.IntervalPeriodFifteenMin} {
			name := fmt.Sprintf("agent time by %s, %s", grouping, period)
			type sums struct{ online, npt, idle, contact float64 }
			want := map[string]*sums{}
			for agent, changes := range statusLog {
				dim := map[string]string{"AGENT": agent, "ROUTING_PROFILE": profileOf[agent], "AGENT_HIERARCHY_LEVEL_ONE": pathOf[agent][0]}[grouping]
				if dim == "" {
					continue
				}
				for sec := start; sec.Before(end); sec = sec.Add(time.Second) {
					typ := "OFFLINE"
					for _, ch := range changes {
						if !ch.at.After(sec) {
							typ = ch.typ
						}
					}
					if typ == "OFFLINE" {
						continue
					}
					busy := false
					for _, sp := range spans[agent] {
						busy = busy || !sec.Before(sp[0]) && sec.Before(sp[1])
					}
					is := start
					if period != types.IntervalPeriodTotal {
						l := map[types.IntervalPeriod]time.Duration{types.IntervalPeriodHour: time.Hour, types.IntervalPeriodFifteenMin: 15 * time.Minute}[period]
						is = start.Add(sec.Sub(start) / l * l)
					}
					cell := dim + "@" + is.Format(time.RFC3339)
					if want[cell] == nil {
						want[cell] = &sums{}
					}
					w := want[cell]
					w.online++
					if typ == "CUSTOM" {
						w.npt++
					}
					if busy {
						w.contact++
					} else if typ == "ROUTABLE" {
						w.idle++
					}
				}
			}
			in := &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &start, EndTime: &end, Groupings: []string{grouping},
				Filters:  []types.FilterV2{{FilterKey: aws.String("ROUTING_PROFILE"), FilterValues: []string{f.profile, billingProfile}}},
				Interval: &types.IntervalDetails{IntervalPeriod: period, TimeZone: aws.String("UTC")}}
			for _, n := range agentMetrics {
				in.Metrics = append(in.Metrics, types.MetricV2{Name: aws.String(n)})
			}
			got := map[string][]*float64{}
			for pages := 0; pages < 50; pages++ {
				out := call(mc.GetMetricDataV2(c, in)).must(t)
				for _, r := range out.MetricResults {
					var vs []*float64
					for _, col := range r.Collections {
						vs = append(vs, col.Value)
					}
					got[r.Dimensions[grouping]+"@"+r.MetricInterval.StartTime.UTC().Format(time.RFC3339)] = vs
				}
				if in.NextToken = out.NextToken; in.NextToken == nil {
					break
				}
			}
			for cell, w := range want {
				g := got[cell]
				if g == nil {
					t.Errorf("%s: %s missing", name, cell)
					continue
				}
				var occ *float64
				if w.contact+w.idle > 0 {
					occ = aws.Float64(100 * w.contact / (w.contact + w.idle))
				}
				for i, v := range []*float64{&w.online, &w.npt, &w.idle, &w.contact, occ} {
					if fmtFloat(v) != fmtFloat(g[i]) {
						t.Errorf("%s: %s %s = %s, want %s", name, cell, agentMetrics[i], fmtFloat(g[i]), fmtFloat(v))
					}
				}
			}
			for cell := range got {
				if want[cell] == nil {
					t.Errorf("%s: %s answered, nothing expected", name, cell)
				}
			}
		}
	}

	// GetMetricData (v1): each metric equals its GetMetricDataV2 twin,
	// checked above against the log, for the same queues and grouping.
	twins := []struct {
		v1, unit, stat, v2, filter string
	}{
		{"CONTACTS_QUEUED", "COUNT", "SUM", "CONTACTS_QUEUED", ""}, {"CONTACTS_HANDLED", "COUNT", "SUM", "CONTACTS_HANDLED", ""},
		{"CONTACTS_ABANDONED", "COUNT", "SUM", "CONTACTS_ABANDONED", ""}, {"CONTACTS_TRANSFERRED_OUT", "COUNT", "SUM", "CONTACTS_TRANSFERRED_OUT", ""},
		{"API_CONTACTS_HANDLED", "COUNT", "SUM", "CONTACTS_HANDLED", "API"}, {"HANDLE_TIME", "SECONDS", "AVG", "AVG_HANDLE_TIME", ""},
		{"AFTER_CONTACT_WORK_TIME", "SECONDS", "AVG", "AVG_AFTER_CONTACT_WORK_TIME", ""}, {"QUEUE_ANSWER_TIME", "SECONDS", "AVG", "AVG_QUEUE_ANSWER_TIME", ""},
		{"ABANDON_TIME", "SECONDS", "AVG", "AVG_ABANDON_TIME", ""}, {"QUEUED_TIME", "SECONDS", "MAX", "MAX_QUEUED_TIME", ""},
		{"INTERACTION_TIME", "SECONDS", "AVG", "AVG_INTERACTION_TIME", ""}, {"SERVICE_LEVEL", "PERCENT", "AVG", "SERVICE_LEVEL", ""},
	}
	v1In := &connect.GetMetricDataInput{InstanceId: &f.instance, StartTime: &start, EndTime: &end, Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel},
		Filters: &types.Filters{Queues: []string{f.support, billing}}}
	v2In := &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &start, EndTime: &end, Groupings: []string{"QUEUE", "CHANNEL"},
		Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.support, billing}}}}
	for _, tw := range twins {
		m1 := types.HistoricalMetric{Name: types.HistoricalMetricName(tw.v1), Unit: types.Unit(tw.unit), Statistic: types.Statistic(tw.stat)}
		m2 := types.MetricV2{Name: aws.String(tw.v2)}
		if tw.v1 == "SERVICE_LEVEL" {
			m1.Threshold = &types.Threshold{Comparison: types.ComparisonLt, ThresholdValue: aws.Float64(threshold)}
			m2.Threshold = []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(threshold)}}
		}
		if tw.filter != "" {
			m2.MetricFilters = []types.MetricFilterV2{{MetricFilterKey: aws.String("INITIATION_METHOD"), MetricFilterValues: []string{tw.filter}}}
		}
		v1In.HistoricalMetrics, v2In.Metrics = append(v1In.HistoricalMetrics, m1), append(v2In.Metrics, m2)
	}
	want2 := map[string][]*float64{}
	for _, r := range call(mc.GetMetricDataV2(c, v2In)).must(t).MetricResults {
		var vs []*float64
		for _, col := range r.Collections {
			vs = append(vs, col.Value)
		}
		want2[r.Dimensions["QUEUE"]+"/"+r.Dimensions["CHANNEL"]] = vs
	}
	out1 := call(mc.GetMetricData(c, v1In)).must(t)
	if len(out1.MetricResults) != len(want2) || len(want2) == 0 {
		t.Errorf("GetMetricData: %d results, GetMetricDataV2 %d", len(out1.MetricResults), len(want2))
	}
	for _, r := range out1.MetricResults {
		k := aws.ToString(r.Dimensions.Queue.Id) + "/" + string(r.Dimensions.Channel)
		if !strings.HasSuffix(aws.ToString(r.Dimensions.Queue.Arn), "/queue/"+aws.ToString(r.Dimensions.Queue.Id)) {
			t.Errorf("GetMetricData %s: queue ARN %s", k, aws.ToString(r.Dimensions.Queue.Arn))
		}
		for i, col := range r.Collections {
			if w := want2[k]; w == nil || fmtFloat(col.Value) != fmtFloat(w[i]) {
				t.Errorf("GetMetricData %s %s = %s, GetMetricDataV2 %s", k, twins[i].v1, fmtFloat(col.Value), fmtFloat(want2[k][i]))
			}
		}
	}
	v1Bad := func(in connect.GetMetricDataInput, member string) {
		t.Helper()
		if in.StartTime == nil {
			in.StartTime, in.EndTime = &start, &end
		}
		in.InstanceId = &f.instance
		if in.Filters == nil {
			in.Filters = &types.Filters{Queues: []string{f.support}}
		}
		if in.HistoricalMetrics == nil {
			in.HistoricalMetrics = []types.HistoricalMetric{{Name: types.HistoricalMetricNameContactsHandled, Unit: types.UnitCount, Statistic: types.StatisticSum}}
		}
		var pe *types.InvalidParameterException
		if _, err := mc.GetMetricData(c, &in); !errors.As(err, &pe) || !strings.Contains(err.Error(), member) {
			t.Errorf("GetMetricData %s: %v", member, err)
		}
	}
	odd := start.Add(7 * time.Minute)
	v1Bad(connect.GetMetricDataInput{StartTime: &odd, EndTime: &end}, "multiple of 5 minutes")
	v1Bad(connect.GetMetricDataInput{HistoricalMetrics: []types.HistoricalMetric{{Name: types.HistoricalMetricNameContactsHandled, Unit: types.UnitSeconds, Statistic: types.StatisticSum}}}, "Unit COUNT")
	v1Bad(connect.GetMetricDataInput{HistoricalMetrics: []types.HistoricalMetric{{Name: types.HistoricalMetricNameContactsMissed, Unit: types.UnitCount, Statistic: types.StatisticSum}}}, "CONTACTS_MISSED")

	// Another writer (a replica, or here the store directly) changes a
	// contact: the same request, even a page of it, answers from the
	// changed records, not from what it computed before.
	var someone *loggedContact
	for _, l := range log {
		if l.initiation == "API" && l.queue == f.support && l.initiated.Before(end) && (someone == nil || l.id < someone.id) {
			someone = l
		}
	}
	created := func() float64 {
		t.Helper()
		out := call(mc.GetMetricDataV2(c, &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &start, EndTime: &end,
			Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.support}}}, Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_CREATED")}}})).must(t)
		if len(out.MetricResults) != 1 {
			t.Fatalf("a summary: %+v", out.MetricResults)
		}
		return aws.ToFloat64(out.MetricResults[0].Collections[0].Value)
	}
	before := created()
	f.patchContact(t, someone.id, func(doc map[string]any) { doc["initiationTimestamp"] = end.Add(time.Minute) })
	if after := created(); after != before-1 {
		t.Errorf("CONTACTS_CREATED after a contact moved out of the range: %v, want %v", after, before-1)
	}

	// Refusals, naming the member.
	var pe *types.InvalidParameterException
	bad := func(in connect.GetMetricDataV2Input, member string) {
		t.Helper()
		if in.ResourceArn == nil {
			in.ResourceArn = &instanceArn
		}
		if in.StartTime == nil {
			in.StartTime, in.EndTime = &start, &end
		}
		if in.Filters == nil {
			in.Filters = []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.support}}}
		}
		if in.Metrics == nil {
			in.Metrics = []types.MetricV2{{Name: aws.String("CONTACTS_HANDLED")}}
		}
		if _, err := mc.GetMetricDataV2(c, &in); !errors.As(err, &pe) || !strings.Contains(err.Error(), member) {
			t.Errorf("%s: %v", member, err)
		}
	}
	bad(connect.GetMetricDataV2Input{Metrics: []types.MetricV2{{Name: aws.String("AGENT_NON_RESPONSE")}}}, "AGENT_NON_RESPONSE")
	bad(connect.GetMetricDataV2Input{Metrics: []types.MetricV2{{Name: aws.String("SERVICE_LEVEL")}}}, "Threshold")
	bad(connect.GetMetricDataV2Input{StartTime: &end, EndTime: &start}, "StartTime")
	bad(connect.GetMetricDataV2Input{Groupings: []string{"CONTACT_CONTACT_REASON"}}, "Groupings")
	later := end.Add(time.Hour)
	bad(connect.GetMetricDataV2Input{StartTime: &start, EndTime: &later}, "EndTime must not be later")
	fourDays := end.Add(-4 * 24 * time.Hour)
	bad(connect.GetMetricDataV2Input{StartTime: &fourDays, EndTime: &end, Interval: &types.IntervalDetails{IntervalPeriod: types.IntervalPeriodHour}}, "at most 3 days")
	bad(connect.GetMetricDataV2Input{Filters: []types.FilterV2{{FilterKey: aws.String("CHANNEL"), FilterValues: []string{"TASK"}}}}, "at least one filter")
	bad(connect.GetMetricDataV2Input{Metrics: []types.MetricV2{{Name: aws.String("SERVICE_LEVEL"), Threshold: []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(0.5)}}}}}, "ThresholdValue")
	bad(connect.GetMetricDataV2Input{Groupings: []string{"AGENT"}, Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_CREATED")}}}, "CONTACTS_CREATED cannot be grouped by AGENT")
	bad(connect.GetMetricDataV2Input{Interval: &types.IntervalDetails{TimeZone: aws.String("Mars/Olympus")}}, "TimeZone")
	var nf *types.ResourceNotFoundException
	if _, err := mc.GetMetricDataV2(c, &connect.GetMetricDataV2Input{ResourceArn: &instanceArn, StartTime: &start, EndTime: &end,
		Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{"00000000-0000-0000-0000-000000000000"}}},
		Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_HANDLED")}}}); !errors.As(err, &nf) {
		t.Errorf("an unknown queue: %v", err)
	}
}

func fmtFloat(f *float64) string {
	if f == nil {
		return "none"
	}
	return strconv.FormatFloat(*f, 'f', 3, 64)
}
