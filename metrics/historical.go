package metrics

// Historical metrics (GetMetricDataV2): figures computed from the records
// of contacts the engine ran, placed in intervals by the timestamp each
// metric's definition names, grouped and filtered by the contacts'
// dimensions. docs/METRICS.md gives every definition and its source.

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// Record is one contact as the historical metrics see it: compact, so a
// million fit in memory and are scanned quickly. Dimension values are ids
// in a Dict (0: none); times are Unix milliseconds, 0 when the contact
// never reached that point.
type Record struct {
	ID                                                  string
	Channel, Queue, Agent, Initiation, DisconnectReason uint32
	// Queue is the queue the contact entered; Agent the agent it was
	// connected to.
	Initiated, Enqueued, ConnectedToAgent, AfterContactStart, AfterContactEnd, Disconnected int64
	// TransferredOut: TransferContact moved the contact on.
	TransferredOut bool
}

// Dict numbers the distinct dimension values of a set of records; id 0 is
// no value. Not safe for concurrent use.
type Dict struct {
	ids  map[string]uint32
	vals []string
}

// NewDict returns an empty dictionary.
func NewDict() *Dict { return &Dict{ids: map[string]uint32{"": 0}, vals: []string{""}} }

// ID returns the id of v, numbering it if it is new.
func (d *Dict) ID(v string) uint32 {
	if id, ok := d.ids[v]; ok {
		return id
	}
	id := uint32(len(d.vals))
	d.ids[v] = id
	d.vals = append(d.vals, v)
	return id
}

// Value is the value of an id.
func (d *Dict) Value(id uint32) string { return d.vals[id] }

// AgentDims are an agent's routing profile and hierarchy groups (level
// one first), as the query sees them.
type AgentDims struct {
	RoutingProfile string
	Hierarchy      []string
}

// compiled is a query made ready for a scan over records of one Dict.
type compiled struct {
	// agentDim[d][agent id] is the agent's value id of agent dimension d
	// (0 routing profile, 1-5 hierarchy levels).
	agentDim [6][]uint32
}

// dimOf is the record's value id of a dimension (0 none).
func (c *compiled) dimOf(r *Record, d int) uint32 {
	switch d {
	case dQueue:
		return r.Queue
	case dChannel:
		return r.Channel
	case dAgent:
		return r.Agent
	case dInitiation:
		return r.Initiation
	case dReason:
		return r.DisconnectReason
	}
	if a := int(r.Agent); r.Agent != 0 && a < len(c.agentDim[d-dProfile]) {
		return c.agentDim[d-dProfile][a]
	}
	return 0
}

// Dimension numbers of dimOf.
const (
	dQueue = iota
	dChannel
	dAgent
	dInitiation
	dReason
	dProfile // then the five hierarchy levels
)

var dimNumbers = map[string]int{DimQueue: dQueue, DimChannel: dChannel, DimAgent: dAgent, DimInitiationMethod: dInitiation,
	"DISCONNECT_REASON": dReason, DimRoutingProfile: dProfile, DimHierarchy1: dProfile + 1, DimHierarchy2: dProfile + 2,
	DimHierarchy3: dProfile + 3, DimHierarchy4: dProfile + 4, DimHierarchy5: dProfile + 5}

// Dimension keys: filter and grouping keys of GetMetricDataV2.
const (
	DimQueue            = "QUEUE"
	DimChannel          = "CHANNEL"
	DimRoutingProfile   = "ROUTING_PROFILE"
	DimAgent            = "AGENT"
	DimInitiationMethod = "INITIATION_METHOD"
	DimHierarchy1       = "AGENT_HIERARCHY_LEVEL_ONE"
	DimHierarchy2       = "AGENT_HIERARCHY_LEVEL_TWO"
	DimHierarchy3       = "AGENT_HIERARCHY_LEVEL_THREE"
	DimHierarchy4       = "AGENT_HIERARCHY_LEVEL_FOUR"
	DimHierarchy5       = "AGENT_HIERARCHY_LEVEL_FIVE"
)

