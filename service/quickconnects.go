package service

import (
	"context"
	"errors"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Quick connects: CreateQuickConnect, DescribeQuickConnect,
// ListQuickConnects, UpdateQuickConnectName, UpdateQuickConnectConfig,
// DeleteQuickConnect and SearchQuickConnects. The queue side
// (Associate/Disassociate/ListQueueQuickConnects) is in queues.go.
//
// References (docs/BEHAVIOUR.md): a QUEUE quick connect holds its queue,
// so DeleteQueue refuses a queue one still targets (DeleteQueue declares
// ResourceInUseException). A USER quick connect does not hold its user:
// DeleteUser declares no such error, and its documentation tells callers to
// delete the user's quick connects afterwards, so the quick connect is left
// pointing at the deleted user. A quick connect holds the contact flow it
// names (contactflows.go), so DeleteContactFlow refuses it; quick connects
// stored before flows existed keep the ids they were given, unchecked and
// not held, until their configuration is next written (FlowHeld).

func (s *Service) registerQuickConnects() {
	handle(s, "CreateQuickConnect", s.createQuickConnect)
	handle(s, "DescribeQuickConnect", s.describeQuickConnect)
	handle(s, "ListQuickConnects", s.listQuickConnects)
	handle(s, "UpdateQuickConnectName", s.updateQuickConnectName)
	handle(s, "UpdateQuickConnectConfig", s.updateQuickConnectConfig)
	handle(s, "DeleteQuickConnect", s.deleteQuickConnect)
	handle(s, "SearchQuickConnects", s.searchQuickConnects)
}

type quickConnectDoc struct {
	api.QuickConnect
	// FlowHeld says the configuration's flow was checked when written and
	// is held by a ref; false for quick connects stored before contact
	// flows existed, whose flow ids may name nothing.
	FlowHeld bool `json:"flowHeld,omitempty"`
}

func (d *quickConnectDoc) refs() []switchboard.Ref {
	var r refSet
	if c := d.QuickConnectConfig; c != nil && c.QueueConfig != nil {
		r.add(switchboard.KindQueue, deref(c.QueueConfig.QueueId))
	}
	if id := quickConnectFlow(d.QuickConnectConfig); d.FlowHeld && id != "" {
		r.add(switchboard.KindContactFlow, id)
	}
	return r.refs
}

// quickConnectFlow is the id of the flow a configuration names, or "".
func quickConnectFlow(c *api.QuickConnectConfig) string {
	var id *string
	switch {
	case c == nil:
	case c.QueueConfig != nil:
		id = c.QueueConfig.ContactFlowId
	case c.UserConfig != nil:
		id = c.UserConfig.ContactFlowId
	case c.FlowConfig != nil:
		id = c.FlowConfig.ContactFlowId
	}
	flowID, _ := splitFlowID(deref(id))
	return flowID
}

// checkQuickConnectConfig requires the configuration member that matches
// QuickConnectType and no other (InvalidParameterException naming them),
// and the user or queue it targets (ResourceNotFoundException). A queue
// must be STANDARD: an AGENT queue is reached through its user.
func checkQuickConnectConfig(tx switchboard.Tx, sc switchboard.Scope, instanceID string, c *api.QuickConnectConfig) error {
	typ := deref(c.QuickConnectType)
	members := []struct {
		name, typ string
		set       bool
	}{
		{"UserConfig", api.QuickConnectTypeUser, c.UserConfig != nil},
		{"QueueConfig", api.QuickConnectTypeQueue, c.QueueConfig != nil},
		{"PhoneConfig", api.QuickConnectTypePhoneNumber, c.PhoneConfig != nil},
		{"FlowConfig", api.QuickConnectTypeFlow, c.FlowConfig != nil},
	}
	for _, m := range members {
		if m.typ == typ && !m.set {
			return invalidParameter("QuickConnectConfig.%s is required when QuickConnectType is %s", m.name, typ)
		}
		if m.typ != typ && m.set {
			return invalidParameter("QuickConnectConfig.%s must not be given when QuickConnectType is %s", m.name, typ)
		}
	}
	switch typ {
	case api.QuickConnectTypeUser:
		if err := checkFlowRef(tx, sc, instanceID, *c.UserConfig.ContactFlowId, "QuickConnectConfig.UserConfig.ContactFlowId", api.ContactFlowTypeAgentTransfer); err != nil {
			return err
		}
		id := *c.UserConfig.UserId
		_, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindUser, Parent: instanceID, ID: id})
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("QuickConnectConfig.UserConfig.UserId: user %s not found in instance %s", id, instanceID)
		}
		return err
	case api.QuickConnectTypeFlow:
		return checkFlowRef(tx, sc, instanceID, *c.FlowConfig.ContactFlowId, "QuickConnectConfig.FlowConfig.ContactFlowId", api.ContactFlowTypeContactFlow)
	case api.QuickConnectTypeQueue:
		if err := checkFlowRef(tx, sc, instanceID, *c.QueueConfig.ContactFlowId, "QuickConnectConfig.QueueConfig.ContactFlowId", api.ContactFlowTypeQueueTransfer); err != nil {
			return err
		}
		id := *c.QueueConfig.QueueId
		rec, err := getQueue(tx, sc, instanceID, id)
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("QuickConnectConfig.QueueConfig.QueueId: queue %s not found in instance %s", id, instanceID)
		}
		if err != nil {
			return err
		}
		var doc queueDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if doc.QueueType != api.QueueTypeStandard {
			return invalidParameter("QuickConnectConfig.QueueConfig.QueueId: queue %s is an %s queue; a quick connect can only target a STANDARD queue", id, doc.QueueType)
		}
	}
	return nil
}

