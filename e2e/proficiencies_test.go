package e2e

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// Tests of AssociateUserProficiencies, DisassociateUserProficiencies,
// ListUserProficiencies, UpdateUserProficiencies and SearchUsers'
// ListCondition through aws-sdk-go-v2.

func prof(name, value string, level float32) types.UserProficiency {
	return types.UserProficiency{AttributeName: aws.String(name), AttributeValue: aws.String(value), Level: aws.Float32(level)}
}

// profString renders proficiencies for comparison: name=value@level, in
// order.
func profString(ps []types.UserProficiency) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%s=%s@%g", aws.ToString(p.AttributeName), aws.ToString(p.AttributeValue), aws.ToFloat32(p.Level)))
	}
	return strings.Join(parts, ",")
}

// proficienciesOf lists a user's proficiencies page by page.
func (f *fixture) proficienciesOf(t *testing.T, user string, max int32) string {
	t.Helper()
	var all []types.UserProficiency
	var token *string
	for pages := 0; pages < 50; pages++ {
		out := call(f.client.ListUserProficiencies(ctx(t), &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &user, MaxResults: &max, NextToken: token})).must(t)
		if len(out.UserProficiencyList) > int(max) {
			t.Fatalf("page of %d with MaxResults %d", len(out.UserProficiencyList), max)
		}
		all = append(all, out.UserProficiencyList...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	return profString(all)
}

func TestUserProficiencies(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.newAttribute(t, "Language", "English", "French", "German", "Spanish")
	f.newAttribute(t, "Technology", "AWS EC2", "AWS Kinesis", "AWS Dynamo DB", "AWS S3", "AWS Lambda", "AWS SQS", "AWS SNS")
	user := f.create(t, f.user("agent.one"))
	associate := func(ps ...types.UserProficiency) error {
		_, err := f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &user, UserProficiencies: ps})
		return err
	}
	update := func(ps ...types.UserProficiency) error {
		_, err := f.client.UpdateUserProficiencies(c, &connect.UpdateUserProficienciesInput{InstanceId: &f.instance, UserId: &user, UserProficiencies: ps})
		return err
	}
	disassociate := func(pairs ...[2]string) error {
		var ps []types.UserProficiencyDisassociate
		for _, p := range pairs {
			ps = append(ps, types.UserProficiencyDisassociate{AttributeName: aws.String(p[0]), AttributeValue: aws.String(p[1])})
		}
		_, err := f.client.DisassociateUserProficiencies(c, &connect.DisassociateUserProficienciesInput{InstanceId: &f.instance, UserId: &user, UserProficiencies: ps})
		return err
	}
	// unchanged fails the test when the user's proficiencies are not want.
	unchanged := func(t *testing.T, want string) {
		t.Helper()
		if got := f.proficienciesOf(t, user, 100); got != want {
			t.Errorf("proficiencies %q, want %q", got, want)
		}
	}

	t.Run("a new user has none", func(t *testing.T) {
		out := call(f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &user})).must(t)
		if out.UserProficiencyList == nil || len(out.UserProficiencyList) != 0 || out.NextToken != nil {
			t.Errorf("new user: %+v", out)
		}
	})

	t.Run("associate then list in association order", func(t *testing.T) {
		if err := associate(prof("Language", "French", 3), prof("Technology", "AWS EC2", 4), prof("Language", "English", 5)); err != nil {
			t.Fatal(err)
		}
		unchanged(t, "Language=French@3,Technology=AWS EC2@4,Language=English@5")
		out := call(f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &user})).must(t)
		u := f.describe(t, user)
		if out.LastModifiedTime == nil || !out.LastModifiedTime.Equal(*u.LastModifiedTime) || aws.ToString(out.LastModifiedRegion) != region {
			t.Errorf("LastModifiedTime %v region %v, want the user's %v and %s", out.LastModifiedTime, aws.ToString(out.LastModifiedRegion), u.LastModifiedTime, region)
		}
		recent(t, "proficiencies", out.LastModifiedTime)
	})

	t.Run("list pages of one and two", func(t *testing.T) {
		want := "Language=French@3,Technology=AWS EC2@4,Language=English@5"
		for _, max := range []int32{1, 2} {
			if got := f.proficienciesOf(t, user, max); got != want {
				t.Errorf("MaxResults %d: %q, want %q", max, got, want)
			}
		}
	})

	t.Run("associate of one the user has sets its level", func(t *testing.T) {
		if err := associate(prof("Language", "French", 1), prof("Language", "German", 2)); err != nil {
			t.Fatal(err)
		}
		unchanged(t, "Language=French@1,Technology=AWS EC2@4,Language=English@5,Language=German@2")
	})

	t.Run("update changes levels only", func(t *testing.T) {
		if err := update(prof("Technology", "AWS EC2", 2), prof("Language", "English", 4)); err != nil {
			t.Fatal(err)
		}
		unchanged(t, "Language=French@1,Technology=AWS EC2@2,Language=English@4,Language=German@2")
	})

	t.Run("update of one the user lacks is InvalidParameter and changes nothing", func(t *testing.T) {
		err := update(prof("Language", "French", 5), prof("Language", "Spanish", 3))
		wantErr[*types.InvalidParameterException](t, err, "Spanish", "AssociateUserProficiencies")
		unchanged(t, "Language=French@1,Technology=AWS EC2@2,Language=English@4,Language=German@2")
	})

	t.Run("disassociate removes and ignores what is absent", func(t *testing.T) {
		if err := disassociate([2]string{"Language", "German"}, [2]string{"Language", "Spanish"}, [2]string{"Nope", "x"}); err != nil {
			t.Fatal(err)
		}
		unchanged(t, "Language=French@1,Technology=AWS EC2@2,Language=English@4")
	})

	t.Run("refused associations change nothing", func(t *testing.T) {
		const before = "Language=French@1,Technology=AWS EC2@2,Language=English@4"
		for _, tc := range []struct {
			name     string
			ps       []types.UserProficiency
			notFound bool // ResourceNotFoundException, else InvalidParameterException
			names    []string
		}{
			{"unknown attribute is ResourceNotFound", []types.UserProficiency{prof("Language", "Spanish", 2), prof("Cooking", "Pasta", 2)}, true, []string{"AttributeName", "Cooking"}},
			{"value not of the attribute is InvalidParameter", []types.UserProficiency{prof("Language", "Klingon", 2)}, false, []string{"AttributeValue", "Klingon"}},
			{"value of another attribute is InvalidParameter", []types.UserProficiency{prof("Language", "AWS S3", 2)}, false, []string{"AttributeValue", "AWS S3"}},
			{"value in another case is InvalidParameter", []types.UserProficiency{prof("Language", "french", 2)}, false, []string{"AttributeValue", "french"}},
			{"level below 1", []types.UserProficiency{prof("Language", "Spanish", 0)}, false, []string{"level", "greater than or equal to 1"}},
			{"level above 5", []types.UserProficiency{prof("Language", "Spanish", 6)}, false, []string{"level", "less than or equal to 5"}},
			{"level between whole numbers", []types.UserProficiency{prof("Language", "Spanish", 2.5)}, false, []string{"level", "2.5"}},
			{"same value twice", []types.UserProficiency{prof("Language", "Spanish", 2), prof("Language", "Spanish", 3)}, false, []string{"UserProficiencies", "Spanish"}},
			{"more than ten", []types.UserProficiency{prof("Language", "Spanish", 1), prof("Language", "German", 1),
				prof("Technology", "AWS Kinesis", 1), prof("Technology", "AWS Dynamo DB", 1), prof("Technology", "AWS S3", 1),
				prof("Technology", "AWS Lambda", 1), prof("Technology", "AWS SQS", 1), prof("Technology", "AWS SNS", 1)}, false, []string{"UserProficiencies", "10", "11"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := associate(tc.ps...); tc.notFound {
					wantErr[*types.ResourceNotFoundException](t, err, tc.names...)
				} else {
					wantErr[*types.InvalidParameterException](t, err, tc.names...)
				}
				unchanged(t, before)
			})
		}
	})

	t.Run("exactly ten is allowed", func(t *testing.T) {
		if err := associate(prof("Language", "Spanish", 1), prof("Language", "German", 1),
			prof("Technology", "AWS Kinesis", 1), prof("Technology", "AWS Dynamo DB", 1), prof("Technology", "AWS S3", 1),
			prof("Technology", "AWS Lambda", 1), prof("Technology", "AWS SQS", 1)); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(f.proficienciesOf(t, user, 3), "@"); got != 10 {
			t.Errorf("%d proficiencies, want 10", got)
		}
		// Re-associating one the user has does not count twice.
		if err := associate(prof("Technology", "AWS SQS", 5)); err != nil {
			t.Fatal(err)
		}
		wantErr[*types.InvalidParameterException](t, associate(prof("Technology", "AWS SNS", 1)), "UserProficiencies")
	})

	t.Run("unknown user or instance is ResourceNotFound", func(t *testing.T) {
		missing := aws.String("00000000-0000-0000-0000-000000000000")
		_, err := f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: missing})
		wantErr[*types.ResourceNotFoundException](t, err, *missing)
		_, err = f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: missing,
			UserProficiencies: []types.UserProficiency{prof("Language", "French", 2)}})
		wantErr[*types.ResourceNotFoundException](t, err, *missing)
		_, err = f.client.UpdateUserProficiencies(c, &connect.UpdateUserProficienciesInput{InstanceId: &f.instance, UserId: missing,
			UserProficiencies: []types.UserProficiency{prof("Language", "French", 2)}})
		wantErr[*types.ResourceNotFoundException](t, err, *missing)
		_, err = f.client.DisassociateUserProficiencies(c, &connect.DisassociateUserProficienciesInput{InstanceId: &f.instance, UserId: missing,
			UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: aws.String("Language"), AttributeValue: aws.String("French")}}})
		wantErr[*types.ResourceNotFoundException](t, err, *missing)
		_, err = f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: aws.String("no-such-instance"), UserId: &user})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})

	t.Run("bad page size and token are InvalidParameter", func(t *testing.T) {
		for _, max := range []int32{0, 101} {
			_, err := f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &user, MaxResults: aws.Int32(max)})
			wantErr[*types.InvalidParameterException](t, err, "maxResults")
		}
		_, err := f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &user, NextToken: aws.String("forged")})
		wantErr[*types.InvalidParameterException](t, err, "nextToken")
	})

	t.Run("other user updates keep proficiencies", func(t *testing.T) {
		before := f.proficienciesOf(t, user, 100)
		call(f.client.UpdateUserIdentityInfo(c, &connect.UpdateUserIdentityInfoInput{InstanceId: &f.instance, UserId: &user,
			IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Marie"), LastName: aws.String("Curie")}})).must(t)
		call(f.client.UpdateUserSecurityProfiles(c, &connect.UpdateUserSecurityProfilesInput{InstanceId: &f.instance, UserId: &user,
			SecurityProfileIds: []string{f.agent, f.admin}})).must(t)
		if got := f.proficienciesOf(t, user, 100); got != before {
			t.Errorf("after other updates %q, want %q", got, before)
		}
	})
}

// proficient is a user as the brute-force side of the search test knows it.
type proficient struct {
	id, first string
	profs     []types.UserProficiency
}

// listHolds is the documented reading of a ListCondition, written
// independently of the server: one proficiency must meet every condition.
func listHolds(lc *types.ListCondition, ps []types.UserProficiency) bool {
	for _, p := range ps {
		all := true
		for _, c := range lc.Conditions {
			all = all && conditionHolds(c, p)
		}
		if all {
			return true
		}
	}
	return false
}

func conditionHolds(c types.Condition, p types.UserProficiency) bool {
	if sc := c.StringCondition; sc != nil {
		got := strings.ToLower(aws.ToString(p.AttributeValue))
		if strings.ToLower(aws.ToString(sc.FieldName)) == "name" {
			got = strings.ToLower(aws.ToString(p.AttributeName))
		}
		want := strings.ToLower(aws.ToString(sc.Value))
		ok := got == want
		switch sc.ComparisonType {
		case types.StringComparisonTypeContains:
			ok = strings.Contains(got, want)
		case types.StringComparisonTypeStartsWith:
			ok = strings.HasPrefix(got, want)
		}
		if !ok {
			return false
		}
	}
	if nc := c.NumberCondition; nc != nil {
		l := int32(aws.ToFloat32(p.Level))
		lo, hi := aws.ToInt32(nc.MinValue), aws.ToInt32(nc.MaxValue)
		one := lo
		if nc.MinValue == nil {
			one = hi
		}
		ok := map[types.NumberComparisonType]bool{
			types.NumberComparisonTypeGreaterOrEqual: l >= lo, types.NumberComparisonTypeGreater: l > lo,
			types.NumberComparisonTypeLesserOrEqual: l <= hi, types.NumberComparisonTypeLesser: l < hi,
			types.NumberComparisonTypeRange: lo <= l && l <= hi, types.NumberComparisonTypeEqual: l == one, types.NumberComparisonTypeNotEqual: l != one,
		}[nc.ComparisonType]
		if !ok {
			return false
		}
	}
	return true
}

// userHolds evaluates the criteria the search test uses: And, Or,
// ListCondition and StringCondition on FirstName.
func userHolds(c *types.UserSearchCriteria, u proficient) bool {
	if c == nil {
		return true
	}
	for i := range c.AndConditions {
		if !userHolds(&c.AndConditions[i], u) {
			return false
		}
	}
	if len(c.OrConditions) > 0 {
		hit := false
		for i := range c.OrConditions {
			hit = hit || userHolds(&c.OrConditions[i], u)
		}
		if !hit {
			return false
		}
	}
	if sc := c.StringCondition; sc != nil && !strings.HasPrefix(strings.ToLower(u.first), strings.ToLower(*sc.Value)) {
		return false
	}
	return c.ListCondition == nil || listHolds(c.ListCondition, u.profs)
}

func strCond(field, value string, how types.StringComparisonType) types.Condition {
	return types.Condition{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: how}}
}

func numCond(how types.NumberComparisonType, min, max *int32) types.Condition {
	return types.Condition{NumberCondition: &types.NumberCondition{FieldName: aws.String("limit"), ComparisonType: how, MinValue: min, MaxValue: max}}
}

func proficiencies(conds ...types.Condition) *types.UserSearchCriteria {
	return &types.UserSearchCriteria{ListCondition: &types.ListCondition{TargetListType: types.TargetListTypeProficiencies, Conditions: conds}}
}

func TestSearchUsersByProficiency(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.newAttribute(t, "Language", "English", "French", "German")
	f.newAttribute(t, "Technology", "AWS EC2", "AWS Kinesis", "AWS Dynamo DB")
	values := [][2]string{{"Language", "English"}, {"Language", "French"}, {"Language", "German"}, {"Technology", "AWS EC2"}, {"Technology", "AWS Kinesis"}, {"Technology", "AWS Dynamo DB"}}
	firsts := []string{"Ana", "Bob", "Carla", "Dmitri"}
	var users []proficient
	for i := 0; i < 16; i++ {
		u := proficient{first: firsts[i%len(firsts)]}
		// Users 0..14 get i%4 proficiencies (0 to 3) spread over the
		// values, with levels cycling 1..5; user 15 has none.
		for j := 0; j < i%4 && i < 15; j++ {
			v := values[(i+2*j)%len(values)]
			u.profs = append(u.profs, prof(v[0], v[1], float32((i+j)%5+1)))
		}
		in := f.user(fmt.Sprintf("skilled%02d", i))
		in.IdentityInfo = &types.UserIdentityInfo{FirstName: aws.String(u.first), LastName: aws.String("Doe")}
		u.id = f.create(t, in)
		if len(u.profs) > 0 {
			call(f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &u.id, UserProficiencies: u.profs})).must(t)
		}
		users = append(users, u)
	}

	cases := []struct {
		name     string
		criteria *types.UserSearchCriteria
	}{
		{"any proficiency (no conditions)", proficiencies()},
		{"attribute name", proficiencies(strCond("name", "Language", types.StringComparisonTypeExact))},
		{"name and value case-insensitively", proficiencies(strCond("name", "language", types.StringComparisonTypeExact), strCond("value", "FRENCH", types.StringComparisonTypeExact))},
		{"value contains, level at least 4", proficiencies(strCond("value", "aws", types.StringComparisonTypeContains), numCond(types.NumberComparisonTypeGreaterOrEqual, aws.Int32(4), nil))},
		{"name starts with, value starts with", proficiencies(strCond("name", "tech", types.StringComparisonTypeStartsWith), strCond("value", "aws d", types.StringComparisonTypeStartsWith))},
		{"level range", proficiencies(numCond(types.NumberComparisonTypeRange, aws.Int32(2), aws.Int32(3)))},
		{"level greater", proficiencies(numCond(types.NumberComparisonTypeGreater, aws.Int32(4), nil))},
		{"level lesser", proficiencies(numCond(types.NumberComparisonTypeLesser, nil, aws.Int32(3)))},
		{"level lesser or equal", proficiencies(strCond("Name", "Language", types.StringComparisonTypeExact), numCond(types.NumberComparisonTypeLesserOrEqual, nil, aws.Int32(2)))},
		{"level equal (MinValue)", proficiencies(numCond(types.NumberComparisonTypeEqual, aws.Int32(5), nil))},
		{"level equal (MaxValue)", proficiencies(numCond(types.NumberComparisonTypeEqual, nil, aws.Int32(1)))},
		{"level not equal", proficiencies(strCond("value", "English", types.StringComparisonTypeExact), numCond(types.NumberComparisonTypeNotEqual, aws.Int32(3), aws.Int32(3)))},
		{"conditions apply to one proficiency", proficiencies(strCond("name", "Language", types.StringComparisonTypeExact), strCond("value", "AWS EC2", types.StringComparisonTypeExact))},
		{"two list conditions may match two proficiencies", &types.UserSearchCriteria{AndConditions: []types.UserSearchCriteria{
			*proficiencies(strCond("name", "Language", types.StringComparisonTypeExact)), *proficiencies(strCond("name", "Technology", types.StringComparisonTypeExact))}}},
		{"or with a first name", &types.UserSearchCriteria{OrConditions: []types.UserSearchCriteria{
			*proficiencies(strCond("value", "German", types.StringComparisonTypeExact)),
			{StringCondition: &types.StringCondition{FieldName: aws.String("FirstName"), Value: aws.String("dm"), ComparisonType: types.StringComparisonTypeStartsWith}}}}},
		{"list condition beside a string condition", &types.UserSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("FirstName"), Value: aws.String("b"), ComparisonType: types.StringComparisonTypeStartsWith},
			ListCondition:   proficiencies(numCond(types.NumberComparisonTypeGreaterOrEqual, aws.Int32(3), nil)).ListCondition}},
		{"nothing matches", proficiencies(strCond("value", "Klingon", types.StringComparisonTypeExact))},
	}
	run := func(t *testing.T, criteria *types.UserSearchCriteria) {
		t.Helper()
		var want, got []string
		for _, u := range users {
			if userHolds(criteria, u) {
				want = append(want, u.id)
			}
		}
		pg := connect.NewSearchUsersPaginator(f.client, &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: criteria, MaxResults: aws.Int32(3)})
		for pg.HasMorePages() {
			out := call(pg.NextPage(ctx(t))).must(t)
			if *out.ApproximateTotalCount != int64(len(want)) {
				t.Errorf("ApproximateTotalCount %d, want %d", *out.ApproximateTotalCount, len(want))
			}
			for _, u := range out.Users {
				got = append(got, *u.Id)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %d users, want %d\n got  %v\n want %v", len(got), len(want), got, want)
		}
	}
	// "conditions apply to one proficiency" proves something only if some
	// user has both halves on different proficiencies.
	split := 0
	for _, u := range users {
		if listHolds(proficiencies(strCond("name", "Language", types.StringComparisonTypeExact)).ListCondition, u.profs) &&
			listHolds(proficiencies(strCond("value", "AWS EC2", types.StringComparisonTypeExact)).ListCondition, u.profs) {
			split++
		}
	}
	if split == 0 {
		t.Fatal("no user has a Language proficiency and an AWS EC2 one")
	}
	matched := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run(t, tc.criteria)
			for _, u := range users {
				if userHolds(tc.criteria, u) {
					matched++
				}
			}
		})
	}
	if matched == 0 {
		t.Errorf("no case matched anything")
	}

	t.Run("changes are seen by the next search", func(t *testing.T) {
		u := &users[1]
		call(f.client.UpdateUserProficiencies(c, &connect.UpdateUserProficienciesInput{InstanceId: &f.instance, UserId: &u.id,
			UserProficiencies: []types.UserProficiency{prof(*u.profs[0].AttributeName, *u.profs[0].AttributeValue, 5)}})).must(t)
		u.profs[0].Level = aws.Float32(5)
		v := &users[6]
		call(f.client.DisassociateUserProficiencies(c, &connect.DisassociateUserProficienciesInput{InstanceId: &f.instance, UserId: &v.id,
			UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: v.profs[0].AttributeName, AttributeValue: v.profs[0].AttributeValue}}})).must(t)
		v.profs = v.profs[1:]
		w := &users[15]
		call(f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &w.id,
			UserProficiencies: []types.UserProficiency{prof("Language", "German", 5)}})).must(t)
		w.profs = []types.UserProficiency{prof("Language", "German", 5)}
		for _, tc := range cases {
			run(t, tc.criteria)
		}
	})
}

