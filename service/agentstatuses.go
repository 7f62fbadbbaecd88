package service

import (
	"context"
	"strconv"

	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Agent statuses: CreateAgentStatus, DescribeAgentStatus, ListAgentStatuses,
// UpdateAgentStatus, SearchAgentStatuses (tags through the generic tag
// operations, ARN .../agent-state/{id}).
//
// Every instance has Connect's two system statuses, Available (ROUTABLE)
// and Offline (OFFLINE). Their ids are derived from the instance's ARN, so
// an instance created before agent statuses existed gets the same two on
// first use (ensureDefaults, instancedefaults.go) as a new instance gets
// at creation.

func (s *Service) registerAgentStatuses() {
	handle(s, "CreateAgentStatus", s.createAgentStatus)
	handle(s, "DescribeAgentStatus", s.describeAgentStatus)
	handle(s, "ListAgentStatuses", s.listAgentStatuses)
	handle(s, "UpdateAgentStatus", s.updateAgentStatus)
	handle(s, "SearchAgentStatuses", s.searchAgentStatuses)
}

// agentStatusDoc is what the store keeps of an agent status besides the
// record's id, name, tags and times.
type agentStatusDoc struct {
	Description  *string `json:"description,omitempty"`
	Type         string  `json:"type"`
	State        string  `json:"state"`
	DisplayOrder *int32  `json:"displayOrder,omitempty"`
}

// systemStatuses are the statuses Connect creates with every instance, in
// their display order.
var systemStatuses = []struct {
	name, typ string
	order     int32
}{
	{"Available", api.AgentStatusTypeRoutable, 1},
	{"Offline", api.AgentStatusTypeOffline, 2},
}

// systemStatusNamespace names the UUIDs systemStatusID derives.
var systemStatusNamespace = uuid.MustParse("0b6f6c8e-2d0c-4b7e-9a53-0c4f3f1b9d27")

// systemStatusID is the id of the system status of that type (ROUTABLE or
// OFFLINE) in an instance: the same whenever it is asked, before or after
// the status is stored, and whatever it was renamed to.
func systemStatusID(sc switchboard.Scope, instanceID, typ string) string {
	return uuid.NewSHA1(systemStatusNamespace, []byte(instanceARN(sc, instanceID)+"/"+typ)).String()
}

func agentStatusShape(rec *switchboard.Record) (*api.AgentStatus, *agentStatusDoc, error) {
	var doc agentStatusDoc
	if err := decode(rec, &doc); err != nil {
		return nil, nil, err
	}
	sm := summarize(rec)
	return &api.AgentStatus{
		AgentStatusARN: sm.arn, AgentStatusId: sm.id, Name: sm.name, Description: doc.Description,
		Type: ptr(doc.Type), DisplayOrder: doc.DisplayOrder, State: ptr(doc.State), Tags: copyTags(rec.Tags),
		LastModifiedTime: sm.modified, LastModifiedRegion: sm.region,
	}, &doc, nil
}

func (s *Service) createAgentStatus(ctx context.Context, in *api.CreateAgentStatusRequest) (*api.CreateAgentStatusResponse, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateAgentStatusResponse
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		recs, err := tx.List(sc, switchboard.KindAgentStatus, instanceID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		custom := 0
		for _, r := range recs {
			if !isSystemStatus(r) {
				custom++
			}
		}
		if custom >= s.quotas.AgentStatusesPerInstance {
			return limitExceeded("The maximum number of agent statuses per instance (%d) has been reached", s.quotas.AgentStatusesPerInstance)
		}
		doc := agentStatusDoc{Description: in.Description, Type: api.AgentStatusTypeCustom, State: *in.State, DisplayOrder: in.DisplayOrder}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindAgentStatus, Parent: instanceID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateAgentStatusResponse{AgentStatusId: ptr(id), AgentStatusARN: ptr(resourceARN(sc, switchboard.KindAgentStatus, instanceID, id))}
		return nil
	})
	return out, err
}

// isSystemStatus reports whether an agent status record is Available or
// Offline of its instance.
func isSystemStatus(rec *switchboard.Record) bool {
	for _, st := range systemStatuses {
		if rec.ID == systemStatusID(rec.Scope, rec.Parent, st.typ) {
			return true
		}
	}
	return false
}

