package service

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The search engine shared by the Search* operations of instance resources
// (security profiles, queues, routing profiles, hours of operation,
// hierarchy groups, quick connects). SearchUsers has its own index
// (usersearch.go).
//
// Semantics (docs/BEHAVIOUR.md): a criteria node ANDs everything it holds —
// every AndConditions entry, at least one OrConditions entry when there are
// any, its StringCondition and its QueueTypeCondition. StringCondition
// field names are matched case-insensitively; names, descriptions and time
// zones compare case-insensitively, ids exactly; a field with several
// values (associatedQueueIds) matches when one value does. The tag filter
// applies to the resource's tags. Results come in creation order and
// ApproximateTotalCount is exact.

// searchCriteria is the criteria tree of every Search* operation but
// SearchUsers. The generated criteria types (SecurityProfileSearchCriteria,
// QueueSearchCriteria, ...) differ only in their names and in
// QueueSearchCriteria's QueueTypeCondition, and have the same JSON form,
// so a request's tree is converted once through JSON instead of having one
// matcher per type.
type searchCriteria struct {
	AndConditions      []searchCriteria     `json:"AndConditions,omitempty"`
	OrConditions       []searchCriteria     `json:"OrConditions,omitempty"`
	StringCondition    *api.StringCondition `json:"StringCondition,omitempty"`
	QueueTypeCondition *string              `json:"QueueTypeCondition,omitempty"`
	// The enum conditions of flows and flow modules; searchSpec.enums
	// reads what each compares.
	TypeCondition   *string `json:"TypeCondition,omitempty"`
	StateCondition  *string `json:"StateCondition,omitempty"`
	StatusCondition *string `json:"StatusCondition,omitempty"`
}

// The enum conditions a criteria node may hold besides QueueTypeCondition,
// keyed as searchSpec.enums is.
const (
	typeCondition   = "TypeCondition"
	stateCondition  = "StateCondition"
	statusCondition = "StatusCondition"
)

// enumConditions lists a node's enum conditions that are set.
func (c *searchCriteria) enumConditions() map[string]string {
	var m map[string]string
	for name, v := range map[string]*string{typeCondition: c.TypeCondition, stateCondition: c.StateCondition, statusCondition: c.StatusCondition} {
		if v != nil {
			if m == nil {
				m = map[string]string{}
			}
			m[name] = *v
		}
	}
	return m
}

// searchFilter is the SearchFilter of every Search* operation but
// SearchUsers: a TagFilter, or (SearchUserHierarchyGroups) an
// AttributeFilter. Like the criteria, it is converted through JSON.
type searchFilter struct {
	TagFilter       *api.ControlPlaneTagFilter       `json:"TagFilter,omitempty"`
	AttributeFilter *api.ControlPlaneAttributeFilter `json:"AttributeFilter,omitempty"`
}

// convert copies a generated shape (possibly a nil pointer, which leaves
// to unchanged) into the search's own shape with the same JSON form.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// usesTags reports whether keep reads the tags at all.
func (f *searchFilter) usesTags() bool {
	return f != nil && (f.TagFilter != nil || f.AttributeFilter != nil)
}

// keep reports whether the tags pass the filter (nil passes everything).
func (f *searchFilter) keep(tags map[string]string) bool {
	return f == nil || (matchTagFilter(f.TagFilter, tags) && matchAttributeFilter(f.AttributeFilter, tags))
}

// searchField is one field a StringCondition may name for items decoded as
// D.
type searchField[D any] struct {
	name string // as documented, e.g. resourceID
	fold bool   // compared case-insensitively
	get  func(rec *switchboard.Record, doc D) []string
}

// searchSpec describes how one kind of resource is searched: decode turns
// a record into what the fields read (cheap: every record of the instance
// is decoded), result builds the returned shape for the records of the page.
type searchSpec[D, R any] struct {
	kind   switchboard.Kind
	fields []searchField[D]
	decode func(rec *switchboard.Record) (D, error)
	result func(tx switchboard.Tx, rec *switchboard.Record, doc D) (R, error)
	// queueType reads the type QueueTypeCondition compares (SearchQueues).
	queueType func(doc D) string
	// enums reads what TypeCondition, StateCondition and StatusCondition
	// compare (flows, flow modules); a condition the resource has no
	// reader for matches nothing.
	enums map[string]func(doc D) string
	// implied pages the resources an instance implies rather than stores
	// (SearchQueues: implied AGENT queues), nil for none. It returns nil
	// when the instance implies none; each page holds the records after a
	// Seq, in Seq order. Without withTags (no tag filter to apply) a page's
	// records may lack tags and times, and impliedFull (required with
	// implied) completes the ones returned.
	implied     func(s *Service, tx switchboard.Tx, inst *switchboard.Record, withTags bool) (pageFunc, error)
	impliedFull func(tx switchboard.Tx, rec *switchboard.Record) (*switchboard.Record, error)
	// impliedDoc, when set, is what every implied record decodes to as
	// far as matching goes (SearchQueues: all implied AGENT queues share
	// one document, and the fields matched read nothing else of it but
	// the record's id), sparing a decode per implied record; the records
	// returned are decoded in full. searchqueues_internal_test.go holds
	// it to queueShape.
	impliedDoc func() (D, error)
	// skipImplied reports whether no implied resource can match c
	// (SearchQueues: a QueueTypeCondition that requires STANDARD).
	skipImplied func(c *searchCriteria) bool
}