func TestSearchUsersListConditionErrors(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	for _, tc := range []struct {
		name     string
		criteria *types.UserSearchCriteria
		names    []string
	}{
		{"no target list type", &types.UserSearchCriteria{ListCondition: &types.ListCondition{Conditions: []types.Condition{strCond("name", "x", types.StringComparisonTypeExact)}}}, []string{"TargetListType"}},
		{"empty condition", proficiencies(types.Condition{}), []string{"Conditions[0]", "StringCondition", "NumberCondition"}},
		{"string field not documented", proficiencies(strCond("AttributeName", "x", types.StringComparisonTypeExact)), []string{"FieldName", "AttributeName", "name or value"}},
		{"string condition without value", proficiencies(types.Condition{StringCondition: &types.StringCondition{FieldName: aws.String("name"), ComparisonType: types.StringComparisonTypeExact}}), []string{"Value"}},
		{"number field not documented", proficiencies(types.Condition{NumberCondition: &types.NumberCondition{FieldName: aws.String("Level"), ComparisonType: types.NumberComparisonTypeEqual, MinValue: aws.Int32(1)}}), []string{"FieldName", "Level", "limit"}},
		{"number condition without comparison", proficiencies(types.Condition{NumberCondition: &types.NumberCondition{FieldName: aws.String("limit"), MinValue: aws.Int32(1)}}), []string{"ComparisonType"}},
		{"greater without MinValue", proficiencies(numCond(types.NumberComparisonTypeGreater, nil, aws.Int32(3))), []string{"MinValue"}},
		{"lesser without MaxValue", proficiencies(numCond(types.NumberComparisonTypeLesser, aws.Int32(3), nil)), []string{"MaxValue"}},
		{"range without MaxValue", proficiencies(numCond(types.NumberComparisonTypeRange, aws.Int32(1), nil)), []string{"MaxValue"}},
		{"range upside down", proficiencies(numCond(types.NumberComparisonTypeRange, aws.Int32(4), aws.Int32(2))), []string{"MinValue", "MaxValue"}},
		{"equal to two values", proficiencies(numCond(types.NumberComparisonTypeEqual, aws.Int32(1), aws.Int32(2))), []string{"MinValue", "MaxValue"}},
		{"equal to nothing", proficiencies(numCond(types.NumberComparisonTypeEqual, nil, nil)), []string{"MinValue"}},
		{"unknown comparison", proficiencies(numCond("BETWEEN", aws.Int32(1), aws.Int32(2))), []string{"comparisonType"}},
		{"unknown target list", &types.UserSearchCriteria{ListCondition: &types.ListCondition{TargetListType: "SKILLS"}}, []string{"targetListType"}},
		{"nested in an or", &types.UserSearchCriteria{OrConditions: []types.UserSearchCriteria{*proficiencies(strCond("level", "1", types.StringComparisonTypeExact))}}, []string{"FieldName", "level"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: tc.criteria})
			wantErr[*types.InvalidParameterException](t, err, tc.names...)
		})
	}
}