func (s *Service) describeAgentStatus(ctx context.Context, in *api.DescribeAgentStatusRequest) (*api.DescribeAgentStatusResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	var out *api.DescribeAgentStatusResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindAgentStatus, *in.AgentStatusId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		st, _, err := agentStatusShape(rec)
		out = &api.DescribeAgentStatusResponse{AgentStatus: st}
		return err
	})
	return out, err
}

func (s *Service) listAgentStatuses(ctx context.Context, in *api.ListAgentStatusRequest) (*api.ListAgentStatusResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	types := map[string]bool{}
	for _, t := range in.AgentStatusTypes { // values checked by the model's enum
		types[t] = true
	}
	var keep func(*switchboard.Record) bool
	if len(types) > 0 {
		keep = func(rec *switchboard.Record) bool {
			var doc agentStatusDoc
			return decode(rec, &doc) == nil && types[doc.Type]
		}
	}
	out := &api.ListAgentStatusResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, next, err := listChildren(tx, scope(ctx), *in.InstanceId, switchboard.KindAgentStatus, in.NextToken, in.MaxResults, keep)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.AgentStatusSummaryList = make([]api.AgentStatusSummary, 0, len(recs))
		for _, rec := range recs {
			st, _, err := agentStatusShape(rec)
			if err != nil {
				return err
			}
			out.AgentStatusSummaryList = append(out.AgentStatusSummaryList, api.AgentStatusSummary{
				Id: st.AgentStatusId, Arn: st.AgentStatusARN, Name: st.Name, Type: st.Type,
				LastModifiedTime: st.LastModifiedTime, LastModifiedRegion: st.LastModifiedRegion,
			})
		}
		return nil
	})
	return out, err
}

// updateAgentStatus changes the members given. The system statuses keep
// their state: Offline and Available cannot be disabled.
func (s *Service) updateAgentStatus(ctx context.Context, in *api.UpdateAgentStatusRequest) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	if in.DisplayOrder != nil && deref(in.ResetOrderNumber) {
		return nil, invalidRequest("DisplayOrder and ResetOrderNumber cannot be used together")
	}
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindAgentStatus, *in.AgentStatusId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		var doc agentStatusDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if in.State != nil && *in.State != doc.State && isSystemStatus(rec) {
			return invalidRequest("The %s agent status %s cannot be %s", doc.Type, rec.Name, map[string]string{api.AgentStatusStateDisabled: "disabled", api.AgentStatusStateEnabled: "enabled"}[*in.State])
		}
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
			if *in.Description == "" {
				doc.Description = nil
			}
		}
		if in.State != nil {
			doc.State = *in.State
		}
		if in.DisplayOrder != nil {
			doc.DisplayOrder = in.DisplayOrder
		}
		if deref(in.ResetOrderNumber) {
			doc.DisplayOrder = nil
		}
		rec.Data = encode(doc)
		return nil
	})
}

// Agent statuses are searched on name, description, state, type,
// displayOrder and resourceID.
var agentStatusSearch = &searchSpec[*agentStatusDoc, api.AgentStatus]{
	kind: switchboard.KindAgentStatus,
	fields: []searchField[*agentStatusDoc]{
		nameField[*agentStatusDoc](),
		descriptionField(func(d *agentStatusDoc) *string { return d.Description }),
		{name: "state", fold: true, get: func(_ *switchboard.Record, d *agentStatusDoc) []string { return []string{d.State} }},
		{name: "type", fold: true, get: func(_ *switchboard.Record, d *agentStatusDoc) []string { return []string{d.Type} }},
		{name: "displayOrder", get: func(_ *switchboard.Record, d *agentStatusDoc) []string {
			if d.DisplayOrder == nil {
				return nil
			}
			return []string{strconv.Itoa(int(*d.DisplayOrder))}
		}},
		resourceIDField[*agentStatusDoc](),
	},
	decode: func(rec *switchboard.Record) (*agentStatusDoc, error) {
		var doc agentStatusDoc
		return &doc, decode(rec, &doc)
	},
	result: func(_ switchboard.Tx, rec *switchboard.Record, _ *agentStatusDoc) (api.AgentStatus, error) {
		st, _, err := agentStatusShape(rec)
		if err != nil {
			return api.AgentStatus{}, err
		}
		return *st, nil
	},
}

func (s *Service) searchAgentStatuses(ctx context.Context, in *api.SearchAgentStatusesRequest) (*api.SearchAgentStatusesResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	r, err := runSearch(s, ctx, agentStatusSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchAgentStatusesResponse{AgentStatuses: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}
