package e2e

// Accounts, regions and access policies, through aws-sdk-go-v2 against a
// server configured the way --config configures the binary.

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

const (
	accountA = "111111111111"
	accountB = "222222222222"
)

// accountsEnv is a server whose credentials come from an accounts config.
type accountsEnv struct {
	t   *testing.T
	url string
	log *bytes.Buffer
}

// startAccounts runs a server with the given accounts (compiled exactly as
// cmd/switchboard compiles the config file), logging at debug level into a
// buffer with the same handler the binary uses.
func startAccounts(t *testing.T, accounts []server.Account) *accountsEnv {
	t.Helper()
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return startAccountsOn(t, store, accounts)
}

// startAccountsOn is startAccounts over an existing store, for a second
// server that sees the first one's resources under another config.
func startAccountsOn(t *testing.T, store switchboard.Store, accounts []server.Account) *accountsEnv {
	t.Helper()
	ids, err := server.CompileAccounts(accounts)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, _ := server.New(server.Config{Store: store, Credentials: ids.Credentials, Policies: ids.Policies, Logger: logger})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &accountsEnv{t: t, url: srv.URL, log: &logs}
}

// as returns a client signing with key in region.
func (a *accountsEnv) as(key, region string) *connect.Client {
	return newClient(a.url, key, "secret-of-"+key, region)
}

func key(id, policy string) server.AccessKey {
	k := server.AccessKey{ID: id, Secret: "secret-of-" + id}
	if policy != "" {
		k.Policy = json.RawMessage(policy)
	}
	return k
}

// setUp creates an instance with one user and returns the instance id,
// the user id and the user's ARN.
func setUp(t *testing.T, c *connect.Client, alias string) (instance, user, userARN string) {
	t.Helper()
	out := call(c.CreateInstance(ctx(t), &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String(alias), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})).must(t)
	instance = *out.Id
	sps := call(c.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &instance})).must(t)
	rps := call(c.ListRoutingProfiles(ctx(t), &connect.ListRoutingProfilesInput{InstanceId: &instance})).must(t)
	u := call(c.CreateUser(ctx(t), &connect.CreateUserInput{
		InstanceId: &instance, Username: aws.String("mary"), Password: aws.String("Str0ngPassw0rd"),
		IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("Mary"), LastName: aws.String("Major")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id,
	})).must(t)
	return instance, *u.UserId, *u.UserArn
}

// TestAccountsAreIsolated: account A cannot describe, list, tag or delete
// account B's resources; it gets ResourceNotFoundException and never the
// foreign resource, and B's resources are unchanged afterwards.
func TestAccountsAreIsolated(t *testing.T) {
	e := startAccounts(t, []server.Account{
		{ID: accountA, AccessKeys: []server.AccessKey{key("AKIDA", "")}},
		{ID: accountB, AccessKeys: []server.AccessKey{key("AKIDB", "")}},
	})
	a, b := e.as("AKIDA", region), e.as("AKIDB", region)
	instB, userB, userARN := setUp(t, b, "center-b")

	d := call(b.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &instB})).must(t)
	if want := "arn:aws:connect:" + region + ":" + accountB + ":instance/" + instB; *d.Instance.Arn != want {
		t.Errorf("instance ARN %s, want %s", *d.Instance.Arn, want)
	}
	if want := "arn:aws:connect:" + region + ":" + accountB + ":instance/" + instB + "/agent/" + userB; userARN != want {
		t.Errorf("user ARN %s, want %s", userARN, want)
	}
	instARN := *d.Instance.Arn

	cases := []struct {
		name string
		call func() error
	}{
		{"DescribeInstance", func() error {
			_, err := a.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &instB})
			return err
		}},
		{"DescribeInstance by ARN", func() error {
			_, err := a.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &instARN})
			return err
		}},
		{"DescribeUser", func() error {
			_, err := a.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &instB, UserId: &userB})
			return err
		}},
		{"ListUsers", func() error {
			_, err := a.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &instB})
			return err
		}},
		{"ListSecurityProfiles", func() error {
			_, err := a.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &instB})
			return err
		}},
		{"TagResource on the user", func() error {
			_, err := a.TagResource(ctx(t), &connect.TagResourceInput{ResourceArn: &userARN, Tags: map[string]string{"owner": "a"}})
			return err
		}},
		{"ListTagsForResource on the instance", func() error {
			_, err := a.ListTagsForResource(ctx(t), &connect.ListTagsForResourceInput{ResourceArn: &instARN})
			return err
		}},
		{"UntagResource on the user", func() error {
			_, err := a.UntagResource(ctx(t), &connect.UntagResourceInput{ResourceArn: &userARN, TagKeys: []string{"team"}})
			return err
		}},
		{"DeleteUser", func() error {
			_, err := a.DeleteUser(ctx(t), &connect.DeleteUserInput{InstanceId: &instB, UserId: &userB})
			return err
		}},
		{"DeleteInstance", func() error {
			_, err := a.DeleteInstance(ctx(t), &connect.DeleteInstanceInput{InstanceId: &instB})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			wantErr[*types.ResourceNotFoundException](t, err)
			if statusOf(err) != 404 {
				t.Errorf("status %d, want 404", statusOf(err))
			}
		})
	}

	if l := call(a.ListInstances(ctx(t), &connect.ListInstancesInput{})).must(t); len(l.InstanceSummaryList) != 0 {
		t.Errorf("account A lists %d instances, want none", len(l.InstanceSummaryList))
	}
	// B still has everything, untagged by A.
	call(b.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &instB, UserId: &userB})).must(t)
	tags := call(b.ListTagsForResource(ctx(t), &connect.ListTagsForResourceInput{ResourceArn: &userARN})).must(t)
	if _, ok := tags.Tags["owner"]; ok {
		t.Errorf("account A tagged B's user: %v", tags.Tags)
	}

	// With accounts configured the built-in test/test key is gone.
	_, err := newClient(e.url, "test", "test", region).ListInstances(ctx(t), &connect.ListInstancesInput{})
	wantCode(t, err, "UnrecognizedClientException")
}

