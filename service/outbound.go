package service

// StartOutboundVoiceContact: a call the instance places to a customer. The
// contact is recorded like the API's other contacts (INITIATED until the
// engine dials; see docs/BEHAVIOUR.md "Outbound calls" for the decisions
// and their sources).

import (
	"context"
	"errors"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// outboundDoc is what an outbound call keeps besides the engine's record:
// whom it calls and from which number.
type outboundDoc struct {
	Destination   string `json:"destination"`
	Source        string `json:"source"`
	TrafficType   string `json:"trafficType,omitempty"`
	CampaignID    string `json:"campaignId,omitempty"`
	RingTimeout   int32  `json:"ringTimeout,omitempty"`
	AnswerMachine bool   `json:"answerMachine,omitempty"`
}

func (s *Service) registerOutbound() {
	handle(s, "StartOutboundVoiceContact", s.startOutboundVoiceContact)
}

func (s *Service) startOutboundVoiceContact(ctx context.Context, in *api.StartOutboundVoiceContactRequest) (*api.StartOutboundVoiceContactResponse, error) {
	// The model's pattern on PhoneNumber (E.164) is checked by the
	// generated layer.
	if in.SourcePhoneNumber == nil && in.QueueId == nil {
		return nil, invalidParameter("QueueId or SourcePhoneNumber must be given: the call's caller ID is the source phone number, or else the queue's outbound caller ID number")
	}
	if err := checkAttributes("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	if err := checkAttributeSize("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	if err := checkReferences(in.References, taskReferenceTypes); err != nil {
		return nil, err
	}
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.StartOutboundVoiceContactResponse
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, _ time.Time) error {
		tx := e.tx
		if prior, _, err := priorContact(tx, sc, instanceID, "StartOutboundVoiceContact", in.ClientToken); err != nil || prior != nil {
			if prior != nil {
				out = &api.StartOutboundVoiceContactResponse{ContactId: ptr(prior.ID)}
			}
			return err
		}
		_, inst, err := getInstance(tx, sc, instanceID)
		if err != nil {
			return err
		}
		if inst.Attributes[api.InstanceAttributeTypeOutboundCalls] != "true" {
			return &api.OutboundContactNotPermittedException{Message: ptr("Outbound calls are not enabled for instance " + instanceID + " (instance attribute OUTBOUND_CALLS)")}
		}
		if err := checkFlowRef(tx, sc, instanceID, *in.ContactFlowId, "ContactFlowId", api.ContactFlowTypeContactFlow); err != nil {
			return err
		}
		flowID, _ := splitFlowID(*in.ContactFlowId)
		var queueID, callerIDNumber string
		if in.QueueId != nil {
			if queueID, callerIDNumber, err = outboundQueue(tx, sc, instanceID, *in.QueueId); err != nil {
				return err
			}
		}
		source := deref(in.SourcePhoneNumber)
		if source != "" {
			if err := instanceNumber(tx, sc, instanceID, source); err != nil {
				return err
			}
		} else {
			if callerIDNumber == "" {
				return invalidParameter("QueueId: queue %s has no outbound caller ID number (OutboundCallerConfig.OutboundCallerIdNumberId); give SourcePhoneNumber or set one", queueID)
			}
			nrec, ndoc, err := getPhoneNumber(tx, sc, callerIDNumber)
			var nf *api.ResourceNotFoundException
			if errors.As(err, &nf) || (err == nil && (ndoc.InstanceID != instanceID || ndoc.Status == api.PhoneNumberWorkflowStatusFailed)) {
				return invalidParameter("QueueId: the outbound caller ID number %s of queue %s is not claimed to instance %s; give SourcePhoneNumber or update the queue", callerIDNumber, queueID, instanceID)
			}
			if err != nil {
				return err
			}
			source = nrec.Name
		}
		doc := newContact(sc, instanceID, id, engine.ChannelVoice, now)
		doc.Name, doc.Description, doc.FlowID, doc.QueueID = in.Name, in.Description, flowID, queueID
		doc.Outbound = &outboundDoc{Destination: *in.DestinationPhoneNumber, Source: source,
			TrafficType: deref(in.TrafficType), CampaignID: deref(in.CampaignId), RingTimeout: deref(in.RingTimeoutInSeconds)}
		if c := in.AnswerMachineDetectionConfig; c != nil {
			doc.Outbound.AnswerMachine = deref(c.EnableAnswerMachineDetection)
		}
		attrs, err := startData(tx, sc, instanceID, doc, in.References, in.RelatedContactId, in.Attributes)
		if err != nil {
			return err
		}
		if err := ownAttributes(doc, attrs); err != nil {
			return err
		}
		// The call rings the callee, who answers after the simulated delay
		// (EngineSettings); the flow runs then (fire, TimerAnswer).
		if err := e.emit(doc, engine.EventInitiated, now, "", ""); err != nil {
			return err
		}
		if err := insertContact(tx, sc, doc, "StartOutboundVoiceContact", in.ClientToken, now); err != nil {
			return err
		}
		answer := now.Add(s.engine.outboundAnswer())
		l := engine.Live{State: doc.State, Channel: doc.Channel, StateSince: now, Queue: queueID, Timer: engine.TimerAnswer, Due: &answer}
		if err := e.add(doc.ID, l, now); err != nil {
			return err
		}
		out = &api.StartOutboundVoiceContactResponse{ContactId: ptr(id)}
		return nil
	})
	return out, err
}

// outboundQueue resolves the QueueId of an outbound call: a STANDARD queue
// of the instance, and the id of its outbound caller ID number, if any.
func outboundQueue(tx switchboard.Tx, sc switchboard.Scope, instanceID, idOrARN string) (queueID, callerIDNumber string, err error) {
	id := idOrARN
	if k, ok := parseARN(sc, idOrARN); ok && k.Kind == switchboard.KindQueue {
		id = k.ID
	}
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: instanceID, ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return "", "", notFound("QueueId: queue %s not found in instance %s", idOrARN, instanceID)
	}
	if err != nil {
		return "", "", err
	}
	var doc queueStored
	if err := decode(rec, &doc); err != nil {
		return "", "", err
	}
	if doc.QueueType != api.QueueTypeStandard {
		return "", "", invalidParameter("QueueId: queue %s is an AGENT queue; an outbound call names a STANDARD queue", idOrARN)
	}
	if c := doc.OutboundCallerConfig; c != nil {
		callerIDNumber = deref(c.OutboundCallerIdNumberId)
	}
	return rec.ID, callerIDNumber, nil
}

// instanceNumber checks that number (E.164) is claimed to the instance.
func instanceNumber(tx switchboard.Tx, sc switchboard.Scope, instanceID, number string) error {
	rec, err := tx.GetByName(sc, switchboard.KindPhoneNumber, "", number)
	if errors.Is(err, switchboard.ErrNotFound) {
		return invalidParameter("SourcePhoneNumber: %s is not a phone number claimed to instance %s", number, instanceID)
	}
	if err != nil {
		return err
	}
	doc, err := decodePhoneNumber(rec)
	if err != nil {
		return err
	}
	if doc.InstanceID != instanceID || doc.Status == api.PhoneNumberWorkflowStatusFailed {
		return invalidParameter("SourcePhoneNumber: %s is not a phone number claimed to instance %s", number, instanceID)
	}
	return nil
}
