package service

// Inbound calls, which no Connect operation starts: the test API's
// POST /_switchboard/inbound-call (docs/TESTING.md) dials a claimed number,
// whose associated flow runs, or runs a flow of an instance directly.

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// e164 is a phone number in E.164 form.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// endpointsDoc is the customer's and the contact center's addresses of an
// inbound call (outboundDoc holds an outbound call's).
type endpointsDoc struct {
	Customer string `json:"customer"`
	System   string `json:"system,omitempty"`
}

// InboundCall is a call a customer makes.
type InboundCall struct {
	// PhoneNumber is the claimed number dialled (E.164); its instance and
	// its associated flow take the call. Without it, InstanceID and
	// ContactFlowID say where the call goes.
	PhoneNumber   string
	InstanceID    string
	ContactFlowID string
	// CustomerPhoneNumber is the caller's number (E.164).
	CustomerPhoneNumber string
	Attributes          map[string]string
}

// StartInboundCall starts a voice contact as if a customer called, runs
// its flow and routes, and returns the contact's id.
func (s *Service) StartInboundCall(ctx context.Context, in InboundCall) (string, error) {
	if !e164.MatchString(in.CustomerPhoneNumber) {
		return "", invalidParameter("CustomerPhoneNumber: %q is not an E.164 number (+ and up to 15 digits)", in.CustomerPhoneNumber)
	}
	if (in.PhoneNumber == "") == (in.ContactFlowID == "") {
		return "", invalidRequest("Give PhoneNumber (a claimed number whose flow answers) or InstanceId and ContactFlowId, not both")
	}
	if err := checkAttributes("Attributes", in.Attributes); err != nil {
		return "", err
	}
	sc := scope(ctx)
	instanceID, flowID, system := in.InstanceID, in.ContactFlowID, ""
	if in.PhoneNumber != "" {
		err := s.store.View(ctx, func(tx switchboard.Tx) error {
			rec, err := tx.GetByName(sc, switchboard.KindPhoneNumber, "", in.PhoneNumber)
			if errors.Is(err, switchboard.ErrNotFound) {
				return notFound("PhoneNumber: %s is not a number claimed in this account", in.PhoneNumber)
			}
			if err != nil {
				return err
			}
			var pn phoneNumberDoc
			if err := decode(rec, &pn); err != nil {
				return err
			}
			if pn.InstanceID == "" {
				return invalidRequest("PhoneNumber: %s is not claimed to an instance", in.PhoneNumber)
			}
			if in.InstanceID != "" && instanceIDFrom(in.InstanceID) != pn.InstanceID {
				return invalidRequest("PhoneNumber: %s belongs to instance %s, not %s", in.PhoneNumber, pn.InstanceID, instanceIDFrom(in.InstanceID))
			}
			a, err := tx.Get(flowAssociationKey(sc, pn.InstanceID, api.ListFlowAssociationResourceTypeVoicePhoneNumber, phoneNumberARN(sc, rec.ID)))
			if errors.Is(err, switchboard.ErrNotFound) {
				return invalidRequest("PhoneNumber: no flow is associated with %s (AssociatePhoneNumberContactFlow)", in.PhoneNumber)
			}
			if err != nil {
				return err
			}
			var fa flowAssociationDoc
			if err := decode(a, &fa); err != nil {
				return err
			}
			instanceID, flowID, system = pn.InstanceID, fa.FlowID, rec.Name
			return nil
		})
		if err != nil {
			return "", err
		}
	} else if instanceID == "" {
		return "", invalidParameter("InstanceId is required with ContactFlowId")
	}
	instanceID, err := s.ensureDefaults(ctx, instanceID)
	if err != nil {
		return "", err
	}
	id, now := s.newID(), s.clock()
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, _ time.Time) error {
		_, inst, err := getInstance(e.tx, sc, instanceID)
		if err != nil {
			return err
		}
		if inst.Attributes[api.InstanceAttributeTypeInboundCalls] != "true" {
			return invalidRequest("Inbound calls are not enabled for instance %s (instance attribute INBOUND_CALLS)", instanceID)
		}
		if err := checkFlowRef(e.tx, sc, instanceID, flowID, "ContactFlowId", api.ContactFlowTypeContactFlow); err != nil {
			return err
		}
		doc := newContact(sc, instanceID, id, engine.ChannelVoice, now)
		doc.Initiation = engine.InitiatedInbound
		doc.FlowID, _ = splitFlowID(flowID)
		doc.Endpoints = &endpointsDoc{Customer: in.CustomerPhoneNumber, System: system}
		if err := ownAttributes(doc, in.Attributes); err != nil {
			return err
		}
		return e.start(doc, "", nil, now)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}
