package e2e

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// Tests of SearchSecurityProfiles, SearchQueues, SearchRoutingProfiles,
// SearchHoursOfOperations, SearchUserHierarchyGroups and
// SearchQuickConnects: every search must return exactly what a brute-force
// filter over the same resources (read back with List and Describe) keeps,
// in creation order, each item once across small pages.

// crit is a criteria tree on the test side; it is converted to each
// operation's SDK type and evaluated here by brute force.
type crit struct {
	and, or  []crit
	field    string
	value    string
	cmp      types.StringComparisonType
	standard bool // QueueTypeCondition STANDARD (SearchQueues only)
}

func cond(field, value string, cmp types.StringComparisonType) *crit {
	return &crit{field: field, value: value, cmp: cmp}
}

func allOf(cs ...*crit) *crit { return &crit{and: critList(cs)} }
func anyOf(cs ...*crit) *crit { return &crit{or: critList(cs)} }

func critList(cs []*crit) []crit {
	out := make([]crit, len(cs))
	for i, c := range cs {
		out[i] = *c
	}
	return out
}

// searched is one resource as read back through List and Describe: the
// values of its searchable fields, its tags, and the shape the search
// operation must return for it.
type searched struct {
	id        string
	fields    map[string][]string // by lower-case field name
	tags      map[string]string
	queueType types.QueueType
	shape     any
}

// folded are the fields compared case-insensitively.
var folded = map[string]bool{"name": true, "description": true, "timezone": true}

func (c *crit) holds(it searched) bool {
	if c == nil {
		return true
	}
	for i := range c.and {
		if !c.and[i].holds(it) {
			return false
		}
	}
	if len(c.or) > 0 {
		hit := false
		for i := range c.or {
			hit = hit || c.or[i].holds(it)
		}
		if !hit {
			return false
		}
	}
	if c.standard && it.queueType != types.QueueTypeStandard {
		return false
	}
	if c.field == "" {
		return true
	}
	field := strings.ToLower(c.field)
	for _, v := range it.fields[field] {
		if stringHolds(c.cmp, v, c.value, folded[field]) {
			return true
		}
	}
	return false
}

