package service

// GetMetricDataV2: historical metrics computed (package metrics) from the
// instance's contact records, as the engine ran them. The records are read
// in one snapshot, so the figures survive restarts and are the same from
// every replica. docs/METRICS.md defines each metric; docs/BEHAVIOUR.md,
// "Historical metrics", has the request rules and their sources.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/metrics"
)

// Historical metrics' request limits.
const (
	// metricsRetention is how far back StartTime may reach.
	metricsRetention = 90 * 24 * time.Hour
	// metricsDefaultResults is the page size without MaxResults.
	metricsDefaultResults = 100
)

// maxSpan is the longest StartTime→EndTime range of each interval period.
var maxSpan = map[string]time.Duration{
	metrics.FifteenMin: 3 * 24 * time.Hour,
	metrics.ThirtyMin:  3 * 24 * time.Hour,
	metrics.Hour:       3 * 24 * time.Hour,
	metrics.Day:        35 * 24 * time.Hour,
	metrics.Week:       35 * 24 * time.Hour,
	metrics.Total:      35 * 24 * time.Hour,
}

// v2Filters are the filter keys Switchboard's records have, and
// v2Groupings the grouping keys.
var v2Filters = map[string]bool{metrics.DimQueue: true, metrics.DimChannel: true, metrics.DimRoutingProfile: true, metrics.DimAgent: true,
	metrics.DimInitiationMethod: true, metrics.DimHierarchy1: true, metrics.DimHierarchy2: true, metrics.DimHierarchy3: true,
	metrics.DimHierarchy4: true, metrics.DimHierarchy5: true}

var v2Groupings = v2Filters

func (s *Service) getMetricDataV2(ctx context.Context, in *api.GetMetricDataV2Request) (*api.GetMetricDataV2Response, error) {
	sc, now := scope(ctx), s.clock()
	key, ok := parseARN(sc, *in.ResourceArn)
	if !ok || key.Kind != switchboard.KindInstance {
		return nil, invalidParameter("ResourceArn: %s is not the ARN of an Amazon Connect instance in this account and Region", *in.ResourceArn)
	}
	q, err := metricQuery(in, now)
	if err != nil {
		return nil, err
	}
	offset, limit, err := pageRequest(in.NextToken, in.MaxResults, metricsDefaultResults)
	if err != nil {
		return nil, err
	}
	var results []metrics.HResult
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, key.ID)
		if err != nil {
			return err
		}
		if err := resolveV2Filters(tx, sc, inst.ID, q); err != nil {
			return err
		}
		// The pages of one query over unchanged records are cut from one
		// computation (metricResultCache).
		cacheKey, err := metricCacheKey(tx, sc, inst.ID, in, now)
		if err != nil {
			return err
		}
		if cacheKey != "" {
			if results = s.metricResults.get(cacheKey); results != nil {
				return nil
			}
			defer func() {
				if results != nil {
					s.metricResults.put(cacheKey, results)
				}
			}()
		}
		results, err = s.historical(tx, sc, inst.ID, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &api.GetMetricDataV2Response{MetricResults: []api.MetricResultV2{}}
	period := q.Period
	out.NextToken = offsetPage(len(results), offset, limit, func(i int) {
		r := &results[i]
		res := api.MetricResultV2{Dimensions: map[string]string{}, Collections: make([]api.MetricDataV2, len(in.Metrics))}
		for k, v := range r.Dims {
			res.Dimensions[k] = v
		}
		if in.Interval != nil {
			res.MetricInterval = &api.MetricInterval{Interval: ptr(period), StartTime: ts(r.Start), EndTime: ts(r.End)}
		}
		for mi := range in.Metrics {
			m := in.Metrics[mi]
			res.Collections[mi] = api.MetricDataV2{Metric: &m, Value: r.Values[mi]}
		}
		out.MetricResults = append(out.MetricResults, res)
	})
	return out, nil
}

