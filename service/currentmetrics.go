package service

// GetCurrentMetricData: the request's rules (the API reference's
// Filters, Groupings, CurrentMetrics and SortCriteria documentation), a
// snapshot of the instance's agents and live contacts read in one
// transaction, and package metrics to compute the figures. docs/METRICS.md
// defines each metric.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/metrics"
)

// Documented limits of GetCurrentMetricData's Filters.
const (
	maxMetricQueues          = 100
	maxMetricRoutingProfiles = 100
	maxMetricAgentStatuses   = 50
	defaultMetricPageSize    = 100
	// recentWaitWindow is how far back answered contacts count for
	// ESTIMATED_WAIT_TIME, and maxRecentWaits how many a queue keeps.
	recentWaitWindow = time.Hour
	maxRecentWaits   = 50
)

func (s *Service) registerCurrentMetrics() {
	handle(s, "GetCurrentMetricData", s.getCurrentMetricData)
}

// metricRequest checks a request and turns it into a metrics.Query; the
// ids it names are resolved later, against the store.
func metricRequest(in *api.GetCurrentMetricDataRequest) (*metrics.Query, error) {
	f := in.Filters
	q := &metrics.Query{}
	switch {
	case len(f.RoutingStepExpressions) > 0:
		return nil, invalidParameter("Filters.RoutingStepExpressions: Switchboard does not route by proficiency yet, so no routing step has metrics")
	case len(f.Subtypes) > 0:
		return nil, invalidParameter("Filters.Subtypes: Switchboard has no contact subtypes yet")
	case len(f.ValidationTestTypes) > 0:
		return nil, invalidParameter("Filters.ValidationTestTypes: Switchboard has no test and simulation contacts")
	case len(f.Queues) > 0 && len(f.RoutingProfiles) > 0:
		return nil, invalidParameter("Filters: give Queues or RoutingProfiles, not both (you cannot filter by both queue and routing profile)")
	case len(f.Queues) == 0 && len(f.RoutingProfiles) == 0:
		return nil, invalidParameter("Filters must name at least one queue (Queues) or routing profile (RoutingProfiles)")
	case len(f.Queues) > maxMetricQueues:
		return nil, invalidParameter("Filters.Queues: %d queues; at most %d", len(f.Queues), maxMetricQueues)
	case len(f.RoutingProfiles) > maxMetricRoutingProfiles:
		return nil, invalidParameter("Filters.RoutingProfiles: %d routing profiles; at most %d", len(f.RoutingProfiles), maxMetricRoutingProfiles)
	case len(f.AgentStatuses) > maxMetricAgentStatuses:
		return nil, invalidParameter("Filters.AgentStatuses: %d statuses; at most %d", len(f.AgentStatuses), maxMetricAgentStatuses)
	case len(f.AgentStatuses) > 0 && len(f.Queues) == 0:
		return nil, invalidParameter("Filters.AgentStatuses needs Queues as the primary filter")
	}
	for _, c := range f.Channels {
		switch engine.Channel(c) {
		case engine.ChannelVoice, engine.ChannelChat, engine.ChannelTask:
			q.Channels = append(q.Channels, engine.Channel(c))
		default:
			return nil, invalidParameter("Filters.Channels: %s is not supported; VOICE, CHAT and TASK are", c)
		}
	}
	seen := map[string]bool{}
	for i, g := range in.Groupings {
		if seen[g] {
			return nil, invalidParameter("Groupings: %s is given twice", g)
		}
		seen[g] = true
		switch metrics.Grouping(g) {
		case metrics.ByQueue:
		case metrics.ByChannel:
			if len(f.Channels) == 0 {
				return nil, invalidParameter("Groupings: grouping by CHANNEL needs a Channels filter")
			}
		case metrics.ByRoutingProfile:
		case metrics.ByAgentStatus:
			if i != 1 || in.Groupings[0] != string(metrics.ByQueue) || len(f.Queues) == 0 {
				return nil, invalidParameter("Groupings: grouping by AGENT_STATUS needs QUEUE as the primary grouping and a Queues filter")
			}
		default:
			return nil, invalidParameter("Groupings: %s is not supported by Switchboard (no routing steps, subtypes or test contacts)", g)
		}
		q.Groupings = append(q.Groupings, metrics.Grouping(g))
	}
	if len(in.CurrentMetrics) == 0 {
		return nil, invalidParameter("CurrentMetrics must name at least one metric")
	}
	for i, m := range in.CurrentMetrics {
		if m.MetricId != nil {
			return nil, invalidParameter("CurrentMetrics[%d].MetricId: custom metrics are not supported; give Name and Unit", i)
		}
		name := metrics.Name(deref(m.Name))
		unit, ok := metrics.Units[name]
		switch {
		case m.Name == nil:
			return nil, invalidParameter("CurrentMetrics[%d]: Name is required", i)
		case !ok:
			return nil, invalidParameter("CurrentMetrics[%d].Name: %s is not a real-time metric", i, name)
		case deref(m.Unit) != unit:
			return nil, invalidParameter("CurrentMetrics[%d].Unit: %s is measured in %s, not %q", i, name, unit, deref(m.Unit))
		}
		switch name {
		case metrics.ContactsScheduled, metrics.ContactsInQueue, metrics.OldestContactAge:
			if seen[string(metrics.ByRoutingProfile)] && len(f.RoutingProfiles) == 0 {
				return nil, invalidParameter("CurrentMetrics: %s grouped by ROUTING_PROFILE needs a RoutingProfiles filter", name)
			}
		case metrics.EstimatedWaitTime:
			if len(f.Queues) == 0 || len(f.Channels) == 0 || len(in.Groupings) != 2 || in.Groupings[0] != string(metrics.ByQueue) || in.Groupings[1] != string(metrics.ByChannel) {
				return nil, invalidParameter("CurrentMetrics: ESTIMATED_WAIT_TIME needs Queues and Channels filters and the groupings QUEUE, CHANNEL")
			}
		}
		if seen[string(metrics.ByAgentStatus)] && name != metrics.AgentsOnline {
			return nil, invalidParameter("CurrentMetrics: grouped by AGENT_STATUS, only AGENTS_ONLINE is available, not %s", name)
		}
		q.Metrics = append(q.Metrics, name)
	}
	if len(in.SortCriteria) > 0 {
		sc := in.SortCriteria[0]
		by := metrics.Name(deref(sc.SortByMetric))
		if by == metrics.SlotsActive || by == metrics.SlotsAvailable {
			return nil, invalidParameter("SortCriteria.SortByMetric: sorting on %s is not supported", by)
		}
		found := false
		for _, m := range q.Metrics {
			found = found || m == by
		}
		if !found {
			return nil, invalidParameter("SortCriteria.SortByMetric: %s is not one of the CurrentMetrics requested", by)
		}
	}
	return q, nil
}

