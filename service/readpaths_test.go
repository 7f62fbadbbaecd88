package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// plainStore hides every optional extension of the store's transactions
// (summary listing, change tracking, memo), so a service over it takes the
// paths any switchboard.Store supports.
type plainStore struct{ switchboard.Store }

type plainTx struct{ switchboard.Tx }

func (s plainStore) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	return s.Store.View(ctx, func(tx switchboard.Tx) error { return fn(plainTx{tx}) })
}

func (s plainStore) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	return s.Store.Update(ctx, func(tx switchboard.Tx) error { return fn(plainTx{tx}) })
}

// TestReadPathsFollowOtherProcesses writes through one store and reads
// through another open on the same file, as two replicas would. ListUsers
// (narrow listing and self-encoding page), DescribeUser (user read first)
// and the instance reads (shared decoded documents) must answer exactly
// what a service over the plain Store interface answers.
func TestReadPathsFollowOtherProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	open := func(plain bool) *service.Service {
		st, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if plain {
			return service.New(service.Config{Store: plainStore{st}})
		}
		return service.New(service.Config{Store: st})
	}
	writer, reader, reference := open(false), open(false), open(true)
	ctx := switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: "us-east-1"})
	call := func(s *service.Service, op string, in api.Request) (any, error) {
		return s.Handlers()[op](ctx, in)
	}
	must := func(s *service.Service, op string, in api.Request) any {
		t.Helper()
		out, err := call(s, op, in)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return out
	}
	// same calls op on reader and reference and requires the same JSON or
	// the same error code.
	same := func(step, op string, in api.Request) {
		t.Helper()
		encode := func(s *service.Service) string {
			out, err := call(s, op, in)
			if err != nil {
				return "error " + errCode(err) + ": " + err.Error()
			}
			b, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		if got, want := encode(reader), encode(reference); got != want {
			t.Fatalf("%s: %s through the long-lived store =\n%s\nthrough the plain store =\n%s", step, op, got, want)
		}
	}
	inst := *must(writer, "CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: p("CONNECT_MANAGED"), InstanceAlias: p("reads"),
		InboundCallsEnabled: p(true), OutboundCallsEnabled: p(true)}).(*api.CreateInstanceResponse).Id
	rp := *must(writer, "ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: &inst}).(*api.ListRoutingProfilesResponse).RoutingProfileSummaryList[0].Id
	sp := *must(writer, "ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: &inst}).(*api.ListSecurityProfilesResponse).SecurityProfileSummaryList[0].Id
	var ids []string
	create := func(i int) {
		out := must(writer, "CreateUser", &api.CreateUserRequest{InstanceId: &inst, Username: p(fmt.Sprintf("user%03d", i)), Password: p("Str0ngPassw0rd"),
			IdentityInfo: &api.UserIdentityInfo{FirstName: p("Ann"), LastName: p("Lee")}, RoutingProfileId: &rp, SecurityProfileIds: []string{sp},
			PhoneConfig: &api.UserPhoneConfig{PhoneType: p("SOFT_PHONE")}, Tags: map[string]string{"team": "a"}}).(*api.CreateUserResponse)
		ids = append(ids, *out.UserId)
	}
	check := func(step string) {
		t.Helper()
		var token *string
		for page := 0; ; page++ {
			in := &api.ListUsersRequest{InstanceId: &inst, MaxResults: p(int32(3)), NextToken: token}
			same(step, "ListUsers", in)
			out, err := call(reader, "ListUsers", in)
			if err != nil {
				break
			}
			var resp api.ListUsersResponse
			b, _ := json.Marshal(out)
			if err := json.Unmarshal(b, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.NextToken == nil {
				break
			}
			token = resp.NextToken
		}
		same(step, "ListUsers", &api.ListUsersRequest{InstanceId: &inst})
		same(step, "ListUsers", &api.ListUsersRequest{InstanceId: p("00000000-0000-0000-0000-000000000000")})
		for _, id := range ids {
			same(step, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: p(id)})
		}
		same(step, "DescribeUser", &api.DescribeUserRequest{InstanceId: p("00000000-0000-0000-0000-000000000000"), UserId: p(ids[0])})
		same(step, "DescribeInstance", &api.DescribeInstanceRequest{InstanceId: &inst})
		same(step, "ListInstances", &api.ListInstancesRequest{})
		same(step, "DescribeInstanceAttribute", &api.DescribeInstanceAttributeRequest{InstanceId: &inst, AttributeType: p("CONTACT_LENS")})
		same(step, "ListInstanceAttributes", &api.ListInstanceAttributesRequest{InstanceId: &inst})
	}
	for i := range 7 {
		create(i)
	}
	check("after creates")
	must(writer, "UpdateInstanceAttribute", &api.UpdateInstanceAttributeRequest{InstanceId: &inst, AttributeType: p("CONTACT_LENS"), Value: p("false")})
	must(writer, "UpdateUserIdentityInfo", &api.UpdateUserIdentityInfoRequest{InstanceId: &inst, UserId: &ids[1], IdentityInfo: &api.UserIdentityInfo{FirstName: p("Bo"), LastName: p("Ek")}})
	must(writer, "DeleteUser", &api.DeleteUserRequest{InstanceId: &inst, UserId: &ids[3]})
	must(writer, "UpdateUserPhoneConfig", &api.UpdateUserPhoneConfigRequest{InstanceId: &inst, UserId: &ids[2],
		PhoneConfig: &api.UserPhoneConfig{PhoneType: p("DESK_PHONE"), DeskPhoneNumber: p("+12065550100"), AutoAccept: p(true), AfterContactWorkTimeLimit: p(int32(45))}})
	check("after an attribute change, updates and a delete")
	desc := must(reader, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: &ids[2]}).(*api.DescribeUserResponse)
	if pc := desc.User.PhoneConfig; *pc.PhoneType != "DESK_PHONE" || !*pc.AutoAccept || *pc.AfterContactWorkTimeLimit != 45 {
		t.Fatalf("reader sees an old phone config after another store changed it: %+v", pc)
	}
	out := must(reader, "DescribeInstanceAttribute", &api.DescribeInstanceAttributeRequest{InstanceId: &inst, AttributeType: p("CONTACT_LENS")}).(*api.DescribeInstanceAttributeResponse)
	if *out.Attribute.Value != "false" {
		t.Fatalf("reader still sees CONTACT_LENS=%s after another store changed it", *out.Attribute.Value)
	}
	must(writer, "TagResource", &api.TagResourceRequest{ResourceArn: p("arn:aws:connect:us-east-1:000000000000:instance/" + inst), Tags: map[string]string{"k": "v"}})
	check("after tagging the instance")
	must(writer, "DeleteInstance", &api.DeleteInstanceRequest{InstanceId: &inst})
	check("after deleting the instance")
	if _, err := call(reader, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: &ids[0]}); errCode(err) != "ResourceNotFoundException" {
		t.Fatalf("DescribeUser after DeleteInstance: %v", err)
	}
}

func errCode(err error) string {
	var ae api.Error
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
