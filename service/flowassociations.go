package service

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Flow associations: AssociatePhoneNumberContactFlow,
// DisassociatePhoneNumberContactFlow, AssociateFlow, DisassociateFlow,
// GetFlowAssociation, ListFlowAssociations, BatchGetFlowAssociation.
//
// An association is a record of the instance (KindFlowAssociation) whose
// ID is "{ResourceType}:{resource ARN}" and which refers to its flow, so a
// flow with an association cannot be deleted. A voice number's association
// has ResourceType VOICE_PHONE_NUMBER and the number's ARN, as
// ListFlowAssociations answers it (Terraform's
// aws_connect_phone_number_contact_flow_association finds it so).

func (s *Service) registerFlowAssociations() {
	handle(s, "AssociatePhoneNumberContactFlow", s.associatePhoneNumberContactFlow)
	handle(s, "DisassociatePhoneNumberContactFlow", s.disassociatePhoneNumberContactFlow)
	handle(s, "AssociateFlow", s.associateFlow)
	handle(s, "DisassociateFlow", s.disassociateFlow)
	handle(s, "GetFlowAssociation", s.getFlowAssociation)
	handle(s, "ListFlowAssociations", s.listFlowAssociations)
	handle(s, "BatchGetFlowAssociation", s.batchGetFlowAssociation)
}

// flowAssociationDoc is what the store keeps of an association.
type flowAssociationDoc struct {
	ResourceType string `json:"resourceType"`
	ResourceARN  string `json:"resourceArn"`
	FlowID       string `json:"flowId"`
}

func flowAssociationKey(sc switchboard.Scope, instanceID, resourceType, resourceARN string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindFlowAssociation, Parent: instanceID, ID: resourceType + ":" + resourceARN}
}

// flowAssociationHolderARN is the ARN of the resource a flow association
// (a record that holds a flow) is about: the phone number's ARN for a
// voice number. DeleteContactFlow can name the holder with it.
func flowAssociationHolderARN(associationID string) string {
	_, arn, _ := strings.Cut(associationID, ":")
	return arn
}

// setFlowAssociation creates or replaces the association of a resource.
func (s *Service) setFlowAssociation(tx switchboard.Tx, sc switchboard.Scope, instanceID, resourceType, resourceARN, flowID string) error {
	k := flowAssociationKey(sc, instanceID, resourceType, resourceARN)
	doc := flowAssociationDoc{ResourceType: resourceType, ResourceARN: resourceARN, FlowID: flowID}
	refs := []switchboard.Ref{{Kind: switchboard.KindContactFlow, ID: flowID}}
	now := s.clock()
	rec, err := tx.Get(k)
	switch {
	case errors.Is(err, switchboard.ErrNotFound):
		return storeErr(tx.Insert(&switchboard.Record{Scope: sc, Kind: k.Kind, Parent: k.Parent, ID: k.ID, Data: encode(doc), Refs: refs, Created: now, Modified: now}), "Contact flow")
	case err != nil:
		return err
	}
	rec.Data, rec.Refs, rec.Modified = encode(doc), refs, now
	return storeErr(tx.Replace(rec), "Contact flow")
}

// dropVoiceAssociation removes a voice number's association in an
// instance, if it has one.
func dropVoiceAssociation(tx switchboard.Tx, sc switchboard.Scope, instanceID, numberID string) error {
	err := tx.Delete(flowAssociationKey(sc, instanceID, api.ListFlowAssociationResourceTypeVoicePhoneNumber, phoneNumberARN(sc, numberID)))
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil
	}
	return err
}

// numberOfInstance loads a claimed number and checks it is claimed to the
// instance given.
func numberOfInstance(tx switchboard.Tx, sc switchboard.Scope, numberIDOrARN, instanceIDOrARN string) (*switchboard.Record, *switchboard.Record, error) {
	inst, err := instanceRecord(tx, sc, instanceIDOrARN)
	if err != nil {
		return nil, nil, err
	}
	rec, doc, err := getPhoneNumber(tx, sc, numberIDOrARN)
	if err != nil {
		return nil, nil, err
	}
	if doc.InstanceID != inst.ID || doc.Status == api.PhoneNumberWorkflowStatusFailed {
		return nil, nil, notFound("Phone number %s is not claimed to instance %s", numberIDOrARN, inst.ID)
	}
	return inst, rec, nil
}

