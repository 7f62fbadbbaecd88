package service

// GetContactMetrics: a queued contact's position in its queue and the
// wait it can expect, read in one snapshot from the engine's queued index
// and the queue's recent waits. docs/BEHAVIOUR.md, "Contact metrics".

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

func (s *Service) getContactMetrics(ctx context.Context, in *api.GetContactMetricsRequest) (*api.GetContactMetricsResponse, error) {
	sc, now := scope(ctx), s.clock()
	seen := map[string]bool{}
	for i, m := range in.Metrics {
		if seen[deref(m.Name)] {
			return nil, invalidParameter("Metrics[%d]: %s is requested twice", i, deref(m.Name))
		}
		seen[deref(m.Name)] = true
	}
	var out *api.GetContactMetricsResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		id := lastSegment(*in.ContactId)
		rec, doc, err := getContact(tx, sc, inst.ID, id)
		if err != nil {
			return err
		}
		e := s.engineTx(tx, sc, inst.ID)
		queued, err := e.queued()
		if err != nil {
			return err
		}
		var me *queuedContact
		for i := range queued {
			if queued[i].id == rec.ID {
				me = &queued[i]
			}
		}
		if me == nil {
			return invalidRequest("Contact %s is not in a queue (it is %s): its metrics exist only while it waits in one", rec.ID, doc.State)
		}
		out = &api.GetContactMetricsResponse{Id: ptr(rec.ID), Arn: ptr(contactARN(sc, inst.ID, rec.ID)), MetricResults: []api.ContactMetricResult{}}
		for _, m := range in.Metrics {
			var v *float64
			switch deref(m.Name) {
			case api.ContactMetricNamePositionInQueue:
				v = ptr(float64(positionInQueue(queued, me)))
			case api.ContactMetricNameEstimatedWaitTime:
				if v, err = e.estimatedWait(me.Queue, me.Channel, now); err != nil {
					return err
				}
			}
			if v != nil {
				out.MetricResults = append(out.MetricResults, api.ContactMetricResult{Name: m.Name, Value: &api.ContactMetricValue{Number: v}})
			}
		}
		return nil
	})
	return out, err
}

// positionInQueue is 1 for the contact routing offers first among those
// waiting in its queue on its channel.
func positionInQueue(queued []queuedContact, me *queuedContact) int {
	w := func(q *queuedContact) *engine.Waiting {
		return &engine.Waiting{ContactID: q.id, Queue: q.Queue, Channel: q.Channel, Priority: q.Priority, Enqueued: q.Enqueued, AdjustSeconds: q.Adjust}
	}
	mine, n := w(me), 1
	for i := range queued {
		q := &queued[i]
		if q.id != me.id && q.Queue == me.Queue && q.Channel == me.Channel && engine.Ahead(w(q), mine) {
			n++
		}
	}
	return n
}

// estimatedWait is the queue and channel's ESTIMATED_WAIT_TIME, as
// GetCurrentMetricData computes it (seconds; nil when no contact was
// answered in the last hour).
func (e *engineTx) estimatedWait(queue string, ch engine.Channel, now time.Time) (*float64, error) {
	rec, err := e.tx.Get(switchboard.Key{Scope: e.sc, Kind: switchboard.KindQueueWaits, Parent: e.instanceID, ID: queue})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	doc, err := e.s.engineDocs.waits.get(rec.Data, func() string { return "queue waits of " + queue })
	if err != nil {
		return nil, err
	}
	var sum time.Duration
	n := 0
	for _, w := range doc.Recent {
		if w.Channel == ch && now.Sub(w.At) <= recentWaitWindow {
			sum += time.Duration(w.WaitedMs) * time.Millisecond
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	return ptr(float64(int64(sum/time.Duration(n))/int64(time.Millisecond)) / 1000), nil
}
