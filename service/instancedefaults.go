package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/flow"
)

// The defaults an instance has besides those createDefaultResources made
// from the start: the system agent statuses and the default contact flows.
// A new instance gets them at creation; an instance stored by an earlier
// version gets them on its first agent status, user status or flow call
// (ensureDefaults), with the same ids (derived from the instance's ARN), so
// that every replica agrees. A marker record says they were given, so a
// default flow the user deleted is not given again.

// defaultsMarker is the id of the marker record of this set of defaults.
const defaultsMarker = "statuses+flows+prompts"

// defaultFlowNamespace names the UUIDs defaultFlowID derives.
var defaultFlowNamespace = uuid.MustParse("5d1c2f0a-7b3e-4c8d-a6f1-3e9b2c4d7a10")

// defaultFlowID is the id of the default flow of that name in an instance.
func defaultFlowID(sc switchboard.Scope, instanceID, name string) string {
	return uuid.NewSHA1(defaultFlowNamespace, []byte(instanceARN(sc, instanceID)+"/"+name)).String()
}

// insertDefaults stores what an instance lacks of its statuses, default
// flows and default prompts (prompts.go), and the marker.
func insertDefaults(tx switchboard.Tx, sc switchboard.Scope, instanceID string, now time.Time) error {
	for _, st := range systemStatuses {
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindAgentStatus, Parent: instanceID, ID: systemStatusID(sc, instanceID, st.typ),
			Name: st.name, Data: encode(agentStatusDoc{Type: st.typ, State: api.AgentStatusStateEnabled, DisplayOrder: ptr(st.order)}), Created: now, Modified: now}
		if err := insertIfMissing(tx, rec); err != nil {
			return err
		}
	}
	for _, d := range flow.Defaults {
		doc := contactFlowDoc{Type: string(d.Type), Description: ptr(d.Description), State: api.ContactFlowStateActive, Status: api.ContactFlowStatusPublished, Content: d.Content}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindContactFlow, Parent: instanceID, ID: defaultFlowID(sc, instanceID, d.Name),
			Name: d.Name, Data: encode(doc), Created: now, Modified: now}
		if err := insertIfMissing(tx, rec); err != nil {
			return err
		}
	}
	if err := insertDefaultPrompts(tx, sc, instanceID, now); err != nil {
		return err
	}
	return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: instanceID, ID: defaultsMarker, Created: now, Modified: now})
}

// insertIfMissing inserts rec unless a record with its key exists; a
// record of another id holding its name wins (the default is not given).
func insertIfMissing(tx switchboard.Tx, rec *switchboard.Record) error {
	if _, err := tx.Get(rec.Key()); err == nil {
		return nil
	} else if !errors.Is(err, switchboard.ErrNotFound) {
		return err
	}
	if _, err := tx.GetByName(rec.Scope, rec.Kind, rec.Parent, rec.Name); err == nil {
		return nil
	} else if !errors.Is(err, switchboard.ErrNotFound) {
		return err
	}
	return tx.Insert(rec)
}

// defaultsReady remembers the instances known to have their defaults: the
// marker is never deleted but with the instance, whose id is never used
// again, so an entry never goes stale.
type defaultsReady struct{ m sync.Map }

// ensureDefaults gives an instance created before these defaults existed
// its statuses and default flows, once. It answers
// ResourceNotFoundException for an unknown instance, and returns the
// instance's id.
func (s *Service) ensureDefaults(ctx context.Context, instanceIDOrARN string) (string, error) {
	sc := scope(ctx)
	id := instanceIDFrom(instanceIDOrARN)
	key := instanceKey(sc, id)
	if _, ok := s.defaults.m.Load(key); ok {
		return id, nil
	}
	marker := switchboard.Key{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: id, ID: defaultsMarker}
	hasMarker := func(tx switchboard.Tx) error {
		_, err := tx.Get(marker)
		return err
	}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		if _, err := instanceRecord(tx, sc, id); err != nil {
			return err
		}
		return hasMarker(tx)
	})
	if errors.Is(err, switchboard.ErrNotFound) {
		now := s.clock()
		err = s.store.Update(ctx, func(tx switchboard.Tx) error {
			if hasMarker(tx) == nil {
				return nil // another request or replica was first
			}
			return insertDefaults(tx, sc, id, now)
		})
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			// A concurrent request or replica gave them between our read
			// and our inserts.
			err = s.store.View(ctx, hasMarker)
		}
	}
	if err != nil {
		return "", err
	}
	s.defaults.m.Store(key, true)
	return id, nil
}
