package service

// TransferContact: a task (or e-mail) moves to another queue or agent
// through a flow. The contact that is transferred ends (an agent handling
// it does its after contact work) and a new contact of the chain, initiated
// by TRANSFER, runs the flow with the destination as its target queue.
// docs/BEHAVIOUR.md, "Transfers", has the rules and their sources.

import (
	"context"
	"maps"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// maxTransfers: "A contact cannot be transferred more than 11 times"
// (TransferContact).
const maxTransfers = 11

// transferFlowTypes are the flow types TransferContact runs: "Inbound
// flow, Transfer to agent flow, and Transfer to queue flow".
var transferFlowTypes = []string{api.ContactFlowTypeContactFlow, api.ContactFlowTypeAgentTransfer, api.ContactFlowTypeQueueTransfer}

func (s *Service) registerTransfer() {
	handle(s, "TransferContact", s.transferContact)
}

func (s *Service) transferContact(ctx context.Context, in *api.TransferContactRequest) (*api.TransferContactResponse, error) {
	if in.QueueId != nil && in.UserId != nil {
		return nil, invalidRequest("QueueId and UserId cannot both be given: transfer to a queue or to an agent")
	}
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, id := scope(ctx), s.newID()
	var out *api.TransferContactResponse
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, now time.Time) error {
		tx := e.tx
		if prior, _, err := priorContact(tx, sc, instanceID, "TransferContact", in.ClientToken); err != nil || prior != nil {
			if prior != nil {
				out = &api.TransferContactResponse{ContactId: ptr(prior.ID), ContactArn: ptr(contactARN(sc, instanceID, prior.ID))}
			}
			return err
		}
		rec, doc, err := e.contactDoc(*in.ContactId)
		if err != nil {
			return err
		}
		if doc.Channel != engine.ChannelTask && doc.Channel != engine.ChannelEmail {
			return invalidRequest("ContactId: contact %s is a %s contact; only TASK and EMAIL contacts can be transferred", rec.ID, doc.Channel)
		}
		le, err := e.entry(rec.ID)
		if err != nil {
			return err
		}
		if le == nil || le.live.State == engine.StateAfterContactWork || le.live.State == engine.StateScheduled {
			return invalidRequest("ContactId: contact %s is not active (%s); only an active contact can be transferred", rec.ID, doc.State)
		}
		if doc.Transfers >= maxTransfers {
			return &api.ServiceQuotaExceededException{Message: ptr("ContactId: contact " + rec.ID + " has been transferred 11 times, the most a contact can be")}
		}
		flowID, _ := splitFlowID(*in.ContactFlowId)
		frec, fd, err := getFlow(tx, sc, instanceID, flowID)
		if err != nil {
			return err
		}
		if !contains(transferFlowTypes, fd.Type) {
			return invalidRequest("ContactFlowId: flow %s is a %s flow; TransferContact runs CONTACT_FLOW, AGENT_TRANSFER and QUEUE_TRANSFER flows", frec.ID, fd.Type)
		}
		queue := ""
		switch {
		case in.QueueId != nil:
			q, err := getChild(tx, sc, instanceID, switchboard.KindQueue, lastSegment(*in.QueueId))
			if err != nil {
				return err
			}
			queue = q.ID
		case in.UserId != nil:
			u, err := getChild(tx, sc, instanceID, switchboard.KindUser, lastSegment(*in.UserId))
			if err != nil {
				return err
			}
			queue = u.ID // the user's own queue has the user's id (agentqueues.go)
			if ud, err := s.readUserDoc(u); err != nil {
				return err
			} else if ud.AgentQueueID != "" {
				queue = ud.AgentQueueID
			}
		}
		next := newContact(sc, instanceID, id, doc.Channel, now)
		next.Initiation = engine.InitiatedTransfer
		// Copies: the two documents must not share maps (contactcache.go
		// keeps documents across transactions).
		next.Name, next.Description, next.References, next.SegmentAttributes = doc.Name, doc.Description, maps.Clone(doc.References), maps.Clone(doc.SegmentAttributes)
		next.FlowID, next.QueueID, next.Transfers = frec.ID, queue, doc.Transfers+1
		next.PreviousContactID, next.InitialContactID = rec.ID, doc.InitialContactID
		if next.InitialContactID == "" {
			next.InitialContactID = rec.ID
		}
		// The transferred contact ends now (its agent, if any, does its
		// after contact work) and points at the new one.
		if err := e.disconnect(le, now, engine.StopReason(doc.Channel)); err != nil {
			return err
		}
		rec, doc, err = e.contactDoc(rec.ID)
		if err != nil {
			return err
		}
		doc.NextContactIDs = append(doc.NextContactIDs, id)
		e.touch(rec.ID, now)
		if err := e.start(next, "TransferContact", in.ClientToken, now); err != nil {
			return err
		}
		out = &api.TransferContactResponse{ContactId: ptr(id), ContactArn: ptr(contactARN(sc, instanceID, id))}
		return nil
	})
	return out, err
}