func (s *Service) createQuickConnect(ctx context.Context, in *api.CreateQuickConnectRequest) (*api.CreateQuickConnectResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateQuickConnectResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := checkQuickConnectConfig(tx, sc, inst.ID, in.QuickConnectConfig); err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindQuickConnect, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.QuickConnectsPerInstance {
			return limitExceeded("The maximum number of quick connects per instance (%d) has been reached", s.quotas.QuickConnectsPerInstance)
		}
		doc := quickConnectDoc{QuickConnect: api.QuickConnect{Description: in.Description, QuickConnectConfig: in.QuickConnectConfig}, FlowHeld: true}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindQuickConnect, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Refs: doc.refs(), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateQuickConnectResponse{QuickConnectId: ptr(id), QuickConnectARN: ptr(resourceARN(sc, switchboard.KindQuickConnect, inst.ID, id))}
		return nil
	})
	return out, err
}

func quickConnectShape(rec *switchboard.Record) (*quickConnectDoc, error) {
	var doc quickConnectDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	q := &doc.QuickConnect
	q.QuickConnectId, q.QuickConnectARN, q.Name, q.LastModifiedTime, q.LastModifiedRegion = sm.id, sm.arn, sm.name, sm.modified, sm.region
	q.Tags = copyTags(rec.Tags)
	return &doc, nil
}

func quickConnectSummary(rec *switchboard.Record) (api.QuickConnectSummary, error) {
	doc, err := quickConnectShape(rec)
	if err != nil {
		return api.QuickConnectSummary{}, err
	}
	q := doc.QuickConnect
	return api.QuickConnectSummary{
		Id: q.QuickConnectId, Arn: q.QuickConnectARN, Name: q.Name, QuickConnectType: q.QuickConnectConfig.QuickConnectType,
		LastModifiedTime: q.LastModifiedTime, LastModifiedRegion: q.LastModifiedRegion,
	}, nil
}

