package service

import (
	"context"
	"errors"
	"sort"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Queues: CreateQueue, UpdateQueueName, UpdateQueueStatus,
// UpdateQueueHoursOfOperation, UpdateQueueMaxContacts,
// UpdateQueueOutboundCallerConfig, UpdateQueueOutboundEmailConfig,
// Associate/DisassociateQueueQuickConnects, ListQueueQuickConnects and
// DeleteQueue.
// Describe and List are in resources.go. These operations manage STANDARD
// queues; the AGENT queue of each user is created and deleted with the user
// and refused here.

// queueStored is the whole stored document: what the readers decode
// (queueDoc) plus members no implemented operation returns yet.
type queueStored struct {
	queueDoc
	QuickConnectIDs []string                 `json:"quickConnectIds,omitempty"`
	EmailAddresses  []api.EmailAddressConfig `json:"emailAddresses,omitempty"`
	// OutboundFlowHeld says OutboundCallerConfig.OutboundFlowId was checked
	// when written and is held by a ref; false for queues stored before
	// contact flows existed, whose flow id may name nothing.
	OutboundFlowHeld bool `json:"outboundFlowHeld,omitempty"`
}

func (d *queueStored) refs() []switchboard.Ref {
	var r refSet
	r.add(switchboard.KindHoursOfOperation, deref(d.HoursOfOperationId))
	if c := d.OutboundCallerConfig; d.OutboundFlowHeld && c != nil && c.OutboundFlowId != nil {
		id, _ := splitFlowID(*c.OutboundFlowId)
		r.add(switchboard.KindContactFlow, id)
	}
	return r.refs
}

// checkOutboundFlow checks the outbound whisper flow a queue's
// OutboundCallerConfig names (none: nothing to check).
func checkOutboundFlow(tx switchboard.Tx, sc switchboard.Scope, instanceID string, c *api.OutboundCallerConfig, member string) error {
	if c == nil || c.OutboundFlowId == nil {
		return nil
	}
	return checkFlowRef(tx, sc, instanceID, *c.OutboundFlowId, member+".OutboundFlowId", api.ContactFlowTypeOutboundWhisper)
}

// getHours answers ResourceNotFoundException naming member when the hours of
// operation do not exist in the instance.
func getHours(tx switchboard.Tx, sc switchboard.Scope, instanceID, id, member string) error {
	_, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindHoursOfOperation, Parent: instanceID, ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return notFound("%s: hours of operation %s not found in instance %s", member, id, instanceID)
	}
	return err
}

// standardQueue loads a queue that member of the request names and that a
// routing profile may use: it must exist (ResourceNotFoundException) and be
// a STANDARD queue (InvalidParameterException: AGENT queues deliver to their
// own user and cannot be routed to).
func standardQueue(tx switchboard.Tx, sc switchboard.Scope, instanceID, id, member string) (*switchboard.Record, error) {
	rec, err := getQueue(tx, sc, instanceID, id)
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, notFound("%s: queue %s not found in instance %s", member, id, instanceID)
	}
	if err != nil {
		return nil, err
	}
	var doc queueDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	if doc.QueueType != api.QueueTypeStandard {
		return nil, invalidParameter("%s: queue %s is an %s queue; only STANDARD queues can be used in a routing profile", member, id, doc.QueueType)
	}
	return rec, nil
}

// countStandardQueues counts the queues the per-instance quota applies to:
// AGENT queues come with users and count against the users quota. Where
// they are implied (agentqueues.go) every queue record is STANDARD.
// Elsewhere every user has exactly one stored AGENT queue, created and
// deleted in the same transaction as the user, so the STANDARD queues are
// the queues less the users: two counts, which stores keep cheap, instead
// of decoding every queue of an instance that may have a million users.
func (s *Service) countStandardQueues(tx switchboard.Tx, inst *switchboard.Record) (int, error) {
	sc, instanceID := inst.Scope, inst.ID
	queues, err := tx.Count(sc, switchboard.KindQueue, instanceID)
	if err != nil {
		return 0, err
	}
	idoc, err := s.instanceDoc(inst)
	if err != nil {
		return 0, err
	}
	if idoc.AgentQueuesImplied {
		return queues, nil
	}
	users, err := tx.Count(sc, switchboard.KindUser, instanceID)
	if err != nil {
		return 0, err
	}
	return queues - users, nil
}

