package service

// What Switchboard's test API (/_switchboard/, docs/TESTING.md) does to
// running contacts: what an agent does in the Contact Control Panel and a
// customer on the line, which no Connect operation does, and the answers
// stub Lambda functions give flows.

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// AgentAction is something an agent or a customer does to a contact.
type AgentAction string

// The actions of the test API.
const (
	// ActionAccept: the agent accepts the contact offered to it.
	ActionAccept AgentAction = "accept"
	// ActionReject: the agent rejects it; it goes back to its queue.
	ActionReject AgentAction = "reject"
	// ActionHangUp: the agent ends the conversation (after contact work
	// follows).
	ActionHangUp AgentAction = "hang-up"
	// ActionCustomerHangUp: the customer leaves, wherever the contact is.
	ActionCustomerHangUp AgentAction = "customer-hang-up"
	// ActionClear: the agent finishes after contact work.
	ActionClear AgentAction = "clear"
)

// ActOnContact does an agent's (or, for ActionCustomerHangUp, the
// customer's) action on a contact of the instance, then routes. userID is
// the agent, required for every action but the customer's.
func (s *Service) ActOnContact(ctx context.Context, instanceID, userID, contactID string, action AgentAction) error {
	sc := scope(ctx)
	return s.changeContacts(ctx, sc, instanceIDFrom(instanceID), func(e *engineTx, now time.Time) error {
		if _, err := instanceRecord(e.tx, sc, instanceID); err != nil {
			return err
		}
		rec, _, err := getContact(e.tx, sc, instanceID, contactID)
		if err != nil {
			return err
		}
		le, err := e.entry(rec.ID)
		if err != nil {
			return err
		}
		if le == nil {
			return invalidRequest("Contact %s has ended", rec.ID)
		}
		if action == ActionCustomerHangUp {
			if le.live.State == engine.StateAfterContactWork {
				return invalidRequest("Contact %s is in after contact work: the customer has already left", rec.ID)
			}
			return e.disconnect(le, now, customerDisconnectReason)
		}
		if userID == "" {
			return invalidParameter("UserId is required for %s", action)
		}
		if _, err := getChild(e.tx, sc, instanceID, switchboard.KindUser, userID); err != nil {
			return err
		}
		if le.live.Agent != userID || !le.live.Holds() {
			return invalidRequest("Contact %s is not offered to or handled by user %s", rec.ID, userID)
		}
		want := map[AgentAction]engine.State{ActionAccept: engine.StateConnecting, ActionReject: engine.StateConnecting,
			ActionHangUp: engine.StateConnected, ActionClear: engine.StateAfterContactWork}
		st, ok := want[action]
		if !ok {
			return invalidParameter("Action %q is not one of accept, reject, hang-up, customer-hang-up, clear", action)
		}
		if le.live.State != st {
			return &api.ResourceConflictException{Message: ptr("Contact " + rec.ID + " is " + string(le.live.State) + "; " + string(action) + " needs it " + string(st))}
		}
		switch action {
		case ActionAccept:
			return e.move(le, engine.StateConnected, now, nil)
		case ActionReject:
			return e.requeue(le, now, "REJECTED")
		case ActionHangUp:
			return e.disconnect(le, now, agentDisconnectReason)
		}
		return e.move(le, engine.StateEnded, now, nil)
	})
}

// SetLambdaStub sets the answer flows of the caller's account get from a
// Lambda function: response, or the error branch when errMessage is not
// empty. A nil response and empty errMessage removes the stub.
func (s *Service) SetLambdaStub(ctx context.Context, functionARN string, response map[string]string, errMessage string) error {
	sc, now := scope(ctx), s.clock()
	return s.store.Update(ctx, func(tx switchboard.Tx) error {
		k := lambdaStubKey(sc, functionARN)
		rec, err := tx.Get(k)
		switch {
		case errors.Is(err, switchboard.ErrNotFound):
			if response == nil && errMessage == "" {
				return nil
			}
			return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindLambdaStub, ID: functionARN,
				Data: encode(lambdaStubDoc{Response: response, Error: errMessage}), Created: now, Modified: now})
		case err != nil:
			return err
		case response == nil && errMessage == "":
			return tx.Delete(k)
		}
		rec.Data, rec.Modified = encode(lambdaStubDoc{Response: response, Error: errMessage}), now
		return tx.Replace(rec)
	})
}