// HierarchyDims are the hierarchy dimensions, level one first.
var HierarchyDims = []string{DimHierarchy1, DimHierarchy2, DimHierarchy3, DimHierarchy4, DimHierarchy5}

// Interval periods.
const (
	FifteenMin = "FIFTEEN_MIN"
	ThirtyMin  = "THIRTY_MIN"
	Hour       = "HOUR"
	Day        = "DAY"
	Week       = "WEEK"
	Total      = "TOTAL"
)

// HMetric is one requested metric: its name, its threshold (seconds, for
// the metrics that need one) and its metric filters.
type HMetric struct {
	Name      string
	Threshold *float64
	// Inclusive: the threshold's comparison is LTE (at most X seconds)
	// rather than LT (under X seconds).
	Inclusive bool
	// Filters keep only contacts whose value of a key (INITIATION_METHOD,
	// DISCONNECT_REASON, ...) is among Values, or not among them (Negate).
	Filters []MetricFilter
}

// MetricFilter is one of a metric's MetricFilters.
type MetricFilter struct {
	Key    string
	Values []string
	Negate bool
}

// HQuery is a GetMetricDataV2 request in this package's terms.
type HQuery struct {
	Start, End time.Time
	Period     string // "" is TOTAL
	Location   *time.Location
	Filters    map[string]map[string]bool // dimension -> values kept
	// NotExists: dimensions a record must not have.
	NotExists map[string]bool
	Groupings []string
	Metrics   []HMetric
	// Agents are the dimensions of the records' agents.
	Agents map[string]AgentDims
	// Dict holds the records' dimension values.
	Dict *Dict
	// Statuses are the agents' status changes, by agent id, in time
	// order; Now (Unix milliseconds) ends the last status of each and the
	// contacts not over yet. For the agent-time metrics.
	Statuses map[string][]StatusChange
	Now      int64
}

// StatusChange is a change of an agent's status: when (Unix
// milliseconds), and the status's type (ROUTABLE, CUSTOM, OFFLINE).
type StatusChange struct {
	At   int64
	Type string
}

// HResult is the metrics of one group in one interval, in HQuery.Metrics'
// order (nil: no data for that metric).
type HResult struct {
	Dims       map[string]string
	Start, End time.Time // the interval (the whole range for TOTAL)
	Values     []*float64
}

// agg accumulates one metric of one group and interval.
type agg struct {
	n        int
	sum, max float64
	num, den float64
}

// def is how a metric is computed: at places a record in time (false: the
// record does not count), and add adds its contribution.
type def struct {
	// agentTime names an agent-time metric (computed from the agents'
	// status changes, not from contacts one by one): online, npt, idle,
	// contact or occupancy.
	agentTime string
	threshold bool
	// dims are the filter and grouping keys the metric accepts.
	dims  string
	at    func(r *Record) (int64, bool)
	add   func(a *agg, r *Record, th float64)
	value func(a *agg) *float64
}

// secs is the time from a to b in seconds.
func secs(a, b int64) float64 { return float64(b-a) / 1000 }

func count(a *agg, _ *Record, _ float64) { a.n++ }

func countValue(a *agg) *float64 { return num(float64(a.n)) }

func avgValue(a *agg) *float64 {
	if a.n == 0 {
		return nil
	}
	return num(round3(a.sum / float64(a.n)))
}

func sumValue(a *agg) *float64 { return num(round3(a.sum)) }

func maxValue(a *agg) *float64 {
	if a.n == 0 {
		return nil
	}
	return num(round3(a.max))
}

func percentValue(a *agg) *float64 {
	if a.den == 0 {
		return nil
	}
	return num(round3(100 * a.num / a.den))
}

func round3(f float64) float64 {
	if f < 0 {
		return -round3(-f)
	}
	return float64(int64(f*1000+0.5)) / 1000
}