func (s *Service) getCurrentMetricData(ctx context.Context, in *api.GetCurrentMetricDataRequest) (*api.GetCurrentMetricDataResponse, error) {
	q, err := metricRequest(in)
	if err != nil {
		return nil, err
	}
	offset, limit, err := pageRequest(in.NextToken, in.MaxResults, defaultMetricPageSize)
	if err != nil {
		return nil, err
	}
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, now := scope(ctx), s.clock()
	var snap *metrics.Snapshot
	var e *engineTx
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		e = s.engineTx(tx, sc, instanceID)
		if q.Queues, err = resolveIDs(tx, sc, instanceID, switchboard.KindQueue, "Filters.Queues", in.Filters.Queues); err != nil {
			return err
		}
		if q.RoutingProfiles, err = resolveIDs(tx, sc, instanceID, switchboard.KindRoutingProfile, "Filters.RoutingProfiles", in.Filters.RoutingProfiles); err != nil {
			return err
		}
		if q.AgentStatuses, err = resolveIDs(tx, sc, instanceID, switchboard.KindAgentStatus, "Filters.AgentStatuses", in.Filters.AgentStatuses); err != nil {
			return err
		}
		snap, err = e.snapshot(now)
		return err
	})
	if err != nil {
		return nil, err
	}
	e.committed() // a read-only snapshot is committed state: its index can be shared
	results := metrics.Current(snap, q)
	sortResults(results, q, in.SortCriteria)
	out := &api.GetCurrentMetricDataResponse{MetricResults: []api.CurrentMetricResult{}, DataSnapshotTime: ts(now),
		ApproximateTotalCount: ptr(int64(len(results)))}
	out.NextToken = offsetPage(len(results), offset, limit, func(i int) {
		out.MetricResults = append(out.MetricResults, metricResult(sc, instanceID, q, &results[i]))
	})
	return out, nil
}

// resolveIDs turns a filter's ids or ARNs into a set of ids of existing
// resources (nil for an empty filter).
func resolveIDs(tx switchboard.Tx, sc switchboard.Scope, instanceID string, kind switchboard.Kind, member string, ids []string) (map[string]bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	set := make(map[string]bool, len(ids))
	for _, idOrARN := range ids {
		id := lastSegment(idOrARN)
		if _, err := getChild(tx, sc, instanceID, kind, id); err != nil {
			if isNotFound(err) {
				return nil, notFound("%s: %s %s not found in instance %s", member, kindLabel(kind), id, instanceID)
			}
			return nil, err
		}
		set[id] = true
	}
	return set, nil
}

