package e2e

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"
)

// person is what the test knows of a user it created, for the brute-force
// side of the comparison.
type person struct {
	id, username, first, last, routing, group string
	profiles                                  []string
	tags                                      map[string]string
}

func TestSearchUsersMatchesBruteForce(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	if _, err := f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}}); err != nil {
		t.Fatal(err)
	}
	mk := func(name, parent string) string {
		in := &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String(name)}
		if parent != "" {
			in.ParentGroupId = &parent
		}
		g, err := f.client.CreateUserHierarchyGroup(c, in)
		if err != nil {
			t.Fatal(err)
		}
		return *g.HierarchyGroupId
	}
	emea := mk("EMEA", "")
	emeaSales := mk("EMEA Sales", emea)
	amer := mk("AMER", "")

	firsts := []string{"Ana", "Bob", "Carla", "Dmitri", "Eve", "Anabel", "Bobby"}
	lasts := []string{"Smith", "Smithers", "Jones", "Blacksmith", "Ng"}
	groups := []string{"", emea, emeaSales, amer}
	var people []person
	for i := 0; i < 28; i++ {
		p := person{
			username: fmt.Sprintf("agent%02d", i), first: firsts[i%len(firsts)], last: lasts[i%len(lasts)],
			routing: f.routing, group: groups[i%len(groups)], profiles: []string{f.agent},
			tags: map[string]string{"team": []string{"red", "blue", "green"}[i%3]},
		}
		if i%4 == 0 {
			p.profiles = append(p.profiles, f.admin)
		}
		if i%5 == 0 {
			p.tags["vip"] = "yes"
		}
		in := f.user(p.username)
		in.IdentityInfo = &types.UserIdentityInfo{FirstName: &p.first, LastName: &p.last}
		in.SecurityProfileIds = p.profiles
		in.Tags = p.tags
		if p.group != "" {
			in.HierarchyGroupId = aws.String(p.group)
		}
		p.id = f.create(t, in)
		people = append(people, p)
	}

	str := func(field, how, v string) *types.UserSearchCriteria {
		return &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), ComparisonType: types.StringComparisonType(how), Value: aws.String(v)}}
	}
	cmp := func(v, want, how string, fold bool) bool {
		if fold {
			v, want = strings.ToLower(v), strings.ToLower(want)
		}
		switch how {
		case "STARTS_WITH":
			return strings.HasPrefix(v, want)
		case "CONTAINS":
			return strings.Contains(v, want)
		}
		return v == want
	}
	inGroup := func(p person, g string, children bool) bool {
		if p.group == g {
			return true
		}
		return children && g == emea && p.group == emeaSales
	}
	cases := []struct {
		name     string
		criteria *types.UserSearchCriteria
		filter   *types.UserSearchFilter
		want     func(person) bool
	}{
		{"everyone", nil, nil, func(person) bool { return true }},
		{"first name starts with (case-insensitive)", str("FirstName", "STARTS_WITH", "ana"), nil, func(p person) bool { return cmp(p.first, "ana", "STARTS_WITH", true) }},
		{"last name contains", str("LastName", "CONTAINS", "smith"), nil, func(p person) bool { return cmp(p.last, "smith", "CONTAINS", true) }},
		{"username exact", str("Username", "EXACT", "agent07"), nil, func(p person) bool { return p.username == "agent07" }},
		{"security profile", str("SecurityProfileId", "EXACT", f.admin), nil, func(p person) bool { return len(p.profiles) == 2 }},
		{"resource id", str("resourceId", "EXACT", people[3].id), nil, func(p person) bool { return p.id == people[3].id }},
		{"routing profile", str("RoutingProfileId", "EXACT", f.routing), nil, func(person) bool { return true }},
		{"and of two conditions", &types.UserSearchCriteria{AndConditions: []types.UserSearchCriteria{*str("FirstName", "STARTS_WITH", "Bob"), *str("LastName", "CONTAINS", "mith")}}, nil,
			func(p person) bool {
				return strings.HasPrefix(p.first, "Bob") && strings.Contains(strings.ToLower(p.last), "mith")
			}},
		{"or of two conditions", &types.UserSearchCriteria{OrConditions: []types.UserSearchCriteria{*str("FirstName", "EXACT", "Eve"), *str("LastName", "EXACT", "Ng")}}, nil,
			func(p person) bool { return p.first == "Eve" || p.last == "Ng" }},
		{"hierarchy exact", &types.UserSearchCriteria{HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: &emea, HierarchyGroupMatchType: types.HierarchyGroupMatchTypeExact}}, nil,
			func(p person) bool { return inGroup(p, emea, false) }},
		{"hierarchy with child groups", &types.UserSearchCriteria{HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: &emea, HierarchyGroupMatchType: types.HierarchyGroupMatchTypeWithChildGroups}}, nil,
			func(p person) bool { return inGroup(p, emea, true) }},
		{"tag filter single condition", nil, &types.UserSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("red")}}},
			func(p person) bool { return p.tags["team"] == "red" }},
		{"tag filter or of ands", nil, &types.UserSearchFilter{TagFilter: &types.ControlPlaneTagFilter{OrConditions: [][]types.TagCondition{
			{{TagKey: aws.String("team"), TagValue: aws.String("blue")}, {TagKey: aws.String("vip"), TagValue: aws.String("yes")}},
			{{TagKey: aws.String("team"), TagValue: aws.String("green")}},
		}}}, func(p person) bool {
			return (p.tags["team"] == "blue" && p.tags["vip"] == "yes") || p.tags["team"] == "green"
		}},
		{"attribute filter hierarchy and criteria", str("FirstName", "CONTAINS", "a"), &types.UserSearchFilter{UserAttributeFilter: &types.ControlPlaneUserAttributeFilter{
			HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: &amer, HierarchyGroupMatchType: types.HierarchyGroupMatchTypeExact}}},
			func(p person) bool { return strings.Contains(strings.ToLower(p.first), "a") && p.group == amer }},
		{"attribute filter and-condition of tags", nil, &types.UserSearchFilter{UserAttributeFilter: &types.ControlPlaneUserAttributeFilter{
			AndCondition: &types.AttributeAndCondition{TagConditions: []types.TagCondition{{TagKey: aws.String("team"), TagValue: aws.String("red")}, {TagKey: aws.String("vip"), TagValue: aws.String("yes")}}}}},
			func(p person) bool { return p.tags["team"] == "red" && p.tags["vip"] == "yes" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, p := range people {
				if tc.want(p) {
					want = append(want, p.id)
				}
			}
			var got []string
			byID := map[string]person{}
			for _, p := range people {
				byID[p.id] = p
			}
			pg := connect.NewSearchUsersPaginator(f.client, &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(4)})
			for pg.HasMorePages() {
				out, err := pg.NextPage(ctx(t))
				if err != nil {
					t.Fatal(err)
				}
				if *out.ApproximateTotalCount != int64(len(want)) {
					t.Fatalf("ApproximateTotalCount %d, want %d", *out.ApproximateTotalCount, len(want))
				}
				for _, u := range out.Users {
					got = append(got, *u.Id)
					p := byID[*u.Id]
					if *u.Username != p.username || *u.IdentityInfo.FirstName != p.first || aws.ToString(u.HierarchyGroupId) != p.group || u.Tags["team"] != p.tags["team"] {
						t.Errorf("summary of %s does not match the user: %+v", p.username, u)
					}
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("got %d users, want %d\n got  %v\n want %v", len(got), len(want), got, want)
			}
		})
	}

	t.Run("ACW is reported in milliseconds", func(t *testing.T) {
		in := f.user("acwms")
		in.PhoneConfig = &types.UserPhoneConfig{AfterContactWorkTimeLimit: 30}
		f.create(t, in)
		out, err := f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: str("Username", "EXACT", "acwms")})
		if err != nil || len(out.Users) != 1 {
			t.Fatalf("%v %+v", err, out)
		}
		if got := out.Users[0].PhoneConfig.AfterContactWorkTimeLimit; got != 30000 {
			t.Errorf("AfterContactWorkTimeLimit %d, want 30000 (ms)", got)
		}
	})
	t.Run("unsupported field is refused", func(t *testing.T) {
		_, err := f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: str("Email", "EXACT", "x")})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("tag filter with attribute filter is AccessDenied", func(t *testing.T) {
		tc := &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("red")}
		_, err := f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance, SearchFilter: &types.UserSearchFilter{
			TagFilter: &types.ControlPlaneTagFilter{TagCondition: tc}, UserAttributeFilter: &types.ControlPlaneUserAttributeFilter{TagCondition: tc}}})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("MaxResults above 500 refused", func(t *testing.T) {
		_, err := f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance, MaxResults: aws.Int32(501)})
		var ip *types.InvalidParameterException
		if !errors.As(err, &ip) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ListUsers walks every user once", func(t *testing.T) {
		seen := map[string]int{}
		pg := connect.NewListUsersPaginator(f.client, &connect.ListUsersInput{InstanceId: &f.instance, MaxResults: aws.Int32(5)})
		for pg.HasMorePages() {
			out, err := pg.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range out.UserSummaryList {
				seen[*u.Id]++
			}
		}
		if len(seen) != len(people)+1 {
			t.Fatalf("walked %d users, created %d", len(seen), len(people)+1)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s seen %d times", id, n)
			}
		}
	})
}