// metricQuery checks the request's rules and turns it into a query.
func metricQuery(in *api.GetMetricDataV2Request, now time.Time) (*metrics.HQuery, error) {
	start, end := in.StartTime.Time, in.EndTime.Time
	q := &metrics.HQuery{Start: start, End: end, Period: metrics.Total, Location: time.UTC, Filters: map[string]map[string]bool{}, NotExists: map[string]bool{}}
	if iv := in.Interval; iv != nil {
		if iv.IntervalPeriod != nil {
			q.Period = *iv.IntervalPeriod
		}
		if tz := deref(iv.TimeZone); tz != "" {
			loc, err := time.LoadLocation(tz)
			if err != nil || strings.HasPrefix(tz, "Local") {
				return nil, invalidParameter("Interval.TimeZone: %s is not a time zone of the IANA database", tz)
			}
			q.Location = loc
		}
	}
	switch {
	case !start.Before(end):
		return nil, invalidParameter("StartTime must be before EndTime")
	case end.After(now):
		return nil, invalidParameter("EndTime must not be later than the current time")
	case start.Before(now.Add(-metricsRetention)):
		return nil, invalidParameter("StartTime: metrics are kept for 90 days; StartTime must be after %s", now.Add(-metricsRetention).UTC().Format(time.RFC3339))
	case end.Sub(start) > maxSpan[q.Period]:
		return nil, invalidParameter("EndTime: with IntervalPeriod %s the range may span at most %d days", q.Period, int(maxSpan[q.Period]/(24*time.Hour)))
	}
	for i, f := range in.Filters {
		k := deref(f.FilterKey)
		if !v2Filters[k] {
			return nil, invalidParameter("Filters[%d].FilterKey: %s is not a filter Switchboard's contact records have (%s)", i, k, strings.Join(slices.Sorted(maps.Keys(v2Filters)), ", "))
		}
		switch {
		case f.StringCondition != nil:
			if len(f.FilterValues) > 0 {
				return nil, invalidParameter("Filters[%d]: give FilterValues or a StringCondition, not both", i)
			}
			q.NotExists[k] = true
		case len(f.FilterValues) == 0:
			return nil, invalidParameter("Filters[%d].FilterValues: at least one value is required", i)
		default:
			set := q.Filters[k]
			if set == nil {
				set = map[string]bool{}
				q.Filters[k] = set
			}
			for _, v := range f.FilterValues {
				set[v] = true
			}
		}
	}
	resourceFilter, values := false, 0
	for _, f := range in.Filters {
		k := deref(f.FilterKey)
		resourceFilter = resourceFilter || k == metrics.DimQueue || k == metrics.DimRoutingProfile || k == metrics.DimAgent || strings.HasPrefix(k, "AGENT_HIERARCHY_LEVEL_")
		if k != metrics.DimChannel {
			values += len(f.FilterValues)
		}
	}
	if !resourceFilter {
		return nil, invalidParameter("Filters: at least one filter must be by QUEUE, ROUTING_PROFILE, AGENT or an AGENT_HIERARCHY_LEVEL")
	}
	if values > 100 {
		return nil, invalidParameter("Filters: at most 100 filter values in all (CHANNEL values aside); %d given", values)
	}
	seen := map[string]bool{}
	for i, g := range in.Groupings {
		if !v2Groupings[g] {
			return nil, invalidParameter("Groupings[%d]: %s is not a grouping Switchboard's contact records have (%s)", i, g, strings.Join(slices.Sorted(maps.Keys(v2Groupings)), ", "))
		}
		if seen[g] {
			return nil, invalidParameter("Groupings[%d]: %s is given twice", i, g)
		}
		seen[g] = true
		q.Groupings = append(q.Groupings, g)
	}
	if len(in.Metrics) == 0 {
		return nil, invalidParameter("Metrics: at least one metric is required")
	}
	for i, m := range in.Metrics {
		name := deref(m.Name)
		ok, needsThreshold := metrics.Supported(name)
		if !ok {
			return nil, invalidParameter("Metrics[%d].Name: Switchboard does not compute %s from its contact records (it computes %s)", i, name, strings.Join(metrics.SupportedMetrics(), ", "))
		}
		for g := range seen {
			if !metrics.Accepts(name, g) {
				return nil, invalidParameter("Metrics[%d]: %s cannot be grouped by %s", i, name, g)
			}
		}
		for _, f := range in.Filters {
			if k := deref(f.FilterKey); !metrics.Accepts(name, k) {
				return nil, invalidParameter("Metrics[%d]: %s cannot be filtered by %s", i, name, k)
			}
		}
		hm := metrics.HMetric{Name: name}
		switch {
		case needsThreshold && len(m.Threshold) == 0:
			return nil, invalidParameter("Metrics[%d].Threshold: %s needs a Threshold", i, name)
		case !needsThreshold && len(m.Threshold) > 0:
			return nil, invalidParameter("Metrics[%d].Threshold: %s takes no Threshold", i, name)
		case needsThreshold:
			t := m.Threshold[0]
			c := deref(t.Comparison)
			if c != "LT" && c != "LTE" {
				return nil, invalidParameter("Metrics[%d].Threshold[0].Comparison: %s; the comparison is LT or LTE", i, c)
			}
			if v := t.ThresholdValue; v == nil || *v < 1 || *v > 604800 || *v != float64(int64(*v)) {
				return nil, invalidParameter("Metrics[%d].Threshold[0].ThresholdValue: a whole number of seconds from 1 to 604800 is required", i)
			}
			hm.Threshold, hm.Inclusive = t.ThresholdValue, c == "LTE"
		}
		for j, mf := range m.MetricFilters {
			k := deref(mf.MetricFilterKey)
			if k != metrics.DimInitiationMethod && k != "DISCONNECT_REASON" {
				return nil, invalidParameter("Metrics[%d].MetricFilters[%d].MetricFilterKey: %s; Switchboard filters metrics by INITIATION_METHOD and DISCONNECT_REASON", i, j, k)
			}
			hm.Filters = append(hm.Filters, metrics.MetricFilter{Key: k, Values: mf.MetricFilterValues, Negate: deref(mf.Negate)})
		}
		q.Metrics = append(q.Metrics, hm)
	}
	return q, nil
}