func stamp(t int64) (int64, bool) { return t, t != 0 }

// answered: the contact waited in a queue and reached an agent.
func answered(r *Record) bool { return r.Enqueued != 0 && r.ConnectedToAgent != 0 }

// abandoned: the contact waited in a queue and ended without an agent
// (and without being transferred away from the queue).
func abandoned(r *Record) bool {
	return r.Enqueued != 0 && r.ConnectedToAgent == 0 && r.Disconnected != 0 && !r.TransferredOut
}

// handled: an agent took the contact and the contact ended.
func handled(r *Record) bool { return r.ConnectedToAgent != 0 && r.Disconnected != 0 }

// handleTime is talk (and hold) time plus after contact work.
func handleTime(r *Record) float64 {
	end := r.Disconnected
	if r.AfterContactEnd != 0 {
		end = r.AfterContactEnd
	}
	return secs(r.ConnectedToAgent, end)
}

// queueTime is how long an answered or abandoned contact waited.
func queueTime(r *Record) float64 {
	if r.ConnectedToAgent != 0 {
		return secs(r.Enqueued, r.ConnectedToAgent)
	}
	return secs(r.Enqueued, r.Disconnected)
}

// leftQueue is when a queued contact left its queue: answered or ended.
func leftQueue(r *Record) (int64, bool) {
	if r.Enqueued == 0 {
		return 0, false
	}
	if r.ConnectedToAgent != 0 {
		return r.ConnectedToAgent, true
	}
	return stamp(r.Disconnected)
}

// within compares a time in queue with a threshold: under it (LT) or at
// most it (LTE). The threshold's sign carries the comparison: a negative
// th is LTE with -th (add takes one number).
func within(waited, th float64) bool {
	if th < 0 {
		return waited <= -th
	}
	return waited < th
}

// Dimension sets of the metrics (the API reference's table).
const (
	contactDims = "QUEUE CHANNEL ROUTING_PROFILE AGENT AGENT_HIERARCHY_LEVEL_ONE AGENT_HIERARCHY_LEVEL_TWO AGENT_HIERARCHY_LEVEL_THREE AGENT_HIERARCHY_LEVEL_FOUR AGENT_HIERARCHY_LEVEL_FIVE"
	queueDims   = "QUEUE CHANNEL ROUTING_PROFILE"
	// agentTimeDims: the agent-time metrics' (the agent's own dimensions).
	agentTimeDims = "ROUTING_PROFILE AGENT AGENT_HIERARCHY_LEVEL_ONE AGENT_HIERARCHY_LEVEL_TWO AGENT_HIERARCHY_LEVEL_THREE AGENT_HIERARCHY_LEVEL_FOUR AGENT_HIERARCHY_LEVEL_FIVE"
	// agentDims: as contactDims without the routing profile.
	agentDims = "QUEUE CHANNEL AGENT AGENT_HIERARCHY_LEVEL_ONE AGENT_HIERARCHY_LEVEL_TWO AGENT_HIERARCHY_LEVEL_THREE AGENT_HIERARCHY_LEVEL_FOUR AGENT_HIERARCHY_LEVEL_FIVE"
)

// never places no record: the agent-time metrics are not computed record
// by record.
func never(*Record) (int64, bool) { return 0, false }

