package service

import (
	"context"
	"strconv"
	"sync"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// SearchSecurityProfiles, SearchQueues, SearchRoutingProfiles,
// SearchHoursOfOperations and SearchUserHierarchyGroups: what each resource
// exposes to the search engine (search.go). The StringCondition fields are
// the ones each criteria shape's documentation names.

var securityProfileSearch = &searchSpec[*securityProfileDoc, api.SecurityProfileSearchSummary]{
	kind: switchboard.KindSecurityProfile,
	fields: []searchField[*securityProfileDoc]{
		nameField[*securityProfileDoc](),
		descriptionField(func(d *securityProfileDoc) *string { return d.Description }),
		resourceIDField[*securityProfileDoc](),
	},
	decode: securityProfileShape,
	result: func(_ switchboard.Tx, _ *switchboard.Record, doc *securityProfileDoc) (api.SecurityProfileSearchSummary, error) {
		p := doc.SecurityProfile
		return api.SecurityProfileSearchSummary{
			Id: p.Id, Arn: p.Arn, SecurityProfileName: p.SecurityProfileName, Description: p.Description,
			OrganizationResourceId: p.OrganizationResourceId, Tags: p.Tags,
		}, nil
	},
}

func (s *Service) searchSecurityProfiles(ctx context.Context, in *api.SearchSecurityProfilesRequest) (*api.SearchSecurityProfilesResponse, error) {
	r, err := runSearch(s, ctx, securityProfileSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchSecurityProfilesResponse{SecurityProfiles: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

// Queues: AGENT queues are found too (they have no name); QueueTypeCondition
// STANDARD leaves them out.
var queueSearch = &searchSpec[*queueDoc, api.Queue]{
	kind: switchboard.KindQueue,
	fields: []searchField[*queueDoc]{
		{name: "name", fold: true, get: func(_ *switchboard.Record, d *queueDoc) []string { return []string{deref(d.Name)} }},
		descriptionField(func(d *queueDoc) *string { return d.Description }),
		resourceIDField[*queueDoc](),
	},
	decode:      queueShape,
	result:      func(_ switchboard.Tx, _ *switchboard.Record, doc *queueDoc) (api.Queue, error) { return doc.Queue, nil },
	queueType:   func(d *queueDoc) string { return d.QueueType },
	implied:     impliedQueuePages,
	impliedFull: fullImpliedQueue,
	impliedDoc:  impliedQueueMatchDoc,
	skipImplied: func(c *searchCriteria) bool { return requiresQueueType(c, api.QueueTypeStandard) },
}

// impliedQueuePages pages an instance's implied AGENT queues for a search.
// Without withTags a page is read from the users' summaries (no documents)
// and its queues have neither tags nor times: they are matched on their
// id and type only, and fullImpliedQueue completes those returned.
func impliedQueuePages(s *Service, tx switchboard.Tx, inst *switchboard.Record, withTags bool) (pageFunc, error) {
	idoc, err := s.instanceDoc(inst)
	if err != nil || !idoc.AgentQueuesImplied {
		return nil, err
	}
	sl, summaries := tx.(summaryLister)
	return func(after int64) ([]*switchboard.Record, error) {
		o := switchboard.ListOptions{AfterSeq: after, Limit: searchPage}
		if withTags || !summaries {
			return s.impliedQueues(tx, inst, o, withTags)
		}
		users, err := sl.ListSummaries(inst.Scope, switchboard.KindUser, inst.ID, o)
		if err != nil {
			return nil, err
		}
		out := make([]*switchboard.Record, len(users))
		for i := range users {
			out[i] = impliedQueue(&users[i], nil)
		}
		return out, nil
	}, nil
}

// impliedQueueMatchDoc is the document every implied AGENT queue decodes
// to, as far as the queue search's fields and type read it. Shared: never
// changed.
var impliedQueueMatchDoc = sync.OnceValues(func() (*queueDoc, error) {
	return queueShape(&switchboard.Record{Kind: switchboard.KindQueue, Data: impliedQueueDoc})
})

// fullImpliedQueue reads an implied AGENT queue again with its tags and
// times.
func fullImpliedQueue(tx switchboard.Tx, rec *switchboard.Record) (*switchboard.Record, error) {
	user, doc, err := impliedQueueOf(tx, rec.Scope, rec.Parent, rec.ID)
	if err != nil {
		return nil, err
	}
	return impliedQueue(user, doc.AgentQueueTags), nil
}

// requiresQueueType reports whether every queue that matches c has type t.
func requiresQueueType(c *searchCriteria, t string) bool {
	if c == nil {
		return false
	}
	if c.QueueTypeCondition != nil && *c.QueueTypeCondition == t {
		return true
	}
	for i := range c.AndConditions {
		if requiresQueueType(&c.AndConditions[i], t) {
			return true
		}
	}
	if len(c.OrConditions) == 0 {
		return false
	}
	for i := range c.OrConditions {
		if !requiresQueueType(&c.OrConditions[i], t) {
			return false
		}
	}
	return true
}

func (s *Service) searchQueues(ctx context.Context, in *api.SearchQueuesRequest) (*api.SearchQueuesResponse, error) {
	r, err := runSearch(s, ctx, queueSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchQueuesResponse{Queues: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

// associatedQueueIDs lists each queue of the configs once, in order.
func associatedQueueIDs(refs []*api.RoutingProfileQueueReference) []string {
	var set refSet
	for _, r := range refs {
		set.add(switchboard.KindQueue, keyOf(r).id)
	}
	ids := make([]string, 0, len(set.refs))
	for _, r := range set.refs {
		ids = append(ids, r.ID)
	}
	return ids
}

// Routing profiles: as documented, the results carry AssociatedQueueIds
// (and AssociatedManualAssignmentQueueIds) and leave out LastModifiedTime,
// LastModifiedRegion, CrossChannelBehavior and AgentAvailabilityTimer,
// which DescribeRoutingProfile returns.
var routingProfileSearch = &searchSpec[*routingProfileStored, api.RoutingProfile]{
	kind: switchboard.KindRoutingProfile,
	fields: []searchField[*routingProfileStored]{
		{name: "associatedQueueIds", get: func(_ *switchboard.Record, d *routingProfileStored) []string {
			return associatedQueueIDs(configRefs(d.QueueConfigs))
		}},
		nameField[*routingProfileStored](),
		descriptionField(func(d *routingProfileStored) *string { return d.Description }),
		resourceIDField[*routingProfileStored](),
	},
	decode: func(rec *switchboard.Record) (*routingProfileStored, error) {
		var doc routingProfileStored
		return &doc, decode(rec, &doc)
	},
	result: func(tx switchboard.Tx, rec *switchboard.Record, stored *routingProfileStored) (api.RoutingProfile, error) {
		doc, err := routingProfileShape(tx, rec)
		if err != nil {
			return api.RoutingProfile{}, err
		}
		p := doc.RoutingProfile
		p.AssociatedQueueIds = associatedQueueIDs(configRefs(stored.QueueConfigs))
		p.AssociatedManualAssignmentQueueIds = associatedQueueIDs(manualRefs(stored.ManualAssignmentQueueConfigs))
		p.LastModifiedTime, p.LastModifiedRegion, p.AgentAvailabilityTimer = nil, nil, nil
		p.MediaConcurrencies = append([]api.MediaConcurrency{}, p.MediaConcurrencies...)
		for i := range p.MediaConcurrencies {
			p.MediaConcurrencies[i].CrossChannelBehavior = nil
		}
		return p, nil
	},
}

func (s *Service) searchRoutingProfiles(ctx context.Context, in *api.SearchRoutingProfilesRequest) (*api.SearchRoutingProfilesResponse, error) {
	r, err := runSearch(s, ctx, routingProfileSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchRoutingProfilesResponse{RoutingProfiles: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

var hoursSearch = &searchSpec[*hoursDoc, api.HoursOfOperation]{
	kind: switchboard.KindHoursOfOperation,
	fields: []searchField[*hoursDoc]{
		nameField[*hoursDoc](),
		descriptionField(func(d *hoursDoc) *string { return d.Description }),
		{name: "timezone", fold: true, get: func(_ *switchboard.Record, d *hoursDoc) []string { return []string{deref(d.TimeZone)} }},
		resourceIDField[*hoursDoc](),
	},
	decode: hoursShape,
	result: func(_ switchboard.Tx, _ *switchboard.Record, doc *hoursDoc) (api.HoursOfOperation, error) {
		return doc.HoursOfOperation, nil
	},
}

func (s *Service) searchHoursOfOperations(ctx context.Context, in *api.SearchHoursOfOperationsRequest) (*api.SearchHoursOfOperationsResponse, error) {
	r, err := runSearch(s, ctx, hoursSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchHoursOfOperationsResponse{HoursOfOperations: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

// hierarchyGroupShape is a group as DescribeUserHierarchyGroup returns it,
// with its HierarchyPath.
func hierarchyGroupShape(tx switchboard.Tx, rec *switchboard.Record, doc *hierarchyGroupDoc) (api.HierarchyGroup, error) {
	path := &api.HierarchyPath{}
	slots := []**api.HierarchyGroupSummary{&path.LevelOne, &path.LevelTwo, &path.LevelThree, &path.LevelFour, &path.LevelFive}
	for i, id := range doc.Path {
		g, err := tx.Get(switchboard.Key{Scope: rec.Scope, Kind: switchboard.KindHierarchyGroup, Parent: rec.Parent, ID: id})
		if err != nil {
			return api.HierarchyGroup{}, err
		}
		*slots[i] = groupSummary(g)
	}
	sm := summarize(rec)
	return api.HierarchyGroup{
		Id: sm.id, Arn: sm.arn, Name: sm.name, LevelId: ptr(strconv.Itoa(doc.Level)), HierarchyPath: path,
		Tags: copyTags(rec.Tags), LastModifiedTime: sm.modified, LastModifiedRegion: sm.region,
	}, nil
}

var hierarchyGroupSearch = &searchSpec[*hierarchyGroupDoc, api.HierarchyGroup]{
	kind: switchboard.KindHierarchyGroup,
	fields: []searchField[*hierarchyGroupDoc]{
		nameField[*hierarchyGroupDoc](),
		{name: "parentId", get: func(_ *switchboard.Record, d *hierarchyGroupDoc) []string { return []string{d.ParentID} }},
		{name: "levelId", get: func(_ *switchboard.Record, d *hierarchyGroupDoc) []string { return []string{strconv.Itoa(d.Level)} }},
		resourceIDField[*hierarchyGroupDoc](),
	},
	decode: func(rec *switchboard.Record) (*hierarchyGroupDoc, error) {
		var doc hierarchyGroupDoc
		return &doc, decode(rec, &doc)
	},
	result: hierarchyGroupShape,
}

func (s *Service) searchUserHierarchyGroups(ctx context.Context, in *api.SearchUserHierarchyGroupsRequest) (*api.SearchUserHierarchyGroupsResponse, error) {
	r, err := runSearch(s, ctx, hierarchyGroupSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchUserHierarchyGroupsResponse{UserHierarchyGroups: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}