func (s *Service) describeQuickConnect(ctx context.Context, in *api.DescribeQuickConnectRequest) (*api.DescribeQuickConnectResponse, error) {
	var out *api.DescribeQuickConnectResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindQuickConnect, *in.QuickConnectId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		doc, err := quickConnectShape(rec)
		if err != nil {
			return err
		}
		out = &api.DescribeQuickConnectResponse{QuickConnect: &doc.QuickConnect}
		return nil
	})
	return out, err
}

func (s *Service) listQuickConnects(ctx context.Context, in *api.ListQuickConnectsRequest) (*api.ListQuickConnectsResponse, error) {
	out := &api.ListQuickConnectsResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		var keep func(*switchboard.Record) bool
		if len(in.QuickConnectTypes) > 0 {
			want := map[string]bool{}
			for _, t := range in.QuickConnectTypes {
				want[t] = true
			}
			keep = func(r *switchboard.Record) bool {
				var d quickConnectDoc
				return decode(r, &d) == nil && d.QuickConnectConfig != nil && want[deref(d.QuickConnectConfig.QuickConnectType)]
			}
		}
		recs, next, err := listChildren(tx, scope(ctx), *in.InstanceId, switchboard.KindQuickConnect, in.NextToken, in.MaxResults, keep)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.QuickConnectSummaryList = make([]api.QuickConnectSummary, 0, len(recs))
		for _, r := range recs {
			sm, err := quickConnectSummary(r)
			if err != nil {
				return err
			}
			out.QuickConnectSummaryList = append(out.QuickConnectSummaryList, sm)
		}
		return nil
	})
	return out, err
}

// updateQuickConnectName changes the name, the description or both; an
// empty Description removes it.
func (s *Service) updateQuickConnectName(ctx context.Context, in *api.UpdateQuickConnectNameRequest) (*empty, error) {
	if in.Name == nil && in.Description == nil {
		return nil, invalidParameter("Name or Description must be provided")
	}
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindQuickConnect, *in.QuickConnectId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		var doc quickConnectDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = optional(*in.Description)
		}
		rec.Data = encode(doc)
		return nil
	})
}

// updateQuickConnectConfig replaces the whole configuration, type included.
func (s *Service) updateQuickConnectConfig(ctx context.Context, in *api.UpdateQuickConnectConfigRequest) (*empty, error) {
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindQuickConnect, *in.QuickConnectId, func(tx switchboard.Tx, rec *switchboard.Record) error {
		if err := checkQuickConnectConfig(tx, rec.Scope, rec.Parent, in.QuickConnectConfig); err != nil {
			return err
		}
		var doc quickConnectDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		doc.QuickConnectConfig, doc.FlowHeld = in.QuickConnectConfig, true
		rec.Data, rec.Refs = encode(doc), doc.refs()
		return nil
	})
}

// deleteQuickConnect deletes a quick connect even while queues list it:
// DeleteQuickConnect declares no ResourceInUseException. The queues' lists
// drop it (ListQueueQuickConnects shows only quick connects that exist).
func (s *Service) deleteQuickConnect(ctx context.Context, in *api.DeleteQuickConnectRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindQuickConnect, *in.QuickConnectId, nil)
}

var quickConnectSearch = &searchSpec[*quickConnectDoc, api.QuickConnect]{
	kind: switchboard.KindQuickConnect,
	fields: []searchField[*quickConnectDoc]{
		nameField[*quickConnectDoc](),
		descriptionField(func(d *quickConnectDoc) *string { return d.Description }),
		resourceIDField[*quickConnectDoc](),
	},
	decode: quickConnectShape,
	result: func(_ switchboard.Tx, _ *switchboard.Record, doc *quickConnectDoc) (api.QuickConnect, error) {
		return doc.QuickConnect, nil
	},
}

func (s *Service) searchQuickConnects(ctx context.Context, in *api.SearchQuickConnectsRequest) (*api.SearchQuickConnectsResponse, error) {
	r, err := runSearch(s, ctx, quickConnectSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchQuickConnectsResponse{QuickConnects: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}