// resolveV2Filters turns the resource filters' ids or ARNs into ids of
// existing resources (ResourceNotFoundException naming one that is not).
func resolveV2Filters(tx switchboard.Tx, sc switchboard.Scope, instanceID string, q *metrics.HQuery) error {
	kinds := map[string]switchboard.Kind{metrics.DimQueue: switchboard.KindQueue, metrics.DimRoutingProfile: switchboard.KindRoutingProfile,
		metrics.DimAgent: switchboard.KindUser}
	for _, d := range metrics.HierarchyDims {
		kinds[d] = switchboard.KindHierarchyGroup
	}
	for dim, values := range q.Filters {
		kind, ok := kinds[dim]
		if !ok {
			continue
		}
		ids := map[string]bool{}
		for v := range values {
			id := lastSegment(v)
			if _, err := getChild(tx, sc, instanceID, kind, id); err != nil {
				if isNotFound(err) {
					return notFound("Filters: %s %s not found in instance %s", dim, id, instanceID)
				}
				return err
			}
			ids[id] = true
		}
		q.Filters[dim] = ids
	}
	if vs := q.Filters[metrics.DimChannel]; vs != nil {
		for v := range vs {
			switch engine.Channel(v) {
			case engine.ChannelVoice, engine.ChannelChat, engine.ChannelTask, "EMAIL":
			default:
				return invalidParameter("Filters: CHANNEL %s is not a channel (VOICE, CHAT, TASK, EMAIL)", v)
			}
		}
	}
	return nil
}

// metricRecord is a contact as the historical metrics see it, its
// dimension values numbered in d.
func metricRecord(d *metrics.Dict, id string, c *contactDoc) metrics.Record {
	ms := func(t *time.Time) int64 {
		if t == nil {
			return 0
		}
		return t.UnixMilli()
	}
	r := metrics.Record{ID: id, Channel: d.ID(string(c.Channel)), Initiation: d.ID(string(c.Initiation)), DisconnectReason: d.ID(c.DisconnectReason),
		Initiated: c.InitiationTimestamp.UnixMilli(), Enqueued: ms(c.EnqueueTimestamp), ConnectedToAgent: ms(c.ConnectedToAgentTimestamp),
		AfterContactStart: ms(c.AfterContactWorkStartTimestamp), AfterContactEnd: ms(c.AfterContactWorkEndTimestamp), Disconnected: ms(c.DisconnectTimestamp)}
	if c.QueueID != "" && c.EnqueueTimestamp != nil {
		r.Queue = d.ID(c.QueueID)
	}
	// The agent of a contact is the one it was connected to (an offer
	// that rang out or was refused leaves none).
	if c.AgentID != "" && c.ConnectedToAgentTimestamp != nil {
		r.Agent = d.ID(c.AgentID)
	}
	return r
}

// transferOf is the contact a transferred contact came from ("" none).
func transferOf(d *contactDoc) string {
	if d.Initiation == engine.InitiatedTransfer || d.Initiation == engine.InitiatedQueueTransfer {
		return d.PreviousContactID
	}
	return ""
}

// metricRecords are the instance's contacts as the metrics see them, as
// of tx's snapshot: from the instance's projection where the store tracks
// changes (contactprojection.go), otherwise read and decoded in full.
func (s *Service) metricRecords(tx switchboard.Tx, sc switchboard.Scope, instanceID string, use func([]metrics.Record, *metrics.Dict) error) error {
	if ct, ok := tx.(changeTracker); ok {
		return s.withContactProjection(ct, tx, sc, instanceID, use)
	}
	recs, err := tx.List(sc, switchboard.KindContact, instanceID, switchboard.ListOptions{})
	if err != nil {
		return err
	}
	out := make([]metrics.Record, len(recs))
	dict := metrics.NewDict()
	index := make(map[string]int, len(recs))
	var from []string
	for i, rec := range recs {
		var d contactDoc
		if err := decode(rec, &d); err != nil {
			return err
		}
		out[i], index[rec.ID] = metricRecord(dict, rec.ID, &d), i
		if p := transferOf(&d); p != "" {
			from = append(from, p)
		}
	}
	for _, p := range from {
		if i, ok := index[p]; ok {
			out[i].TransferredOut = true
		}
	}
	return use(out, dict)
}

