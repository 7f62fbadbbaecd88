package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/service"
)

// Tests of CreatePredefinedAttribute, DescribePredefinedAttribute,
// ListPredefinedAttributes, UpdatePredefinedAttribute,
// DeletePredefinedAttribute and SearchPredefinedAttributes through
// aws-sdk-go-v2.

// newAttribute creates a predefined attribute with the given values.
func (f *fixture) newAttribute(t *testing.T, name string, values ...string) {
	t.Helper()
	call(f.client.CreatePredefinedAttribute(ctx(t), &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: values}})).must(t)
}

func (f *fixture) describeAttribute(t *testing.T, name string) *types.PredefinedAttribute {
	t.Helper()
	return call(f.client.DescribePredefinedAttribute(ctx(t), &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: &name})).must(t).PredefinedAttribute
}

// attributeValues reads the StringList member of an attribute's Values
// union (nil when it has no values).
func attributeValues(a *types.PredefinedAttribute) []string {
	if v, ok := a.Values.(*types.PredefinedAttributeValuesMemberStringList); ok {
		return v.Value
	}
	return nil
}

func TestPredefinedAttributes(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)

	t.Run("create and describe round trip", func(t *testing.T) {
		// Spaces, a slash and a colon are allowed in names and must
		// survive the URI.
		name := "Tech skills/AWS: cloud"
		call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
			Values:                 &types.PredefinedAttributeValuesMemberStringList{Value: []string{"AWS Kinesis", "AWS EC2", "O'Neil-2"}},
			Purposes:               []string{"proficiency", "contact-attributes-search"},
			AttributeConfiguration: &types.InputPredefinedAttributeConfiguration{EnableValueValidationOnAssociation: true}})).must(t)
		a := f.describeAttribute(t, name)
		if aws.ToString(a.Name) != name || !reflect.DeepEqual(attributeValues(a), []string{"AWS Kinesis", "AWS EC2", "O'Neil-2"}) ||
			!reflect.DeepEqual(a.Purposes, []string{"proficiency", "contact-attributes-search"}) {
			t.Errorf("described %+v", a)
		}
		if cfg := a.AttributeConfiguration; cfg == nil || !cfg.EnableValueValidationOnAssociation || cfg.IsReadOnly {
			t.Errorf("AttributeConfiguration %+v, want validation on and IsReadOnly false", cfg)
		}
		recent(t, "attribute", a.LastModifiedTime)
		if aws.ToString(a.LastModifiedRegion) != region {
			t.Errorf("LastModifiedRegion %v", a.LastModifiedRegion)
		}
	})

	t.Run("bare attribute sends its configuration and no values", func(t *testing.T) {
		call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Bare")})).must(t)
		a := f.describeAttribute(t, "Bare")
		if a.Values != nil || len(a.Purposes) != 0 {
			t.Errorf("bare attribute: %+v", a)
		}
		// The SDK cannot tell false from absent: read the raw answer.
		resp, body := f.raw("GET", "/predefined-attributes/"+f.instance+"/Bare", nil)
		var raw struct {
			PredefinedAttribute map[string]json.RawMessage
		}
		if err := json.Unmarshal(body, &raw); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if got := string(raw.PredefinedAttribute["AttributeConfiguration"]); got != `{"EnableValueValidationOnAssociation":false,"IsReadOnly":false}` {
			t.Errorf("AttributeConfiguration %s, want both members false", got)
		}
		if _, ok := raw.PredefinedAttribute["Values"]; ok {
			t.Errorf("Values sent for an attribute without values: %s", body)
		}
	})

	t.Run("the documented pattern's +-@ range is accepted as written", func(t *testing.T) {
		// [...+-@...] is the range from + to @: , ; < > ? pass as well.
		f.newAttribute(t, "a,b;c<d>e?", "1<2")
		call(f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("a,b;c<d>e?")})).must(t)
	})

	t.Run("duplicate name is DuplicateResource", func(t *testing.T) {
		f.newAttribute(t, "Language", "English")
		_, err := f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language")})
		wantErr[*types.DuplicateResourceException](t, err, "Language")
	})

	t.Run("duplicate name in another case is DuplicateResource", func(t *testing.T) {
		_, err := f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("LANGUAGE")})
		wantErr[*types.DuplicateResourceException](t, err, "LANGUAGE")
		// The name is exact in the URI: the original case only.
		_, err = f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("LANGUAGE")})
		wantErr[*types.ResourceNotFoundException](t, err, "LANGUAGE")
	})

	t.Run("bad names and values are InvalidParameter", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			values []string
			member string
		}{
			{"aws:Reserved", nil, "name"},
			{"connect:Language", nil, "name"},
			{"star*name", nil, "name"},
			{"tab\tname", nil, "name"},
			{"ok name", []string{"fine", "conn*ct"}, "values.stringList.2.member"},
			{"ok name", []string{"connect:x"}, "values.stringList.1.member"},
			{"ok name", []string{"twice", "twice"}, "Values.StringList"},
			{"ok name", make([]string, 501), "values.stringList"},
			{strings.Repeat("n", 101), nil, "name"},
		} {
			in := &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String(tc.name)}
			if tc.values != nil {
				in.Values = &types.PredefinedAttributeValuesMemberStringList{Value: tc.values}
			}
			_, err := f.client.CreatePredefinedAttribute(c, in)
			wantErr[*types.InvalidParameterException](t, err, tc.member)
		}
		// Nothing was stored.
		_, err := f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("ok name")})
		wantErr[*types.ResourceNotFoundException](t, err, "ok name")
	})

	t.Run("unknown instance is ResourceNotFound", func(t *testing.T) {
		bad := aws.String("no-such-instance")
		_, err := f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: bad, Name: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.ListPredefinedAttributes(c, &connect.ListPredefinedAttributesInput{InstanceId: bad})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: bad, Name: aws.String("Language")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})

	t.Run("missing attribute is ResourceNotFound", func(t *testing.T) {
		missing := aws.String("Nope")
		_, err := f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: missing})
		wantErr[*types.ResourceNotFoundException](t, err, "Nope")
		_, err = f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: missing, Purposes: []string{"x"}})
		wantErr[*types.ResourceNotFoundException](t, err, "Nope")
		_, err = f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: missing})
		wantErr[*types.ResourceNotFoundException](t, err, "Nope")
	})

	t.Run("update keeps members left out and clears empty ones", func(t *testing.T) {
		name := "Updated"
		call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"a", "b"}}, Purposes: []string{"proficiency"}})).must(t)
		first := f.describeAttribute(t, name).LastModifiedTime
		time.Sleep(5 * time.Millisecond)
		call(f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
			AttributeConfiguration: &types.InputPredefinedAttributeConfiguration{EnableValueValidationOnAssociation: true}})).must(t)
		a := f.describeAttribute(t, name)
		if !reflect.DeepEqual(attributeValues(a), []string{"a", "b"}) || !reflect.DeepEqual(a.Purposes, []string{"proficiency"}) || !a.AttributeConfiguration.EnableValueValidationOnAssociation {
			t.Errorf("after configuration update: %+v", a)
		}
		if !a.LastModifiedTime.After(*first) {
			t.Errorf("LastModifiedTime %v did not move from %v", a.LastModifiedTime, first)
		}
		call(f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"c", "a"}}, Purposes: []string{}})).must(t)
		a = f.describeAttribute(t, name)
		if !reflect.DeepEqual(attributeValues(a), []string{"c", "a"}) || len(a.Purposes) != 0 || !a.AttributeConfiguration.EnableValueValidationOnAssociation {
			t.Errorf("after values update: %+v", a)
		}
		_, err := f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: &name,
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"x", "x"}}})
		wantErr[*types.InvalidParameterException](t, err, "Values.StringList")
		if got := attributeValues(f.describeAttribute(t, name)); !reflect.DeepEqual(got, []string{"c", "a"}) {
			t.Errorf("refused update changed values to %v", got)
		}
	})

	t.Run("delete removes it", func(t *testing.T) {
		f.newAttribute(t, "Doomed", "x")
		call(f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Doomed")})).must(t)
		_, err := f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Doomed")})
		wantErr[*types.ResourceNotFoundException](t, err, "Doomed")
		// The name is free again, in any case.
		f.newAttribute(t, "DOOMED", "y")
	})

	t.Run("list pages in creation order", func(t *testing.T) {
		var all []string
		var token *string
		for pages := 0; pages < 50; pages++ {
			out := call(f.client.ListPredefinedAttributes(c, &connect.ListPredefinedAttributesInput{InstanceId: &f.instance, MaxResults: aws.Int32(2), NextToken: token})).must(t)
			if len(out.PredefinedAttributeSummaryList) > 2 {
				t.Fatalf("page of %d", len(out.PredefinedAttributeSummaryList))
			}
			for _, s := range out.PredefinedAttributeSummaryList {
				all = append(all, *s.Name)
				recent(t, *s.Name, s.LastModifiedTime)
				if aws.ToString(s.LastModifiedRegion) != region {
					t.Errorf("%s LastModifiedRegion %v", *s.Name, s.LastModifiedRegion)
				}
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		want := []string{"Tech skills/AWS: cloud", "Bare", "Language", "Updated", "DOOMED"}
		if !reflect.DeepEqual(all, want) {
			t.Errorf("listed %v, want %v", all, want)
		}
		_, err := f.client.ListPredefinedAttributes(c, &connect.ListPredefinedAttributesInput{InstanceId: &f.instance, MaxResults: aws.Int32(101)})
		wantErr[*types.InvalidParameterException](t, err, "maxResults")
	})
}

func TestPredefinedAttributeQuota(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{PredefinedAttributesPerInstance: 2}})
	f.newAttribute(t, "one", "1")
	f.newAttribute(t, "two", "2")
	_, err := f.client.CreatePredefinedAttribute(ctx(t), &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("three")})
	wantErr[*types.LimitExceededException](t, err, "predefined attributes", "2")
	// Deleting one makes room again.
	call(f.client.DeletePredefinedAttribute(ctx(t), &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("one")})).must(t)
	f.newAttribute(t, "three", "3")
}

