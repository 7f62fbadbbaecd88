package service

import (
	"context"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// SearchUsers semantics (docs/BEHAVIOUR.md): string conditions on names
// compare case-insensitively, on ids exactly; a criteria node ANDs all of
// its parts; ListCondition (proficiencies) matches no user because
// Switchboard keeps no proficiencies yet; results come in creation order.

var searchableUserFields = map[string]bool{"Username": true, "FirstName": true, "LastName": true, "RoutingProfileId": true, "SecurityProfileId": true, "resourceId": true}

// userMatch is one user as the search sees it.
type userMatch struct {
	rec *switchboard.Record
	doc *userDoc
}

type userSearch struct {
	tx     switchboard.Tx
	sc     switchboard.Scope
	inst   string
	groups map[string][]string // hierarchy group id -> path of ids from level one
}

// groupPath returns the ids from level one down to the group itself.
func (q *userSearch) groupPath(id string) []string {
	if p, ok := q.groups[id]; ok {
		return p
	}
	var path []string
	if rec, err := q.tx.Get(switchboard.Key{Scope: q.sc, Kind: switchboard.KindHierarchyGroup, Parent: q.inst, ID: id}); err == nil {
		var g hierarchyGroupDoc
		if decode(rec, &g) == nil {
			path = g.Path
		}
	}
	q.groups[id] = path
	return path
}

func checkCriteria(c *api.UserSearchCriteria) error {
	if c == nil {
		return nil
	}
	if sc := c.StringCondition; sc != nil {
		if !searchableUserFields[deref(sc.FieldName)] {
			return invalidParameter("StringCondition.FieldName %q is not supported; use one of Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, resourceId", deref(sc.FieldName))
		}
		if sc.ComparisonType == nil || sc.Value == nil {
			return invalidParameter("StringCondition needs FieldName, Value and ComparisonType")
		}
	}
	if hc := c.HierarchyGroupCondition; hc != nil && (hc.Value == nil || hc.HierarchyGroupMatchType == nil) {
		return invalidParameter("HierarchyGroupCondition needs Value and HierarchyGroupMatchType")
	}
	for i := range c.AndConditions {
		if err := checkCriteria(&c.AndConditions[i]); err != nil {
			return err
		}
	}
	for i := range c.OrConditions {
		if err := checkCriteria(&c.OrConditions[i]); err != nil {
			return err
		}
	}
	return nil
}

func compareString(value, want, how string, fold bool) bool {
	if fold {
		value, want = strings.ToLower(value), strings.ToLower(want)
	}
	switch how {
	case api.StringComparisonTypeStartsWith:
		return strings.HasPrefix(value, want)
	case api.StringComparisonTypeContains:
		return strings.Contains(value, want)
	default:
		return value == want
	}
}

func (q *userSearch) stringCond(c *api.StringCondition, u userMatch) bool {
	want, how := deref(c.Value), deref(c.ComparisonType)
	switch deref(c.FieldName) {
	case "Username":
		return compareString(u.rec.Name, want, how, true)
	case "FirstName":
		return compareString(deref(u.doc.IdentityInfo.FirstName), want, how, true)
	case "LastName":
		return compareString(deref(u.doc.IdentityInfo.LastName), want, how, true)
	case "RoutingProfileId":
		return compareString(u.doc.RoutingProfileID, want, how, false)
	case "resourceId":
		return compareString(u.rec.ID, want, how, false)
	case "SecurityProfileId":
		for _, id := range u.doc.SecurityProfileIDs {
			if compareString(id, want, how, false) {
				return true
			}
		}
	}
	return false
}

func (q *userSearch) hierarchyCond(c *api.HierarchyGroupCondition, u userMatch) bool {
	if u.doc.HierarchyGroupID == "" {
		return false
	}
	want := deref(c.Value)
	if deref(c.HierarchyGroupMatchType) == api.HierarchyGroupMatchTypeExact {
		return u.doc.HierarchyGroupID == want
	}
	for _, id := range q.groupPath(u.doc.HierarchyGroupID) {
		if id == want {
			return true
		}
	}
	return u.doc.HierarchyGroupID == want
}

func (q *userSearch) criteria(c *api.UserSearchCriteria, u userMatch) bool {
	if c == nil {
		return true
	}
	for i := range c.AndConditions {
		if !q.criteria(&c.AndConditions[i], u) {
			return false
		}
	}
	if len(c.OrConditions) > 0 {
		any := false
		for i := range c.OrConditions {
			if q.criteria(&c.OrConditions[i], u) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	if c.StringCondition != nil && !q.stringCond(c.StringCondition, u) {
		return false
	}
	if c.HierarchyGroupCondition != nil && !q.hierarchyCond(c.HierarchyGroupCondition, u) {
		return false
	}
	if c.ListCondition != nil {
		return false
	}
	return true
}

func tagMatch(c api.TagCondition, tags map[string]string) bool {
	v, ok := tags[deref(c.TagKey)]
	return ok && (c.TagValue == nil || v == *c.TagValue)
}

func allTags(cs []api.TagCondition, tags map[string]string) bool {
	for _, c := range cs {
		if !tagMatch(c, tags) {
			return false
		}
	}
	return true
}

func (q *userSearch) filter(f *api.UserSearchFilter, u userMatch) bool {
	if f == nil {
		return true
	}
	if t := f.TagFilter; t != nil {
		if t.TagCondition != nil && !tagMatch(*t.TagCondition, u.rec.Tags) {
			return false
		}
		if !allTags(t.AndConditions, u.rec.Tags) {
			return false
		}
		if len(t.OrConditions) > 0 {
			any := false
			for _, and := range t.OrConditions {
				if allTags(and, u.rec.Tags) {
					any = true
					break
				}
			}
			if !any {
				return false
			}
		}
	}
	if a := f.UserAttributeFilter; a != nil {
		andCond := func(c *api.AttributeAndCondition) bool {
			return allTags(c.TagConditions, u.rec.Tags) && (c.HierarchyGroupCondition == nil || q.hierarchyCond(c.HierarchyGroupCondition, u))
		}
		switch {
		case a.TagCondition != nil:
			return tagMatch(*a.TagCondition, u.rec.Tags)
		case a.HierarchyGroupCondition != nil:
			return q.hierarchyCond(a.HierarchyGroupCondition, u)
		case a.AndCondition != nil:
			return andCond(a.AndCondition)
		case len(a.OrConditions) > 0:
			for i := range a.OrConditions {
				if andCond(&a.OrConditions[i]) {
					return true
				}
			}
			return false
		}
	}
	return true
}

func checkFilter(f *api.UserSearchFilter) error {
	if f == nil {
		return nil
	}
	if f.TagFilter != nil && f.UserAttributeFilter != nil {
		// Documented: combining the two is refused with AccessDeniedException.
		return &api.AccessDeniedException{Message: ptr("SearchFilter may contain TagFilter or UserAttributeFilter, not both")}
	}
	if a := f.UserAttributeFilter; a != nil {
		n := 0
		for _, set := range []bool{a.TagCondition != nil, a.HierarchyGroupCondition != nil, a.AndCondition != nil, a.OrConditions != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			return invalidParameter("UserAttributeFilter accepts only one of OrConditions, AndCondition, TagCondition and HierarchyGroupCondition")
		}
	}
	return nil
}

func (s *Service) searchUsers(ctx context.Context, in *api.SearchUsersRequest) (*api.SearchUsersResponse, error) {
	if err := checkCriteria(in.SearchCriteria); err != nil {
		return nil, err
	}
	if err := checkFilter(in.SearchFilter); err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(derefOr(in.MaxResults, defaultPageSize))
	sc := scope(ctx)
	out := &api.SearchUsersResponse{Users: []api.UserSearchSummary{}}
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, _, err := getInstance(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		q := &userSearch{tx: tx, sc: sc, inst: inst.ID, groups: map[string][]string{}}
		recs, err := tx.List(sc, switchboard.KindUser, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		out.Users = out.Users[:0]
		total := int64(0)
		var lastSeq int64
		for _, rec := range recs {
			var doc userDoc
			if err := decode(rec, &doc); err != nil {
				return err
			}
			u := userMatch{rec: rec, doc: &doc}
			if !q.criteria(in.SearchCriteria, u) || !q.filter(in.SearchFilter, u) {
				continue
			}
			total++
			if rec.Seq <= after {
				continue
			}
			if len(out.Users) == limit {
				if out.NextToken == nil {
					out.NextToken = encodeToken(lastSeq)
				}
				continue
			}
			out.Users = append(out.Users, searchSummary(rec, &doc))
			lastSeq = rec.Seq
		}
		out.ApproximateTotalCount = ptr(total)
		return nil
	})
	return out, err
}

func searchSummary(rec *switchboard.Record, doc *userDoc) api.UserSearchSummary {
	return api.UserSearchSummary{
		Id:                          ptr(rec.ID),
		Arn:                         ptr(resourceARN(rec.Scope, switchboard.KindUser, rec.Parent, rec.ID)),
		Username:                    ptr(rec.Name),
		IdentityInfo:                &api.UserIdentityInfoLite{FirstName: doc.IdentityInfo.FirstName, LastName: doc.IdentityInfo.LastName},
		PhoneConfig:                 doc.Channels.phoneConfig(1000),
		DirectoryUserId:             optional(doc.DirectoryUserID),
		HierarchyGroupId:            optional(doc.HierarchyGroupID),
		RoutingProfileId:            ptr(doc.RoutingProfileID),
		SecurityProfileIds:          append([]string{}, doc.SecurityProfileIDs...),
		Tags:                        copyTags(rec.Tags),
		AutoAcceptConfigs:           doc.Channels.AutoAccept,
		AfterContactWorkConfigs:     doc.Channels.ACW,
		PhoneNumberConfigs:          doc.Channels.PhoneNumber,
		PersistentConnectionConfigs: doc.Channels.PersistentConnection,
		VoiceEnhancementConfigs:     doc.Channels.VoiceEnhancement,
	}
}