// sortResults orders the groups: by the sort criteria's metric (default
// AGENTS_ONLINE descending, when requested), then by their dimensions.
func sortResults(results []metrics.Result, q *metrics.Query, criteria []api.CurrentMetricSortCriteria) {
	by, desc := metrics.AgentsOnline, true
	if len(criteria) > 0 {
		by, desc = metrics.Name(deref(criteria[0].SortByMetric)), deref(criteria[0].SortOrder) != api.SortOrderAscending
	}
	col := -1
	for i, m := range q.Metrics {
		if m == by {
			col = i
			break
		}
	}
	val := func(r *metrics.Result) float64 {
		if col < 0 || r.Values[col] == nil {
			return -1
		}
		return *r.Values[col]
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := val(&results[i]), val(&results[j])
		if a != b {
			return (a > b) == desc
		}
		return false // metrics.Current's order: dimensions sorted
	})
}

func metricResult(sc switchboard.Scope, instanceID string, q *metrics.Query, r *metrics.Result) api.CurrentMetricResult {
	d := &api.Dimensions{}
	k := r.Key
	if k.Queue != "" {
		d.Queue = &api.QueueReference{Id: ptr(k.Queue), Arn: ptr(resourceARN(sc, switchboard.KindQueue, instanceID, k.Queue))}
	}
	if k.Channel != "" {
		d.Channel = ptr(string(k.Channel))
	}
	if k.RoutingProfile != "" {
		d.RoutingProfile = &api.RoutingProfileReference{Id: ptr(k.RoutingProfile), Arn: ptr(resourceARN(sc, switchboard.KindRoutingProfile, instanceID, k.RoutingProfile))}
	}
	if k.AgentStatus != "" {
		d.AgentStatus = &api.AgentStatusIdentifier{Id: ptr(k.AgentStatus), Arn: ptr(resourceARN(sc, switchboard.KindAgentStatus, instanceID, k.AgentStatus))}
	}
	out := api.CurrentMetricResult{Dimensions: d, Collections: make([]api.CurrentMetricData, len(q.Metrics))}
	for i, m := range q.Metrics {
		out.Collections[i] = api.CurrentMetricData{Metric: &api.CurrentMetric{Name: ptr(string(m)), Unit: ptr(metrics.Units[m])}, Value: r.Values[i]}
	}
	return out
}

// snapshot reads the instance's logged-in agents, live contacts and
// recent queue waits.
func (e *engineTx) snapshot(now time.Time) (*metrics.Snapshot, error) {
	snap := &metrics.Snapshot{Now: now}
	var err error
	if snap.Contacts, err = e.s.liveContactsOf(e.tx, e.sc, e.instanceID); err != nil {
		return nil, err
	}
	// Agents: their configuration from the agent index (exact at this
	// transaction's generation), their state from their status records.
	idx, err := e.agentIndex()
	if err != nil {
		return nil, err
	}
	// The agents' view is rebuilt only when their statuses or the index
	// changed since the last request (statusprojection.go).
	err = e.s.withStatuses(e.tx, e.sc, e.instanceID, func(p *statusProjection) error {
		if p.view == nil || p.viewVer != p.ver || p.viewIndex != idx {
			entries := make([]statusEntry, 0, len(p.docs))
			for id, doc := range p.docs {
				entries = append(entries, statusEntry{id, doc, p.seqs[id]})
			}
			view, err := e.metricsAgents(idx, entries)
			if err != nil {
				return err
			}
			p.view, p.viewVer, p.viewIndex, p.viewLookup = view, p.ver, idx, metrics.IndexAgents(view)
		}
		snap.Agents, snap.Lookup = p.view, p.viewLookup
		return nil
	}, func(all []statusEntry) error {
		var err error
		snap.Agents, err = e.metricsAgents(idx, all)
		return err
	})
	if err != nil {
		return nil, err
	}
	if snap.Waits, err = e.s.recentWaitsOf(e.tx, e.sc, e.instanceID, now); err != nil {
		return nil, err
	}
	return snap, nil
}

