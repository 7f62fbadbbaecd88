package metrics

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Intervals follow the clock of the request's time zone and are clipped
// to its range; a week starts on Monday.
func TestIntervalsFollowTheTimeZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database")
	}
	q := &HQuery{Start: at("2030-01-01T09:07:00Z"), End: at("2030-01-20T00:00:00Z"), Location: ny}
	for _, c := range []struct {
		period, t, start, end string
	}{
		{FifteenMin, "2030-01-01T09:10:00Z", "2030-01-01T09:07:00Z", "2030-01-01T09:15:00Z"}, // clipped to StartTime
		{FifteenMin, "2030-01-01T09:44:59Z", "2030-01-01T09:30:00Z", "2030-01-01T09:45:00Z"},
		{Hour, "2030-01-02T10:30:00Z", "2030-01-02T10:00:00Z", "2030-01-02T11:00:00Z"},
		{Day, "2030-01-02T03:00:00Z", "2030-01-01T09:07:00Z", "2030-01-02T05:00:00Z"}, // 22:00 on the 1st in New York
		{Day, "2030-01-02T06:00:00Z", "2030-01-02T05:00:00Z", "2030-01-03T05:00:00Z"},
		{Week, "2030-01-09T12:00:00Z", "2030-01-07T05:00:00Z", "2030-01-14T05:00:00Z"}, // Monday the 7th
		{Total, "2030-01-09T12:00:00Z", "2030-01-01T09:07:00Z", "2030-01-20T00:00:00Z"},
	} {
		q.Period = c.period
		s, e := q.intervalOf(at(c.t))
		if !s.Equal(at(c.start)) || !e.Equal(at(c.end)) {
			t.Errorf("%s of %s: [%s, %s), want [%s, %s)", c.period, c.t, s.Format(time.RFC3339), e.Format(time.RFC3339), c.start, c.end)
		}
	}
}

// A record without a value for a grouped dimension is in no group; LT and
// LTE thresholds differ at the threshold itself.
func TestGroupsAndThresholds(t *testing.T) {
	enq, conn := at("2030-01-01T09:00:00Z").UnixMilli(), at("2030-01-01T09:00:20Z").UnixMilli()
	d := NewDict()
	recs := []Record{
		{ID: "a", Queue: d.ID("q"), Channel: d.ID("TASK"), Agent: d.ID("ann"), Initiated: enq, Enqueued: enq, ConnectedToAgent: conn},
		{ID: "b", Queue: d.ID("q"), Channel: d.ID("TASK"), Initiated: enq},
	}
	twenty := 20.0
	q := &HQuery{Dict: d, Start: at("2030-01-01T00:00:00Z"), End: at("2030-01-02T00:00:00Z"), Groupings: []string{DimAgent},
		Metrics: []HMetric{{Name: "CONTACTS_QUEUED"}, {Name: "SUM_CONTACTS_ANSWERED_IN_X", Threshold: &twenty}, {Name: "SUM_CONTACTS_ANSWERED_IN_X", Threshold: &twenty, Inclusive: true}}}
	res, err := Historical(recs, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Dims[DimAgent] != "ann" || *res[0].Values[0] != 1 || *res[0].Values[1] != 0 || *res[0].Values[2] != 1 {
		t.Fatalf("results %+v", res)
	}
	if _, err := Historical(recs, &HQuery{Metrics: []HMetric{{Name: "AGENT_NON_RESPONSE"}}}); err == nil {
		t.Error("an unsupported metric computed")
	}
}
