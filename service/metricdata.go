package service

// GetMetricData, the older historical metrics: each of its metrics is one
// of GetMetricDataV2's (package metrics), some with a metric filter, over
// the whole range (no intervals). docs/METRICS.md maps them;
// docs/BEHAVIOUR.md, "Historical metrics (GetMetricData)", has the rules.

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/metrics"
)

// v1Metric is a GetMetricData metric: its unit and statistic (the only
// ones Connect accepts for it) and how it is computed.
type v1Metric struct {
	unit, statistic string
	v2              string
	filterKey       string // a metric filter on the v2 metric ("" none)
	filterValue     string
}

// v1Metrics are the GetMetricData metrics Switchboard computes.
var v1Metrics = map[string]v1Metric{
	"CONTACTS_QUEUED":              {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_QUEUED"},
	"CONTACTS_HANDLED":             {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED"},
	"CONTACTS_ABANDONED":           {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_ABANDONED"},
	"CONTACTS_TRANSFERRED_OUT":     {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_TRANSFERRED_OUT"},
	"CONTACTS_TRANSFERRED_IN":      {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_QUEUED", filterKey: metrics.DimInitiationMethod, filterValue: "TRANSFER"},
	"CONTACTS_HANDLED_INCOMING":    {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED", filterKey: metrics.DimInitiationMethod, filterValue: "INBOUND"},
	"CONTACTS_HANDLED_OUTBOUND":    {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED", filterKey: metrics.DimInitiationMethod, filterValue: "OUTBOUND"},
	"API_CONTACTS_HANDLED":         {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED", filterKey: metrics.DimInitiationMethod, filterValue: "API"},
	"CALLBACK_CONTACTS_HANDLED":    {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED", filterKey: metrics.DimInitiationMethod, filterValue: "CALLBACK"},
	"CONTACTS_AGENT_HUNG_UP_FIRST": {unit: "COUNT", statistic: "SUM", v2: "CONTACTS_HANDLED", filterKey: "DISCONNECT_REASON", filterValue: agentDisconnectReason},
	"HANDLE_TIME":                  {unit: "SECONDS", statistic: "AVG", v2: "AVG_HANDLE_TIME"},
	"AFTER_CONTACT_WORK_TIME":      {unit: "SECONDS", statistic: "AVG", v2: "AVG_AFTER_CONTACT_WORK_TIME"},
	"INTERACTION_TIME":             {unit: "SECONDS", statistic: "AVG", v2: "AVG_INTERACTION_TIME"},
	"QUEUE_ANSWER_TIME":            {unit: "SECONDS", statistic: "AVG", v2: "AVG_QUEUE_ANSWER_TIME"},
	"ABANDON_TIME":                 {unit: "SECONDS", statistic: "AVG", v2: "AVG_ABANDON_TIME"},
	"QUEUED_TIME":                  {unit: "SECONDS", statistic: "MAX", v2: "MAX_QUEUED_TIME"},
	"SERVICE_LEVEL":                {unit: "PERCENT", statistic: "AVG", v2: "SERVICE_LEVEL"},
}

func (s *Service) getMetricData(ctx context.Context, in *api.GetMetricDataRequest) (*api.GetMetricDataResponse, error) {
	sc, now := scope(ctx), s.clock()
	start, end := in.StartTime.Time, in.EndTime.Time
	const five = 5 * time.Minute
	switch {
	case start.Truncate(five) != start || start.Nanosecond() != 0:
		return nil, invalidParameter("StartTime must be a multiple of 5 minutes, such as 10:05 or 10:10")
	case end.Truncate(five) != end || end.Nanosecond() != 0:
		return nil, invalidParameter("EndTime must be a multiple of 5 minutes, such as 11:00 or 11:05")
	case !end.After(start):
		return nil, invalidParameter("EndTime must be later than StartTime")
	case end.Sub(start) > 24*time.Hour:
		return nil, invalidParameter("EndTime: the range between StartTime and EndTime must be less than 24 hours")
	case start.Before(now.Add(-24 * time.Hour)):
		return nil, invalidParameter("StartTime cannot be earlier than 24 hours before the time of the request")
	}
	f := in.Filters
	switch {
	case len(f.RoutingStepExpressions) > 0:
		return nil, invalidParameter("Filters.RoutingStepExpressions is not a valid filter for GetMetricData; use GetMetricDataV2")
	case len(f.AgentStatuses) > 0:
		return nil, invalidParameter("Filters.AgentStatuses is not a valid filter for GetMetricData")
	case len(f.Subtypes) > 0 || len(f.ValidationTestTypes) > 0:
		return nil, invalidParameter("Filters: Subtypes and ValidationTestTypes are not filters Switchboard's contact records have")
	case len(f.Queues) == 0 && len(f.Channels) == 0:
		return nil, invalidParameter("Filters: give the Queues (up to 100) or the Channels to read metrics of")
	}
	q := &metrics.HQuery{Start: start, End: end, Period: metrics.Total, Location: time.UTC, Filters: map[string]map[string]bool{}}
	seen := map[string]bool{}
	for i, g := range in.Groupings {
		dim := map[string]string{api.GroupingQueue: metrics.DimQueue, api.GroupingChannel: metrics.DimChannel, api.GroupingRoutingProfile: metrics.DimRoutingProfile}[g]
		if dim == "" {
			return nil, invalidParameter("Groupings[%d]: %s is not a grouping of GetMetricData (QUEUE, CHANNEL, ROUTING_PROFILE)", i, g)
		}
		if seen[dim] {
			return nil, invalidParameter("Groupings[%d]: %s is given twice", i, g)
		}
		seen[dim] = true
		q.Groupings = append(q.Groupings, dim)
	}
	for i, m := range in.HistoricalMetrics {
		name := deref(m.Name)
		def, ok := v1Metrics[name]
		if !ok {
			return nil, invalidParameter("HistoricalMetrics[%d].Name: Switchboard does not compute %s from its contact records (it computes %s)", i, name, strings.Join(slices.Sorted(maps.Keys(v1Metrics)), ", "))
		}
		if deref(m.Unit) != def.unit || deref(m.Statistic) != def.statistic {
			return nil, invalidParameter("HistoricalMetrics[%d]: %s is given with Unit %s and Statistic %s", i, name, def.unit, def.statistic)
		}
		hm := metrics.HMetric{Name: def.v2}
		switch {
		case name == "SERVICE_LEVEL" && m.Threshold == nil:
			return nil, invalidParameter("HistoricalMetrics[%d].Threshold: SERVICE_LEVEL needs a Threshold", i)
		case name != "SERVICE_LEVEL" && m.Threshold != nil:
			return nil, invalidParameter("HistoricalMetrics[%d].Threshold: %s takes no Threshold", i, name)
		case m.Threshold != nil:
			if deref(m.Threshold.Comparison) != "LT" {
				return nil, invalidParameter("HistoricalMetrics[%d].Threshold.Comparison: the comparison is LT", i)
			}
			if v := m.Threshold.ThresholdValue; v == nil || *v < 1 || *v > 604800 || *v != float64(int64(*v)) {
				return nil, invalidParameter("HistoricalMetrics[%d].Threshold.ThresholdValue: a whole number of seconds from 1 to 604800 is required", i)
			}
			hm.Threshold = m.Threshold.ThresholdValue
		}
		if def.filterKey != "" {
			hm.Filters = []metrics.MetricFilter{{Key: def.filterKey, Values: []string{def.filterValue}}}
		}
		q.Metrics = append(q.Metrics, hm)
	}
	if len(q.Metrics) == 0 {
		return nil, invalidParameter("HistoricalMetrics: at least one metric is required")
	}
	offset, limit, err := pageRequest(in.NextToken, in.MaxResults, metricsDefaultResults)
	if err != nil {
		return nil, err
	}
	var results []metrics.HResult
	var instanceID string
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		instanceID = inst.ID
		for _, set := range []struct {
			dim    string
			kind   switchboard.Kind
			member string
			values []string
		}{{metrics.DimQueue, switchboard.KindQueue, "Filters.Queues", f.Queues}, {metrics.DimRoutingProfile, switchboard.KindRoutingProfile, "Filters.RoutingProfiles", f.RoutingProfiles}} {
			ids, err := resolveIDs(tx, sc, inst.ID, set.kind, set.member, set.values)
			if err != nil {
				return err
			}
			if ids != nil {
				q.Filters[set.dim] = ids
			}
		}
		if len(f.Channels) > 0 {
			q.Filters[metrics.DimChannel] = map[string]bool{}
			for _, ch := range f.Channels {
				q.Filters[metrics.DimChannel][ch] = true
			}
		}
		results, err = s.historical(tx, sc, inst.ID, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &api.GetMetricDataResponse{MetricResults: []api.HistoricalMetricResult{}}
	out.NextToken = offsetPage(len(results), offset, limit, func(i int) {
		r := &results[i]
		d := &api.Dimensions{}
		if id := r.Dims[metrics.DimQueue]; id != "" {
			d.Queue = &api.QueueReference{Id: ptr(id), Arn: ptr(resourceARN(sc, switchboard.KindQueue, instanceID, id))}
		}
		if ch := r.Dims[metrics.DimChannel]; ch != "" {
			d.Channel = ptr(ch)
		}
		if id := r.Dims[metrics.DimRoutingProfile]; id != "" {
			d.RoutingProfile = &api.RoutingProfileReference{Id: ptr(id), Arn: ptr(resourceARN(sc, switchboard.KindRoutingProfile, instanceID, id))}
		}
		res := api.HistoricalMetricResult{Dimensions: d, Collections: make([]api.HistoricalMetricData, len(in.HistoricalMetrics))}
		for mi := range in.HistoricalMetrics {
			m := in.HistoricalMetrics[mi]
			res.Collections[mi] = api.HistoricalMetricData{Metric: &m, Value: r.Values[mi]}
		}
		out.MetricResults = append(out.MetricResults, res)
	})
	return out, nil
}