// statusOf is the HTTP status of an SDK error (0 when there is none).
func statusOf(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// TestRegionsAreIsolated: the same account sees in each region only what
// it created there, with ARNs naming that region.
func TestRegionsAreIsolated(t *testing.T) {
	e := startAccounts(t, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{key("AKIDA", "")}}})
	east, west := e.as("AKIDA", "us-east-1"), e.as("AKIDA", "eu-west-2")
	instEast, _, _ := setUp(t, east, "east")
	instWest, _, userWest := setUp(t, west, "west")

	for _, c := range []struct {
		name   string
		client *connect.Client
		region string
		want   string
	}{{"us-east-1", east, "us-east-1", instEast}, {"eu-west-2", west, "eu-west-2", instWest}} {
		t.Run(c.name, func(t *testing.T) {
			l := call(c.client.ListInstances(ctx(t), &connect.ListInstancesInput{})).must(t)
			if len(l.InstanceSummaryList) != 1 || *l.InstanceSummaryList[0].Id != c.want {
				t.Fatalf("ListInstances in %s: %+v", c.region, l.InstanceSummaryList)
			}
			if want := "arn:aws:connect:" + c.region + ":" + accountA + ":instance/" + c.want; *l.InstanceSummaryList[0].Arn != want {
				t.Errorf("ARN %s, want %s", *l.InstanceSummaryList[0].Arn, want)
			}
		})
	}
	_, err := east.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &instWest})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = east.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &instWest})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = east.ListTagsForResource(ctx(t), &connect.ListTagsForResourceInput{ResourceArn: &userWest})
	wantErr[*types.ResourceNotFoundException](t, err)
}

// wantDenied fails unless err is AccessDeniedException, 403, with IAM's
// wording for key, action and resource; explicit says which reason.
func wantDenied(t *testing.T, err error, keyID, action, resource string, explicit bool) {
	t.Helper()
	ae := wantCode(t, err, "AccessDeniedException")
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 403 || re.Response.Header.Get("X-Amzn-ErrorType") != "AccessDeniedException" {
		t.Fatalf("want 403 with X-Amzn-ErrorType AccessDeniedException, got %v", err)
	}
	want := "User: arn:aws:iam::" + accountA + ":user/" + keyID + " is not authorized to perform: " + action + " on resource: " + resource
	if explicit {
		want += " with an explicit deny in an identity-based policy"
	} else {
		want += " because no identity-based policy allows the " + action + " action"
	}
	if ae.ErrorMessage() != want {
		t.Errorf("message\n got %s\nwant %s", ae.ErrorMessage(), want)
	}
}

