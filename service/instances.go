package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// instanceDoc is what the store keeps of an instance besides the record's
// own fields (ID, alias as Name, tags, times).
type instanceDoc struct {
	IdentityManagementType string            `json:"identityManagementType"`
	Alias                  string            `json:"alias,omitempty"`
	DirectoryID            string            `json:"directoryId,omitempty"`
	ServiceRole            string            `json:"serviceRole"`
	Attributes             map[string]string `json:"attributes"`
	// AgentQueuesImplied: the users' AGENT queues are implied by the users
	// rather than stored (agentqueues.go); set for every instance created
	// since, never for one created before.
	AgentQueuesImplied bool `json:"agentQueuesImplied,omitempty"`
}

// defaultAttributes are the instance attributes of a new instance besides
// INBOUND_CALLS and OUTBOUND_CALLS, which CreateInstance sets. They follow
// what the console shows for a fresh instance.
var defaultAttributes = map[string]string{
	api.InstanceAttributeTypeContactflowLogs:           "false",
	api.InstanceAttributeTypeContactLens:               "true",
	api.InstanceAttributeTypeAutoResolveBestVoices:     "true",
	api.InstanceAttributeTypeUseCustomTtsVoices:        "false",
	api.InstanceAttributeTypeEarlyMedia:                "true",
	api.InstanceAttributeTypeMultiPartyConference:      "false",
	api.InstanceAttributeTypeHighVolumeOutbound:        "false",
	api.InstanceAttributeTypeEnhancedContactMonitoring: "false",
	api.InstanceAttributeTypeEnhancedChatMonitoring:    "false",
	api.InstanceAttributeTypeMultiPartyChatConference:  "false",
	api.InstanceAttributeTypeMessageStreaming:          "false",
	api.InstanceAttributeTypeInboundCalls:              "true",
	api.InstanceAttributeTypeOutboundCalls:             "true",
}

func (s *Service) registerInstances() {
	handle(s, "CreateInstance", s.createInstance)
	handle(s, "DescribeInstance", s.describeInstance)
	handle(s, "ListInstances", s.listInstances)
	handle(s, "DeleteInstance", s.deleteInstance)
	handle(s, "DescribeInstanceAttribute", s.describeInstanceAttribute)
	handle(s, "UpdateInstanceAttribute", s.updateInstanceAttribute)
	handle(s, "ListInstanceAttributes", s.listInstanceAttributes)
}