// pageFunc lists up to searchPage records with Seq > after, in Seq order.
type pageFunc func(after int64) ([]*switchboard.Record, error)

// searchPage is how many records a search reads from the store at a time:
// an instance of a million users implies a million AGENT queues, which a
// search must walk without holding them all.
const searchPage = 1000

// seqStream reads a pageFunc's records one at a time.
type seqStream struct {
	next pageFunc
	buf  []*switchboard.Record
	last int64 // the Seq of the last record read from the store
	done bool
}

// peek returns the next record (nil at the end) without taking it.
func (st *seqStream) peek() (*switchboard.Record, error) {
	if st == nil {
		return nil, nil
	}
	if len(st.buf) == 0 && !st.done {
		page, err := st.next(st.last)
		if err != nil {
			return nil, err
		}
		st.done = len(page) < searchPage
		if len(page) > 0 {
			st.last = page[len(page)-1].Seq
		}
		st.buf = page
	}
	if len(st.buf) == 0 {
		return nil, nil
	}
	return st.buf[0], nil
}

// take returns the next record of a or b, whichever has the lower Seq,
// and whether it came from b; nil at the end of both.
func take(a, b *seqStream) (*switchboard.Record, bool, error) {
	ra, err := a.peek()
	if err != nil {
		return nil, false, err
	}
	rb, err := b.peek()
	if err != nil {
		return nil, false, err
	}
	switch {
	case ra == nil && rb == nil:
		return nil, false, nil
	case rb == nil || (ra != nil && ra.Seq < rb.Seq):
		a.buf = a.buf[1:]
		return ra, false, nil
	default:
		b.buf = b.buf[1:]
		return rb, true, nil
	}
}

func (sp *searchSpec[D, R]) field(name string) *searchField[D] {
	for i := range sp.fields {
		if strings.EqualFold(sp.fields[i].name, name) {
			return &sp.fields[i]
		}
	}
	return nil
}

