// Package metrics computes Connect's metrics from the contact center's
// state: the real-time figures of GetCurrentMetricData from a snapshot of
// agents and live contacts. It knows nothing of HTTP, storage or the api
// package's shapes; docs/METRICS.md defines every figure and its source.
package metrics

import (
	"sort"
	"time"

	"github.com/switchboard-dev/switchboard/engine"
)

// Name is a real-time metric's name (the model's CurrentMetricName).
type Name string

// The real-time metrics.
const (
	AgentsOnline           Name = "AGENTS_ONLINE"
	AgentsAvailable        Name = "AGENTS_AVAILABLE"
	AgentsOnCall           Name = "AGENTS_ON_CALL"
	AgentsNonProductive    Name = "AGENTS_NON_PRODUCTIVE"
	AgentsAfterContactWork Name = "AGENTS_AFTER_CONTACT_WORK"
	AgentsError            Name = "AGENTS_ERROR"
	AgentsStaffed          Name = "AGENTS_STAFFED"
	ContactsInQueue        Name = "CONTACTS_IN_QUEUE"
	OldestContactAge       Name = "OLDEST_CONTACT_AGE"
	ContactsScheduled      Name = "CONTACTS_SCHEDULED"
	AgentsOnContact        Name = "AGENTS_ON_CONTACT"
	SlotsActive            Name = "SLOTS_ACTIVE"
	SlotsAvailable         Name = "SLOTS_AVAILABLE"
	EstimatedWaitTime      Name = "ESTIMATED_WAIT_TIME"
)

// Units is each metric's unit, as the API reference lists them.
var Units = map[Name]string{
	AgentsOnline: "COUNT", AgentsAvailable: "COUNT", AgentsOnCall: "COUNT", AgentsNonProductive: "COUNT",
	AgentsAfterContactWork: "COUNT", AgentsError: "COUNT", AgentsStaffed: "COUNT", ContactsInQueue: "COUNT",
	OldestContactAge: "SECONDS", ContactsScheduled: "COUNT", AgentsOnContact: "COUNT", SlotsActive: "COUNT",
	SlotsAvailable: "COUNT", EstimatedWaitTime: "SECONDS",
}

// StatusKind is the type of an agent's status.
type StatusKind int

// The kinds of agent status.
const (
	StatusOffline  StatusKind = iota // Offline: not logged in
	StatusRoutable                   // Available
	StatusCustom                     // a custom status: non-productive time
)

// Agent is one logged-in agent as the metrics see it.
type Agent struct {
	ID             string
	Status         StatusKind
	StatusID       string
	RoutingProfile string
	// Serves is the queues and channels of the agent's routing profile
	// (and its own queue).
	Serves   map[engine.QueueChannel]bool
	Capacity map[engine.Channel]engine.Capacity
	// Missed is set while the agent is in the error state of a missed
	// contact.
	Missed bool
}

// Contact is one live contact.
type Contact struct {
	State     engine.State
	Channel   engine.Channel
	Queue     string // "" when it has none yet
	Agent     string // the agent holding it, if any
	Enqueued  time.Time
	Scheduled bool
}

// Wait is one recent answered contact's time in queue, for the estimated
// wait time.
type Wait struct {
	Queue   string
	Channel engine.Channel
	Waited  time.Duration
}

// Snapshot is the state metrics are computed from.
type Snapshot struct {
	Now      time.Time
	Agents   []Agent
	Contacts []Contact
	// Waits are the queue times of contacts answered recently, for
	// ESTIMATED_WAIT_TIME.
	Waits []Wait
}

// Grouping is a dimension results are split by.
type Grouping string

// The groupings computed.
const (
	ByQueue          Grouping = "QUEUE"
	ByChannel        Grouping = "CHANNEL"
	ByRoutingProfile Grouping = "ROUTING_PROFILE"
	ByAgentStatus    Grouping = "AGENT_STATUS"
)

// Query is a checked GetCurrentMetricData request.
type Query struct {
	Queues, RoutingProfiles, AgentStatuses map[string]bool  // nil: no filter
	Channels                               []engine.Channel // nil: every channel
	Groupings                              []Grouping
	Metrics                                []Name
}

// Key is one result's dimensions ("" for a dimension not grouped by).
type Key struct {
	Queue, RoutingProfile, AgentStatus string
	Channel                            engine.Channel
}

// Result is the metrics of one group, in the order Query.Metrics names
// them; a nil value has no data (an estimate without any answered contact).
type Result struct {
	Key    Key
	Values []*float64
}

var allChannels = []engine.Channel{engine.ChannelVoice, engine.ChannelChat, engine.ChannelTask}

func (q *Query) grouped(g Grouping) bool {
	for _, x := range q.Groupings {
		if x == g {
			return true
		}
	}
	return false
}

func (q *Query) channels() []engine.Channel {
	if len(q.Channels) > 0 {
		return q.Channels
	}
	return allChannels
}

