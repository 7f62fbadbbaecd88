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

// Record is one contact as the historical metrics see it. Times are nil
// when the contact never reached that point.
type Record struct {
	ID string
	// Dimensions: the values a filter or grouping can name (Dimension*
	// keys); a missing key has no value.
	Dims map[string]string

	Initiated         time.Time
	Enqueued          *time.Time // entered its queue
	ConnectedToAgent  *time.Time
	AfterContactStart *time.Time
	AfterContactEnd   *time.Time
	Disconnected      *time.Time
	DisconnectReason  string
	// TransferredOut: the contact was transferred (TransferContact) to
	// another queue or agent after an agent handled it, or from the queue.
	TransferredOut bool
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
	at    func(r *Record) (time.Time, bool)
	add   func(a *agg, r *Record, th float64)
	value func(a *agg) *float64
}

func secs(d time.Duration) float64 { return d.Seconds() }

func since(a, b *time.Time) time.Duration { return b.Sub(*a) }

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

func stamp(t *time.Time) (time.Time, bool) {
	if t == nil {
		return time.Time{}, false
	}
	return *t, true
}

// answered: the contact waited in a queue and reached an agent.
func answered(r *Record) bool { return r.Enqueued != nil && r.ConnectedToAgent != nil }

// abandoned: the contact waited in a queue and ended without an agent
// (and without being transferred away from the queue).
func abandoned(r *Record) bool {
	return r.Enqueued != nil && r.ConnectedToAgent == nil && r.Disconnected != nil && !r.TransferredOut
}

// handled: an agent took the contact and the contact is done (its after
// contact work too, when it had some).
func handled(r *Record) bool { return r.ConnectedToAgent != nil && r.Disconnected != nil }

// handleTime is talk (and hold) time plus after contact work.
func handleTime(r *Record) time.Duration {
	end := r.Disconnected
	if r.AfterContactEnd != nil {
		end = r.AfterContactEnd
	}
	return since(r.ConnectedToAgent, end)
}

// queueTime is how long an answered or abandoned contact waited.
func queueTime(r *Record) time.Duration {
	if r.ConnectedToAgent != nil {
		return since(r.Enqueued, r.ConnectedToAgent)
	}
	return since(r.Enqueued, r.Disconnected)
}