// historical computes a query over the instance's contacts as of tx's
// snapshot, with its agents' dimensions as they are now.
func (s *Service) historical(tx switchboard.Tx, sc switchboard.Scope, instanceID string, q *metrics.HQuery) ([]metrics.HResult, error) {
	var err error
	if q.Agents, err = s.metricAgents(tx, sc, instanceID); err != nil {
		return nil, err
	}
	if q.Statuses, err = agentStatuses(tx, sc, instanceID); err != nil {
		return nil, err
	}
	q.Now = s.clock().UnixMilli()
	var results []metrics.HResult
	err = s.metricRecords(tx, sc, instanceID, func(records []metrics.Record, dict *metrics.Dict) error {
		var err error
		q.Dict = dict
		results, err = metrics.Historical(records, q)
		return err
	})
	return results, err
}

// agentStatuses are the instance's agents' status changes, in time order
// (KindAgentActivity, recorded by PutUserStatus and the engine).
func agentStatuses(tx switchboard.Tx, sc switchboard.Scope, instanceID string) (map[string][]metrics.StatusChange, error) {
	recs, err := tx.List(sc, switchboard.KindAgentActivity, instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := map[string][]metrics.StatusChange{}
	for _, rec := range recs {
		var d activityDoc
		if err := decode(rec, &d); err != nil {
			return nil, err
		}
		out[d.User] = append(out[d.User], metrics.StatusChange{At: d.At.UnixMilli(), Type: d.Type})
	}
	for _, cs := range out {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].At < cs[j].At })
	}
	return out, nil
}

// metricAgents are the dimensions of the instance's agents: routing
// profile and hierarchy groups, as they are now (contact records do not
// keep them).
func (s *Service) metricAgents(tx switchboard.Tx, sc switchboard.Scope, instanceID string) (map[string]metrics.AgentDims, error) {
	users, err := tx.List(sc, switchboard.KindUser, instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	paths := map[string][]string{}
	out := make(map[string]metrics.AgentDims, len(users))
	for _, rec := range users {
		u, err := s.engineDocs.users.get(rec.Data, func() string { return "user " + rec.ID })
		if err != nil {
			return nil, err
		}
		a := metrics.AgentDims{RoutingProfile: u.RoutingProfileID}
		if g := u.HierarchyGroupID; g != "" {
			p, ok := paths[g]
			if !ok {
				if grec, err := getChild(tx, sc, instanceID, switchboard.KindHierarchyGroup, g); err == nil {
					var doc hierarchyGroupDoc
					if decode(grec, &doc) == nil {
						p = doc.Path
					}
				}
				paths[g] = p
			}
			a.Hierarchy = p
		}
		out[rec.ID] = a
	}
	return out, nil
}

// metricResultCache keeps the last few GetMetricDataV2 computations, so a
// client paging through a large answer does not have each page computed
// again. An entry's key holds the change counters of the contacts and
// users it was computed from, so a change anywhere makes a new key.
type metricResultCache struct {
	mu    sync.Mutex
	keys  []string
	items map[string][]metrics.HResult
}

// maxCachedMetricResults bounds the cache.
const maxCachedMetricResults = 8

func (c *metricResultCache) get(k string) []metrics.HResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items[k]
}

func (c *metricResultCache) put(k string, v []metrics.HResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = map[string][]metrics.HResult{}
	}
	if _, ok := c.items[k]; ok {
		return
	}
	if len(c.keys) == maxCachedMetricResults {
		delete(c.items, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, k)
	c.items[k] = v
}

// metricCacheKey names a request's computation at tx's snapshot ("" where
// the store does not track changes: nothing is cached).
func metricCacheKey(tx switchboard.Tx, sc switchboard.Scope, instanceID string, in *api.GetMetricDataV2Request, now time.Time) (string, error) {
	ct, ok := tx.(changeTracker)
	if !ok {
		return "", nil
	}
	var b strings.Builder
	for _, kind := range []switchboard.Kind{switchboard.KindContact, switchboard.KindUser, switchboard.KindHierarchyGroup, switchboard.KindAgentActivity} {
		_, chg, dels, err := ct.CollectionState(sc, kind, instanceID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%d.%d/", chg, dels)
	}
	// An agent's current status lasts until now: the agent-time metrics
	// change as time passes, with no write.
	for _, m := range in.Metrics {
		if metrics.AgentTime(deref(m.Name)) {
			fmt.Fprintf(&b, "now=%d/", now.UnixMilli())
			break
		}
	}
	q := *in
	q.NextToken, q.MaxResults = nil, nil
	raw, err := json.Marshal(&q)
	if err != nil {
		return "", err
	}
	return sc.Account + "/" + sc.Region + "/" + instanceID + "/" + b.String() + string(raw), nil
}
