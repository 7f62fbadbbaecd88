package service

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// SearchUsers semantics (docs/BEHAVIOUR.md): string conditions on names
// compare case-insensitively, on ids exactly; a criteria node ANDs all of
// its parts; a ListCondition matches a user one of whose proficiencies
// meets every one of its Conditions; results come in creation order.

var searchableUserFields = map[string]bool{"Username": true, "FirstName": true, "LastName": true, "RoutingProfileId": true, "SecurityProfileId": true, "resourceId": true}

// userMatch is one user as the search sees it: the fields criteria and
// filters look at, with names already lower-cased (every name condition
// compares case-insensitively).
type userMatch struct {
	id, name string // name is lower-cased
	*userAttrs
}

type userSearch struct {
	tx     switchboard.Tx
	sc     switchboard.Scope
	inst   string
	groups map[string][]string // hierarchy group id -> path of ids from level one
	folded map[*api.StringCondition]string
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
	if err := checkListCondition(c.ListCondition); err != nil {
		return err
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

// foldedFields are the fields whose conditions compare case-insensitively.
var foldedFields = map[string]bool{"Username": true, "FirstName": true, "LastName": true}

func (q *userSearch) stringCond(c *api.StringCondition, u userMatch) bool {
	// Names are lower-cased on both sides already, once per user in the
	// index and once per query here.
	want, how := q.wantValue(c), deref(c.ComparisonType)
	switch deref(c.FieldName) {
	case "Username":
		return compareString(u.name, want, how, false)
	case "FirstName":
		return compareString(u.first, want, how, false)
	case "LastName":
		return compareString(u.last, want, how, false)
	case "RoutingProfileId":
		return compareString(u.routingProfileID, want, how, false)
	case "resourceId":
		return compareString(u.id, want, how, false)
	case "SecurityProfileId":
		for _, id := range u.securityProfileIDs {
			if compareString(id, want, how, false) {
				return true
			}
		}
	}
	return false
}

// wantValue is the condition's value, lower-cased for a name field; the
// lower-cased form is computed once per query.
func (q *userSearch) wantValue(c *api.StringCondition) string {
	if !foldedFields[deref(c.FieldName)] {
		return deref(c.Value)
	}
	return q.lowerValue(c)
}

// lowerValue is the condition's value lower-cased, computed once per query.
func (q *userSearch) lowerValue(c *api.StringCondition) string {
	if w, ok := q.folded[c]; ok {
		return w
	}
	w := strings.ToLower(deref(c.Value))
	if q.folded == nil {
		q.folded = map[*api.StringCondition]string{}
	}
	q.folded[c] = w
	return w
}

func (q *userSearch) hierarchyCond(c *api.HierarchyGroupCondition, u userMatch) bool {
	if u.hierarchyGroupID == "" {
		return false
	}
	want := deref(c.Value)
	if deref(c.HierarchyGroupMatchType) == api.HierarchyGroupMatchTypeExact {
		return u.hierarchyGroupID == want
	}
	for _, id := range q.groupPath(u.hierarchyGroupID) {
		if id == want {
			return true
		}
	}
	return u.hierarchyGroupID == want
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
	if c.ListCondition != nil && !q.listCond(c.ListCondition, u) {
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
		if t.TagCondition != nil && !tagMatch(*t.TagCondition, u.tags) {
			return false
		}
		if !allTags(t.AndConditions, u.tags) {
			return false
		}
		if len(t.OrConditions) > 0 {
			any := false
			for _, and := range t.OrConditions {
				if allTags(and, u.tags) {
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
			return allTags(c.TagConditions, u.tags) && (c.HierarchyGroupCondition == nil || q.hierarchyCond(c.HierarchyGroupCondition, u))
		}
		switch {
		case a.TagCondition != nil:
			return tagMatch(*a.TagCondition, u.tags)
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
	var out *api.SearchUsersResponse
	// A shared index newer than this transaction's snapshot cannot answer
	// for it; a fresh transaction sees at least what the index does, so
	// retry, then search without the shared index. A retry costs a View;
	// searching without the index reads every user of the instance (20 s
	// of CPU at 1M users), so the retries are many: with 16 clients
	// mixing searches and writes on a 1M-user instance, three were
	// exhausted about once every few seconds, and each private build
	// took a core away from everything else.
	for attempt := 0; ; attempt++ {
		stale := false
		out = &api.SearchUsersResponse{Users: []api.UserSearchSummary{}}
		err = s.store.View(ctx, func(tx switchboard.Tx) error {
			inst, err := instanceRecord(tx, sc, *in.InstanceId)
			if err != nil {
				return err
			}
			ix, release, err := usersOf(tx, sc, inst.ID, attempt < maxSharedIndexAttempts)
			if errors.Is(err, errIndexAhead) {
				stale = true
				return nil
			}
			if err != nil {
				return err
			}
			defer release()
			return s.searchIndex(tx, sc, inst.ID, ix, in, after, limit, out)
		})
		if err != nil || !stale {
			return out, err
		}
	}
}

// maxSharedIndexAttempts is how many Views a search tries the shared index
// in before it builds a private one (see searchUsers).
const maxSharedIndexAttempts = 32

// searchIndex runs the query over every user of the index, in creation
// order, and loads the full records of the page it returns.
func (s *Service) searchIndex(tx switchboard.Tx, sc switchboard.Scope, instanceID string, ix *userIndex, in *api.SearchUsersRequest, after int64, limit int, out *api.SearchUsersResponse) error {
	q := &userSearch{tx: tx, sc: sc, inst: instanceID, groups: map[string][]string{}}
	match := func(u userMatch) bool {
		return q.criteria(in.SearchCriteria, u) && q.filter(in.SearchFilter, u)
	}
	var nameGrams uint64 // every user whose name can match has these bits
	if c := loneOwnCondition(in); c != nil {
		// The common "Username CONTAINS x" over a million users: the same
		// comparison stringCond makes, without walking the criteria tree
		// and looking up the folded value once per user.
		want, how, onID := q.wantValue(c), deref(c.ComparisonType), deref(c.FieldName) == "resourceId"
		if !onID {
			nameGrams = trigramMask(want)
		}
		match = func(u userMatch) bool {
			if onID {
				return compareString(u.id, want, how, false)
			}
			return compareString(u.name, want, how, false)
		}
	}
	// A query that looks at neither Username nor resourceId depends only
	// on a user's shared attributes, so it is decided once per distinct
	// attribute set rather than once per user.
	var byAttrs []int8 // 0 unknown, 1 match, 2 no match
	if !mentionsOwnFields(in.SearchCriteria) {
		byAttrs = make([]int8, len(ix.attrs))
	}
	total := int64(0)
	var page []int64
	var lastSeq int64
	for i := range ix.users {
		e := &ix.users[i]
		if e.grams&nameGrams != nameGrams {
			continue // the name lacks one of the value's trigrams
		}
		var ok bool
		if byAttrs != nil {
			switch byAttrs[e.attrs] {
			case 0:
				ok = match(ix.view(e))
				byAttrs[e.attrs] = 2
				if ok {
					byAttrs[e.attrs] = 1
				}
			case 1:
				ok = true
			}
		} else {
			ok = match(ix.view(e))
		}
		if !ok {
			continue
		}
		total++
		if e.seq <= after {
			continue
		}
		if len(page) == limit {
			if out.NextToken == nil {
				out.NextToken = encodeToken(lastSeq)
			}
			continue
		}
		page = append(page, int64(i))
		lastSeq = e.seq
	}
	out.ApproximateTotalCount = ptr(total)
	for _, i := range page {
		e := &ix.users[i]
		rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindUser, Parent: instanceID, ID: e.id()})
		if err != nil {
			return err
		}
		doc, err := s.readUserDoc(rec)
		if err != nil {
			return err
		}
		out.Users = append(out.Users, searchSummary(rec, doc))
	}
	return nil
}

// loneOwnCondition returns the query's only condition when it is one
// string condition on Username or resourceId and there is no filter.
func loneOwnCondition(in *api.SearchUsersRequest) *api.StringCondition {
	c := in.SearchCriteria
	if c == nil || in.SearchFilter != nil || c.StringCondition == nil || len(c.AndConditions) > 0 || len(c.OrConditions) > 0 ||
		c.HierarchyGroupCondition != nil || c.ListCondition != nil {
		return nil
	}
	if f := deref(c.StringCondition.FieldName); f != "Username" && f != "resourceId" {
		return nil
	}
	return c.StringCondition
}

// mentionsOwnFields reports whether criteria look at a field that is a
// user's own (Username, resourceId) rather than shared with other users.
func mentionsOwnFields(c *api.UserSearchCriteria) bool {
	if c == nil {
		return false
	}
	if sc := c.StringCondition; sc != nil {
		if f := deref(sc.FieldName); f == "Username" || f == "resourceId" {
			return true
		}
	}
	for i := range c.AndConditions {
		if mentionsOwnFields(&c.AndConditions[i]) {
			return true
		}
	}
	for i := range c.OrConditions {
		if mentionsOwnFields(&c.OrConditions[i]) {
			return true
		}
	}
	return false
}

func searchSummary(rec *switchboard.Record, doc *userDoc) api.UserSearchSummary {
	arn := resourceARN(rec.Scope, switchboard.KindUser, rec.Parent, rec.ID)
	return api.UserSearchSummary{
		Id:                          ptr(rec.ID),
		Arn:                         &arn,
		Username:                    ptr(rec.Name),
		IdentityInfo:                &api.UserIdentityInfoLite{FirstName: doc.IdentityInfo.FirstName, LastName: doc.IdentityInfo.LastName},
		PhoneConfig:                 doc.Channels.phoneConfig(1000),
		DirectoryUserId:             ptr(directoryUserID(arn, doc)),
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
