package service

import (
	"context"
	"fmt"
	"time"

	// Time zones are checked against the IANA database compiled into the
	// binary, so a container without /usr/share/zoneinfo accepts the same
	// zones as a workstation.
	_ "time/tzdata"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Hours of operation: CreateHoursOfOperation, UpdateHoursOfOperation and
// DeleteHoursOfOperation. Describe and List are in resources.go.

const minutesPerDay = 24 * 60

// checkTimeZone accepts IANA zone names such as America/New_York and UTC.
func checkTimeZone(tz string) error {
	// LoadLocation maps "" to UTC and "Local" to the server's zone; neither
	// is a zone name a client could mean.
	if tz == "" || tz == "Local" {
		return invalidParameter("TimeZone %q is not an IANA time zone name such as America/New_York", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return invalidParameter("TimeZone %q is not an IANA time zone name such as America/New_York", tz)
	}
	return nil
}

func clockTime(t *api.HoursOfOperationTimeSlice) (int, string) {
	if t == nil {
		return 0, "00:00"
	}
	h, m := int(deref(t.Hours)), int(deref(t.Minutes))
	return h*60 + m, fmt.Sprintf("%02d:%02d", h, m)
}

// checkHoursConfig applies the rules the model leaves to prose: an EndTime
// of 00:00 means midnight at the end of the day (so 00:00-00:00 is open all
// day, as in Basic Hours); an EndTime before the StartTime is an overnight
// slot that ends the next morning, as Connect allows; a slot cannot end when
// it starts; entries of one day do not overlap. Several entries per day are
// allowed, which is how breaks are expressed.
func checkHoursConfig(cfg []api.HoursOfOperationConfig) error {
	type span struct{ start, end, entry int }
	byDay := map[string][]span{}
	for i, c := range cfg {
		start, startText := clockTime(c.StartTime)
		end, endText := clockTime(c.EndTime)
		if end == 0 {
			end = minutesPerDay
		}
		day := deref(c.Day)
		if end == start {
			return invalidParameter("Config[%d] (%s): EndTime %s must differ from StartTime %s; use 00:00-00:00 for a whole day", i, day, endText, startText)
		}
		if end < start {
			// Overnight: within this day the slot runs to midnight.
			end = minutesPerDay
		}
		for _, o := range byDay[day] {
			if start < o.end && o.start < end {
				return invalidParameter("Config[%d] (%s %s-%s) overlaps Config[%d] of the same day", i, day, startText, endText, o.entry)
			}
		}
		byDay[day] = append(byDay[day], span{start, end, i})
	}
	return nil
}

func (s *Service) createHoursOfOperation(ctx context.Context, in *api.CreateHoursOfOperationRequest) (*api.CreateHoursOfOperationResponse, error) {
	if len(in.ParentHoursOfOperationConfigs) > 0 {
		return nil, invalidRequest("ParentHoursOfOperationConfigs is not supported: Switchboard does not implement child hours of operation yet")
	}
	if err := checkTimeZone(deref(in.TimeZone)); err != nil {
		return nil, err
	}
	if err := checkHoursConfig(in.Config); err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateHoursOfOperationResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindHoursOfOperation, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.HoursPerInstance {
			return quotaExceeded("The maximum number of hours of operation per instance (%d) has been reached", s.quotas.HoursPerInstance)
		}
		doc := hoursDoc{api.HoursOfOperation{Description: in.Description, TimeZone: in.TimeZone, Config: nonNil(in.Config)}}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindHoursOfOperation, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateHoursOfOperationResponse{HoursOfOperationId: ptr(id), HoursOfOperationArn: ptr(resourceARN(sc, switchboard.KindHoursOfOperation, inst.ID, id))}
		return nil
	})
	return out, err
}

// nonNil keeps an empty Config as [] in the stored document, so that
// DescribeHoursOfOperation returns the (empty) list it was given.
func nonNil(cfg []api.HoursOfOperationConfig) []api.HoursOfOperationConfig {
	if cfg == nil {
		return []api.HoursOfOperationConfig{}
	}
	return cfg
}

// updateHoursOfOperation replaces each member that is present; Config, when
// present, replaces the whole weekly schedule.
func (s *Service) updateHoursOfOperation(ctx context.Context, in *api.UpdateHoursOfOperationRequest) (*empty, error) {
	if in.TimeZone != nil {
		if err := checkTimeZone(*in.TimeZone); err != nil {
			return nil, err
		}
	}
	if err := checkHoursConfig(in.Config); err != nil {
		return nil, err
	}
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindHoursOfOperation, *in.HoursOfOperationId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		var doc hoursDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		h := &doc.HoursOfOperation
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			h.Description = in.Description
		}
		if in.TimeZone != nil {
			h.TimeZone = in.TimeZone
		}
		if in.Config != nil {
			h.Config = in.Config
		}
		rec.Data = encode(doc)
		return nil
	})
}

// deleteHoursOfOperation refuses while a queue uses the hours. The refusal
// is a ResourceInUseException although the operation does not declare it:
// the model's own description of that error names DeleteHoursOfOperation as
// the example of a delete refused for a remaining reference.
func (s *Service) deleteHoursOfOperation(ctx context.Context, in *api.DeleteHoursOfOperationRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindHoursOfOperation, *in.HoursOfOperationId, nil)
}