func (s *Service) createInstance(ctx context.Context, in *api.CreateInstanceRequest) (*api.CreateInstanceResponse, error) {
	sc := scope(ctx)
	idm := deref(in.IdentityManagementType)
	alias := deref(in.InstanceAlias)
	dir := deref(in.DirectoryId)
	switch idm {
	case api.DirectoryTypeExistingDirectory:
		// An alias is optional here, and kept when given: Terraform's
		// testAccInstance_directory creates one with both and passes
		// against AWS (docs/BEHAVIOUR.md, Instances).
		if dir == "" {
			return nil, invalidRequest("DirectoryId is required when IdentityManagementType is EXISTING_DIRECTORY")
		}
	default:
		if alias == "" {
			return nil, invalidRequest("InstanceAlias is required when IdentityManagementType is %s", idm)
		}
		if dir != "" {
			return nil, invalidRequest("DirectoryId can only be set when IdentityManagementType is EXISTING_DIRECTORY")
		}
	}
	id, now := s.newID(), s.clock()
	var out *api.CreateInstanceResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		out = nil
		token := deref(in.ClientToken)
		if token != "" {
			// A retried CreateInstance with the same token answers the first
			// call's instance instead of creating a second one.
			prev, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindClientToken, Parent: "CreateInstance", ID: token})
			if err == nil {
				out = &api.CreateInstanceResponse{Id: ptr(string(prev.Data)), Arn: ptr(instanceARN(sc, string(prev.Data)))}
				return nil
			}
			if !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		n, err := tx.Count(sc, switchboard.KindInstance, "")
		if err != nil {
			return err
		}
		if n >= s.quotas.InstancesPerAccount {
			return quotaExceeded("The maximum number of instances for this account (%d) has been reached", s.quotas.InstancesPerAccount)
		}
		name := alias
		if name == "" {
			name = dir
		}
		attrs := map[string]string{}
		for k, v := range defaultAttributes {
			attrs[k] = v
		}
		attrs[api.InstanceAttributeTypeInboundCalls] = boolString(deref(in.InboundCallsEnabled))
		attrs[api.InstanceAttributeTypeOutboundCalls] = boolString(deref(in.OutboundCallsEnabled))
		doc := instanceDoc{
			IdentityManagementType: idm, Alias: alias, DirectoryID: dir, Attributes: attrs, AgentQueuesImplied: true,
			ServiceRole: "arn:aws:iam::" + sc.Account + ":role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_" + randomHex(10),
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindInstance, ID: id, Name: strings.ToLower(name), Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := tx.Insert(rec); err != nil {
			if errors.Is(err, switchboard.ErrAlreadyExists) {
				return invalidRequest("An instance with alias %s already exists", name)
			}
			return err
		}
		if err := s.createDefaultResources(tx, sc, id, now); err != nil {
			return err
		}
		if token != "" {
			if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindClientToken, Parent: "CreateInstance", ID: token, Data: []byte(id), Created: now, Modified: now}); err != nil {
				return err
			}
		}
		out = &api.CreateInstanceResponse{Id: ptr(id), Arn: ptr(instanceARN(sc, id))}
		return nil
	})
	return out, err
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// getInstance loads an instance by id or ARN, or answers
// ResourceNotFoundException.
func getInstance(tx switchboard.Tx, sc switchboard.Scope, idOrARN string) (*switchboard.Record, *instanceDoc, error) {
	rec, err := instanceRecord(tx, sc, idOrARN)
	if err != nil {
		return nil, nil, err
	}
	var doc instanceDoc
	if err := decode(rec, &doc); err != nil {
		return nil, nil, err
	}
	return rec, &doc, nil
}

func instanceShape(rec *switchboard.Record, doc *instanceDoc) *api.Instance {
	label := doc.Alias
	if label == "" {
		label = doc.DirectoryID
	}
	return &api.Instance{
		Id:                     ptr(rec.ID),
		Arn:                    ptr(instanceARN(rec.Scope, rec.ID)),
		IdentityManagementType: ptr(doc.IdentityManagementType),
		InstanceAlias:          optional(doc.Alias),
		CreatedTime:            ts(rec.Created),
		ServiceRole:            ptr(doc.ServiceRole),
		InstanceStatus:         ptr(api.InstanceStatusActive),
		InboundCallsEnabled:    ptr(doc.Attributes[api.InstanceAttributeTypeInboundCalls] == "true"),
		OutboundCallsEnabled:   ptr(doc.Attributes[api.InstanceAttributeTypeOutboundCalls] == "true"),
		InstanceAccessUrl:      ptr("https://" + strings.ToLower(label) + ".my.connect.aws/"),
		Tags:                   copyTags(rec.Tags),
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Service) describeInstance(ctx context.Context, in *api.DescribeInstanceRequest) (*api.DescribeInstanceResponse, error) {
	var out *api.DescribeInstanceResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := s.viewInstance(tx, scope(ctx), *in.InstanceId)
		if err != nil {
			return err
		}
		out = &api.DescribeInstanceResponse{Instance: instanceShape(rec, doc)}
		return nil
	})
	return out, err
}