// associatePhoneNumberContactFlow sets the inbound flow of a number, a
// CONTACT_FLOW flow of the number's instance; a number has one, so a
// second call replaces the first flow.
func (s *Service) associatePhoneNumberContactFlow(ctx context.Context, in *api.AssociatePhoneNumberContactFlowRequest) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, rec, err := numberOfInstance(tx, sc, *in.PhoneNumberId, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := checkFlowRef(tx, sc, inst.ID, *in.ContactFlowId, "ContactFlowId", api.ContactFlowTypeContactFlow); err != nil {
			return err
		}
		flowID, _ := splitFlowID(*in.ContactFlowId)
		return s.setFlowAssociation(tx, sc, inst.ID, api.ListFlowAssociationResourceTypeVoicePhoneNumber, phoneNumberARN(sc, rec.ID), flowID)
	})
}

func (s *Service) disassociatePhoneNumberContactFlow(ctx context.Context, in *api.DisassociatePhoneNumberContactFlowRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, rec, err := numberOfInstance(tx, sc, *in.PhoneNumberId, *in.InstanceId)
		if err != nil {
			return err
		}
		err = tx.Delete(flowAssociationKey(sc, inst.ID, api.ListFlowAssociationResourceTypeVoicePhoneNumber, phoneNumberARN(sc, rec.ID)))
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("Phone number %s has no contact flow in instance %s", *in.PhoneNumberId, inst.ID)
		}
		return err
	})
}

// associatedResourceARN checks the ResourceId of AssociateFlow and its
// siblings. SMS and WhatsApp numbers belong to AWS End User Messaging, which
// Switchboard does not run: any well-formed ARN of this account and Region
// is accepted. Email addresses and analytics connectors are Connect
// resources Switchboard does not keep, so none exists.
func associatedResourceARN(sc switchboard.Scope, resourceType, arn string) error {
	var service, resource string
	switch resourceType {
	case api.FlowAssociationResourceTypeSmsPhoneNumber:
		service, resource = "sms-voice", "phone-number/"
	case api.FlowAssociationResourceTypeWhatsappMessagingPhoneNumber:
		service, resource = "social-messaging", "phone-number-id/"
	default:
		return notFound("%s resource %s not found", resourceType, arn)
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != service || !strings.HasPrefix(parts[5], resource) || len(parts[5]) == len(resource) {
		return invalidParameter("ResourceId %s is not the ARN of a %s resource (arn:aws:%s:{region}:{account}:%s{id})", arn, resourceType, service, resource)
	}
	if parts[1] != "aws" || parts[3] != sc.Region || parts[4] != sc.Account {
		return notFound("%s resource %s not found", resourceType, arn)
	}
	return nil
}

// associateFlow sets the flow of an SMS or WhatsApp number, a CONTACT_FLOW
// flow (the inbound flow of the messages it receives).
func (s *Service) associateFlow(ctx context.Context, in *api.AssociateFlowRequest) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := associatedResourceARN(sc, *in.ResourceType, *in.ResourceId); err != nil {
			return err
		}
		if err := checkFlowRef(tx, sc, inst.ID, *in.FlowId, "FlowId", api.ContactFlowTypeContactFlow); err != nil {
			return err
		}
		flowID, _ := splitFlowID(*in.FlowId)
		return s.setFlowAssociation(tx, sc, inst.ID, *in.ResourceType, *in.ResourceId, flowID)
	})
}

func (s *Service) disassociateFlow(ctx context.Context, in *api.DisassociateFlowRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		err = tx.Delete(flowAssociationKey(sc, inst.ID, *in.ResourceType, *in.ResourceId))
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("No flow is associated with %s resource %s in instance %s", *in.ResourceType, *in.ResourceId, inst.ID)
		}
		return err
	})
}