// stringHolds is a StringCondition's comparison of value v with want, as
// the brute-force filters of the search tests read it.
func stringHolds(cmp types.StringComparisonType, v, want string, fold bool) bool {
	if fold {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch cmp {
	case types.StringComparisonTypeContains:
		return strings.Contains(v, want)
	case types.StringComparisonTypeStartsWith:
		return strings.HasPrefix(v, want)
	default:
		return v == want
	}
}

// build converts a crit to an SDK criteria type through mk.
func build[T any](c *crit, mk func(and, or []T, sc *types.StringCondition, standard bool) T) *T {
	if c == nil {
		return nil
	}
	conv := func(list []crit) []T {
		var out []T
		for i := range list {
			out = append(out, *build(&list[i], mk))
		}
		return out
	}
	var sc *types.StringCondition
	if c.field != "" {
		sc = &types.StringCondition{FieldName: aws.String(c.field), Value: aws.String(c.value), ComparisonType: c.cmp}
	}
	v := mk(conv(c.and), conv(c.or), sc, c.standard)
	return &v
}

// tagf is a tag filter on the test side: cond, every and, and one of the or
// groups must hold.
type tagf struct {
	cond *types.TagCondition
	and  []types.TagCondition
	or   [][]types.TagCondition
}

func tag(k, v string) types.TagCondition {
	c := types.TagCondition{TagKey: aws.String(k)}
	if v != "" {
		c.TagValue = aws.String(v)
	}
	return c
}

func (f *tagf) holds(tags map[string]string) bool {
	if f == nil {
		return true
	}
	has := func(c types.TagCondition) bool {
		v, ok := tags[*c.TagKey]
		return ok && (c.TagValue == nil || v == *c.TagValue)
	}
	all := func(cs []types.TagCondition) bool {
		for _, c := range cs {
			if !has(c) {
				return false
			}
		}
		return true
	}
	if f.cond != nil && !has(*f.cond) || !all(f.and) {
		return false
	}
	if len(f.or) == 0 {
		return true
	}
	for _, g := range f.or {
		if all(g) {
			return true
		}
	}
	return false
}

func (f *tagf) tagFilter() *types.ControlPlaneTagFilter {
	if f == nil {
		return nil
	}
	return &types.ControlPlaneTagFilter{TagCondition: f.cond, AndConditions: f.and, OrConditions: f.or}
}

func (f *tagf) attributeFilter() *types.ControlPlaneAttributeFilter {
	if f == nil {
		return nil
	}
	out := &types.ControlPlaneAttributeFilter{TagCondition: f.cond}
	if f.and != nil {
		out.AndCondition = &types.CommonAttributeAndCondition{TagConditions: f.and}
	}
	for _, g := range f.or {
		out.OrConditions = append(out.OrConditions, types.CommonAttributeAndCondition{TagConditions: g})
	}
	return out
}

// page is one page of a search: the items as id → returned shape, in order.
type page struct {
	ids    []string
	shapes []any
	next   *string
	total  *int64
}

// searchable is one Search* operation with the resources it searches.
type searchable struct {
	op     string
	items  []searched
	search func(c *crit, f *tagf, max int32, token *string) (page, error)
	// cases are criteria on the fields only this resource has.
	cases []*crit
}

// walk pages through a search two at a time, failing when an item comes
// twice or ApproximateTotalCount is not the number of matches.
func (s searchable) walk(t *testing.T, c *crit, f *tagf) ([]string, []any) {
	t.Helper()
	var ids []string
	var shapes []any
	seen := map[string]bool{}
	var token *string
	for pages := 0; ; pages++ {
		p, err := s.search(c, f, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.ids) > 2 {
			t.Errorf("page of %d with MaxResults 2", len(p.ids))
		}
		for i, id := range p.ids {
			if seen[id] {
				t.Errorf("%s listed twice", id)
			}
			seen[id] = true
			ids, shapes = append(ids, id), append(shapes, p.shapes[i])
		}
		if p.total == nil {
			t.Errorf("no ApproximateTotalCount")
		} else if pages == 0 {
			defer func(total int64) {
				if int(total) != len(ids) {
					t.Errorf("ApproximateTotalCount %d, %d items", total, len(ids))
				}
			}(*p.total)
		}
		if token = p.next; token == nil || pages > 100 {
			return ids, shapes
		}
	}
}

func TestSearchResourcesMatchBruteForce(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	all := searchFixture(t, f)

	common := []*crit{
		nil,
		cond("name", "sales", types.StringComparisonTypeContains),
		cond("name", "SUP", types.StringComparisonTypeStartsWith),
		cond("NAME", "billing", types.StringComparisonTypeExact),
		cond("name", "zzz", types.StringComparisonTypeContains),
		anyOf(cond("name", "Billing", types.StringComparisonTypeExact), cond("name", "eu", types.StringComparisonTypeContains)),
		allOf(cond("name", "s", types.StringComparisonTypeStartsWith), cond("name", "us", types.StringComparisonTypeContains)),
		anyOf(allOf(cond("name", "support", types.StringComparisonTypeStartsWith), cond("name", "eu", types.StringComparisonTypeContains)), cond("name", "basic", types.StringComparisonTypeStartsWith)),
		{field: "name", value: "a", cmp: types.StringComparisonTypeContains, and: []crit{*cond("name", "e", types.StringComparisonTypeContains)}},
	}
	filters := []*tagf{
		nil,
		{cond: ptrTo(tag("tier", "gold"))},
		{cond: ptrTo(tag("tier", ""))},
		{and: []types.TagCondition{tag("tier", "gold"), tag("region", "eu")}},
		{or: [][]types.TagCondition{{tag("tier", "gold")}, {tag("region", "us")}}},
	}
	for _, s := range all {
		s := s
		t.Run(s.op, func(t *testing.T) {
			if len(s.items) < 5 {
				t.Fatalf("only %d items to search", len(s.items))
			}
			// resourceID: the first and last items, exactly.
			first, last := s.items[0].id, s.items[len(s.items)-1].id
			cases := append(append([]*crit{}, common...), s.cases...)
			cases = append(cases,
				anyOf(cond("resourceID", first, types.StringComparisonTypeExact), cond("resourceId", last, types.StringComparisonTypeExact)),
				cond("resourceID", strings.ToUpper(first), types.StringComparisonTypeExact))
			matched := 0
			for i, c := range cases {
				for j, tf := range filters {
					var want []string
					shapes := map[string]any{}
					for _, it := range s.items {
						if c.holds(it) && tf.holds(it.tags) {
							want = append(want, it.id)
							shapes[it.id] = it.shape
						}
					}
					matched += len(want)
					got, gotShapes := s.walk(t, c, tf)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("criteria %d, filter %d: got %v, want %v", i, j, got, want)
						continue
					}
					for k, id := range got {
						if !reflect.DeepEqual(gotShapes[k], shapes[id]) {
							t.Errorf("criteria %d: %s returned\n %+v\nwant %+v", i, id, gotShapes[k], shapes[id])
						}
					}
				}
			}
			if matched == 0 {
				t.Errorf("no case matched anything")
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestSearchResourcesErrors(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	for _, s := range searchFixture(t, f) {
		s := s
		t.Run(s.op, func(t *testing.T) {
			_, err := s.search(cond("Permissions", "x", types.StringComparisonTypeExact), nil, 10, nil)
			wantErr[*types.InvalidParameterException](t, err, "FieldName", "Permissions", "resourceID")
			_, err = s.search(anyOf(cond("name", "x", types.StringComparisonTypeExact), allOf(cond("nope", "x", types.StringComparisonTypeExact))), nil, 10, nil)
			wantErr[*types.InvalidParameterException](t, err, "FieldName", "nope")
			_, err = s.search(nil, nil, 10, aws.String("forged"))
			wantErr[*types.InvalidParameterException](t, err, "nextToken")
			_, err = s.search(nil, nil, 501, nil)
			wantErr[*types.InvalidParameterException](t, err, "maxResults")
		})
	}
	t.Run("unknown instance", func(t *testing.T) {
		c := ctx(t)
		bad := aws.String("no-such-instance")
		_, err := f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.SearchRoutingProfiles(c, &connect.SearchRoutingProfilesInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.SearchHoursOfOperations(c, &connect.SearchHoursOfOperationsInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.SearchUserHierarchyGroups(c, &connect.SearchUserHierarchyGroupsInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.SearchQuickConnects(c, &connect.SearchQuickConnectsInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
	t.Run("StringCondition without a value", func(t *testing.T) {
		_, err := f.client.SearchQueues(ctx(t), &connect.SearchQueuesInput{InstanceId: &f.instance,
			SearchCriteria: &types.QueueSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"), ComparisonType: types.StringComparisonTypeExact}}})
		wantErr[*types.InvalidParameterException](t, err, "Value")
	})
	t.Run("unknown comparison", func(t *testing.T) {
		_, err := f.client.SearchQuickConnects(ctx(t), &connect.SearchQuickConnectsInput{InstanceId: &f.instance,
			SearchCriteria: &types.QuickConnectSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("x"), ComparisonType: "ENDS_WITH"}}})
		wantErr[*types.InvalidParameterException](t, err, "comparisonType")
	})
}

// searchFixture creates resources of every searched kind, with names,
// descriptions and tags the criteria tables pick apart, and returns each
// Search* operation with the resources as read back through List and
// Describe.
func searchFixture(t *testing.T, f *fixture) []searchable {
	t.Helper()
	c := ctx(t)
	names := []string{"Sales EU", "Sales US", "Support EU", "Support US", "Billing", "VIP line"}
	tags := func(i int) map[string]string {
		return []map[string]string{
			{"tier": "gold", "region": "eu"}, {"tier": "gold", "region": "us"}, {"tier": "silver", "region": "eu"},
			{"region": "us"}, nil, {"tier": "gold"},
		}[i]
	}
	zones := []string{"Europe/London", "America/New_York", "Europe/Paris", "America/Chicago", "UTC", "Asia/Tokyo"}
	var queues []string
	for i, n := range names {
		call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String(strings.ReplaceAll(n, " ", "_")),
			Description: aws.String("profile for " + n), Tags: tags(i)})).must(t)
		hours := call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String(n + " hours"),
			Description: aws.String("opening of " + n), TimeZone: aws.String(zones[i]), Config: weekdays(8, 18), Tags: tags(i)})).must(t).HoursOfOperationId
		q := call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String(n), Description: aws.String("calls for " + n),
			HoursOfOperationId: hours, Tags: tags(i), OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String(n)}})).must(t).QueueId
		queues = append(queues, *q)
		call(f.client.CreateQuickConnect(c, &connect.CreateQuickConnectInput{InstanceId: &f.instance, Name: aws.String(n), Description: aws.String("transfer to " + n),
			QuickConnectConfig: f.queueQC(*q), Tags: tags(i)})).must(t)
	}
	for i, n := range names[:5] {
		configs := []types.RoutingProfileQueueConfig{qc(queues[i], types.ChannelVoice, 1, 0), qc(queues[(i+1)%len(queues)], types.ChannelChat, 2, 0)}
		call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String(n + " agents"), Description: aws.String("agents of " + n),
			DefaultOutboundQueueId: &f.queue, MediaConcurrencies: voiceAndChat(), QueueConfigs: configs, Tags: tags(i)})).must(t)
	}
	// Users bring AGENT queues, which SearchQueues finds too.
	f.create(t, f.user("searcher.one"))
	f.create(t, f.user("searcher.two"))
	call(f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Site")}}})).must(t)
	var groups []string
	for i, g := range []struct{ name, parent string }{{"Support EU", ""}, {"Sales US", ""}, {"Support EU London", "0"}, {"Support EU Paris", "0"}, {"Sales US Boston", "1"}, {"Billing", "1"}} {
		in := &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String(g.name), Tags: tags(i)}
		if g.parent != "" {
			p, _ := strconv.Atoi(g.parent)
			in.ParentGroupId = &groups[p]
		}
		groups = append(groups, *call(f.client.CreateUserHierarchyGroup(c, in)).must(t).HierarchyGroupId)
	}

	return []searchable{
		securityProfilesSearch(t, f), queuesSearch(t, f, queues), routingProfilesSearch(t, f, queues),
		hoursSearch(t, f), hierarchyGroupsSearch(t, f, groups), quickConnectsSearch(t, f),
	}
}