// defs are the supported metrics (docs/METRICS.md).
var defs = map[string]def{
	"CONTACTS_CREATED": {dims: queueDims, at: func(r *Record) (int64, bool) { return r.Initiated, true }, add: count, value: countValue},
	"CONTACTS_QUEUED":  {dims: contactDims, at: func(r *Record) (int64, bool) { return stamp(r.Enqueued) }, add: count, value: countValue},
	"CONTACTS_HANDLED": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !handled(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: count, value: countValue},
	"CONTACTS_ABANDONED": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !abandoned(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: count, value: countValue},
	"CONTACTS_TRANSFERRED_OUT": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !r.TransferredOut || r.ConnectedToAgent == 0 {
			return 0, false
		}
		return stamp(r.Disconnected)
	}, add: count, value: countValue},
	"AVG_HANDLE_TIME": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !handled(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += handleTime(r) }, value: avgValue},
	"SUM_HANDLE_TIME": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !handled(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += handleTime(r) }, value: sumValue},
	"AVG_AFTER_CONTACT_WORK_TIME": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if r.AfterContactStart == 0 || r.AfterContactEnd == 0 {
			return 0, false
		}
		return r.AfterContactEnd, true
	}, add: func(a *agg, r *Record, _ float64) {
		a.n++
		a.sum += secs(r.AfterContactStart, r.AfterContactEnd)
	}, value: avgValue},
	"AVG_INTERACTION_TIME": {dims: queueDims, at: func(r *Record) (int64, bool) {
		if !handled(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(r.ConnectedToAgent, r.Disconnected) }, value: avgValue},
	"AVG_QUEUE_ANSWER_TIME": {dims: queueDims, at: func(r *Record) (int64, bool) {
		if !answered(r) {
			return 0, false
		}
		return r.ConnectedToAgent, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += queueTime(r) }, value: avgValue},
	"AVG_ABANDON_TIME": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !abandoned(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += queueTime(r) }, value: avgValue},
	"MAX_QUEUED_TIME": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !answered(r) && !abandoned(r) {
			return 0, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, _ float64) {
		a.n++
		if q := queueTime(r); q > a.max {
			a.max = q
		}
	}, value: maxValue},
	"SERVICE_LEVEL": {dims: queueDims, threshold: true, at: func(r *Record) (int64, bool) {
		if !answered(r) && !abandoned(r) {
			return 0, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, th float64) {
		a.den++
		if within(queueTime(r), th) {
			a.num++
		}
	}, value: percentValue},
	"SUM_ONLINE_TIME_AGENT":         {dims: agentTimeDims, agentTime: "online", at: never, value: sumValue},
	"SUM_NON_PRODUCTIVE_TIME_AGENT": {dims: agentTimeDims, agentTime: "npt", at: never, value: sumValue},
	"SUM_IDLE_TIME_AGENT":           {dims: agentTimeDims, agentTime: "idle", at: never, value: sumValue},
	"SUM_CONTACT_TIME_AGENT":        {dims: agentTimeDims, agentTime: "contact", at: never, value: sumValue},
	"AGENT_OCCUPANCY":               {dims: agentTimeDims, agentTime: "occupancy", at: never, value: percentValue},
	"CONTACTS_QUEUED_BY_ENQUEUE":    {dims: agentDims, at: func(r *Record) (int64, bool) { return stamp(r.Enqueued) }, add: count, value: countValue},
	"CONTACTS_HANDLED_BY_CONNECTED_TO_AGENT": {dims: agentDims, at: func(r *Record) (int64, bool) {
		if !handled(r) {
			return 0, false
		}
		return r.ConnectedToAgent, true
	}, add: count, value: countValue},
	"SUM_CONTACTS_DISCONNECTED": {dims: contactDims, at: func(r *Record) (int64, bool) { return stamp(r.Disconnected) }, add: count, value: countValue},
	"AVG_CONTACT_DURATION": {dims: contactDims, at: func(r *Record) (int64, bool) { return stamp(r.Disconnected) },
		add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(r.Initiated, r.Disconnected) }, value: avgValue},
	"ABANDONMENT_RATE": {dims: contactDims, at: func(r *Record) (int64, bool) {
		if !answered(r) && !abandoned(r) {
			return 0, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, _ float64) {
		a.den++
		if abandoned(r) {
			a.num++
		}
	}, value: percentValue},
	"CONTACTS_REMOVED_FROM_QUEUE_IN_X": {dims: queueDims, threshold: true, at: func(r *Record) (int64, bool) {
		if !answered(r) && !abandoned(r) {
			return 0, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, th float64) {
		if within(queueTime(r), th) {
			a.n++
		}
	}, value: countValue},
	"SUM_CONTACTS_ANSWERED_IN_X": {dims: queueDims, threshold: true, at: func(r *Record) (int64, bool) {
		if !answered(r) {
			return 0, false
		}
		return r.ConnectedToAgent, true
	}, add: func(a *agg, r *Record, th float64) {
		if within(queueTime(r), th) {
			a.n++
		}
	}, value: countValue},
	"SUM_CONTACTS_ABANDONED_IN_X": {dims: queueDims, threshold: true, at: func(r *Record) (int64, bool) {
		if !abandoned(r) {
			return 0, false
		}
		return r.Disconnected, true
	}, add: func(a *agg, r *Record, th float64) {
		if within(queueTime(r), th) {
			a.n++
		}
	}, value: countValue},
}

// Supported tells whether the package computes the metric, and whether
// it needs a threshold.
func Supported(name string) (ok, threshold bool) {
	d, ok := defs[name]
	return ok, d.threshold
}

// AgentTime tells whether the metric is an agent-time one (computed from
// the agents' status changes up to now).
func AgentTime(name string) bool { return defs[name].agentTime != "" }

// Accepts tells whether the metric can be filtered or grouped by the
// dimension.
func Accepts(name, dim string) bool {
	d, ok := defs[name]
	return ok && strings.Contains(" "+d.dims+" ", " "+dim+" ")
}

// SupportedMetrics lists the supported metrics' names, sorted.
func SupportedMetrics() []string { return slices.Sorted(maps.Keys(defs)) }

// periodLength is an interval period's length (0 for TOTAL).
func periodLength(p string) time.Duration {
	switch p {
	case FifteenMin:
		return 15 * time.Minute
	case ThirtyMin:
		return 30 * time.Minute
	case Hour:
		return time.Hour
	}
	return 0
}

// intervalOf returns the interval of t: its start and end, clipped to the
// query's range. Days and weeks follow the query's time zone (a week
// starts on Monday). TOTAL is the whole range.
func (q *HQuery) intervalOf(t time.Time) (time.Time, time.Time) {
	var s, e time.Time
	switch q.Period {
	case "", Total:
		return q.Start, q.End
	case Day, Week:
		loc := q.Location
		if loc == nil {
			loc = time.UTC
		}
		lt := t.In(loc)
		s = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
		if q.Period == Week {
			s = s.AddDate(0, 0, -((int(s.Weekday()) + 6) % 7))
			e = s.AddDate(0, 0, 7)
		} else {
			e = s.AddDate(0, 0, 1)
		}
	default:
		// On the clock of the time zone: 09:00, 09:15, ...
		l := periodLength(q.Period)
		loc := q.Location
		if loc == nil {
			loc = time.UTC
		}
		lt := t.In(loc)
		day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
		s = day.Add(lt.Sub(day) / l * l)
		e = s.Add(l)
	}
	if s.Before(q.Start) {
		s = q.Start
	}
	if e.After(q.End) {
		e = q.End
	}
	return s.UTC(), e.UTC()
}

// valueSet is a set of value ids (indexed by id).
type valueSet []bool

func (v valueSet) has(id uint32) bool { return int(id) < len(v) && v[id] }

// set compiles values into a set of ids; values the Dict does not hold
// match no record.
func set(d *Dict, values map[string]bool) valueSet {
	out := make(valueSet, len(d.vals))
	for v := range values {
		if id, ok := d.ids[v]; ok && id != 0 {
			out[id] = true
		}
	}
	return out
}

type dimFilter struct {
	dim    int
	values valueSet
	negate bool
}

// maxGroupings is the most groupings a query has (the model's limit).
const maxGroupings = 4

// groupKey is a group's dimension value ids, in the order of the
// groupings.
type groupKey [maxGroupings]uint32

// Historical computes the query over the records (whose dimension values
// are ids in q.Dict): one result per group and interval that has any
// data, sorted by interval start, then by the groupings' values in order.
func Historical(records []Record, q *HQuery) ([]HResult, error) {
	if len(q.Groupings) > maxGroupings {
		return nil, fmt.Errorf("at most %d groupings", maxGroupings)
	}
	dict := q.Dict
	if dict == nil {
		dict = NewDict()
	}
	nm := len(q.Metrics)
	ds := make([]def, nm)
	ths := make([]float64, nm)
	mfs := make([][]dimFilter, nm)
	for i, m := range q.Metrics {
		d, ok := defs[m.Name]
		if !ok {
			return nil, fmt.Errorf("metric %s is not supported", m.Name)
		}
		ds[i] = d
		if t := m.Threshold; t != nil {
			ths[i] = *t
			if m.Inclusive {
				ths[i] = -*t
			}
		}
		for _, f := range m.Filters {
			n, ok := dimNumbers[f.Key]
			if !ok {
				return nil, fmt.Errorf("metric filter %s is not supported", f.Key)
			}
			vs := map[string]bool{}
			for _, v := range f.Values {
				vs[v] = true
			}
			mfs[i] = append(mfs[i], dimFilter{dim: n, values: set(dict, vs), negate: f.Negate})
		}
	}
	for agent := range q.Agents {
		dict.ID(agent)
	}
	for agent := range q.Statuses {
		dict.ID(agent)
	}
	var c compiled
	for d := range c.agentDim {
		c.agentDim[d] = make([]uint32, len(dict.vals))
	}
	for agent, a := range q.Agents {
		id, ok := dict.ids[agent]
		if !ok || id == 0 {
			continue
		}
		if a.RoutingProfile != "" {
			c.agentDim[0][id] = dict.ID(a.RoutingProfile)
		}
		for l, g := range a.Hierarchy {
			if l < 5 {
				c.agentDim[l+1][id] = dict.ID(g)
			}
		}
	}
	var filters []dimFilter
	for dim, values := range q.Filters {
		n, ok := dimNumbers[dim]
		if !ok {
			return nil, fmt.Errorf("filter %s is not supported", dim)
		}
		filters = append(filters, dimFilter{dim: n, values: set(dict, values)})
	}
	var absent []int
	for dim := range q.NotExists {
		absent = append(absent, dimNumbers[dim])
	}
	groupDims := make([]int, len(q.Groupings))
	for i, g := range q.Groupings {
		n, ok := dimNumbers[g]
		if !ok {
			return nil, fmt.Errorf("grouping %s is not supported", g)
		}
		groupDims[i] = n
	}
	// The intervals' bounds, in Unix milliseconds: bounds[i] starts
	// interval i, the last one ends the range.
	bounds := []int64{q.Start.UnixMilli()}
	for t := q.Start; t.Before(q.End); {
		_, e := q.intervalOf(t)
		if !e.After(t) {
			break
		}
		bounds = append(bounds, e.UnixMilli())
		t = e
	}
	ni := len(bounds) - 1
	start, end := bounds[0], bounds[ni]
	// Evenly spaced intervals (minutes and hours, and days without a
	// clock change) are found by division, others by binary search.
	step := int64(0)
	if ni > 1 {
		step = bounds[2] - bounds[1]
		for i := 2; i < ni; i++ {
			if bounds[i+1]-bounds[i] != step {
				step = 0
				break
			}
		}
	}
	intervalAt := func(ms int64) int {
		if ms < bounds[1] {
			return 0
		}
		if step > 0 {
			if i := 1 + int((ms-bounds[1])/step); i < ni {
				return i
			}
			return ni - 1
		}
		return sort.Search(ni, func(i int) bool { return bounds[i+1] > ms })
	}
	groups := map[groupKey]int{}
	var keys []groupKey
	// cells[g] holds group g's aggregates, interval by interval, one per
	// metric; seen says which were added to.
	var cells [][]agg
	var seen [][]bool
scan:
	for i := range records {
		r := &records[i]
		for _, f := range filters {
			if !f.values.has(c.dimOf(r, f.dim)) {
				continue scan
			}
		}
		for _, d := range absent {
			if c.dimOf(r, d) != 0 {
				continue scan
			}
		}
		var k groupKey
		for gi, d := range groupDims {
			v := c.dimOf(r, d)
			if v == 0 {
				continue scan // every dimension of a result has a value
			}
			k[gi] = v
		}
		g := -1
		for mi := range ds {
			at, ok := ds[mi].at(r)
			if !ok || at < start || at >= end {
				continue
			}
			for _, f := range mfs[mi] {
				if f.values.has(c.dimOf(r, f.dim)) == f.negate {
					ok = false
				}
			}
			if !ok {
				continue
			}
			if g < 0 {
				var found bool
				if g, found = groups[k]; !found {
					g = len(keys)
					groups[k] = g
					keys = append(keys, k)
					cells = append(cells, make([]agg, ni*nm))
					seen = append(seen, make([]bool, ni*nm))
				}
			}
			at2 := intervalAt(at)*nm + mi
			ds[mi].add(&cells[g][at2], r, ths[mi])
			seen[g][at2] = true
		}
	}
	if err := agentTime(records, q, &c, ds, filters, groupDims, bounds, intervalAt, func(k groupKey, iv, mi int, add func(*agg)) {
		g, found := groups[k]
		if !found {
			g = len(keys)
			groups[k] = g
			keys = append(keys, k)
			cells = append(cells, make([]agg, ni*nm))
			seen = append(seen, make([]bool, ni*nm))
		}
		add(&cells[g][iv*nm+mi])
		seen[g][iv*nm+mi] = true
	}); err != nil {
		return nil, err
	}
	var out []HResult
	for g := range keys {
		for iv := 0; iv < ni; iv++ {
			row := seen[g][iv*nm : (iv+1)*nm]
			any := false
			for _, s := range row {
				any = any || s
			}
			if !any {
				continue
			}
			res := HResult{Dims: make(map[string]string, len(q.Groupings)), Start: time.UnixMilli(bounds[iv]).UTC(), End: time.UnixMilli(bounds[iv+1]).UTC(),
				Values: make([]*float64, nm)}
			for gi, name := range q.Groupings {
				res.Dims[name] = dict.Value(keys[g][gi])
			}
			for mi, d := range ds {
				if row[mi] {
					res.Values[mi] = d.value(&cells[g][iv*nm+mi])
				} else {
					res.Values[mi] = d.value(&agg{}) // a count with nothing counted is 0
				}
			}
			out = append(out, res)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		for _, g := range q.Groupings {
			if a, b := out[i].Dims[g], out[j].Dims[g]; a != b {
				return a < b
			}
		}
		return false
	})
	return out, nil
}

// agentTime adds the agent-time metrics: for each agent the filters keep,
// the time of each interval it spent online (any status but OFFLINE), in
// a custom status (non-productive), available without a contact (idle),
// and with a contact while online (from connected to the end of after
// contact work); occupancy is contact time over contact and idle time.
func agentTime(records []Record, q *HQuery, c *compiled, ds []def, filters []dimFilter, groupDims []int, bounds []int64,
	intervalAt func(int64) int, put func(k groupKey, iv, mi int, add func(*agg))) error {
	var metricsAt []int
	for mi, d := range ds {
		if d.agentTime != "" {
			metricsAt = append(metricsAt, mi)
		}
	}
	if len(metricsAt) == 0 {
		return nil
	}
	ni := len(bounds) - 1
	start, end := bounds[0], bounds[ni]
	// Each agent's contacts, as time spans.
	spans := map[uint32][][2]int64{}
	for i := range records {
		r := &records[i]
		if r.Agent == 0 || r.ConnectedToAgent == 0 {
			continue
		}
		e := r.AfterContactEnd
		if e == 0 {
			e = r.Disconnected
		}
		if e == 0 {
			e = q.Now
		}
		spans[r.Agent] = append(spans[r.Agent], [2]int64{r.ConnectedToAgent, e})
	}
	// distribute calls fn with the part of [s, e) in each interval.
	distribute := func(s, e int64, fn func(iv int, ms int64)) {
		s, e = max(s, start), min(e, end)
		for iv := intervalAt(s); s < e && iv < ni; iv++ {
			piece := min(e, bounds[iv+1]) - max(s, bounds[iv])
			if piece > 0 {
				fn(iv, piece)
			}
		}
	}
	dict := q.Dict
	agents := make([]string, 0, len(q.Statuses))
	for a := range q.Statuses {
		agents = append(agents, a)
	}
	sort.Strings(agents)
agents:
	for _, agent := range agents {
		changes := q.Statuses[agent]
		r := Record{Agent: dict.ids[agent]}
		for _, f := range filters {
			if !f.values.has(c.dimOf(&r, f.dim)) {
				continue agents
			}
		}
		var k groupKey
		for gi, d := range groupDims {
			v := c.dimOf(&r, d)
			if v == 0 {
				continue agents
			}
			k[gi] = v
		}
		// The agent's contact time as disjoint spans.
		sp := spans[r.Agent]
		sort.Slice(sp, func(i, j int) bool { return sp[i][0] < sp[j][0] })
		var union [][2]int64
		for _, x := range sp {
			if n := len(union); n > 0 && x[0] <= union[n-1][1] {
				union[n-1][1] = max(union[n-1][1], x[1])
			} else {
				union = append(union, x)
			}
		}
		online, npt, routable, contact, contactRoutable := make([]int64, ni), make([]int64, ni), make([]int64, ni), make([]int64, ni), make([]int64, ni)
		u := 0
		for i, ch := range changes {
			s, e := ch.At, q.Now
			if i+1 < len(changes) {
				e = changes[i+1].At
			}
			if ch.Type == "OFFLINE" || e <= start || s >= end {
				continue
			}
			distribute(s, e, func(iv int, ms int64) {
				online[iv] += ms
				switch ch.Type {
				case "CUSTOM":
					npt[iv] += ms
				case "ROUTABLE":
					routable[iv] += ms
				}
			})
			for u > 0 && union[u-1][1] > s {
				u-- // a span reaching into this status
			}
			for j := u; j < len(union) && union[j][0] < e; j++ {
				a, b := max(union[j][0], s), min(union[j][1], e)
				if a >= b {
					continue
				}
				distribute(a, b, func(iv int, ms int64) {
					contact[iv] += ms
					if ch.Type == "ROUTABLE" {
						contactRoutable[iv] += ms
					}
				})
				u = j
			}
		}
		for iv := 0; iv < ni; iv++ {
			if online[iv] == 0 && contact[iv] == 0 {
				continue
			}
			idle := float64(routable[iv]-contactRoutable[iv]) / 1000
			for _, mi := range metricsAt {
				var v float64
				switch ds[mi].agentTime {
				case "online":
					v = float64(online[iv]) / 1000
				case "npt":
					v = float64(npt[iv]) / 1000
				case "idle":
					v = idle
				case "contact":
					v = float64(contact[iv]) / 1000
				}
				occ := ds[mi].agentTime == "occupancy"
				cv := float64(contact[iv]) / 1000
				put(k, iv, mi, func(a *agg) {
					a.n++
					if occ {
						a.num += cv
						a.den += cv + idle
					} else {
						a.sum += v
					}
				})
			}
		}
	}
	return nil
}