// TestPredefinedAttributesInUse covers what users' proficiencies hold: an
// attribute in use cannot be deleted, a value in use cannot be dropped,
// and deleting the user frees both.
func TestPredefinedAttributesInUse(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.newAttribute(t, "Language", "English", "French", "German")
	user := f.create(t, f.user("polyglot"))
	call(f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &user,
		UserProficiencies: []types.UserProficiency{prof("Language", "French", 3)}})).must(t)

	t.Run("delete in use is ResourceInUse naming the user", func(t *testing.T) {
		_, err := f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language")})
		e := wantErr[*types.ResourceInUseException](t, err, "Language", user)
		if e.ResourceType != types.ResourceTypeUser || aws.ToString(e.ResourceId) != arnOf(f, "agent", user) {
			t.Errorf("ResourceType %q ResourceId %v", e.ResourceType, aws.ToString(e.ResourceId))
		}
		f.describeAttribute(t, "Language")
	})

	t.Run("dropping a value in use is InvalidRequest", func(t *testing.T) {
		_, err := f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language"),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"English", "German"}}, Purposes: []string{"changed"}})
		wantErr[*types.InvalidRequestException](t, err, "French", user)
		a := f.describeAttribute(t, "Language")
		if !reflect.DeepEqual(attributeValues(a), []string{"English", "French", "German"}) || len(a.Purposes) != 0 {
			t.Errorf("refused update changed the attribute: %+v", a)
		}
	})

	t.Run("dropping a value not in use is allowed", func(t *testing.T) {
		call(f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language"),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"French", "Spanish"}}})).must(t)
		if got := attributeValues(f.describeAttribute(t, "Language")); !reflect.DeepEqual(got, []string{"French", "Spanish"}) {
			t.Errorf("values %v", got)
		}
	})

	t.Run("disassociating frees the attribute", func(t *testing.T) {
		f.newAttribute(t, "Skill", "Billing")
		call(f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &user,
			UserProficiencies: []types.UserProficiency{prof("Skill", "Billing", 2)}})).must(t)
		_, err := f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Skill")})
		wantErr[*types.ResourceInUseException](t, err, "Skill")
		call(f.client.DisassociateUserProficiencies(c, &connect.DisassociateUserProficienciesInput{InstanceId: &f.instance, UserId: &user,
			UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: aws.String("Skill"), AttributeValue: aws.String("Billing")}}})).must(t)
		call(f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Skill")})).must(t)
	})

	t.Run("deleting the user frees the attribute", func(t *testing.T) {
		call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &user})).must(t)
		// A new user with the same name starts without proficiencies, and
		// the attribute is no longer held.
		again := f.create(t, f.user("polyglot"))
		if got := call(f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &again})).must(t).UserProficiencyList; len(got) != 0 {
			t.Errorf("recreated user has proficiencies %+v", got)
		}
		call(f.client.UpdatePredefinedAttribute(c, &connect.UpdatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language"),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"Spanish"}}})).must(t)
		call(f.client.DeletePredefinedAttribute(c, &connect.DeletePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language")})).must(t)
	})
}

// TestSearchPredefinedAttributesMatchBruteForce compares every search with
// a brute-force filter over the attributes as Describe returns them.
func TestSearchPredefinedAttributesMatchBruteForce(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	for _, a := range []struct {
		name     string
		purposes []string
	}{
		{"Language", []string{"proficiency"}},
		{"Tech skills", []string{"proficiency", "contact-attributes-search"}},
		{"Business unit", []string{"Contact-Attributes-Search"}},
		{"Region", nil},
		{"Languages spoken", []string{"routing"}},
		{"Tier", []string{"proficiency", "routing"}},
	} {
		call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String(a.name),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"v1", "v2"}}, Purposes: a.purposes})).must(t)
	}
	s := searchable{op: "SearchPredefinedAttributes"}
	pg := connect.NewListPredefinedAttributesPaginator(f.client, &connect.ListPredefinedAttributesInput{InstanceId: &f.instance})
	for pg.HasMorePages() {
		for _, sum := range call(pg.NextPage(c)).must(t).PredefinedAttributeSummaryList {
			a := f.describeAttribute(t, *sum.Name)
			s.items = append(s.items, searched{id: *a.Name, shape: *a, fields: map[string][]string{"name": {*a.Name}, "purposes": a.Purposes}})
		}
	}
	s.search = func(cr *crit, _ *tagf, max int32, token *string) (page, error) {
		out, err := f.client.SearchPredefinedAttributes(ctx(t), &connect.SearchPredefinedAttributesInput{InstanceId: &f.instance, MaxResults: &max, NextToken: token,
			SearchCriteria: build(cr, func(and, or []types.PredefinedAttributeSearchCriteria, sc *types.StringCondition, _ bool) types.PredefinedAttributeSearchCriteria {
				return types.PredefinedAttributeSearchCriteria{AndConditions: and, OrConditions: or, StringCondition: sc}
			})})
		if err != nil {
			return page{}, err
		}
		p := page{next: out.NextToken, total: out.ApproximateTotalCount}
		for _, v := range out.PredefinedAttributes {
			p.ids, p.shapes = append(p.ids, *v.Name), append(p.shapes, v)
		}
		return p, nil
	}
	cases := []*crit{
		nil,
		cond("name", "lang", types.StringComparisonTypeStartsWith),
		cond("Name", "LANGUAGE", types.StringComparisonTypeExact),
		cond("name", "s", types.StringComparisonTypeContains),
		cond("name", "zzz", types.StringComparisonTypeContains),
		cond("purposes", "proficiency", types.StringComparisonTypeExact),
		cond("PURPOSES", "contact-attributes", types.StringComparisonTypeStartsWith),
		cond("purposes", "out", types.StringComparisonTypeContains),
		anyOf(cond("name", "Region", types.StringComparisonTypeExact), cond("purposes", "routing", types.StringComparisonTypeExact)),
		allOf(cond("purposes", "proficiency", types.StringComparisonTypeExact), cond("name", "t", types.StringComparisonTypeStartsWith)),
		anyOf(allOf(cond("name", "lang", types.StringComparisonTypeStartsWith), cond("purposes", "routing", types.StringComparisonTypeExact)), cond("name", "tier", types.StringComparisonTypeExact)),
		{field: "name", value: "e", cmp: types.StringComparisonTypeContains, and: []crit{*cond("purposes", "proficiency", types.StringComparisonTypeExact)}},
	}
	matched := 0
	for i, cr := range cases {
		var want []string
		shapes := map[string]any{}
		for _, it := range s.items {
			if foldedHolds(cr, it) {
				want = append(want, it.id)
				shapes[it.id] = it.shape
			}
		}
		matched += len(want)
		got, gotShapes := s.walk(t, cr, nil)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("criteria %d: got %v, want %v", i, got, want)
			continue
		}
		for k, id := range got {
			if !reflect.DeepEqual(gotShapes[k], shapes[id]) {
				t.Errorf("criteria %d: %s returned\n %+v\nwant %+v", i, id, gotShapes[k], shapes[id])
			}
		}
	}
	if matched == 0 {
		t.Errorf("no case matched anything")
	}
}