// buckets lists the groups of a query: every combination of the grouped
// dimensions' values that the filters allow and the snapshot has.
func (q *Query) buckets(s *Snapshot) []Key {
	seen := map[Key]bool{}
	var out []Key
	add := func(k Key) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	chans := q.channels()
	queues := map[string]bool{}
	for id := range q.Queues {
		queues[id] = true
	}
	for _, a := range s.Agents {
		for qc := range a.Serves {
			if q.Queues == nil || q.Queues[qc.Queue] {
				queues[qc.Queue] = true
			}
		}
	}
	for _, c := range s.Contacts {
		if c.Queue != "" && (q.Queues == nil || q.Queues[c.Queue]) {
			queues[c.Queue] = true
		}
	}
	profiles := map[string]bool{}
	for id := range q.RoutingProfiles {
		profiles[id] = true
	}
	for _, a := range s.Agents {
		if q.RoutingProfiles == nil {
			profiles[a.RoutingProfile] = true
		}
	}
	statuses := map[string]bool{}
	for _, a := range s.Agents {
		if q.AgentStatuses == nil || q.AgentStatuses[a.StatusID] {
			statuses[a.StatusID] = true
		}
	}
	keys := []Key{{}}
	expand := func(values []string, set func(*Key, string)) {
		var next []Key
		for _, k := range keys {
			for _, v := range values {
				n := k
				set(&n, v)
				next = append(next, n)
			}
		}
		keys = next
	}
	for _, g := range q.Groupings {
		switch g {
		case ByQueue:
			expand(sorted(queues), func(k *Key, v string) { k.Queue = v })
		case ByChannel:
			var cs []string
			for _, c := range chans {
				cs = append(cs, string(c))
			}
			expand(cs, func(k *Key, v string) { k.Channel = engine.Channel(v) })
		case ByRoutingProfile:
			expand(sorted(profiles), func(k *Key, v string) { k.RoutingProfile = v })
		case ByAgentStatus:
			expand(sorted(statuses), func(k *Key, v string) { k.AgentStatus = v })
		}
	}
	for _, k := range keys {
		add(k)
	}
	return out
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// agentIn reports whether an agent counts in a group: it serves one of the
// group's queues on one of its channels, has its routing profile and its
// status.
func (q *Query) agentIn(a *Agent, k Key) bool {
	if k.RoutingProfile != "" && a.RoutingProfile != k.RoutingProfile {
		return false
	}
	if q.RoutingProfiles != nil && !q.RoutingProfiles[a.RoutingProfile] {
		return false
	}
	if k.AgentStatus != "" && a.StatusID != k.AgentStatus {
		return false
	}
	if q.AgentStatuses != nil && !q.AgentStatuses[a.StatusID] {
		return false
	}
	for qc := range a.Serves {
		if k.Queue != "" && qc.Queue != k.Queue || q.Queues != nil && !q.Queues[qc.Queue] {
			continue
		}
		if k.Channel != "" && qc.Channel != k.Channel || !q.hasChannel(qc.Channel) {
			continue
		}
		return true
	}
	return false
}

func (q *Query) hasChannel(ch engine.Channel) bool {
	for _, c := range q.channels() {
		if c == ch {
			return true
		}
	}
	return false
}

// groupChannels are the channels a group's slot metrics count.
func (q *Query) groupChannels(k Key) []engine.Channel {
	if k.Channel != "" {
		return []engine.Channel{k.Channel}
	}
	return q.channels()
}

// contactIn reports whether a contact counts in a group. A contact counts
// for a routing profile whose queues include its queue and channel.
func (q *Query) contactIn(c *Contact, k Key, profileServes func(profile string, qc engine.QueueChannel) bool) bool {
	if c.Queue == "" || !q.hasChannel(c.Channel) {
		return false
	}
	if k.Channel != "" && c.Channel != k.Channel {
		return false
	}
	if k.Queue != "" && c.Queue != k.Queue || q.Queues != nil && !q.Queues[c.Queue] {
		return false
	}
	qc := engine.QueueChannel{Queue: c.Queue, Channel: c.Channel}
	if k.RoutingProfile != "" && !profileServes(k.RoutingProfile, qc) {
		return false
	}
	if k.RoutingProfile == "" && q.RoutingProfiles != nil {
		for p := range q.RoutingProfiles {
			if profileServes(p, qc) {
				return true
			}
		}
		return false
	}
	return true
}

// Current computes the query's metrics over a snapshot, one Result per
// group in the order of the groupings' values (queue, channel, routing
// profile and status ids sorted); the caller sorts and pages.
func Current(s *Snapshot, q *Query) []Result {
	held := map[string][]*Contact{}
	for i := range s.Contacts {
		c := &s.Contacts[i]
		if c.Agent != "" && (c.State == engine.StateConnecting || c.State == engine.StateConnected || c.State == engine.StateAfterContactWork) {
			held[c.Agent] = append(held[c.Agent], c)
		}
	}
	serves := map[string]map[engine.QueueChannel]bool{}
	for _, a := range s.Agents {
		if serves[a.RoutingProfile] == nil {
			serves[a.RoutingProfile] = map[engine.QueueChannel]bool{}
		}
		for qc := range a.Serves {
			serves[a.RoutingProfile][qc] = true
		}
	}
	profileServes := func(p string, qc engine.QueueChannel) bool { return serves[p][qc] }
	var out []Result
	for _, k := range q.buckets(s) {
		r := Result{Key: k, Values: make([]*float64, len(q.Metrics))}
		for i, m := range q.Metrics {
			r.Values[i] = value(s, q, k, m, held, profileServes)
		}
		out = append(out, r)
	}
	return out
}

func num(v float64) *float64 { return &v }

// value computes one metric of one group (docs/METRICS.md).
func value(s *Snapshot, q *Query, k Key, m Name, held map[string][]*Contact, profileServes func(string, engine.QueueChannel) bool) *float64 {
	chans := q.groupChannels(k)
	inChans := func(ch engine.Channel) bool {
		for _, c := range chans {
			if c == ch {
				return true
			}
		}
		return false
	}
	switch m {
	case ContactsInQueue, OldestContactAge, ContactsScheduled, EstimatedWaitTime:
		var n float64
		var oldest time.Time
		for i := range s.Contacts {
			c := &s.Contacts[i]
			if !q.contactIn(c, k, profileServes) {
				continue
			}
			switch {
			case m == ContactsScheduled && c.Scheduled:
				n++
			case m != ContactsScheduled && (c.State == engine.StateQueued || c.State == engine.StateConnecting):
				n++
				if oldest.IsZero() || c.Enqueued.Before(oldest) {
					oldest = c.Enqueued
				}
			}
		}
		switch m {
		case OldestContactAge:
			if oldest.IsZero() {
				return num(0)
			}
			age := s.Now.Sub(oldest)
			// Without groupings Connect answers milliseconds under the unit
			// SECONDS (the API reference's OLDEST_CONTACT_AGE note).
			if len(q.Groupings) == 0 {
				return num(float64(age.Milliseconds()))
			}
			return num(float64(int64(age / time.Second)))
		case EstimatedWaitTime:
			return estimate(s, q, k)
		}
		return num(n)
	}
	var n float64
	for i := range s.Agents {
		a := &s.Agents[i]
		if !q.agentIn(a, k) {
			continue
		}
		hs := held[a.ID]
		connected, acw := 0, 0
		busy := map[engine.Channel]int{}
		for _, c := range hs {
			busy[c.Channel]++
			switch c.State {
			case engine.StateConnected:
				connected++
			case engine.StateAfterContactWork:
				acw++
			}
		}
		switch m {
		case AgentsOnline:
			n++
		case AgentsAvailable:
			if a.Status == StatusRoutable && !a.Missed && len(hs) == 0 {
				n++
			}
		case AgentsOnCall, AgentsOnContact:
			if connected > 0 {
				n++
			}
		case AgentsNonProductive:
			if a.Status == StatusCustom {
				n++
			}
		case AgentsAfterContactWork:
			// Counts contacts in after contact work, not agents (the
			// admin guide: "The name of this metric is confusing").
			for _, c := range hs {
				if c.State == engine.StateAfterContactWork && inChans(c.Channel) {
					n++
				}
			}
		case AgentsError:
			if a.Missed {
				n++
			}
		case AgentsStaffed:
			if a.Status == StatusRoutable || len(hs) > 0 || a.Missed {
				n++
			}
		case SlotsActive:
			for _, c := range hs {
				if (c.State == engine.StateConnected || c.State == engine.StateAfterContactWork) && inChans(c.Channel) {
					n++
				}
			}
		case SlotsAvailable:
			if a.Status != StatusRoutable || a.Missed {
				continue
			}
			ra := engine.Agent{Capacity: a.Capacity, Busy: busy}
			for _, ch := range chans {
				if ra.CanTake(ch) {
					n += float64(a.Capacity[ch].Max - busy[ch])
				}
			}
		}
	}
	return num(n)
}

// estimate is ESTIMATED_WAIT_TIME: the mean time in queue of the group's
// recently answered contacts (Snapshot.Waits); nil when none was answered.
func estimate(s *Snapshot, q *Query, k Key) *float64 {
	var sum time.Duration
	n := 0
	for _, w := range s.Waits {
		if k.Queue != "" && w.Queue != k.Queue || q.Queues != nil && !q.Queues[w.Queue] {
			continue
		}
		if k.Channel != "" && w.Channel != k.Channel || !q.hasChannel(w.Channel) {
			continue
		}
		sum += w.Waited
		n++
	}
	if n == 0 {
		return nil
	}
	return num(float64(int64(sum/time.Duration(n))/int64(time.Millisecond)) / 1000)
}