func flowAssociationSummary(rec *switchboard.Record) (api.FlowAssociationSummary, error) {
	var doc flowAssociationDoc
	if err := decode(rec, &doc); err != nil {
		return api.FlowAssociationSummary{}, err
	}
	return api.FlowAssociationSummary{
		ResourceId: ptr(doc.ResourceARN), ResourceType: ptr(doc.ResourceType),
		FlowId: ptr(resourceARN(rec.Scope, switchboard.KindContactFlow, rec.Parent, doc.FlowID)),
	}, nil
}

func (s *Service) getFlowAssociation(ctx context.Context, in *api.GetFlowAssociationRequest) (*api.GetFlowAssociationResponse, error) {
	sc := scope(ctx)
	var out *api.GetFlowAssociationResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		rec, err := tx.Get(flowAssociationKey(sc, inst.ID, *in.ResourceType, *in.ResourceId))
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("No flow is associated with %s resource %s in instance %s", *in.ResourceType, *in.ResourceId, inst.ID)
		}
		if err != nil {
			return err
		}
		sm, err := flowAssociationSummary(rec)
		out = &api.GetFlowAssociationResponse{ResourceId: sm.ResourceId, FlowId: sm.FlowId, ResourceType: sm.ResourceType}
		return err
	})
	return out, err
}

func (s *Service) listFlowAssociations(ctx context.Context, in *api.ListFlowAssociationsRequest) (*api.ListFlowAssociationsResponse, error) {
	sc := scope(ctx)
	out := &api.ListFlowAssociationsResponse{FlowAssociationSummaryList: []api.FlowAssociationSummary{}}
	var keep func(*switchboard.Record) bool
	if t := deref(in.ResourceType); t != "" {
		keep = func(r *switchboard.Record) bool { return strings.HasPrefix(r.ID, t+":") }
	}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, next, err := listChildren(tx, sc, *in.InstanceId, switchboard.KindFlowAssociation, in.NextToken, in.MaxResults, keep)
		if err != nil {
			return err
		}
		out.NextToken = next
		for _, r := range recs {
			sm, err := flowAssociationSummary(r)
			if err != nil {
				return err
			}
			out.FlowAssociationSummaryList = append(out.FlowAssociationSummaryList, sm)
		}
		return nil
	})
	return out, err
}

// batchGetFlowAssociation answers the associations of the resources given
// that have one, in the order asked; a voice number may be given by its id
// as well as its ARN.
func (s *Service) batchGetFlowAssociation(ctx context.Context, in *api.BatchGetFlowAssociationRequest) (*api.BatchGetFlowAssociationResponse, error) {
	sc := scope(ctx)
	out := &api.BatchGetFlowAssociationResponse{FlowAssociationSummaryList: []api.FlowAssociationSummary{}}
	types := []string{deref(in.ResourceType)}
	if types[0] == "" {
		types = []string{api.ListFlowAssociationResourceTypeVoicePhoneNumber, api.FlowAssociationResourceTypeSmsPhoneNumber,
			api.ListFlowAssociationResourceTypeWhatsappMessagingPhoneNumber, api.ListFlowAssociationResourceTypeInboundEmail,
			api.ListFlowAssociationResourceTypeOutboundEmail, api.ListFlowAssociationResourceTypeAnalyticsConnector}
	}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		for _, id := range in.ResourceIds {
			for _, t := range types {
				arn := id
				if t == api.ListFlowAssociationResourceTypeVoicePhoneNumber && !strings.HasPrefix(id, "arn:") {
					arn = phoneNumberARN(sc, id)
				}
				rec, err := tx.Get(flowAssociationKey(sc, inst.ID, t, arn))
				if errors.Is(err, switchboard.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				sm, err := flowAssociationSummary(rec)
				if err != nil {
					return err
				}
				out.FlowAssociationSummaryList = append(out.FlowAssociationSummaryList, sm)
			}
		}
		return nil
	})
	return out, err
}
