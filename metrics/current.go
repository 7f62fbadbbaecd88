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
	Serves   map[engine.QueueChannel]engine.QueueRoute
	Capacity map[engine.Channel]engine.Capacity
	// Missed is set while the agent is in the error state of a missed
	// contact.
	Missed bool
	// Class, when not 0, says which agents count alike: the same Class
	// means the same RoutingProfile, StatusID, Status and Missed (the
	// caller numbers them once for many requests; 0: Current works it
	// out).
	Class int
	// AgentQueue is the agent's own queue (in Serves on every channel of
	// its profile); the other entries of Serves come from RoutingProfile,
	// so idle agents of one profile and status count alike.
	AgentQueue string
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
	Now    time.Time
	Agents []Agent
	// Lookup indexes Agents (IndexAgents); nil: Current makes one. A
	// caller that keeps one Agents slice for many requests keeps its
	// Lookup with it.
	Lookup   *AgentLookup
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
	// A filter names its groups; without one they are found in the
	// snapshot (only when grouped by that dimension).
	queues := map[string]bool{}
	for id := range q.Queues {
		queues[id] = true
	}
	if q.Queues == nil && q.grouped(ByQueue) {
		for _, a := range s.Agents {
			for qc := range a.Serves {
				queues[qc.Queue] = true
			}
		}
		for _, c := range s.Contacts {
			if c.Queue != "" {
				queues[c.Queue] = true
			}
		}
	}
	profiles := map[string]bool{}
	for id := range q.RoutingProfiles {
		profiles[id] = true
	}
	if q.RoutingProfiles == nil && q.grouped(ByRoutingProfile) {
		for _, a := range s.Agents {
			profiles[a.RoutingProfile] = true
		}
	}
	statuses := map[string]bool{}
	if q.grouped(ByAgentStatus) {
		for _, a := range s.Agents {
			if q.AgentStatuses == nil || q.AgentStatuses[a.StatusID] {
				statuses[a.StatusID] = true
			}
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

// keyOf is the group key of a queue and channel, as far as the query
// groups by them.
func (q *Query) keyOf(qc engine.QueueChannel) Key {
	var k Key
	if q.grouped(ByQueue) {
		k.Queue = qc.Queue
	}
	if q.grouped(ByChannel) {
		k.Channel = qc.Channel
	}
	return k
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

// Current computes the query's metrics over a snapshot, one Result per
// group in the order of the groupings' values (queue, channel, routing
// profile and status ids sorted); the caller sorts and pages. Each agent
// is visited once, for the groups it belongs to.
func Current(s *Snapshot, q *Query) []Result {
	lk := s.Lookup
	if lk == nil {
		lk = IndexAgents(s.Agents)
	}
	// The contacts agents hold, by the agent's index, and a bit per agent
	// that holds any; and a bit per agent whose own queue the filter
	// names. With 10,000 agents, looking every agent up by id and by queue
	// in maps of strings was most of a request.
	words := (len(s.Agents) + 63) / 64
	held := map[int][]*Contact{}
	holds := make([]uint64, words)
	for i := range s.Contacts {
		c := &s.Contacts[i]
		if c.Agent != "" && (c.State == engine.StateConnecting || c.State == engine.StateConnected || c.State == engine.StateAfterContactWork) {
			if j, ok := lk.byID[c.Agent]; ok {
				held[j] = append(held[j], c)
				holds[j/64] |= 1 << (j % 64)
			}
		}
	}
	var ownFiltered []uint64
	if q.Queues != nil {
		ownFiltered = make([]uint64, words)
		for queue, in := range q.Queues {
			if j, ok := lk.byQueue[queue]; ok && in {
				ownFiltered[j/64] |= 1 << (j % 64)
			}
		}
	}
	// What each routing profile serves (its queue configs: an agent's
	// entries less its own queue), for contacts counted by profile; read
	// from one agent of each profile, and only when a profile matters.
	serves := map[string]map[engine.QueueChannel]bool{}
	if q.grouped(ByRoutingProfile) || q.RoutingProfiles != nil {
		for i := range s.Agents {
			a := &s.Agents[i]
			if serves[a.RoutingProfile] != nil {
				continue
			}
			set := map[engine.QueueChannel]bool{}
			for qc := range a.Serves {
				if qc.Queue != a.AgentQueue {
					set[qc] = true
				}
			}
			serves[a.RoutingProfile] = set
		}
	}
	profileServes := func(p string, qc engine.QueueChannel) bool { return serves[p][qc] }
	keys := q.buckets(s)
	at := make(map[Key]int, len(keys))
	out := make([]Result, len(keys))
	for i, k := range keys {
		at[k] = i
		out[i] = Result{Key: k, Values: make([]*float64, len(q.Metrics))}
		for j := range q.Metrics {
			out[i].Values[j] = num(0)
		}
	}
	contactMetrics(s, q, at, out, profileServes)
	// Idle agents whose own queue cannot be a group's count the same as
	// every other idle agent of their profile and status: their groups and
	// parts are worked out once per such class (a contact center of 10,000
	// agents has a few dozen).
	type class struct {
		profile, status string
		kind            StatusKind
		missed          bool
	}
	classes := map[class]int{}
	// byClass[Class-1] is the class's representative plus one (0: none
	// yet).
	byClass := make([]int, lk.classes)
	var representative []*Agent
	var counts []float64
	var busy []int
	for i := range s.Agents {
		a := &s.Agents[i]
		if q.RoutingProfiles != nil && !q.RoutingProfiles[a.RoutingProfile] || q.AgentStatuses != nil && !q.AgentStatuses[a.StatusID] {
			continue
		}
		ownQueueCounts := q.Queues == nil || ownFiltered[i/64]&(1<<(i%64)) != 0
		if holds[i/64]&(1<<(i%64)) != 0 || ownQueueCounts {
			busy = append(busy, i)
			continue
		}
		var j int
		var ok bool
		if a.Class != 0 {
			j = byClass[a.Class-1] - 1
			ok = j >= 0
		} else {
			j, ok = classes[class{a.RoutingProfile, a.StatusID, a.Status, a.Missed}]
		}
		if !ok {
			j = len(representative)
			if a.Class != 0 {
				byClass[a.Class-1] = j + 1
			} else {
				classes[class{a.RoutingProfile, a.StatusID, a.Status, a.Missed}] = j
			}
			representative = append(representative, a)
			counts = append(counts, 0)
		}
		counts[j]++
	}
	add := func(a *Agent, contacts []*Contact, times float64, skipOwn bool) {
		var mine []Key
		seen := map[Key]bool{}
		for qc := range a.Serves {
			if skipOwn && qc.Queue == a.AgentQueue {
				continue
			}
			if q.Queues != nil && !q.Queues[qc.Queue] || !q.hasChannel(qc.Channel) {
				continue
			}
			k := q.keyOf(qc)
			if q.grouped(ByRoutingProfile) {
				k.RoutingProfile = a.RoutingProfile
			}
			if q.grouped(ByAgentStatus) {
				k.AgentStatus = a.StatusID
			}
			if _, ok := at[k]; ok && !seen[k] {
				seen[k] = true
				mine = append(mine, k)
			}
		}
		if len(mine) == 0 {
			return
		}
		load := loadOf(contacts)
		for _, k := range mine {
			r := &out[at[k]]
			chans := q.groupChannels(k)
			for j, m := range q.Metrics {
				if agentMetric(m) {
					*r.Values[j] += times * agentValue(a, chans, m, &load)
				}
			}
		}
	}
	for j, a := range representative {
		add(a, nil, counts[j], true)
	}
	for _, i := range busy {
		add(&s.Agents[i], held[i], 1, false)
	}
	return out
}

// AgentLookup finds a snapshot's agents by id and by their own queue.
type AgentLookup struct {
	byID, byQueue map[string]int
	classes       int // the largest Class
}

// IndexAgents makes the lookup of agents.
func IndexAgents(agents []Agent) *AgentLookup {
	lk := &AgentLookup{byID: make(map[string]int, len(agents)), byQueue: make(map[string]int, len(agents))}
	for i := range agents {
		a := &agents[i]
		lk.byID[a.ID] = i
		if a.AgentQueue != "" {
			lk.byQueue[a.AgentQueue] = i
		}
		lk.classes = max(lk.classes, a.Class)
	}
	return lk
}

func num(v float64) *float64 { return &v }

// agentMetric reports whether a metric counts agents (or their slots and
// contacts) rather than the queues' contacts.
func agentMetric(m Name) bool {
	switch m {
	case ContactsInQueue, OldestContactAge, ContactsScheduled, EstimatedWaitTime:
		return false
	}
	return true
}

// contactMetrics computes the queue metrics of every group in one pass
// over the contacts (docs/METRICS.md).
func contactMetrics(s *Snapshot, q *Query, at map[Key]int, out []Result, profileServes func(string, engine.QueueChannel) bool) {
	wanted := false
	for _, m := range q.Metrics {
		wanted = wanted || !agentMetric(m)
	}
	if !wanted {
		return
	}
	inQueue := make([]float64, len(out))
	scheduled := make([]float64, len(out))
	oldest := make([]time.Time, len(out))
	var profiles []string
	if q.grouped(ByRoutingProfile) || q.RoutingProfiles != nil {
		seen := map[string]bool{}
		for _, r := range out {
			if p := r.Key.RoutingProfile; p != "" && !seen[p] {
				seen[p] = true
				profiles = append(profiles, p)
			}
		}
		for p := range q.RoutingProfiles {
			if !seen[p] {
				seen[p] = true
				profiles = append(profiles, p)
			}
		}
	}
	for i := range s.Contacts {
		c := &s.Contacts[i]
		if c.Queue == "" || !q.hasChannel(c.Channel) || q.Queues != nil && !q.Queues[c.Queue] {
			continue
		}
		qc := engine.QueueChannel{Queue: c.Queue, Channel: c.Channel}
		k := q.keyOf(qc)
		var ks []Key
		switch {
		case q.grouped(ByRoutingProfile):
			// A contact counts for each profile whose queues include its own.
			for _, p := range profiles {
				if profileServes(p, qc) {
					kp := k
					kp.RoutingProfile = p
					ks = append(ks, kp)
				}
			}
		case q.RoutingProfiles != nil:
			for _, p := range profiles {
				if profileServes(p, qc) {
					ks = append(ks, k)
					break
				}
			}
		default:
			ks = append(ks, k)
		}
		for _, k := range ks {
			i, ok := at[k]
			if !ok {
				continue
			}
			switch {
			case c.Scheduled:
				scheduled[i]++
			case c.State == engine.StateQueued || c.State == engine.StateConnecting:
				inQueue[i]++
				if oldest[i].IsZero() || c.Enqueued.Before(oldest[i]) {
					oldest[i] = c.Enqueued
				}
			}
		}
	}
	for i := range out {
		for j, m := range q.Metrics {
			switch m {
			case ContactsInQueue:
				*out[i].Values[j] = inQueue[i]
			case ContactsScheduled:
				*out[i].Values[j] = scheduled[i]
			case OldestContactAge:
				if oldest[i].IsZero() {
					continue
				}
				age := s.Now.Sub(oldest[i])
				// Without groupings Connect answers milliseconds under the
				// unit SECONDS (the API reference's OLDEST_CONTACT_AGE note).
				if len(q.Groupings) == 0 {
					*out[i].Values[j] = float64(age.Milliseconds())
				} else {
					*out[i].Values[j] = float64(int64(age / time.Second))
				}
			case EstimatedWaitTime:
				out[i].Values[j] = estimate(s, q, out[i].Key)
			}
		}
	}
}

// agentLoad is what an agent holds, counted once for all its groups.
type agentLoad struct {
	held      int
	connected int
	busy      map[engine.Channel]int // offered, connected or in ACW
	active    map[engine.Channel]int // connected or in ACW
	acw       map[engine.Channel]int
}

func loadOf(hs []*Contact) agentLoad {
	l := agentLoad{held: len(hs), busy: map[engine.Channel]int{}, active: map[engine.Channel]int{}, acw: map[engine.Channel]int{}}
	for _, c := range hs {
		l.busy[c.Channel]++
		switch c.State {
		case engine.StateConnected:
			l.connected++
			l.active[c.Channel]++
		case engine.StateAfterContactWork:
			l.active[c.Channel]++
			l.acw[c.Channel]++
		}
	}
	return l
}

// agentValue is one agent's part of an agent metric of a group whose
// channels are chans (docs/METRICS.md).
func agentValue(a *Agent, chans []engine.Channel, m Name, l *agentLoad) float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	sum := func(per map[engine.Channel]int) float64 {
		n := 0
		for _, ch := range chans {
			n += per[ch]
		}
		return float64(n)
	}
	switch m {
	case AgentsOnline:
		return 1
	case AgentsAvailable:
		return b(a.Status == StatusRoutable && !a.Missed && l.held == 0)
	case AgentsOnCall, AgentsOnContact:
		return b(l.connected > 0)
	case AgentsNonProductive:
		return b(a.Status == StatusCustom)
	case AgentsAfterContactWork:
		// Counts contacts in after contact work, not agents (the admin
		// guide: "The name of this metric is confusing").
		return sum(l.acw)
	case AgentsError:
		return b(a.Missed)
	case AgentsStaffed:
		return b(a.Status == StatusRoutable || l.held > 0 || a.Missed)
	case SlotsActive:
		return sum(l.active)
	case SlotsAvailable:
		if a.Status != StatusRoutable || a.Missed {
			return 0
		}
		ra := engine.Agent{Capacity: a.Capacity, Busy: l.busy}
		n := 0.0
		for _, ch := range chans {
			if ra.CanTake(ch) {
				n += float64(a.Capacity[ch].Max - l.busy[ch])
			}
		}
		return n
	}
	return 0
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