func (s *Service) listInstances(ctx context.Context, in *api.ListInstancesRequest) (*api.ListInstancesResponse, error) {
	sc := scope(ctx)
	out := &api.ListInstancesResponse{InstanceSummaryList: []api.InstanceSummary{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, next, err := page(tx, sc, switchboard.KindInstance, "", in.NextToken, in.MaxResults, 10, nil)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.InstanceSummaryList = out.InstanceSummaryList[:0]
		for _, rec := range recs {
			doc, err := s.instanceDoc(rec)
			if err != nil {
				return err
			}
			i := instanceShape(rec, doc)
			out.InstanceSummaryList = append(out.InstanceSummaryList, api.InstanceSummary{
				Id: i.Id, Arn: i.Arn, IdentityManagementType: i.IdentityManagementType, InstanceAlias: i.InstanceAlias,
				CreatedTime: i.CreatedTime, ServiceRole: i.ServiceRole, InstanceStatus: i.InstanceStatus,
				InboundCallsEnabled: i.InboundCallsEnabled, OutboundCallsEnabled: i.OutboundCallsEnabled,
				InstanceAccessUrl: i.InstanceAccessUrl,
			})
		}
		return nil
	})
	return out, err
}

func (s *Service) deleteInstance(ctx context.Context, in *api.DeleteInstanceRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := releaseInstanceNumbers(tx, sc, rec.ID); err != nil {
			return err
		}
		return tx.Delete(rec.Key())
	})
}

func (s *Service) describeInstanceAttribute(ctx context.Context, in *api.DescribeInstanceAttributeRequest) (*api.DescribeInstanceAttributeResponse, error) {
	var out *api.DescribeInstanceAttributeResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		_, doc, err := s.viewInstance(tx, scope(ctx), *in.InstanceId)
		if err != nil {
			return err
		}
		t := *in.AttributeType
		out = &api.DescribeInstanceAttributeResponse{Attribute: &api.Attribute{AttributeType: ptr(t), Value: ptr(doc.Attributes[t])}}
		return nil
	})
	return out, err
}

func (s *Service) updateInstanceAttribute(ctx context.Context, in *api.UpdateInstanceAttributeRequest) (*empty, error) {
	v := *in.Value
	if v != "true" && v != "false" {
		return nil, invalidParameter("Value for attribute %s must be true or false", *in.AttributeType)
	}
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getInstance(tx, scope(ctx), *in.InstanceId)
		if err != nil {
			return err
		}
		doc.Attributes[*in.AttributeType] = v
		rec.Data = encode(doc)
		rec.Modified = s.clock()
		return tx.Replace(rec)
	})
}

func (s *Service) listInstanceAttributes(ctx context.Context, in *api.ListInstanceAttributesRequest) (*api.ListInstanceAttributesResponse, error) {
	var out *api.ListInstanceAttributesResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		_, doc, err := s.viewInstance(tx, scope(ctx), *in.InstanceId)
		if err != nil {
			return err
		}
		// A fixed order (the model's enum order) keeps pages stable.
		all := make([]api.Attribute, 0, len(doc.Attributes))
		for _, t := range instanceAttributeOrder {
			if v, ok := doc.Attributes[t]; ok {
				all = append(all, api.Attribute{AttributeType: ptr(t), Value: ptr(v)})
			}
		}
		start, err := decodeToken(in.NextToken)
		if err != nil {
			return err
		}
		limit := int(derefOr(in.MaxResults, 7))
		if int(start) > len(all) {
			start = int64(len(all))
		}
		end := min(int(start)+limit, len(all))
		out = &api.ListInstanceAttributesResponse{Attributes: all[start:end]}
		if end < len(all) {
			out.NextToken = encodeToken(int64(end))
		}
		return nil
	})
	return out, err
}

var instanceAttributeOrder = []string{
	api.InstanceAttributeTypeInboundCalls, api.InstanceAttributeTypeOutboundCalls,
	api.InstanceAttributeTypeContactflowLogs, api.InstanceAttributeTypeContactLens,
	api.InstanceAttributeTypeAutoResolveBestVoices, api.InstanceAttributeTypeUseCustomTtsVoices,
	api.InstanceAttributeTypeEarlyMedia, api.InstanceAttributeTypeMultiPartyConference,
	api.InstanceAttributeTypeHighVolumeOutbound, api.InstanceAttributeTypeEnhancedContactMonitoring,
	api.InstanceAttributeTypeEnhancedChatMonitoring, api.InstanceAttributeTypeMultiPartyChatConference,
	api.InstanceAttributeTypeMessageStreaming,
}

func derefOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

var _ = time.Second