func (s *Service) createQueue(ctx context.Context, in *api.CreateQueueRequest) (*api.CreateQueueResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateQueueResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := getHours(tx, sc, inst.ID, *in.HoursOfOperationId, "HoursOfOperationId"); err != nil {
			return err
		}
		n, err := s.countStandardQueues(tx, inst)
		if err != nil {
			return err
		}
		if n >= s.quotas.QueuesPerInstance {
			return limitExceeded("The maximum number of queues per instance (%d) has been reached", s.quotas.QueuesPerInstance)
		}
		quickConnects := dedupe(in.QuickConnectIds)
		if err := checkQuickConnects(tx, sc, inst.ID, quickConnects); err != nil {
			return err
		}
		if err := checkOutboundFlow(tx, sc, inst.ID, in.OutboundCallerConfig, "OutboundCallerConfig"); err != nil {
			return err
		}
		doc := queueStored{
			queueDoc: queueDoc{
				Queue: api.Queue{
					Description: in.Description, HoursOfOperationId: in.HoursOfOperationId, MaxContacts: in.MaxContacts,
					OutboundCallerConfig: in.OutboundCallerConfig, OutboundEmailConfig: in.OutboundEmailConfig,
					Status: ptr(api.QueueStatusEnabled),
				},
				QueueType: api.QueueTypeStandard,
			},
			QuickConnectIDs: quickConnects,
			// Switchboard has no e-mail addresses yet, so these ids are kept
			// as given rather than checked.
			EmailAddresses:   in.EmailAddressesConfig,
			OutboundFlowHeld: true,
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Refs: doc.refs(), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateQueueResponse{QueueId: ptr(id), QueueArn: ptr(resourceARN(sc, switchboard.KindQueue, inst.ID, id))}
		return nil
	})
	return out, err
}

// updateStandardQueue loads a queue, refuses AGENT queues with
// InvalidRequestException (they belong to their user: the request is valid
// but cannot apply to that queue), lets change modify it and stores it.
func (s *Service) updateStandardQueue(ctx context.Context, op, instanceID, queueID string, change func(tx switchboard.Tx, rec *switchboard.Record, doc *queueStored) error) (*empty, error) {
	return s.updateChild(ctx, instanceID, switchboard.KindQueue, queueID, func(tx switchboard.Tx, rec *switchboard.Record) error {
		var doc queueStored
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if doc.QueueType != api.QueueTypeStandard {
			return agentQueueRefused(op, queueID)
		}
		if err := change(tx, rec, &doc); err != nil {
			return err
		}
		rec.Data, rec.Refs = encode(doc), doc.refs()
		return nil
	})
}

func agentQueueRefused(op, queueID string) error {
	return invalidRequest("QueueId %s is an AGENT queue: agent queues are created and deleted with their user and cannot be changed with %s", queueID, op)
}

func (s *Service) updateQueueName(ctx context.Context, in *api.UpdateQueueNameRequest) (*empty, error) {
	if in.Name == nil && in.Description == nil {
		return nil, invalidParameter("Name or Description must be provided")
	}
	return s.updateStandardQueue(ctx, "UpdateQueueName", *in.InstanceId, *in.QueueId, func(_ switchboard.Tx, rec *switchboard.Record, doc *queueStored) error {
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		return nil
	})
}

func (s *Service) updateQueueStatus(ctx context.Context, in *api.UpdateQueueStatusRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "UpdateQueueStatus", *in.InstanceId, *in.QueueId, func(_ switchboard.Tx, _ *switchboard.Record, doc *queueStored) error {
		doc.Status = in.Status
		return nil
	})
}

func (s *Service) updateQueueHoursOfOperation(ctx context.Context, in *api.UpdateQueueHoursOfOperationRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "UpdateQueueHoursOfOperation", *in.InstanceId, *in.QueueId, func(tx switchboard.Tx, rec *switchboard.Record, doc *queueStored) error {
		if err := getHours(tx, rec.Scope, rec.Parent, *in.HoursOfOperationId, "HoursOfOperationId"); err != nil {
			return err
		}
		doc.HoursOfOperationId = in.HoursOfOperationId
		return nil
	})
}

// updateQueueMaxContacts sets the limit; a request without MaxContacts
// removes it (the queue is then limited only by the instance).
func (s *Service) updateQueueMaxContacts(ctx context.Context, in *api.UpdateQueueMaxContactsRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "UpdateQueueMaxContacts", *in.InstanceId, *in.QueueId, func(_ switchboard.Tx, _ *switchboard.Record, doc *queueStored) error {
		doc.MaxContacts = in.MaxContacts
		return nil
	})
}

// deleteQueue refuses AGENT queues (they go with their user) and queues a
// routing profile still uses.
func (s *Service) deleteQueue(ctx context.Context, in *api.DeleteQueueRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindQueue, *in.QueueId, func(rec *switchboard.Record) error {
		var doc queueDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if doc.QueueType != api.QueueTypeStandard {
			return agentQueueRefused("DeleteQueue", rec.ID)
		}
		return nil
	})
}

// UpdateQueueOutboundCallerConfig replaces the whole configuration: the
// member is required and is what the queue's outbound calls use; {} clears
// it. OutboundFlowId must name an OUTBOUND_WHISPER flow, which the queue
// then holds; phone numbers are not implemented, so OutboundCallerIdNumberId
// is kept as given.
func (s *Service) updateQueueOutboundCallerConfig(ctx context.Context, in *api.UpdateQueueOutboundCallerConfigRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "UpdateQueueOutboundCallerConfig", *in.InstanceId, *in.QueueId, func(tx switchboard.Tx, rec *switchboard.Record, doc *queueStored) error {
		if err := checkOutboundFlow(tx, rec.Scope, rec.Parent, in.OutboundCallerConfig, "OutboundCallerConfig"); err != nil {
			return err
		}
		doc.OutboundCallerConfig, doc.OutboundFlowHeld = in.OutboundCallerConfig, true
		if *in.OutboundCallerConfig == (api.OutboundCallerConfig{}) {
			doc.OutboundCallerConfig = nil
		}
		return nil
	})
}

