package service_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

func p[T any](v T) *T { return &v }

// TestSearchIndexFollowsOtherProcesses writes through one store and
// searches through another open on the same file, as two replicas would:
// the searching store's in-memory index must reflect every create, update
// and delete, exactly as a store opened afresh (which builds its index from
// scratch) sees them.
func TestSearchIndexFollowsOtherProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	open := func() *service.Service {
		st, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return service.New(service.Config{Store: st})
	}
	writer, searcher := open(), open()
	ctx := switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: "us-east-1"})
	call := func(s *service.Service, op string, in api.Request) any {
		t.Helper()
		out, err := s.Handlers()[op](ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return out
	}
	inst := *call(writer, "CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: p("CONNECT_MANAGED"), InstanceAlias: p("idx"),
		InboundCallsEnabled: p(true), OutboundCallsEnabled: p(true)}).(*api.CreateInstanceResponse).Id
	rp := *call(writer, "ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: &inst}).(*api.ListRoutingProfilesResponse).RoutingProfileSummaryList[0].Id
	sp := *call(writer, "ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: &inst}).(*api.ListSecurityProfilesResponse).SecurityProfileSummaryList[0].Id
	var ids []string
	create := func(i int, last string) {
		out := call(writer, "CreateUser", &api.CreateUserRequest{InstanceId: &inst, Username: p(fmt.Sprintf("user%03d", i)), Password: p("Str0ngPassw0rd"),
			IdentityInfo: &api.UserIdentityInfo{FirstName: p("Ann"), LastName: p(last)}, RoutingProfileId: &rp, SecurityProfileIds: []string{sp},
			PhoneConfig: &api.UserPhoneConfig{PhoneType: p("SOFT_PHONE")}}).(*api.CreateUserResponse)
		ids = append(ids, *out.UserId)
	}
	search := func(s *service.Service, value string) []string {
		var got []string
		var token *string
		for {
			out := call(s, "SearchUsers", &api.SearchUsersRequest{InstanceId: &inst, MaxResults: p(int32(3)), NextToken: token,
				SearchCriteria: &api.UserSearchCriteria{StringCondition: &api.StringCondition{FieldName: p("LastName"), ComparisonType: p("CONTAINS"), Value: p(value)}}}).(*api.SearchUsersResponse)
			for _, u := range out.Users {
				got = append(got, *u.Username+"/"+*u.IdentityInfo.LastName)
			}
			if out.NextToken == nil {
				return got
			}
			token = out.NextToken
		}
	}
	check := func(step string) {
		t.Helper()
		for _, v := range []string{"SON", "smith", "zz"} {
			got, want := search(searcher, v), search(open(), v)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: search %q through the long-lived store = %v, a fresh store says %v", step, v, got, want)
			}
		}
	}
	for i := range 10 {
		create(i, []string{"Johnson", "Smith", "Jackson"}[i%3])
	}
	check("after creates")
	create(10, "Anderson")
	check("after one more create")
	call(writer, "UpdateUserIdentityInfo", &api.UpdateUserIdentityInfoRequest{InstanceId: &inst, UserId: &ids[1], IdentityInfo: &api.UserIdentityInfo{FirstName: p("Ann"), LastName: p("Robinson")}})
	check("after an update")
	call(writer, "DeleteUser", &api.DeleteUserRequest{InstanceId: &inst, UserId: &ids[0]})
	call(writer, "DeleteUser", &api.DeleteUserRequest{InstanceId: &inst, UserId: &ids[4]})
	check("after deletes")
	create(11, "Smithson")
	call(writer, "UpdateUserIdentityInfo", &api.UpdateUserIdentityInfoRequest{InstanceId: &inst, UserId: &ids[11], IdentityInfo: &api.UserIdentityInfo{FirstName: p("Ann"), LastName: p("Smithers")}})
	call(writer, "DeleteUser", &api.DeleteUserRequest{InstanceId: &inst, UserId: &ids[2]})
	check("after a mix")
	if got := search(searcher, "son"); len(got) == 0 {
		t.Fatal("search found nobody; the test proves nothing")
	}
}