func stringCases(field string, values ...string) []*crit {
	var out []*crit
	for _, v := range values {
		out = append(out, cond(field, v, types.StringComparisonTypeContains), cond(field, v, types.StringComparisonTypeExact))
	}
	return out
}

func securityProfilesSearch(t *testing.T, f *fixture) searchable {
	c := ctx(t)
	s := searchable{op: "SearchSecurityProfiles", cases: stringCases("description", "PROFILE FOR s", "profile for Billing")}
	pg := connect.NewListSecurityProfilesPaginator(f.client, &connect.ListSecurityProfilesInput{InstanceId: &f.instance})
	for pg.HasMorePages() {
		for _, sum := range call(pg.NextPage(c)).must(t).SecurityProfileSummaryList {
			p := call(f.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: sum.Id})).must(t).SecurityProfile
			s.items = append(s.items, searched{id: *p.Id, tags: p.Tags,
				fields: map[string][]string{"name": {*p.SecurityProfileName}, "description": {aws.ToString(p.Description)}, "resourceid": {*p.Id}},
				shape: types.SecurityProfileSearchSummary{Id: p.Id, Arn: p.Arn, SecurityProfileName: p.SecurityProfileName, Description: p.Description,
					OrganizationResourceId: p.OrganizationResourceId, Tags: p.Tags}})
		}
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.SecurityProfileSearchCriteria, sc *types.StringCondition, _ bool) types.SecurityProfileSearchCriteria {
				return types.SecurityProfileSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})}
		if tf != nil {
			in.SearchFilter = &types.SecurityProfilesSearchFilter{TagFilter: tf.tagFilter()}
		}
		out, err := f.client.SearchSecurityProfiles(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.SecurityProfiles {
			p.ids, p.shapes = append(p.ids, *v.Id), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}

func queuesSearch(t *testing.T, f *fixture, queues []string) searchable {
	c := ctx(t)
	s := searchable{op: "SearchQueues", cases: append(stringCases("description", "calls for s", "CALLS FOR VIP line"),
		&crit{standard: true}, &crit{standard: true, field: "name", value: "s", cmp: types.StringComparisonTypeStartsWith},
		anyOf(&crit{standard: true}, cond("resourceID", queues[0], types.StringComparisonTypeExact)))}
	for _, sum := range call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance})).must(t).QueueSummaryList {
		q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: sum.Id})).must(t).Queue
		s.items = append(s.items, searched{id: *q.QueueId, tags: q.Tags, queueType: sum.QueueType, shape: *q,
			fields: map[string][]string{"name": {aws.ToString(q.Name)}, "description": {aws.ToString(q.Description)}, "resourceid": {*q.QueueId}}})
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchQueuesInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.QueueSearchCriteria, sc *types.StringCondition, std bool) types.QueueSearchCriteria {
				v := types.QueueSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
				if std {
					v.QueueTypeCondition = types.SearchableQueueTypeStandard
				}
				return v
			})}
		if tf != nil {
			in.SearchFilter = &types.QueueSearchFilter{TagFilter: tf.tagFilter()}
		}
		out, err := f.client.SearchQueues(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.Queues {
			p.ids, p.shapes = append(p.ids, *v.QueueId), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}

func routingProfilesSearch(t *testing.T, f *fixture, queues []string) searchable {
	c := ctx(t)
	s := searchable{op: "SearchRoutingProfiles", cases: append(stringCases("description", "AGENTS OF s", "agents of Billing"),
		cond("associatedQueueIds", queues[1], types.StringComparisonTypeExact), cond("associatedQueueIds", f.queue, types.StringComparisonTypeExact),
		anyOf(cond("associatedQueueIds", queues[0], types.StringComparisonTypeExact), cond("associatedQueueIds", queues[4], types.StringComparisonTypeExact)))}
	for _, sum := range call(f.client.ListRoutingProfiles(c, &connect.ListRoutingProfilesInput{InstanceId: &f.instance})).must(t).RoutingProfileSummaryList {
		rp := *call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: sum.Id})).must(t).RoutingProfile
		var assoc []string
		for _, q := range call(f.client.ListRoutingProfileQueues(c, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: sum.Id})).must(t).RoutingProfileQueueConfigSummaryList {
			if !contains(assoc, *q.QueueId) {
				assoc = append(assoc, *q.QueueId)
			}
		}
		// What SearchRoutingProfiles documents it leaves out.
		rp.LastModifiedTime, rp.LastModifiedRegion, rp.AgentAvailabilityTimer = nil, nil, ""
		for i := range rp.MediaConcurrencies {
			rp.MediaConcurrencies[i].CrossChannelBehavior = nil
		}
		rp.AssociatedQueueIds = assoc
		s.items = append(s.items, searched{id: *rp.RoutingProfileId, tags: rp.Tags, shape: rp,
			fields: map[string][]string{"name": {*rp.Name}, "description": {aws.ToString(rp.Description)}, "resourceid": {*rp.RoutingProfileId}, "associatedqueueids": assoc}})
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchRoutingProfilesInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.RoutingProfileSearchCriteria, sc *types.StringCondition, _ bool) types.RoutingProfileSearchCriteria {
				return types.RoutingProfileSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})}
		if tf != nil {
			in.SearchFilter = &types.RoutingProfileSearchFilter{TagFilter: tf.tagFilter()}
		}
		out, err := f.client.SearchRoutingProfiles(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.RoutingProfiles {
			p.ids, p.shapes = append(p.ids, *v.RoutingProfileId), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}

func hoursSearch(t *testing.T, f *fixture) searchable {
	c := ctx(t)
	s := searchable{op: "SearchHoursOfOperations", cases: append(stringCases("description", "opening of S", "opening of vip line"),
		cond("timezone", "europe/", types.StringComparisonTypeStartsWith), cond("TimeZone", "UTC", types.StringComparisonTypeExact),
		cond("timezone", "america", types.StringComparisonTypeContains))}
	for _, sum := range call(f.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &f.instance})).must(t).HoursOfOperationSummaryList {
		h := *call(f.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: sum.Id})).must(t).HoursOfOperation
		s.items = append(s.items, searched{id: *h.HoursOfOperationId, tags: h.Tags, shape: h,
			fields: map[string][]string{"name": {*h.Name}, "description": {aws.ToString(h.Description)}, "resourceid": {*h.HoursOfOperationId}, "timezone": {*h.TimeZone}}})
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchHoursOfOperationsInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.HoursOfOperationSearchCriteria, sc *types.StringCondition, _ bool) types.HoursOfOperationSearchCriteria {
				return types.HoursOfOperationSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})}
		if tf != nil {
			in.SearchFilter = &types.HoursOfOperationSearchFilter{TagFilter: tf.tagFilter()}
		}
		out, err := f.client.SearchHoursOfOperations(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.HoursOfOperations {
			p.ids, p.shapes = append(p.ids, *v.HoursOfOperationId), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}

func hierarchyGroupsSearch(t *testing.T, f *fixture, groups []string) searchable {
	c := ctx(t)
	s := searchable{op: "SearchUserHierarchyGroups", cases: []*crit{
		cond("levelId", "1", types.StringComparisonTypeExact), cond("levelId", "2", types.StringComparisonTypeExact),
		cond("parentId", groups[0], types.StringComparisonTypeExact), cond("parentId", groups[1], types.StringComparisonTypeExact),
		allOf(cond("levelId", "2", types.StringComparisonTypeExact), cond("name", "sales", types.StringComparisonTypeContains)),
	}}
	for _, sum := range call(f.client.ListUserHierarchyGroups(c, &connect.ListUserHierarchyGroupsInput{InstanceId: &f.instance})).must(t).UserHierarchyGroupSummaryList {
		g := *call(f.client.DescribeUserHierarchyGroup(c, &connect.DescribeUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: sum.Id})).must(t).HierarchyGroup
		parent := ""
		if *g.LevelId == "2" {
			parent = *g.HierarchyPath.LevelOne.Id
		}
		s.items = append(s.items, searched{id: *g.Id, tags: g.Tags, shape: g,
			fields: map[string][]string{"name": {*g.Name}, "resourceid": {*g.Id}, "levelid": {*g.LevelId}, "parentid": {parent}}})
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchUserHierarchyGroupsInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.UserHierarchyGroupSearchCriteria, sc *types.StringCondition, _ bool) types.UserHierarchyGroupSearchCriteria {
				return types.UserHierarchyGroupSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})}
		if tf != nil {
			in.SearchFilter = &types.UserHierarchyGroupSearchFilter{AttributeFilter: tf.attributeFilter()}
		}
		out, err := f.client.SearchUserHierarchyGroups(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.UserHierarchyGroups {
			p.ids, p.shapes = append(p.ids, *v.Id), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}

func quickConnectsSearch(t *testing.T, f *fixture) searchable {
	c := ctx(t)
	s := searchable{op: "SearchQuickConnects", cases: stringCases("description", "TRANSFER TO s", "transfer to Billing")}
	for _, sum := range call(f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: &f.instance})).must(t).QuickConnectSummaryList {
		q := *call(f.client.DescribeQuickConnect(c, &connect.DescribeQuickConnectInput{InstanceId: &f.instance, QuickConnectId: sum.Id})).must(t).QuickConnect
		s.items = append(s.items, searched{id: *q.QuickConnectId, tags: q.Tags, shape: q,
			fields: map[string][]string{"name": {*q.Name}, "description": {aws.ToString(q.Description)}, "resourceid": {*q.QuickConnectId}}})
	}
	s.search = func(cr *crit, tf *tagf, max int32, token *string) (page, error) {
		in := &connect.SearchQuickConnectsInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.QuickConnectSearchCriteria, sc *types.StringCondition, _ bool) types.QuickConnectSearchCriteria {
				return types.QuickConnectSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})}
		if tf != nil {
			in.SearchFilter = &types.QuickConnectSearchFilter{TagFilter: tf.tagFilter()}
		}
		out, err := f.client.SearchQuickConnects(ctx(t), in)
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.QuickConnects {
			p.ids, p.shapes = append(p.ids, *v.QuickConnectId), append(p.shapes, v)
		}
		return p, nil
	}
	return s
}
