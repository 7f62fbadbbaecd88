package service

import (
	"context"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// checkScheduledTime is the documented rule for a task's ScheduledTime: not
// in the past, and "within up to 6 days in future".
func checkScheduledTime(at, now time.Time) error {
	if at.Before(now) {
		return invalidParameter("ScheduledTime: %s is in the past", at.UTC().Format(time.RFC3339))
	}
	if at.After(now.Add(maxScheduleAhead)) {
		return invalidParameter("ScheduledTime: %s is more than 6 days ahead", at.UTC().Format(time.RFC3339))
	}
	return nil
}

// UpdateContactSchedule moves a scheduled task that has not started yet:
// one started without a ScheduledTime, or whose time has come, or that has
// ended, is an InvalidRequestException (the request is well formed; the
// contact cannot take it).
func (s *Service) updateContactSchedule(ctx context.Context, in *api.UpdateContactScheduleRequest) (*empty, error) {
	sc, now := scope(ctx), s.clock()
	if err := checkScheduledTime(in.ScheduledTime.Time, now); err != nil {
		return nil, err
	}
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		if doc.State != engine.StateScheduled || doc.ScheduledTimestamp == nil || !now.Before(*doc.ScheduledTimestamp) {
			return invalidRequest("ContactId: contact %s is not a scheduled task waiting for its ScheduledTime", rec.ID)
		}
		at := in.ScheduledTime.Time.UTC().Truncate(time.Millisecond)
		doc.ScheduledTimestamp = &at
		return putContact(tx, rec, doc, now)
	})
}