// leftQueue is when a queued contact left its queue: answered or ended.
func leftQueue(r *Record) (time.Time, bool) {
	if r.Enqueued == nil {
		return time.Time{}, false
	}
	if r.ConnectedToAgent != nil {
		return *r.ConnectedToAgent, true
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
	"CONTACTS_CREATED": {dims: queueDims, at: func(r *Record) (time.Time, bool) { return r.Initiated, true }, add: count, value: countValue},
	"CONTACTS_QUEUED":  {dims: contactDims, at: func(r *Record) (time.Time, bool) { return stamp(r.Enqueued) }, add: count, value: countValue},
	"CONTACTS_HANDLED": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !handled(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: count, value: countValue},
	"CONTACTS_ABANDONED": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !abandoned(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: count, value: countValue},
	"CONTACTS_TRANSFERRED_OUT": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !r.TransferredOut || r.ConnectedToAgent == nil {
			return time.Time{}, false
		}
		return stamp(r.Disconnected)
	}, add: count, value: countValue},
	"AVG_HANDLE_TIME": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !handled(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(handleTime(r)) }, value: avgValue},
	"SUM_HANDLE_TIME": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !handled(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(handleTime(r)) }, value: sumValue},
	"AVG_AFTER_CONTACT_WORK_TIME": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if r.AfterContactStart == nil || r.AfterContactEnd == nil {
			return time.Time{}, false
		}
		return *r.AfterContactEnd, true
	}, add: func(a *agg, r *Record, _ float64) {
		a.n++
		a.sum += secs(since(r.AfterContactStart, r.AfterContactEnd))
	}, value: avgValue},
	"AVG_INTERACTION_TIME": {dims: queueDims, at: func(r *Record) (time.Time, bool) {
		if !handled(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(since(r.ConnectedToAgent, r.Disconnected)) }, value: avgValue},
	"AVG_QUEUE_ANSWER_TIME": {dims: queueDims, at: func(r *Record) (time.Time, bool) {
		if !answered(r) {
			return time.Time{}, false
		}
		return *r.ConnectedToAgent, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(queueTime(r)) }, value: avgValue},
	"AVG_ABANDON_TIME": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !abandoned(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: func(a *agg, r *Record, _ float64) { a.n++; a.sum += secs(queueTime(r)) }, value: avgValue},
	"MAX_QUEUED_TIME": {dims: contactDims, at: func(r *Record) (time.Time, bool) {
		if !answered(r) && !abandoned(r) {
			return time.Time{}, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, _ float64) {
		a.n++
		if q := secs(queueTime(r)); q > a.max {
			a.max = q
		}
	}, value: maxValue},
	"SERVICE_LEVEL": {dims: queueDims, threshold: true, at: func(r *Record) (time.Time, bool) {
		if !answered(r) && !abandoned(r) {
			return time.Time{}, false
		}
		return leftQueue(r)
	}, add: func(a *agg, r *Record, th float64) {
		a.den++
		if within(secs(queueTime(r)), th) {
			a.num++
		}
	}, value: percentValue},
	"SUM_CONTACTS_ANSWERED_IN_X": {dims: queueDims, threshold: true, at: func(r *Record) (time.Time, bool) {
		if !answered(r) {
			return time.Time{}, false
		}
		return *r.ConnectedToAgent, true
	}, add: func(a *agg, r *Record, th float64) {
		if within(secs(queueTime(r)), th) {
			a.n++
		}
	}, value: countValue},
	"SUM_CONTACTS_ABANDONED_IN_X": {dims: queueDims, threshold: true, at: func(r *Record) (time.Time, bool) {
		if !abandoned(r) {
			return time.Time{}, false
		}
		return *r.Disconnected, true
	}, add: func(a *agg, r *Record, th float64) {
		if within(secs(queueTime(r)), th) {
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
		if v, ok := r.Dims[dim]; !ok || !values[v] {
			return false
		}
	}
	for dim := range q.NotExists {
		if _, ok := r.Dims[dim]; ok {
			return false
		}
	}
	return true
}

func (m *HMetric) keep(r *Record) bool {
	for _, f := range m.Filters {
		var v string
		switch f.Key {
		case DimInitiationMethod:
			v = r.Dims[DimInitiationMethod]
		case "DISCONNECT_REASON":
			v = r.DisconnectReason
		default:
			v = r.Dims[f.Key]
		}
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

// Historical computes the query over the records: one result per group
// and interval that has any data, sorted by interval start, then by the
// groupings' values in order.
func Historical(records []Record, q *HQuery) ([]HResult, error) {
	ds := make([]def, len(q.Metrics))
	for i, m := range q.Metrics {
		d, ok := defs[m.Name]
		if !ok {
			return nil, fmt.Errorf("metric %s is not supported", m.Name)
		}
		ds[i] = d
	}
	type cell struct {
		dims  map[string]string
		start time.Time
		end   time.Time
		aggs  []agg
		seen  []bool
	}
	cells := map[string]*cell{}
	var b strings.Builder
	for i := range records {
		r := &records[i]
		if !q.keep(r) {
			continue
		}
		b.Reset()
		grouped := true
		for _, g := range q.Groupings {
			v, ok := r.Dims[g]
			grouped = grouped && ok
			b.WriteString(v)
			b.WriteByte(0)
		}
		if !grouped {
			continue // every dimension of a result has a value
		}
		group := b.String()
		for mi, d := range ds {
			at, ok := d.at(r)
			if !ok || at.Before(q.Start) || !at.Before(q.End) || !q.Metrics[mi].keep(r) {
				continue
			}
			s, e := q.intervalOf(at)
			key := group + s.Format(time.RFC3339Nano)
			c := cells[key]
			if c == nil {
				c = &cell{dims: map[string]string{}, start: s, end: e, aggs: make([]agg, len(ds)), seen: make([]bool, len(ds))}
				for _, g := range q.Groupings {
					if v, ok := r.Dims[g]; ok {
						c.dims[g] = v
					}
				}
				cells[key] = c
			}
			var th float64
			if t := q.Metrics[mi].Threshold; t != nil {
				th = *t
				if q.Metrics[mi].Inclusive {
					th = -th
				}
			}
			d.add(&c.aggs[mi], r, th)
			c.seen[mi] = true
		}
	}
	out := make([]HResult, 0, len(cells))
	for _, c := range cells {
		res := HResult{Dims: c.dims, Start: c.start, End: c.end, Values: make([]*float64, len(ds))}
		for i, d := range ds {
			if c.seen[i] {
				res.Values[i] = d.value(&c.aggs[i])
			} else if d.value(&agg{}) != nil {
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