// UpdateQueueOutboundEmailConfig sets the outbound e-mail address id. E-mail
// addresses are not implemented, so the id is kept as given (as CreateQueue
// keeps OutboundEmailConfig); {} clears it.
func (s *Service) updateQueueOutboundEmailConfig(ctx context.Context, in *api.UpdateQueueOutboundEmailConfigRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "UpdateQueueOutboundEmailConfig", *in.InstanceId, *in.QueueId, func(_ switchboard.Tx, _ *switchboard.Record, doc *queueStored) error {
		doc.OutboundEmailConfig = in.OutboundEmailConfig
		if in.OutboundEmailConfig.OutboundEmailAddressId == nil {
			doc.OutboundEmailConfig = nil
		}
		return nil
	})
}

// checkQuickConnects answers ResourceNotFoundException naming
// QuickConnectIds for the first id that names no quick connect of the
// instance.
func checkQuickConnects(tx switchboard.Tx, sc switchboard.Scope, instanceID string, ids []string) error {
	for _, id := range ids {
		_, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQuickConnect, Parent: instanceID, ID: id})
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("QuickConnectIds: quick connect %s not found in instance %s", id, instanceID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// A queue keeps the ids of its quick connects in its document, not as
// store references: DeleteQuickConnect declares no ResourceInUseException,
// so a quick connect can be deleted while queues list it, and readers skip
// ids whose quick connect is gone.

// associateQueueQuickConnects adds the quick connects the queue does not
// have yet; each must exist.
func (s *Service) associateQueueQuickConnects(ctx context.Context, in *api.AssociateQueueQuickConnectsRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "AssociateQueueQuickConnects", *in.InstanceId, *in.QueueId, func(tx switchboard.Tx, rec *switchboard.Record, doc *queueStored) error {
		if err := checkQuickConnects(tx, rec.Scope, rec.Parent, in.QuickConnectIds); err != nil {
			return err
		}
		doc.QuickConnectIDs = dedupe(append(doc.QuickConnectIDs, in.QuickConnectIds...))
		return nil
	})
}

// disassociateQueueQuickConnects removes the quick connects named; ids the
// queue does not have are ignored, as DisassociateRoutingProfileQueues
// ignores absent pairs.
func (s *Service) disassociateQueueQuickConnects(ctx context.Context, in *api.DisassociateQueueQuickConnectsRequest) (*empty, error) {
	return s.updateStandardQueue(ctx, "DisassociateQueueQuickConnects", *in.InstanceId, *in.QueueId, func(_ switchboard.Tx, _ *switchboard.Record, doc *queueStored) error {
		drop := map[string]bool{}
		for _, id := range in.QuickConnectIds {
			drop[id] = true
		}
		kept := doc.QuickConnectIDs[:0]
		for _, id := range doc.QuickConnectIDs {
			if !drop[id] {
				kept = append(kept, id)
			}
		}
		doc.QuickConnectIDs = kept
		return nil
	})
}

// listQueueQuickConnects pages the queue's quick connects in the order they
// were created; the token is the Seq of the last one returned, so a page
// walk stays exact while quick connects are associated or removed.
func (s *Service) listQueueQuickConnects(ctx context.Context, in *api.ListQueueQuickConnectsRequest) (*api.ListQueueQuickConnectsResponse, error) {
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(derefOr(in.MaxResults, defaultPageSize))
	var out *api.ListQueueQuickConnectsResponse
	err = s.viewChild(ctx, *in.InstanceId, switchboard.KindQueue, *in.QueueId, func(tx switchboard.Tx, rec *switchboard.Record) error {
		var doc queueStored
		if err := decode(rec, &doc); err != nil {
			return err
		}
		var found []*switchboard.Record
		for _, id := range doc.QuickConnectIDs {
			qc, err := tx.Get(switchboard.Key{Scope: rec.Scope, Kind: switchboard.KindQuickConnect, Parent: rec.Parent, ID: id})
			if errors.Is(err, switchboard.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if qc.Seq > after {
				found = append(found, qc)
			}
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Seq < found[j].Seq })
		sm := summarize(rec)
		out = &api.ListQueueQuickConnectsResponse{QuickConnectSummaryList: []api.QuickConnectSummary{}, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
		if len(found) > limit {
			found = found[:limit]
			out.NextToken = encodeToken(found[limit-1].Seq)
		}
		for _, qc := range found {
			summary, err := quickConnectSummary(qc)
			if err != nil {
				return err
			}
			out.QuickConnectSummaryList = append(out.QuickConnectSummaryList, summary)
		}
		return nil
	})
	return out, err
}
