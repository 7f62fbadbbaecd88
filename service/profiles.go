package service

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The write side of the resources users point at. Each resource has its own
// file (securityprofiles.go, hours.go, queues.go, routingprofiles.go); the
// readers Connect had from the start are in resources.go. What they share —
// inserting and replacing named records, and refusing to delete what is
// still referred to — is here.

// registerProfiles registers the write operations of security profiles,
// routing profiles, queues and hours of operation.
func (s *Service) registerProfiles() {
	handle(s, "CreateSecurityProfile", s.createSecurityProfile)
	handle(s, "UpdateSecurityProfile", s.updateSecurityProfile)
	handle(s, "DeleteSecurityProfile", s.deleteSecurityProfile)
	handle(s, "SearchSecurityProfiles", s.searchSecurityProfiles)
	handle(s, "SearchQueues", s.searchQueues)
	handle(s, "SearchRoutingProfiles", s.searchRoutingProfiles)
	handle(s, "SearchHoursOfOperations", s.searchHoursOfOperations)
	handle(s, "SearchUserHierarchyGroups", s.searchUserHierarchyGroups)

	handle(s, "CreateHoursOfOperation", s.createHoursOfOperation)
	handle(s, "UpdateHoursOfOperation", s.updateHoursOfOperation)
	handle(s, "DeleteHoursOfOperation", s.deleteHoursOfOperation)

	handle(s, "CreateQueue", s.createQueue)
	handle(s, "UpdateQueueName", s.updateQueueName)
	handle(s, "UpdateQueueStatus", s.updateQueueStatus)
	handle(s, "UpdateQueueHoursOfOperation", s.updateQueueHoursOfOperation)
	handle(s, "UpdateQueueMaxContacts", s.updateQueueMaxContacts)
	handle(s, "UpdateQueueOutboundCallerConfig", s.updateQueueOutboundCallerConfig)
	handle(s, "UpdateQueueOutboundEmailConfig", s.updateQueueOutboundEmailConfig)
	handle(s, "AssociateQueueQuickConnects", s.associateQueueQuickConnects)
	handle(s, "DisassociateQueueQuickConnects", s.disassociateQueueQuickConnects)
	handle(s, "ListQueueQuickConnects", s.listQueueQuickConnects)
	handle(s, "DeleteQueue", s.deleteQueue)

	handle(s, "CreateRoutingProfile", s.createRoutingProfile)
	handle(s, "UpdateRoutingProfileName", s.updateRoutingProfileName)
	handle(s, "UpdateRoutingProfileConcurrency", s.updateRoutingProfileConcurrency)
	handle(s, "UpdateRoutingProfileDefaultOutboundQueue", s.updateRoutingProfileDefaultOutboundQueue)
	handle(s, "UpdateRoutingProfileAgentAvailabilityTimer", s.updateRoutingProfileAgentAvailabilityTimer)
	handle(s, "UpdateRoutingProfileQueues", s.updateRoutingProfileQueues)
	handle(s, "AssociateRoutingProfileQueues", s.associateRoutingProfileQueues)
	handle(s, "DisassociateRoutingProfileQueues", s.disassociateRoutingProfileQueues)
	handle(s, "ListRoutingProfileQueues", s.listRoutingProfileQueues)
	handle(s, "DeleteRoutingProfile", s.deleteRoutingProfile)
}

func lowerLabel(k switchboard.Kind) string { return strings.ToLower(kindLabel(k)) }

// insertNamed inserts a new named record of an instance, answering
// DuplicateResourceException when the name is taken and
// ResourceNotFoundException when a reference is missing.
func insertNamed(tx switchboard.Tx, rec *switchboard.Record) error {
	err := tx.Insert(rec)
	if errors.Is(err, switchboard.ErrAlreadyExists) {
		return duplicate("A %s named %s already exists in instance %s", lowerLabel(rec.Kind), rec.Name, rec.Parent)
	}
	return storeErr(err, kindLabel(rec.Kind))
}

// updateChild loads a record of an instance, lets change rewrite it (Data,
// Name, Refs), and stores it with a fresh LastModifiedTime. A new name that
// is taken is a DuplicateResourceException, a reference to a record that
// does not exist a ResourceNotFoundException.
func (s *Service) updateChild(ctx context.Context, instanceID string, kind switchboard.Kind, id string, change func(tx switchboard.Tx, rec *switchboard.Record) error) (*empty, error) {
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, instanceID, kind, id)
		if err != nil {
			return err
		}
		if err := change(tx, rec); err != nil {
			return err
		}
		rec.Modified = now
		err = tx.Replace(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("A %s named %s already exists in instance %s", lowerLabel(kind), rec.Name, rec.Parent)
		}
		return storeErr(err, kindLabel(kind))
	})
}

// deleteChild deletes a record of an instance after check (nil: none)
// accepts it. A record that others still refer to is refused with
// ResourceInUseException naming one of them.
func (s *Service) deleteChild(ctx context.Context, instanceID string, kind switchboard.Kind, id string, check func(rec *switchboard.Record) error) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, instanceID, kind, id)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(rec); err != nil {
				return err
			}
		}
		err = tx.Delete(rec.Key())
		var used *switchboard.InUseError
		if errors.As(err, &used) {
			return heldBy(rec, used.By)
		}
		return storeErr(err, kindLabel(kind))
	})
}

// heldBy answers a delete refused because the record by still refers to
// rec. ResourceType and ResourceId describe the holder, the resource the
// caller has to change first: the model's ResourceType enum has no value for
// security profiles, routing profiles, queues or hours of operation, so it
// cannot describe rec itself. ResourceType is USER for a user and left out
// for holders the enum has no value for either (a routing profile holding a
// queue, a queue holding hours of operation).
func heldBy(rec *switchboard.Record, by switchboard.Ref) error {
	e := &api.ResourceInUseException{
		Message: ptr(kindLabel(rec.Kind) + " " + rec.ID + " cannot be deleted while " + lowerLabel(by.Kind) + " " + by.ID +
			" refers to it; remove that reference first"),
		ResourceId: ptr(resourceARN(rec.Scope, by.Kind, rec.Parent, by.ID)),
	}
	if by.Kind == switchboard.KindUser {
		e.ResourceType = ptr(api.ResourceTypeUser)
	}
	return e
}

// refSet collects refs without duplicates, in first-seen order.
type refSet struct {
	seen map[switchboard.Ref]bool
	refs []switchboard.Ref
}

func (r *refSet) add(kind switchboard.Kind, id string) {
	if id == "" {
		return
	}
	ref := switchboard.Ref{Kind: kind, ID: id}
	if r.seen == nil {
		r.seen = map[switchboard.Ref]bool{}
	}
	if !r.seen[ref] {
		r.seen[ref] = true
		r.refs = append(r.refs, ref)
	}
}
