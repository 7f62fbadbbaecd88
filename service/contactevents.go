package service

// Contact events: every transition of a contact (engine.Transitions) emits
// one event, stored in the order it happened (KindContactEvent, one record
// per event, ordered by the store's Seq within the instance) and read
// through the test API (POST /_switchboard/contact-events, docs/TESTING.md).

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// eventNamespace makes event ids stable: the SHA-1 UUID of the contact's
// ARN and the event's number.
var eventNamespace = uuid.MustParse("6f1c2a8e-4b0d-5c3e-9a7f-2d8e1b6c4a90")

// transition moves a contact through the transition table and records the
// event the move emits. reason is the RETURNED event's routing reason.
func (e *engineTx) transition(doc *contactDoc, to engine.State, at time.Time, reason string) error {
	agent := doc.AgentID
	ev, err := doc.Transition(to, at)
	if err != nil {
		return err
	}
	return e.emit(doc, ev, at, agent, reason)
}

// emit stores one event about the contact at time at; agent is the agent
// it concerns ("" for none).
func (e *engineTx) emit(doc *contactDoc, t engine.EventType, at time.Time, agent, reason string) error {
	doc.Events++
	contactArn := contactARN(e.sc, e.instanceID, doc.ID)
	d := engine.ContactDetail(&doc.Contact, t)
	d.InstanceARN = instanceARN(e.sc, e.instanceID)
	d.RoutingReason = reason
	if doc.QueueID != "" && doc.EnqueueTimestamp != nil {
		qt, err := e.queueType(doc.QueueID)
		if err != nil {
			return err
		}
		d.QueueInfo = &engine.EventQueueInfo{QueueARN: resourceARN(e.sc, switchboard.KindQueue, e.instanceID, doc.QueueID),
			QueueType: qt, EnqueueTimestamp: engine.EventTime(*doc.EnqueueTimestamp)}
	}
	if agent != "" {
		d.AgentInfo = &engine.EventAgentInfo{AgentARN: resourceARN(e.sc, switchboard.KindUser, e.instanceID, agent)}
		if t := doc.ConnectedToAgentTimestamp; t != nil {
			d.AgentInfo.ConnectedToAgentTimestamp = engine.EventTime(*t)
		}
		if t := doc.AfterContactWorkStartTimestamp; t != nil {
			d.AgentInfo.AfterContactWorkStartTimestamp = engine.EventTime(*t)
		}
		if t := doc.AfterContactWorkEndTimestamp; t != nil {
			d.AgentInfo.AfterContactWorkEndTimestamp = engine.EventTime(*t)
		}
	}
	ev := engine.Event{Version: "0", ID: uuid.NewSHA1(eventNamespace, fmt.Appendf(nil, "%s/%d", contactArn, doc.Events)).String(),
		DetailType: t.DetailType(), Source: "aws.connect", Account: e.sc.Account, Time: engine.EventTime(at), Region: e.sc.Region,
		Resources: []string{contactArn, d.InstanceARN}, Detail: d}
	return e.tx.Insert(&switchboard.Record{Scope: e.sc, Kind: switchboard.KindContactEvent, Parent: e.instanceID,
		ID: fmt.Sprintf("%s/%04d", doc.ID, doc.Events), Data: encode(ev), Created: at, Modified: at})
}

// queueType is STANDARD or AGENT, read once per transaction.
func (e *engineTx) queueType(id string) (string, error) {
	if e.queueTypes == nil {
		e.queueTypes = map[string]string{}
	}
	if t, ok := e.queueTypes[id]; ok {
		return t, nil
	}
	rec, err := getChild(e.tx, e.sc, e.instanceID, switchboard.KindQueue, id)
	if isNotFound(err) {
		return "", nil // deleted since: the event still names it
	}
	if err != nil {
		return "", err
	}
	var q queueDoc
	if err := decode(rec, &q); err != nil {
		return "", err
	}
	e.queueTypes[id] = q.QueueType
	return q.QueueType, nil
}

// ContactEvents is a page of an instance's contact events, oldest first.
type ContactEvents struct {
	Events    []engine.Event
	NextToken *string
}

// ListContactEvents returns the instance's contact events (of one contact
// when contactID is not ""), in the order they happened.
func (s *Service) ListContactEvents(ctx context.Context, instanceID, contactID string, token *string, max *int32) (*ContactEvents, error) {
	sc := scope(ctx)
	out := &ContactEvents{Events: []engine.Event{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, instanceID)
		if err != nil {
			return err
		}
		if contactID != "" {
			if _, _, err := getContact(tx, sc, inst.ID, contactID); err != nil {
				return err
			}
		}
		prefix := contactID + "/"
		recs, next, err := page(tx, sc, switchboard.KindContactEvent, inst.ID, token, max, 100, func(r *switchboard.Record) bool {
			return contactID == "" || len(r.ID) > len(prefix) && r.ID[:len(prefix)] == prefix
		})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var ev engine.Event
			if err := decode(r, &ev); err != nil {
				return err
			}
			out.Events = append(out.Events, ev)
		}
		out.NextToken = next
		return nil
	})
	return out, err
}