// check refuses a StringCondition on a field the resource does not have or
// without a value: InvalidParameterException naming the member.
func (sp *searchSpec[D, R]) check(c *searchCriteria) error {
	if c == nil {
		return nil
	}
	if cond := c.StringCondition; cond != nil {
		if sp.field(deref(cond.FieldName)) == nil {
			names := make([]string, len(sp.fields))
			for i, f := range sp.fields {
				names[i] = f.name
			}
			return invalidParameter("SearchCriteria.StringCondition.FieldName %q is not supported; use %s or %s",
				deref(cond.FieldName), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		if cond.Value == nil || cond.ComparisonType == nil {
			return invalidParameter("SearchCriteria.StringCondition needs FieldName, Value and ComparisonType")
		}
	}
	for _, list := range [][]searchCriteria{c.AndConditions, c.OrConditions} {
		for i := range list {
			if err := sp.check(&list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sp *searchSpec[D, R]) match(c *searchCriteria, rec *switchboard.Record, doc D) bool {
	if c == nil {
		return true
	}
	for i := range c.AndConditions {
		if !sp.match(&c.AndConditions[i], rec, doc) {
			return false
		}
	}
	if len(c.OrConditions) > 0 {
		any := false
		for i := range c.OrConditions {
			if sp.match(&c.OrConditions[i], rec, doc) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	if t := c.QueueTypeCondition; t != nil && (sp.queueType == nil || sp.queueType(doc) != *t) {
		return false
	}
	for name, want := range c.enumConditions() {
		if get := sp.enums[name]; get == nil || get(doc) != want {
			return false
		}
	}
	if cond := c.StringCondition; cond != nil {
		f := sp.field(deref(cond.FieldName))
		hit := false
		for _, v := range f.get(rec, doc) {
			if compareString(v, deref(cond.Value), deref(cond.ComparisonType), f.fold) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// searchRequest is what every Search* request carries besides its
// criteria.
type searchRequest struct {
	instanceID string
	criteria   any // the generated SearchCriteria (a pointer)
	filter     any // the generated SearchFilter (a pointer)
	token      *string
	max        *int32
	// keep, when set, is one more filter a record must pass (SearchContactFlows'
	// FlowAttributeFilter, which also reads the flow's type).
	keep func(rec *switchboard.Record) bool
}

// searchResult is one page of matches.
type searchResult[R any] struct {
	items []R
	next  *string
	total *int64
}

// runSearch pages the records of sp.kind in the instance that match the
// request. The NextToken carries the Seq of the last record returned, as
// the List operations' tokens do.
func runSearch[D, R any](s *Service, ctx context.Context, sp *searchSpec[D, R], req searchRequest) (*searchResult[R], error) {
	var crit *searchCriteria
	var filter *searchFilter
	if err := convert(req.criteria, &crit); err != nil {
		return nil, err
	}
	if err := convert(req.filter, &filter); err != nil {
		return nil, err
	}
	if err := sp.check(crit); err != nil {
		return nil, err
	}
	after, err := decodeToken(req.token)
	if err != nil {
		return nil, err
	}
	limit := int(derefOr(req.max, defaultPageSize))
	sc := scope(ctx)
	var out *searchResult[R]
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, req.instanceID)
		if err != nil {
			return err
		}
		stored := &seqStream{next: func(after int64) ([]*switchboard.Record, error) {
			return tx.List(sc, sp.kind, inst.ID, switchboard.ListOptions{AfterSeq: after, Limit: searchPage})
		}}
		var implied *seqStream
		if sp.implied != nil && (sp.skipImplied == nil || !sp.skipImplied(crit)) {
			next, err := sp.implied(s, tx, inst, filter.usesTags())
			if err != nil {
				return err
			}
			if next != nil {
				implied = &seqStream{next: next}
			}
		}
		out = &searchResult[R]{items: []R{}}
		var total, lastSeq int64
		for {
			rec, isImplied, err := take(stored, implied)
			if err != nil {
				return err
			}
			if rec == nil {
				break
			}
			var doc D
			if isImplied && sp.impliedDoc != nil {
				doc, err = sp.impliedDoc()
			} else {
				doc, err = sp.decode(rec)
			}
			if err != nil {
				return err
			}
			if !sp.match(crit, rec, doc) || !filter.keep(rec.Tags) || (req.keep != nil && !req.keep(rec)) {
				continue
			}
			total++
			if rec.Seq <= after {
				continue
			}
			if len(out.items) == limit {
				if out.next == nil {
					out.next = encodeToken(lastSeq)
				}
				continue
			}
			if isImplied {
				if rec, err = sp.impliedFull(tx, rec); err != nil {
					return err
				}
				if doc, err = sp.decode(rec); err != nil {
					return err
				}
			}
			item, err := sp.result(tx, rec, doc)
			if err != nil {
				return err
			}
			out.items = append(out.items, item)
			lastSeq = rec.Seq
		}
		out.total = ptr(total)
		return nil
	})
	return out, err
}

// Fields most resources share.

func nameField[D any]() searchField[D] {
	return searchField[D]{name: "name", fold: true, get: func(rec *switchboard.Record, _ D) []string { return []string{rec.Name} }}
}

func resourceIDField[D any]() searchField[D] {
	return searchField[D]{name: "resourceID", get: func(rec *switchboard.Record, _ D) []string { return []string{rec.ID} }}
}

func descriptionField[D any](desc func(D) *string) searchField[D] {
	return searchField[D]{name: "description", fold: true, get: func(_ *switchboard.Record, d D) []string { return []string{deref(desc(d))} }}
}

// matchTagFilter applies a ControlPlaneTagFilter (nil passes everything):
// TagCondition and every AndConditions entry must hold, and at least one
// OrConditions group when there are any.
func matchTagFilter(f *api.ControlPlaneTagFilter, tags map[string]string) bool {
	if f == nil {
		return true
	}
	if f.TagCondition != nil && !tagMatch(*f.TagCondition, tags) {
		return false
	}
	return allTags(f.AndConditions, tags) &&
		anyTagGroup(f.OrConditions, func(and []api.TagCondition) bool { return allTags(and, tags) })
}

// matchAttributeFilter applies a ControlPlaneAttributeFilter
// (SearchUserHierarchyGroups) with the same reading as matchTagFilter.
func matchAttributeFilter(f *api.ControlPlaneAttributeFilter, tags map[string]string) bool {
	if f == nil {
		return true
	}
	if f.TagCondition != nil && !tagMatch(*f.TagCondition, tags) {
		return false
	}
	if f.AndCondition != nil && !allTags(f.AndCondition.TagConditions, tags) {
		return false
	}
	return anyTagGroup(f.OrConditions, func(and api.CommonAttributeAndCondition) bool { return allTags(and.TagConditions, tags) })
}

// anyTagGroup is true when groups is empty or holds reports true for one.
func anyTagGroup[G any](groups []G, holds func(G) bool) bool {
	if len(groups) == 0 {
		return true
	}
	for _, g := range groups {
		if holds(g) {
			return true
		}
	}
	return false
}
