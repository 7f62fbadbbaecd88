package service

// SearchContacts: the instance's contact records (running and ended, as
// the engine keeps them) filtered by the request's time range and search
// criteria, sorted and paged. The answer is computed from the durable
// records in one snapshot, so it survives restarts and is the same from
// every replica. docs/BEHAVIOUR.md, "Contact search", has the rules and
// their sources.

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// Contact search limits.
const (
	// searchContactsDefaultResults is the page size when MaxResults is
	// absent.
	searchContactsDefaultResults = 100
)

// searchedContact is one contact record with what the criteria read.
type searchedContact struct {
	rec   *switchboard.Record
	doc   *contactDoc
	attrs map[string]string // the chain's attributes
}

func (s *Service) searchContacts(ctx context.Context, in *api.SearchContactsRequest) (*api.SearchContactsResponse, error) {
	sc := scope(ctx)
	if err := checkContactSearch(in); err != nil {
		return nil, err
	}
	offset, limit, err := pageRequest(in.NextToken, in.MaxResults, searchContactsDefaultResults)
	if err != nil {
		return nil, err
	}
	var matched []*searchedContact
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, err := tx.List(sc, switchboard.KindContact, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		all := make(map[string]*searchedContact, len(recs))
		list := make([]*searchedContact, 0, len(recs))
		for _, rec := range recs {
			var doc contactDoc
			if err := decode(rec, &doc); err != nil {
				return err
			}
			c := &searchedContact{rec: rec, doc: &doc}
			all[rec.ID] = c
			list = append(list, c)
		}
		for _, c := range list {
			// A chain's attributes are its initial contact's.
			c.attrs = c.doc.Attributes
			if h := all[c.doc.InitialContactID]; h != nil && h != c {
				c.attrs = h.doc.Attributes
			}
		}
		f, err := s.contactFilter(tx, sc, inst.ID, in)
		if err != nil {
			return err
		}
		for _, c := range list {
			if f.keep(c) {
				matched = append(matched, c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortContacts(matched, in.Sort)
	out := &api.SearchContactsResponse{Contacts: []api.ContactSearchSummary{}, TotalCount: ptr(int64(len(matched)))}
	out.NextToken = offsetPage(len(matched), offset, limit, func(i int) {
		out.Contacts = append(out.Contacts, contactSummary(matched[i]))
	})
	return out, nil
}

// checkContactSearch applies the rules the model cannot express.
func checkContactSearch(in *api.SearchContactsRequest) error {
	tr := in.TimeRange
	if tr.EndTime.Time.Before(tr.StartTime.Time) {
		return invalidParameter("TimeRange: EndTime must not be before StartTime")
	}
	c := in.SearchCriteria
	if c == nil {
		return nil
	}
	if a := c.AdditionalTimeRange; a != nil {
		for i, cr := range a.Criteria {
			if (cr.TimeRange == nil) == (cr.TimestampCondition == nil) {
				return invalidParameter("SearchCriteria.AdditionalTimeRange.Criteria[%d]: give exactly one of TimeRange and TimestampCondition", i)
			}
			if r := cr.TimeRange; r != nil && r.EndTime.Time.Before(r.StartTime.Time) {
				return invalidParameter("SearchCriteria.AdditionalTimeRange.Criteria[%d].TimeRange: EndTime must not be before StartTime", i)
			}
		}
	}
	return nil
}

// contactFilter is a search request made ready to test contacts.
type contactFilter struct {
	in      *api.SearchContactsRequest
	region  string
	agentOK func(agentID string) bool // nil: no hierarchy criterion
}

func (s *Service) contactFilter(tx switchboard.Tx, sc switchboard.Scope, instanceID string, in *api.SearchContactsRequest) (*contactFilter, error) {
	f := &contactFilter{in: in, region: sc.Region}
	c := in.SearchCriteria
	if c == nil || c.AgentHierarchyGroups == nil {
		return f, nil
	}
	// An agent matches when its hierarchy group, or a group above it, is
	// one of those named at that group's level.
	h := c.AgentHierarchyGroups
	wanted := [][]string{h.L1Ids, h.L2Ids, h.L3Ids, h.L4Ids, h.L5Ids}
	any := false
	for _, ids := range wanted {
		any = any || len(ids) > 0
	}
	if !any {
		return f, nil
	}
	paths := map[string][]string{} // group id -> path from level one
	pathOf := func(group string) []string {
		if p, ok := paths[group]; ok {
			return p
		}
		var p []string
		if rec, err := getChild(tx, sc, instanceID, switchboard.KindHierarchyGroup, group); err == nil {
			var doc hierarchyGroupDoc
			if decode(rec, &doc) == nil {
				p = doc.Path
			}
		}
		paths[group] = p
		return p
	}
	groupOf := map[string]string{}
	f.agentOK = func(agentID string) bool {
		g, ok := groupOf[agentID]
		if !ok {
			if rec, err := getChild(tx, sc, instanceID, switchboard.KindUser, agentID); err == nil {
				var u userDoc
				if decode(rec, &u) == nil {
					g = u.HierarchyGroupID
				}
			}
			groupOf[agentID] = g
		}
		if g == "" {
			return false
		}
		path := pathOf(g)
		for level, ids := range wanted {
			if len(ids) == 0 {
				continue
			}
			if level >= len(path) || !containsID(ids, path[level]) {
				return false
			}
		}
		return true
	}
	return f, nil
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if lastSegment(x) == id {
			return true
		}
	}
	return false
}

// searchable: Connect's contact search shows a task from its creation,
// but a call or chat only once an agent has it or it has ended (not while
// it is in a flow or waiting in a queue).
func searchable(d *contactDoc) bool {
	return d.Channel == engine.ChannelTask || d.ConnectedToAgentTimestamp != nil || d.DisconnectTimestamp != nil
}

// contactTime is the contact's timestamp of a SearchContactsTimeRangeType
// (nil: the contact has none).
func contactTime(d *contactDoc, typ string) *time.Time {
	c := &d.Contact
	switch typ {
	case api.SearchContactsTimeRangeTypeInitiationTimestamp:
		t := c.InitiationTimestamp
		return &t
	case api.SearchContactsTimeRangeTypeScheduledTimestamp:
		return c.ScheduledTimestamp
	case api.SearchContactsTimeRangeTypeConnectedToAgentTimestamp:
		return c.ConnectedToAgentTimestamp
	case api.SearchContactsTimeRangeTypeDisconnectTimestamp:
		return c.DisconnectTimestamp
	case api.SearchContactsTimeRangeTypeEnqueueTimestamp:
		return c.EnqueueTimestamp
	}
	return nil
}

// inRange: the contact's timestamp of the range's type is within it,
// both ends included.
func inRange(d *contactDoc, r *api.SearchContactsTimeRange) bool {
	t := contactTime(d, deref(r.Type))
	return t != nil && !t.Before(r.StartTime.Time) && !t.After(r.EndTime.Time)
}

// matchAll combines n tests by a SearchContactsMatchType (MATCH_ALL when
// empty): all, any, or none of them hold. MATCH_EXACT, for lists of
// values, is MATCH_ALL.
func matchAll(matchType string, n int, test func(i int) bool) bool {
	switch matchType {
	case api.SearchContactsMatchTypeMatchAny:
		for i := range n {
			if test(i) {
				return true
			}
		}
		return n == 0
	case api.SearchContactsMatchTypeMatchNone:
		for i := range n {
			if test(i) {
				return false
			}
		}
		return true
	}
	for i := range n {
		if !test(i) {
			return false
		}
	}
	return true
}

func (f *contactFilter) keep(c *searchedContact) bool {
	d := c.doc
	if !searchable(d) || !inRange(d, f.in.TimeRange) {
		return false
	}
	sc := f.in.SearchCriteria
	if sc == nil {
		return true
	}
	if len(sc.Channels) > 0 && !contains(sc.Channels, string(d.Channel)) {
		return false
	}
	if len(sc.InitiationMethods) > 0 && !contains(sc.InitiationMethods, string(d.Initiation)) {
		return false
	}
	if len(sc.QueueIds) > 0 && (d.QueueID == "" || d.EnqueueTimestamp == nil || !containsID(sc.QueueIds, d.QueueID)) {
		return false
	}
	if len(sc.AgentIds) > 0 && (d.AgentID == "" || !containsID(sc.AgentIds, d.AgentID)) {
		return false
	}
	if f.agentOK != nil && (d.AgentID == "" || !f.agentOK(d.AgentID)) {
		return false
	}
	if len(sc.ActiveRegions) > 0 && !contains(sc.ActiveRegions, f.region) {
		return false
	}
	if n := sc.Name; n != nil && !matchName(d, n) {
		return false
	}
	if a := sc.SearchableContactAttributes; a != nil {
		if !matchAll(deref(a.MatchType), len(a.Criteria), func(i int) bool {
			v, ok := c.attrs[deref(a.Criteria[i].Key)]
			return ok && contains(a.Criteria[i].Values, v)
		}) {
			return false
		}
	}
	if a := sc.SearchableSegmentAttributes; a != nil {
		if !matchAll(deref(a.MatchType), len(a.Criteria), func(i int) bool {
			v, ok := d.SegmentAttributes[deref(a.Criteria[i].Key)]
			return ok && v.ValueString != nil && contains(a.Criteria[i].Values, *v.ValueString)
		}) {
			return false
		}
	}
	if t := sc.ContactTags; t != nil && !matchTagFilter(t, d.Tags) {
		return false
	}
	// Criteria on data no contact has here find nothing, as they find only
	// the contacts that have it in Connect: transcripts (Contact Lens
	// analyses none), routing criteria (no proficiency routing), AI agents.
	if a := sc.ContactAnalysis; a != nil && a.Transcript != nil && len(a.Transcript.Criteria) > 0 ||
		sc.RoutingCriteria != nil && len(sc.RoutingCriteria.Steps) > 0 || sc.AiAgents != nil && len(sc.AiAgents.Criteria) > 0 {
		return false
	}
	if a := sc.AdditionalTimeRange; a != nil {
		if !matchAll(deref(a.MatchType), len(a.Criteria), func(i int) bool {
			cr := a.Criteria[i]
			if cr.TimeRange != nil {
				return inRange(d, cr.TimeRange)
			}
			// NOT_EXISTS, the only condition: the contact has no such
			// timestamp.
			return contactTime(d, deref(cr.TimestampCondition.Type)) == nil
		}) {
			return false
		}
	}
	return true
}

// matchName tests the contact's name against the search texts:
// MATCH_EXACT, the name is one of them; otherwise each text is a
// case-insensitive part of the name, combined by the match type.
func matchName(d *contactDoc, n *api.NameCriteria) bool {
	name := deref(d.Name)
	if deref(n.MatchType) == api.SearchContactsMatchTypeMatchExact {
		return d.Name != nil && contains(n.SearchText, name)
	}
	lower := strings.ToLower(name)
	return matchAll(deref(n.MatchType), len(n.SearchText), func(i int) bool {
		return d.Name != nil && strings.Contains(lower, strings.ToLower(n.SearchText[i]))
	})
}

// sortContacts orders the matches: by the Sort's field (INITIATION_TIMESTAMP
// DESCENDING, newest first, without one); contacts without a value for
// the field come last either way; ties by id.
func sortContacts(cs []*searchedContact, s *api.Sort) {
	field, desc := api.SortableFieldNameInitiationTimestamp, true
	if s != nil {
		field, desc = deref(s.FieldName), deref(s.Order) == api.SortOrderDescending
	}
	key := func(c *searchedContact) (time.Time, string, bool) {
		switch field {
		case api.SortableFieldNameInitiationMethod:
			return time.Time{}, string(c.doc.Initiation), true
		case api.SortableFieldNameChannel:
			return time.Time{}, string(c.doc.Channel), true
		case api.SortableFieldNameExpiryTimestamp:
			return time.Time{}, "", false // Switchboard's contacts do not expire
		}
		if t := contactTime(c.doc, field); t != nil {
			return *t, "", true
		}
		return time.Time{}, "", false
	}
	sort.SliceStable(cs, func(i, j int) bool {
		ti, si, oki := key(cs[i])
		tj, sj, okj := key(cs[j])
		if oki != okj {
			return oki
		}
		if oki {
			if !ti.Equal(tj) {
				return ti.Before(tj) != desc
			}
			if si != sj {
				return (si < sj) != desc
			}
		}
		return cs[i].rec.ID < cs[j].rec.ID
	})
}

// contactSummary is a contact as SearchContacts shows it.
func contactSummary(c *searchedContact) api.ContactSearchSummary {
	d, rec := c.doc, c.rec
	out := api.ContactSearchSummary{Id: ptr(rec.ID), Arn: ptr(contactARN(rec.Scope, rec.Parent, rec.ID)), InitialContactId: ptr(d.InitialContactID),
		Channel: ptr(string(d.Channel)), InitiationMethod: ptr(string(d.Initiation)), InitiationTimestamp: ts(d.InitiationTimestamp),
		DisconnectTimestamp: stamp(d.DisconnectTimestamp), ScheduledTimestamp: stamp(d.ScheduledTimestamp), Name: d.Name,
		Tags: map[string]string{instanceIDTag: rec.Parent}}
	if d.PreviousContactID != "" {
		out.PreviousContactId = ptr(d.PreviousContactID)
	}
	if d.QueueID != "" && d.EnqueueTimestamp != nil {
		out.QueueInfo = &api.ContactSearchSummaryQueueInfo{Id: ptr(d.QueueID), EnqueueTimestamp: stamp(d.EnqueueTimestamp)}
	}
	if d.AgentID != "" {
		out.AgentInfo = &api.ContactSearchSummaryAgentInfo{Id: ptr(d.AgentID), ConnectedToAgentTimestamp: stamp(d.ConnectedToAgentTimestamp)}
	}
	if len(d.SegmentAttributes) > 0 {
		out.SegmentAttributes = map[string]api.ContactSearchSummarySegmentAttributeValue{}
		for k, v := range d.SegmentAttributes {
			out.SegmentAttributes[k] = api.ContactSearchSummarySegmentAttributeValue{ValueString: v.ValueString, ValueMap: v.ValueMap}
		}
	}
	for k, v := range d.Tags {
		out.Tags[k] = v
	}
	return out
}