// metricsAgents turns status documents into the logged-in agents the
// metrics count, with their configuration from the agent index.
func (e *engineTx) metricsAgents(idx *agentIndex, statuses []statusEntry) ([]metrics.Agent, error) {
	offline := systemStatusID(e.sc, e.instanceID, api.AgentStatusTypeOffline)
	routable := map[string]bool{}
	type class struct {
		profile, status string
		missed          bool
	}
	classes := map[class]int{}
	out := make([]metrics.Agent, 0, len(statuses))
	for _, se := range statuses {
		ia := idx.agents[se.id]
		if ia == nil {
			continue // a deleted user's status
		}
		st := se.doc
		if st.StatusID == offline {
			continue
		}
		r, ok := routable[st.StatusID]
		if !ok {
			sr, err := e.tx.Get(switchboard.Key{Scope: e.sc, Kind: switchboard.KindAgentStatus, Parent: e.instanceID, ID: st.StatusID})
			if err != nil {
				return nil, err
			}
			sd, err := e.s.engineDocs.agentStatuses.get(sr.Data, func() string { return "agent status " + sr.ID })
			if err != nil {
				return nil, err
			}
			r = sd.Type == api.AgentStatusTypeRoutable
			routable[st.StatusID] = r
		}
		ma := metrics.Agent{ID: se.id, StatusID: st.StatusID, RoutingProfile: ia.routingProfile, Capacity: ia.routing.Capacity,
			Serves: ia.routing.Queues, AgentQueue: ia.agentQueue, Missed: st.MissedContactID != "", Status: metrics.StatusCustom}
		if r {
			ma.Status = metrics.StatusRoutable
		}
		c := class{ma.RoutingProfile, ma.StatusID, ma.Missed}
		if ma.Class = classes[c]; ma.Class == 0 {
			ma.Class = len(classes) + 1
			classes[c] = ma.Class
		}
		out = append(out, ma)
	}
	return out, nil
}

// queueWaitsDoc keeps a queue's most recent answered contacts' times in
// queue (KindQueueWaits, with the queue's id). It is rewritten each time a
// contact of the queue is answered, so it is stored compactly: {"w":
// [[channel, waited ms, answered at in Unix ms], ...]} (appendJSON); the
// objects of {"recent": [...]}, written before 2026-12-05, are read too.
type queueWaitsDoc struct {
	Recent []queueWait
}

// appendJSON is the stored form (encode).
func (d *queueWaitsDoc) appendJSON(b []byte) []byte {
	b = append(b, `{"w":[`...)
	for i, w := range d.Recent {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, string(w.Channel))
		b = append(b, ',')
		b = strconv.AppendInt(b, w.WaitedMs, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, w.At.UnixMilli(), 10)
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

func (d *queueWaitsDoc) MarshalJSON() ([]byte, error) { return d.appendJSON(nil), nil }

func (d *queueWaitsDoc) UnmarshalJSON(b []byte) error {
	var stored struct {
		W      [][]any     `json:"w"`
		Recent []queueWait `json:"recent"`
	}
	if err := json.Unmarshal(b, &stored); err != nil {
		return err
	}
	d.Recent = stored.Recent
	for _, w := range stored.W {
		if len(w) != 3 {
			return fmt.Errorf("queue wait %v: want [channel, waited ms, at ms]", w)
		}
		ch, _ := w[0].(string)
		waited, ok1 := w[1].(float64)
		at, ok2 := w[2].(float64)
		if ch == "" || !ok1 || !ok2 {
			return fmt.Errorf("queue wait %v: want [channel, waited ms, at ms]", w)
		}
		d.Recent = append(d.Recent, queueWait{Channel: engine.Channel(ch), WaitedMs: int64(waited), At: time.UnixMilli(int64(at)).UTC()})
	}
	return nil
}

type queueWait struct {
	Channel  engine.Channel `json:"channel"`
	WaitedMs int64          `json:"waitedMs"`
	At       time.Time      `json:"at"`
}

// recordWait adds an answered contact's time in queue to its queue's
// recent waits.
func (e *engineTx) recordWait(queue string, ch engine.Channel, waited time.Duration, at time.Time) error {
	k := switchboard.Key{Scope: e.sc, Kind: switchboard.KindQueueWaits, Parent: e.instanceID, ID: queue}
	var recent []queueWait
	rec, err := peekCopy(e.tx, k)
	switch {
	case errors.Is(err, switchboard.ErrNotFound):
		rec = nil
	case err != nil:
		return err
	default:
		doc, err := e.s.engineDocs.waits.get(rec.Data, func() string { return "queue waits of " + queue })
		if err != nil {
			return err
		}
		recent = doc.Recent
	}
	keep := min(len(recent), maxRecentWaits-1)
	doc := &queueWaitsDoc{Recent: make([]queueWait, 0, keep+1)} // a new one: the cached one is shared
	doc.Recent = append(append(doc.Recent, recent[len(recent)-keep:]...), queueWait{Channel: ch, WaitedMs: waited.Milliseconds(), At: at})
	data := encode(doc)
	e.s.engineDocs.waits.put(data, doc)
	if rec == nil {
		return e.tx.Insert(&switchboard.Record{Scope: e.sc, Kind: switchboard.KindQueueWaits, Parent: e.instanceID, ID: queue, Data: data, Created: at, Modified: at})
	}
	rec.Data, rec.Modified = data, at
	return e.tx.Replace(rec)
}