func TestSearchPredefinedAttributesErrors(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	search := func(sc *types.StringCondition) error {
		_, err := f.client.SearchPredefinedAttributes(c, &connect.SearchPredefinedAttributesInput{InstanceId: &f.instance,
			SearchCriteria: &types.PredefinedAttributeSearchCriteria{OrConditions: []types.PredefinedAttributeSearchCriteria{{StringCondition: sc}}}})
		return err
	}
	for name, tc := range map[string]struct {
		cond  *types.StringCondition
		names []string
	}{
		"unknown field":       {&types.StringCondition{FieldName: aws.String("resourceID"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}, []string{"FieldName", "resourceID", "purposes"}},
		"values not a field":  {&types.StringCondition{FieldName: aws.String("values"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}, []string{"FieldName", "values"}},
		"no value":            {&types.StringCondition{FieldName: aws.String("name"), ComparisonType: types.StringComparisonTypeExact}, []string{"Value"}},
		"unknown comparison":  {&types.StringCondition{FieldName: aws.String("name"), Value: aws.String("x"), ComparisonType: "ENDS_WITH"}, []string{"comparisonType"}},
		"no comparison given": {&types.StringCondition{FieldName: aws.String("name"), Value: aws.String("x")}, []string{"ComparisonType"}},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr[*types.InvalidParameterException](t, search(tc.cond), tc.names...)
		})
	}
	t.Run("forged token", func(t *testing.T) {
		_, err := f.client.SearchPredefinedAttributes(c, &connect.SearchPredefinedAttributesInput{InstanceId: &f.instance, NextToken: aws.String("forged")})
		wantErr[*types.InvalidParameterException](t, err, "nextToken")
	})
	t.Run("unknown instance", func(t *testing.T) {
		_, err := f.client.SearchPredefinedAttributes(c, &connect.SearchPredefinedAttributesInput{InstanceId: aws.String("no-such-instance")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
}

// foldedHolds evaluates a criteria tree as the predefined attribute search
// does: every field (name, purposes) compares without regard to case, and
// a field with several values matches when one does.
func foldedHolds(c *crit, it searched) bool {
	if c == nil {
		return true
	}
	for i := range c.and {
		if !foldedHolds(&c.and[i], it) {
			return false
		}
	}
	if len(c.or) > 0 {
		hit := false
		for i := range c.or {
			hit = hit || foldedHolds(&c.or[i], it)
		}
		if !hit {
			return false
		}
	}
	if c.field == "" {
		return true
	}
	for _, v := range it.fields[strings.ToLower(c.field)] {
		if stringHolds(c.cmp, v, c.value, true) {
			return true
		}
	}
	return false
}
