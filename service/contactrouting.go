package service

import (
	"context"
	"time"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// UpdateContactRoutingData reorders a contact waiting in a queue: a new
// QueuePriority or a QueueTimeAdjustmentSeconds, one of them ("Either
// QueuePriority or QueueTimeAdjustmentInSeconds should be provided within
// the request body, but not both", API reference). A contact that is not
// in a queue is a ResourceConflictException. RoutingCriteria (proficiency
// routing steps) is refused until the router uses proficiencies.
func (s *Service) updateContactRoutingData(ctx context.Context, in *api.UpdateContactRoutingDataRequest) (*empty, error) {
	if in.RoutingCriteria != nil {
		return nil, invalidParameter("RoutingCriteria: Switchboard does not route by proficiency yet; give QueuePriority or QueueTimeAdjustmentSeconds")
	}
	switch {
	case in.QueuePriority != nil && in.QueueTimeAdjustmentSeconds != nil:
		return nil, invalidParameter("QueuePriority and QueueTimeAdjustmentSeconds cannot both be given")
	case in.QueuePriority == nil && in.QueueTimeAdjustmentSeconds == nil:
		return nil, invalidParameter("QueuePriority or QueueTimeAdjustmentSeconds must be given")
	}
	sc := scope(ctx)
	err := s.changeContacts(ctx, sc, instanceIDFrom(*in.InstanceId), func(e *engineTx, now time.Time) error {
		rec, doc, err := getContact(e.tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		if doc.State != engine.StateQueued {
			return &api.ResourceConflictException{Message: ptr("ContactId: contact " + rec.ID + " is not in a queue (" + string(doc.State) + "); only a queued contact's routing data can change")}
		}
		if in.QueuePriority != nil {
			doc.QueuePriority = *in.QueuePriority
		} else {
			doc.QueueTimeAdjustmentSeconds = *in.QueueTimeAdjustmentSeconds
		}
		if le, err := e.entry(rec.ID); err != nil {
			return err
		} else if le != nil {
			le.live.Priority, le.live.AdjustSeconds = doc.QueuePriority, doc.QueueTimeAdjustmentSeconds
			if err := e.save(le, now); err != nil {
				return err
			}
		}
		return putContact(e.tx, rec, doc, now)
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