// TestReadOnlyPolicy: a key allowed only connect:Describe* and
// connect:List* reads everything and may not create a user.
func TestReadOnlyPolicy(t *testing.T) {
	e := startAccounts(t, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{
		key("AKIDADMIN", ""),
		key("AKIDREAD", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnly","Effect":"Allow","Action":["connect:Describe*","connect:List*"],"Resource":"*"}]}`),
	}}})
	admin, ro := e.as("AKIDADMIN", region), e.as("AKIDREAD", region)
	inst, user, _ := setUp(t, admin, "ro")

	call(ro.ListInstances(ctx(t), &connect.ListInstancesInput{})).must(t)
	call(ro.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &inst})).must(t)
	call(ro.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &inst})).must(t)
	call(ro.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &inst, UserId: &user})).must(t)
	sps := call(ro.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &inst})).must(t)
	rps := call(ro.ListRoutingProfiles(ctx(t), &connect.ListRoutingProfilesInput{InstanceId: &inst})).must(t)

	_, err := ro.CreateUser(ctx(t), &connect.CreateUserInput{
		InstanceId: &inst, Username: aws.String("eve"), Password: aws.String("Str0ngPassw0rd"),
		IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("Eve"), LastName: aws.String("X")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id,
	})
	instARN := "arn:aws:connect:" + region + ":" + accountA + ":instance/" + inst
	wantDenied(t, err, "AKIDREAD", "connect:CreateUser", instARN, false)

	// SearchUsers is neither Describe* nor List*; its instance travels in
	// the body and is still the resource named.
	_, err = ro.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &inst})
	wantDenied(t, err, "AKIDREAD", "connect:SearchUsers", instARN, false)

	// An operation that declares AccessDeniedException (few do) gets the
	// SDK's typed error.
	sp := sps.SecurityProfileSummaryList[0].Id
	_, err = ro.DeleteSecurityProfile(ctx(t), &connect.DeleteSecurityProfileInput{InstanceId: &inst, SecurityProfileId: sp})
	wantErr[*types.AccessDeniedException](t, err, "connect:DeleteSecurityProfile", instARN+"/security-profile/"+*sp)

	// A refused call changed nothing.
	l := call(admin.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &inst})).must(t)
	if len(l.UserSummaryList) != 1 {
		t.Errorf("%d users after a refused CreateUser, want 1", len(l.UserSummaryList))
	}
}

// TestDenyOverridesAllow: an explicit Deny wins over a broader Allow, for
// that action only.
func TestDenyOverridesAllow(t *testing.T) {
	e := startAccounts(t, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{
		key("AKIDOPS", `[{"Effect":"Allow","Action":"connect:*","Resource":"*"},
		                 {"Effect":"Deny","Action":["connect:Delete*"],"Resource":"arn:aws:connect:*:*:instance/*/agent/*"}]`),
	}}})
	ops := e.as("AKIDOPS", region)
	inst, user, userARN := setUp(t, ops, "deny")

	_, err := ops.DeleteUser(ctx(t), &connect.DeleteUserInput{InstanceId: &inst, UserId: &user})
	wantDenied(t, err, "AKIDOPS", "connect:DeleteUser", userARN, true)
	call(ops.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &inst, UserId: &user})).must(t)
	// Deleting something that is not a user is still allowed.
	call(ops.DeleteInstance(ctx(t), &connect.DeleteInstanceInput{InstanceId: &inst})).must(t)
}

// TestResourcePatternRestrictsToOneInstance: a key whose Resource names one
// instance (and everything in it) can work there and nowhere else.
func TestResourcePatternRestrictsToOneInstance(t *testing.T) {
	admin := key("AKIDADMIN", "")
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := startAccountsOn(t, store, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{admin}}})
	c := e.as("AKIDADMIN", region)
	inst1, user1, _ := setUp(t, c, "one")
	inst2, user2, _ := setUp(t, c, "two")
	arn1 := "arn:aws:connect:" + region + ":" + accountA + ":instance/" + inst1
	arn2 := "arn:aws:connect:" + region + ":" + accountA + ":instance/" + inst2

	// The scoped key's policy names inst1, whose id is known only now: a
	// second server on the same store carries the config with that key.
	e = startAccountsOn(t, store, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{admin,
		key("AKIDONE", `[{"Effect":"Allow","Action":"connect:*","Resource":["`+arn1+`","`+arn1+`/*"]}]`)}}})
	one := e.as("AKIDONE", region)

	call(one.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &inst1})).must(t)
	call(one.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &inst1})).must(t)
	call(one.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &inst1, UserId: &user1})).must(t)
	call(one.UpdateUserHierarchy(ctx(t), &connect.UpdateUserHierarchyInput{InstanceId: &inst1, UserId: &user1})).must(t)
	call(one.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &inst1})).must(t)

	_, err = one.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &inst2})
	wantDenied(t, err, "AKIDONE", "connect:DescribeInstance", arn2, false)
	_, err = one.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &inst2, UserId: &user2})
	wantDenied(t, err, "AKIDONE", "connect:DescribeUser", arn2+"/agent/"+user2, false)
	_, err = one.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &inst2})
	wantDenied(t, err, "AKIDONE", "connect:SearchUsers", arn2, false)
	// Operations that address no resource are checked against "*", which
	// an instance-scoped Resource does not cover.
	_, err = one.ListInstances(ctx(t), &connect.ListInstancesInput{})
	wantDenied(t, err, "AKIDONE", "connect:ListInstances", "*", false)
}
