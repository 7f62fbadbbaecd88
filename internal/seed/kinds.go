package seed

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/switchboard-dev/switchboard/api"
)

// register adds every resource entry of the instance; each create runs the
// operations that make the resource, resolving the names it holds first.
func (ir *instanceRun) register(spec *instanceSpec, path string) error {
	var errs []error
	add := func(k *kind, name, p string, create func() (string, error)) {
		if err := ir.add(k, name, p, create); err != nil {
			errs = append(errs, err)
		}
	}
	for i := range spec.HoursOfOperation {
		s, p := &spec.HoursOfOperation[i], fmt.Sprintf("%s.hoursOfOperation[%d]", path, i)
		add(kindHours, deref(s.Name), p, func() (string, error) { return ir.createHours(s, p) })
	}
	for i := range spec.SecurityProfiles {
		s, p := &spec.SecurityProfiles[i], fmt.Sprintf("%s.securityProfiles[%d]", path, i)
		add(kindSecurityProfile, deref(s.Name), p, func() (string, error) { return ir.createSecurityProfile(s, p) })
	}
	if spec.Hierarchy != nil {
		for i := range spec.Hierarchy.Groups {
			s, p := &spec.Hierarchy.Groups[i], fmt.Sprintf("%s.hierarchy.groups[%d]", path, i)
			add(kindGroup, deref(s.Name), p, func() (string, error) { return ir.createGroup(s, p) })
		}
	}
	for i := range spec.AgentStatuses {
		s, p := &spec.AgentStatuses[i], fmt.Sprintf("%s.agentStatuses[%d]", path, i)
		add(kindAgentStatus, deref(s.Name), p, func() (string, error) {
			req := s.CreateAgentStatusRequest
			req.InstanceId = &ir.id
			return ir.create("CreateAgentStatus", &req, p, "AgentStatusId")
		})
	}
	for i := range spec.PredefinedAttributes {
		s, p := &spec.PredefinedAttributes[i], fmt.Sprintf("%s.predefinedAttributes[%d]", path, i)
		add(kindAttribute, deref(s.Name), p, func() (string, error) {
			req := s.CreatePredefinedAttributeRequest
			req.InstanceId = &ir.id
			if _, err := ir.r.call("CreatePredefinedAttribute", &req, p); err != nil {
				return "", err
			}
			return deref(s.Name), nil
		})
	}
	for i := range spec.ContactFlows {
		s, p := &spec.ContactFlows[i], fmt.Sprintf("%s.contactFlows[%d]", path, i)
		add(kindFlow, deref(s.Name), p, func() (string, error) {
			req := s.CreateContactFlowRequest
			req.InstanceId = &ir.id
			content, err := ir.content(&s.Content, s.ContentFile, p)
			if err != nil {
				return "", err
			}
			req.Content = content
			return ir.create("CreateContactFlow", &req, p, "ContactFlowId")
		})
	}
	for i := range spec.FlowModules {
		s, p := &spec.FlowModules[i], fmt.Sprintf("%s.flowModules[%d]", path, i)
		add(kindModule, deref(s.Name), p, func() (string, error) {
			req := s.CreateContactFlowModuleRequest
			req.InstanceId = &ir.id
			content, err := ir.content(&s.Content, s.ContentFile, p)
			if err != nil {
				return "", err
			}
			req.Content = content
			return ir.create("CreateContactFlowModule", &req, p, "Id")
		})
	}
	for i := range spec.PhoneNumbers {
		s, p := &spec.PhoneNumbers[i], fmt.Sprintf("%s.phoneNumbers[%d]", path, i)
		add(kindPhone, deref(s.PhoneNumber), p, func() (string, error) { return ir.claimNumber(s, p) })
	}
	for i := range spec.Queues {
		s, p := &spec.Queues[i], fmt.Sprintf("%s.queues[%d]", path, i)
		add(kindQueue, deref(s.Name), p, func() (string, error) { return ir.createQueue(s, p) })
	}
	for i := range spec.RoutingProfiles {
		s, p := &spec.RoutingProfiles[i], fmt.Sprintf("%s.routingProfiles[%d]", path, i)
		add(kindRouting, deref(s.Name), p, func() (string, error) { return ir.createRoutingProfile(s, p) })
	}
	for i := range spec.QuickConnects {
		s, p := &spec.QuickConnects[i], fmt.Sprintf("%s.quickConnects[%d]", path, i)
		add(kindQuickConnect, deref(s.Name), p, func() (string, error) { return ir.createQuickConnect(s, p) })
	}
	for i := range spec.Users {
		s, p := &spec.Users[i], fmt.Sprintf("%s.users[%d]", path, i)
		add(kindUser, deref(s.Username), p, func() (string, error) { return ir.createUser(s, p) })
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// create runs a Create operation and returns the member of its output that
// holds the new id.
func (ir *instanceRun) create(op string, in api.Request, path, idMember string) (string, error) {
	out, err := ir.r.call(op, in, path)
	if err != nil {
		return "", err
	}
	return field(out, idMember), nil
}

// ref resolves an optional name ("" → nil).
func (ir *instanceRun) ref(k *kind, name, path string) (*string, error) {
	if name == "" {
		return nil, nil
	}
	id, err := ir.ensure(k, name, path)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

func (ir *instanceRun) createHours(s *hoursSpec, p string) (string, error) {
	req := s.CreateHoursOfOperationRequest
	req.InstanceId = &ir.id
	for i, name := range s.Parents {
		id, err := ir.ensure(kindHours, name, fmt.Sprintf("%s.parents[%d]", p, i))
		if err != nil {
			return "", err
		}
		req.ParentHoursOfOperationConfigs = append(req.ParentHoursOfOperationConfigs, api.ParentHoursOfOperationConfig{HoursOfOperationId: &id})
	}
	return ir.create("CreateHoursOfOperation", &req, p, "HoursOfOperationId")
}

func (ir *instanceRun) createSecurityProfile(s *securityProfileSpec, p string) (string, error) {
	req := s.CreateSecurityProfileRequest
	req.InstanceId, req.SecurityProfileName = &ir.id, s.Name
	var err error
	if req.AllowedAccessControlHierarchyGroupId, err = ir.ref(kindGroup, s.AllowedAccessControlHierarchyGroup, p+".allowedAccessControlHierarchyGroup"); err != nil {
		return "", err
	}
	return ir.create("CreateSecurityProfile", &req, p, "SecurityProfileId")
}

func (ir *instanceRun) createGroup(s *hierarchyGroupSpec, p string) (string, error) {
	req := s.CreateUserHierarchyGroupRequest
	req.InstanceId = &ir.id
	var err error
	if req.ParentGroupId, err = ir.ref(kindGroup, s.Parent, p+".parent"); err != nil {
		return "", err
	}
	return ir.create("CreateUserHierarchyGroup", &req, p, "HierarchyGroupId")
}

// content is a flow's or module's content: written inline (a string as it
// is, a mapping or list as JSON) or read from contentFile, relative to the
// seed file (JSON, or YAML when it ends in .yaml or .yml); then its
// ${kind:Name} references are resolved.
func (ir *instanceRun) content(inline *yaml.Node, file, p string) (*string, error) {
	var text string
	at := p + ".content"
	switch {
	case inline.Kind != 0 && file != "":
		return nil, ir.r.errAt(p+".contentFile", "give content or contentFile, not both")
	case file != "":
		at = p + ".contentFile"
		path := file
		if !filepath.IsAbs(path) {
			path = filepath.Join(ir.r.dir, file)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, ir.r.errAt(at, "contentFile: %v", err)
		}
		text = string(raw)
		if ext := strings.ToLower(filepath.Ext(path)); ext == ".yaml" || ext == ".yml" {
			var doc yaml.Node
			if err := yaml.Unmarshal(raw, &doc); err != nil {
				return nil, ir.r.errAt(at, "contentFile %s: %v", file, err)
			}
			if text, err = nodeJSON(&doc); err != nil {
				return nil, ir.r.errAt(at, "contentFile %s: %v", file, err)
			}
		}
	case inline.Kind == 0:
		return nil, nil // left to the operation's validation: content is required
	case inline.Kind == yaml.ScalarNode && inline.ShortTag() == "!!str":
		text = inline.Value
	default:
		var err error
		if text, err = nodeJSON(inline); err != nil {
			return nil, ir.r.errAt(at, "%v", err)
		}
	}
	text, err := ir.resolvePlaceholders(text, at)
	if err != nil {
		return nil, err
	}
	return &text, nil
}

// nodeJSON writes a YAML value as JSON.
func nodeJSON(n *yaml.Node) (string, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("content cannot be written as JSON: %v", err)
	}
	return string(b), nil
}

func (ir *instanceRun) claimNumber(s *phoneNumberSpec, p string) (string, error) {
	req := s.ClaimPhoneNumberRequest
	req.InstanceId = &ir.id
	id, err := ir.create("ClaimPhoneNumber", &req, p, "PhoneNumberId")
	if err != nil {
		return "", err
	}
	// The first describe after a claim moves the number from IN_PROGRESS
	// to CLAIMED, as a client waiting for the claim would.
	if _, err := ir.r.call("DescribePhoneNumber", &api.DescribePhoneNumberRequest{PhoneNumberId: &id}, p); err != nil {
		return "", err
	}
	if s.ContactFlow != "" {
		flow, err := ir.ensure(kindFlow, s.ContactFlow, p+".contactFlow")
		if err != nil {
			return "", err
		}
		in := &api.AssociatePhoneNumberContactFlowRequest{PhoneNumberId: &id, InstanceId: &ir.id, ContactFlowId: &flow}
		if _, err := ir.r.call("AssociatePhoneNumberContactFlow", in, p+".contactFlow"); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (ir *instanceRun) createQueue(s *queueSpec, p string) (string, error) {
	req := s.CreateQueueRequest
	req.InstanceId = &ir.id
	var err error
	if req.HoursOfOperationId, err = ir.ref(kindHours, s.HoursOfOperation, p+".hoursOfOperation"); err != nil {
		return "", err
	}
	if oc := s.OutboundCallerConfig; oc != nil {
		cfg := &api.OutboundCallerConfig{OutboundCallerIdName: oc.OutboundCallerIdName}
		cp := p + ".outboundCallerConfig"
		if cfg.OutboundCallerIdNumberId, err = ir.ref(kindPhone, oc.OutboundCallerIdNumber, cp+".outboundCallerIdNumber"); err != nil {
			return "", err
		}
		if cfg.OutboundFlowId, err = ir.ref(kindFlow, oc.OutboundFlow, cp+".outboundFlow"); err != nil {
			return "", err
		}
		req.OutboundCallerConfig = cfg
	}
	id, err := ir.create("CreateQueue", &req, p, "QueueId")
	if err != nil || len(s.QuickConnects) == 0 {
		return id, err
	}
	ir.queueQuickConnects = append(ir.queueQuickConnects, func() error {
		in := &api.AssociateQueueQuickConnectsRequest{InstanceId: &ir.id, QueueId: &id}
		for i, name := range s.QuickConnects {
			qc, err := ir.ensure(kindQuickConnect, name, fmt.Sprintf("%s.quickConnects[%d]", p, i))
			if err != nil {
				return err
			}
			in.QuickConnectIds = append(in.QuickConnectIds, qc)
		}
		_, err := ir.r.call("AssociateQueueQuickConnects", in, p+".quickConnects")
		return err
	})
	return id, nil
}

func (ir *instanceRun) createRoutingProfile(s *routingProfileSpec, p string) (string, error) {
	req := s.CreateRoutingProfileRequest
	req.InstanceId = &ir.id
	var err error
	if req.DefaultOutboundQueueId, err = ir.ref(kindQueue, s.DefaultOutboundQueue, p+".defaultOutboundQueue"); err != nil {
		return "", err
	}
	for i, q := range s.Queues {
		qp := fmt.Sprintf("%s.queues[%d]", p, i)
		ref := &api.RoutingProfileQueueReference{Channel: q.Channel}
		if ref.QueueId, err = ir.ref(kindQueue, q.Queue, qp+".queue"); err != nil {
			return "", err
		}
		req.QueueConfigs = append(req.QueueConfigs, api.RoutingProfileQueueConfig{QueueReference: ref, Priority: q.Priority, Delay: q.Delay})
	}
	return ir.create("CreateRoutingProfile", &req, p, "RoutingProfileId")
}

func (ir *instanceRun) createQuickConnect(s *quickConnectSpec, p string) (string, error) {
	req := s.CreateQuickConnectRequest
	req.InstanceId = &ir.id
	cfg := &api.QuickConnectConfig{QuickConnectType: s.Type}
	flow, err := ir.ref(kindFlow, s.ContactFlow, p+".contactFlow")
	if err != nil {
		return "", err
	}
	switch deref(s.Type) {
	case api.QuickConnectTypeUser:
		user, err := ir.ref(kindUser, s.User, p+".user")
		if err != nil {
			return "", err
		}
		cfg.UserConfig = &api.UserQuickConnectConfig{UserId: user, ContactFlowId: flow}
	case api.QuickConnectTypeQueue:
		queue, err := ir.ref(kindQueue, s.Queue, p+".queue")
		if err != nil {
			return "", err
		}
		cfg.QueueConfig = &api.QueueQuickConnectConfig{QueueId: queue, ContactFlowId: flow}
	case api.QuickConnectTypePhoneNumber:
		cfg.PhoneConfig = &api.PhoneNumberQuickConnectConfig{PhoneNumber: s.PhoneNumber}
	}
	req.QuickConnectConfig = cfg
	return ir.create("CreateQuickConnect", &req, p, "QuickConnectId")
}

func (ir *instanceRun) createUser(s *userSpec, p string) (string, error) {
	req := s.CreateUserRequest
	req.InstanceId = &ir.id
	var err error
	if req.RoutingProfileId, err = ir.ref(kindRouting, s.RoutingProfile, p+".routingProfile"); err != nil {
		return "", err
	}
	for i, name := range s.SecurityProfiles {
		id, err := ir.ensure(kindSecurityProfile, name, fmt.Sprintf("%s.securityProfiles[%d]", p, i))
		if err != nil {
			return "", err
		}
		req.SecurityProfileIds = append(req.SecurityProfileIds, id)
	}
	if req.HierarchyGroupId, err = ir.ref(kindGroup, s.HierarchyGroup, p+".hierarchyGroup"); err != nil {
		return "", err
	}
	for i, pr := range s.Proficiencies {
		if _, err := ir.ensure(kindAttribute, deref(pr.AttributeName), fmt.Sprintf("%s.proficiencies[%d].attributeName", p, i)); err != nil {
			return "", err
		}
	}
	id, err := ir.create("CreateUser", &req, p, "UserId")
	if err != nil || len(s.Proficiencies) == 0 {
		return id, err
	}
	in := &api.AssociateUserProficienciesRequest{InstanceId: &ir.id, UserId: &id, UserProficiencies: s.Proficiencies}
	if _, err := ir.r.call("AssociateUserProficiencies", in, p+".proficiencies"); err != nil {
		return "", err
	}
	return id, nil
}
