package metrics

// Historical metrics (GetMetricDataV2): figures computed from the records
// of contacts the engine ran, placed in intervals by the timestamp each
// metric's definition names, grouped and filtered by the contacts'
// dimensions. docs/METRICS.md gives every definition and its source.

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Record is one contact as the historical metrics see it: compact, so a
// million fit in memory. Times are Unix milliseconds, 0 when the contact
// never reached that point.
type Record struct {
	ID                                                  string
	Channel, Queue, Agent, Initiation, DisconnectReason string
	// Queue is the queue the contact entered ("" none); Agent the agent
	// it was connected to ("" none).
	Initiated, Enqueued, ConnectedToAgent, AfterContactStart, AfterContactEnd, Disconnected int64
	// TransferredOut: TransferContact moved the contact on.
	TransferredOut bool
}

// AgentDims are an agent's routing profile and hierarchy groups (level
// one first), as the query sees them.
type AgentDims struct {
	RoutingProfile string
	Hierarchy      []string
}

// dim is the record's value of a dimension ("" none).
func (q *HQuery) dim(r *Record, d string) string {
	switch d {
	case DimQueue:
		return r.Queue
	case DimChannel:
		return r.Channel
	case DimAgent:
		return r.Agent
	case DimInitiationMethod:
		return r.Initiation
	case "DISCONNECT_REASON":
		return r.DisconnectReason
	}
	if r.Agent == "" {
		return ""
	}
	a := q.Agents[r.Agent]
	if d == DimRoutingProfile {
		return a.RoutingProfile
	}
	for l, h := range HierarchyDims {
		if h == d && l < len(a.Hierarchy) {
			return a.Hierarchy[l]
		}
	}
	return ""
}

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
)

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

// Accepts tells whether the metric can be filtered or grouped by the
// dimension.
func Accepts(name, dim string) bool {
	d, ok := defs[name]
	return ok && strings.Contains(" "+d.dims+" ", " "+dim+" ")
}

// SupportedMetrics lists the supported metrics' names, sorted.
func SupportedMetrics() []string {
	out := make([]string, 0, len(defs))
	for n := range defs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

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

// keep applies the query's filters to a record.
func (q *HQuery) keep(r *Record) bool {
	for dim, values := range q.Filters {
		if v := q.dim(r, dim); v == "" || !values[v] {
			return false
		}
	}
	for dim := range q.NotExists {
		if q.dim(r, dim) != "" {
			return false
		}
	}
	return true
}

func (q *HQuery) keepFor(m *HMetric, r *Record) bool {
	for _, f := range m.Filters {
		v := q.dim(r, f.Key)
		in := false
		for _, x := range f.Values {
			in = in || x == v
		}
		if in == f.Negate {
			return false
		}
	}
	return true
}

// maxGroupings is the most groupings a query has (the model's limit).
const maxGroupings = 4

// groupKey is a group's dimension values, in the order of the groupings.
type groupKey [maxGroupings]string

// Historical computes the query over the records: one result per group
// and interval that has any data, sorted by interval start, then by the
// groupings' values in order.
func Historical(records []Record, q *HQuery) ([]HResult, error) {
	if len(q.Groupings) > maxGroupings {
		return nil, fmt.Errorf("at most %d groupings", maxGroupings)
	}
	ds := make([]def, len(q.Metrics))
	ths := make([]float64, len(q.Metrics))
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
	nIntervals := len(bounds) - 1
	start, end := bounds[0], bounds[nIntervals]
	intervalAt := func(ms int64) int {
		// The last start at or before ms.
		i := sort.Search(nIntervals, func(i int) bool { return bounds[i+1] > ms })
		return i
	}
	groups := map[groupKey]int{}
	var keys []groupKey
	cells := map[int][]agg{} // group*nIntervals+interval -> one agg per metric
	seen := map[int][]bool{}
	filtered := len(q.Filters) > 0 || len(q.NotExists) > 0
	metricFilters := false
	for i := range q.Metrics {
		metricFilters = metricFilters || len(q.Metrics[i].Filters) > 0
	}
	for i := range records {
		r := &records[i]
		if filtered && !q.keep(r) {
			continue
		}
		var k groupKey
		grouped := true
		for gi, g := range q.Groupings {
			v := q.dim(r, g)
			grouped = grouped && v != ""
			k[gi] = v
		}
		if !grouped {
			continue // every dimension of a result has a value
		}
		gidx := -1
		for mi := range ds {
			at, ok := ds[mi].at(r)
			if !ok || at < start || at >= end || metricFilters && !q.keepFor(&q.Metrics[mi], r) {
				continue
			}
			if gidx < 0 {
				var found bool
				if gidx, found = groups[k]; !found {
					gidx = len(keys)
					groups[k] = gidx
					keys = append(keys, k)
				}
			}
			cell := gidx*nIntervals + intervalAt(at)
			c := cells[cell]
			if c == nil {
				c = make([]agg, len(ds))
				cells[cell] = c
				seen[cell] = make([]bool, len(ds))
			}
			ds[mi].add(&c[mi], r, ths[mi])
			seen[cell][mi] = true
		}
	}
	out := make([]HResult, 0, len(cells))
	for cell, c := range cells {
		g, iv := cell/nIntervals, cell%nIntervals
		res := HResult{Dims: map[string]string{}, Start: time.UnixMilli(bounds[iv]).UTC(), End: time.UnixMilli(bounds[iv+1]).UTC(), Values: make([]*float64, len(ds))}
		for gi, name := range q.Groupings {
			res.Dims[name] = keys[g][gi]
		}
		for i, d := range ds {
			if seen[cell][i] {
				res.Values[i] = d.value(&c[i])
			} else {
				res.Values[i] = d.value(&agg{}) // a count with nothing counted is 0
			}
		}
		out = append(out, res)
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
