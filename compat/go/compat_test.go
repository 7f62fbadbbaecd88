// Package compat is the aws-sdk-go-v2 runner of Switchboard's compatibility
// suite (see compat/run.sh and docs/COMPATIBILITY.md). Unlike e2e, which
// starts its own server, it drives whatever endpoint the environment names,
// so the same checks run against Switchboard or real Amazon Connect.
package compat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const clientName = "go-sdk-v2"

// runner counts checks and prints one JSON line for each, like every runner
// of the suite.
type runner struct {
	t              *testing.T
	passed, failed int
}

func (r *runner) report(operation, name string, err error) {
	line := map[string]string{"client": clientName, "operation": operation, "case": name, "status": "PASS", "error": ""}
	if err != nil {
		line["status"], line["error"] = "FAIL", err.Error()
		r.failed++
		r.t.Errorf("%s / %s: %v", operation, name, err)
	} else {
		r.passed++
	}
	b, _ := json.Marshal(line)
	fmt.Println(string(b))
}

func (r *runner) check(operation, name string, fn func() error) bool {
	err := fn()
	r.report(operation, name, err)
	return err == nil
}

// expectError proves err is the SDK's typed exception *T (errors.As) with
// the modelled code and HTTP status.
func expectError[T any, P interface {
	*T
	smithy.APIError
}](r *runner, operation, name string, status int, err error) P {
	var target P
	var want T
	switch {
	case err == nil:
		r.report(operation, name, fmt.Errorf("accepted, want %T", &want))
		return nil
	case !errors.As(err, &target):
		r.report(operation, name, fmt.Errorf("got %v, want %T", err, &want))
		return nil
	}
	var problems []string
	if target.ErrorFault() != smithy.FaultClient {
		problems = append(problems, "fault "+target.ErrorFault().String())
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		problems = append(problems, fmt.Sprintf("status, want %d", status))
	}
	if target.ErrorMessage() == "" {
		problems = append(problems, "empty message")
	}
	if len(problems) > 0 {
		r.report(operation, name, errors.New(strings.Join(problems, "; ")))
		return nil
	}
	r.report(operation, name, nil)
	return target
}

func eq(what string, got, want any) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s: got %#v, want %#v", what, got, want)
	}
	return nil
}

func recent(what string, t *time.Time) error {
	if t == nil || t.IsZero() {
		return fmt.Errorf("%s missing", what)
	}
	if age := time.Since(*t); age < -time.Minute || age > time.Hour {
		return fmt.Errorf("%s %v is not recent", what, *t)
	}
	return nil
}

func firstErr(errs ...error) error { return errors.Join(errs...) }

var uuidRE = regexp.MustCompile(`^[0-9a-f-]{36}$`)

// TestCompatibility runs every check of the Go runner in order; it is skipped
// unless SWITCHBOARD_ENDPOINT names an endpoint (use "aws" for the SDK's
// default endpoint resolution, i.e. real Amazon Connect).
func TestCompatibility(t *testing.T) {
	endpoint := os.Getenv("SWITCHBOARD_ENDPOINT")
	if endpoint == "" {
		t.Skip("SWITCHBOARD_ENDPOINT is not set: the compatibility runner needs a running endpoint (compat/run.sh starts one)")
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = "us-east-1"
	}
	opts := connect.Options{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN")),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Timeout: 30 * time.Second},
	}
	if endpoint != "aws" {
		opts.BaseEndpoint = aws.String(endpoint)
	}
	c := connect.New(opts)
	r := &runner{t: t}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fmt.Fprintf(os.Stderr, "# %s (service/connect as in go.mod) against %s (%s)\n", clientName, endpoint, region)

	instance := r.run(ctx, c, region)
	if instance != "" {
		r.check("DeleteInstance", "instance and everything in it deleted", func() error {
			_, err := c.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: &instance})
			return err
		})
		_, err := c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: &instance})
		expectError[types.ResourceNotFoundException](r, "DescribeInstance", "deleted instance is ResourceNotFoundException", 404, err)
	}
	fmt.Printf("%d passed, %d failed\n", r.passed, r.failed)
}

func (r *runner) run(ctx context.Context, c *connect.Client, region string) (instance string) {
	alias := fmt.Sprintf("compat-go-%06d", rand.Intn(1000000))
	var arn string
	if !r.check("CreateInstance", "CONNECT_MANAGED instance with alias", func() error {
		out, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: &alias, InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
		if err != nil {
			return err
		}
		instance, arn = *out.Id, *out.Arn
		if !uuidRE.MatchString(instance) || !regexp.MustCompile(`^arn:aws:connect:`+region+`:\d{12}:instance/`+instance+`$`).MatchString(arn) {
			return fmt.Errorf("Id %s Arn %s", instance, arn)
		}
		return nil
	}) {
		return instance
	}
	r.check("DescribeInstance", "ACTIVE with a CreatedTime", func() error {
		out, err := c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		i := out.Instance
		return firstErr(eq("alias", *i.InstanceAlias, alias), eq("type", i.IdentityManagementType, types.DirectoryTypeConnectManaged),
			eq("inbound", *i.InboundCallsEnabled, true), eq("status", i.InstanceStatus, types.InstanceStatusActive), recent("CreatedTime", i.CreatedTime))
	})
	r.check("ListInstances", "ListInstancesPaginator finds the instance", func() error {
		p := connect.NewListInstancesPaginator(c, &connect.ListInstancesInput{MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, s := range page.InstanceSummaryList {
				if *s.Id == instance {
					return recent("CreatedTime", s.CreatedTime)
				}
			}
		}
		return errors.New("instance not listed")
	})
	r.emptyAnswers(ctx, c, instance, arn)
	_, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: &alias, InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	expectError[types.InvalidRequestException](r, "CreateInstance", "duplicate alias is InvalidRequestException", 400, err)

	sp := map[string]string{}
	r.check("ListSecurityProfiles", "default profiles Admin and Agent", func() error {
		out, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		for _, s := range out.SecurityProfileSummaryList {
			sp[*s.Name] = *s.Id
		}
		if sp["Admin"] == "" || sp["Agent"] == "" {
			return fmt.Errorf("profiles %v", sp)
		}
		return nil
	})
	var routing string
	r.check("ListRoutingProfiles", "Basic Routing Profile exists", func() error {
		out, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		for _, p := range out.RoutingProfileSummaryList {
			if *p.Name == "Basic Routing Profile" {
				routing = *p.Id
				return nil
			}
		}
		return errors.New("no Basic Routing Profile")
	})
	r.check("ListQueues", "BasicQueue is a STANDARD queue", func() error {
		out, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &instance, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
		if err != nil {
			return err
		}
		if len(out.QueueSummaryList) == 0 || *out.QueueSummaryList[0].Name != "BasicQueue" {
			return fmt.Errorf("queues %+v", out.QueueSummaryList)
		}
		return nil
	})

	// Hierarchy.
	r.check("UpdateUserHierarchyStructure", "two levels", func() error {
		_, err := c.UpdateUserHierarchyStructure(ctx, &connect.UpdateUserHierarchyStructureInput{InstanceId: &instance, HierarchyStructure: &types.HierarchyStructureUpdate{
			LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})
		return err
	})
	var emea, team string
	r.check("CreateUserHierarchyGroup", "top-level and child group", func() error {
		g, err := c.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: &instance, Name: aws.String("EMEA")})
		if err != nil {
			return err
		}
		emea = *g.HierarchyGroupId
		g, err = c.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: &instance, Name: aws.String("EMEA Sales"), ParentGroupId: &emea})
		if err != nil {
			return err
		}
		team = *g.HierarchyGroupId
		return nil
	})
	r.check("DescribeUserHierarchyGroup", "HierarchyPath includes the group itself", func() error {
		out, err := c.DescribeUserHierarchyGroup(ctx, &connect.DescribeUserHierarchyGroupInput{InstanceId: &instance, HierarchyGroupId: &team})
		if err != nil {
			return err
		}
		p := out.HierarchyGroup.HierarchyPath
		return eq("path", []string{*p.LevelOne.Name, *p.LevelTwo.Name}, []string{"EMEA", "EMEA Sales"})
	})
	_, err = c.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: &instance, Name: aws.String("EMEA")})
	expectError[types.DuplicateResourceException](r, "CreateUserHierarchyGroup", "duplicate group name is DuplicateResourceException", 409, err)

	// The seed's example with every member the Go SDK can send (it omits
	// AutoAccept false and ACW 0, see docs/BEHAVIOUR.md).
	seed := &connect.CreateUserInput{
		InstanceId: &instance, Username: aws.String("mary.major"), Password: aws.String("Str0ngPassw0rd!"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Mary"), LastName: aws.String("Major"), Email: aws.String("mary.major@example.com"),
			SecondaryEmail: aws.String("mary@example.org"), Mobile: aws.String("+12065550100")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeDeskPhone, DeskPhoneNumber: aws.String("+12065550199")},
		DirectoryUserId:    aws.String("dir-user-1"),
		SecurityProfileIds: []string{sp["Agent"], sp["Admin"]},
		RoutingProfileId:   &routing, HierarchyGroupId: &team,
		AutoAcceptConfigs: []types.AutoAcceptConfig{{Channel: types.ChannelVoice, AutoAccept: true, AgentFirstCallbackAutoAccept: aws.Bool(true)}, {Channel: types.ChannelChat, AutoAccept: false}},
		AfterContactWorkConfigs: []types.AfterContactWorkConfigPerChannel{
			{Channel: types.ChannelVoice, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 30}, AgentFirstCallbackAfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 15}},
			{Channel: types.ChannelTask, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 120}}},
		PersistentConnectionConfigs: []types.PersistentConnectionConfig{{Channel: types.ChannelVoice, PersistentConnection: aws.Bool(true)}},
		VoiceEnhancementConfigs:     []types.VoiceEnhancementConfig{{Channel: types.ChannelVoice, VoiceEnhancementMode: types.VoiceEnhancementModeNoiseSuppression}},
		Tags:                        map[string]string{"team": "billing", "cost-center": "42"},
	}
	var userID, userArn string
	r.check("CreateUser", "seed example (every member)", func() error {
		out, err := c.CreateUser(ctx, seed)
		if err != nil {
			return err
		}
		userID, userArn = *out.UserId, *out.UserArn
		return eq("UserArn", userArn, arn+"/agent/"+userID)
	})
	if userID != "" {
		var u *types.User
		r.check("DescribeUser", "seed example reads back", func() error {
			out, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &instance, UserId: &userID})
			if err == nil {
				u = out.User
			}
			return err
		})
		if u != nil {
			member := func(name string, err error) { r.report("DescribeUser", "seed member "+name, err) }
			member("Username", eq("Username", *u.Username, "mary.major"))
			member("IdentityInfo", eq("IdentityInfo", *u.IdentityInfo, *seed.IdentityInfo))
			member("PhoneConfig", eq("PhoneConfig", *u.PhoneConfig, types.UserPhoneConfig{PhoneType: types.PhoneTypeDeskPhone, DeskPhoneNumber: aws.String("+12065550199"), AutoAccept: true, AfterContactWorkTimeLimit: 30, PersistentConnection: aws.Bool(true)}))
			member("DirectoryUserId", eq("DirectoryUserId", *u.DirectoryUserId, "dir-user-1"))
			got := append([]string(nil), u.SecurityProfileIds...)
			want := append([]string(nil), seed.SecurityProfileIds...)
			sort.Strings(got)
			sort.Strings(want)
			member("SecurityProfileIds", eq("SecurityProfileIds", got, want))
			member("RoutingProfileId and HierarchyGroupId", eq("ids", []string{*u.RoutingProfileId, *u.HierarchyGroupId}, []string{routing, team}))
			member("AutoAcceptConfigs", eq("AutoAcceptConfigs", u.AutoAcceptConfigs, seed.AutoAcceptConfigs))
			member("AfterContactWorkConfigs", eq("AfterContactWorkConfigs", u.AfterContactWorkConfigs, seed.AfterContactWorkConfigs))
			member("PhoneNumberConfigs", eq("PhoneNumberConfigs", u.PhoneNumberConfigs, []types.PhoneNumberConfig{{Channel: types.ChannelVoice, PhoneType: types.PhoneTypeDeskPhone, PhoneNumber: aws.String("+12065550199")}}))
			member("PersistentConnectionConfigs", eq("PersistentConnectionConfigs", u.PersistentConnectionConfigs, seed.PersistentConnectionConfigs))
			member("VoiceEnhancementConfigs", eq("VoiceEnhancementConfigs", u.VoiceEnhancementConfigs, seed.VoiceEnhancementConfigs))
			member("Tags", eq("Tags", u.Tags, seed.Tags))
			member("LastModifiedTime", recent("LastModifiedTime", u.LastModifiedTime))
			member("LastModifiedRegion", eq("LastModifiedRegion", aws.ToString(u.LastModifiedRegion), region))
		}
	}

	// The seed's conflict rules and declared errors as typed errors.
	base := func(name string) *connect.CreateUserInput {
		return &connect.CreateUserInput{InstanceId: aws.String(instance), Username: aws.String(name), Password: aws.String("Str0ngPassw0rd"),
			IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("Test"), LastName: aws.String("User")},
			SecurityProfileIds: []string{sp["Agent"]}, RoutingProfileId: aws.String(routing)}
	}
	create := func(name string, mut func(*connect.CreateUserInput)) error {
		in := base(name)
		mut(in)
		_, err := c.CreateUser(ctx, in)
		return err
	}
	conflicts := []struct {
		name string
		mut  func(*connect.CreateUserInput)
	}{
		{"PhoneConfig.AutoAccept conflicts with AutoAcceptConfigs", func(in *connect.CreateUserInput) {
			in.PhoneConfig = &types.UserPhoneConfig{AutoAccept: true}
			in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: types.ChannelChat, AutoAccept: true}}
		}},
		{"PhoneConfig.AfterContactWorkTimeLimit conflicts with AfterContactWorkConfigs", func(in *connect.CreateUserInput) {
			in.PhoneConfig = &types.UserPhoneConfig{AfterContactWorkTimeLimit: 10}
			in.AfterContactWorkConfigs = []types.AfterContactWorkConfigPerChannel{{Channel: types.ChannelChat, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 5}}}
		}},
		{"PhoneConfig.PhoneType conflicts with PhoneNumberConfigs", func(in *connect.CreateUserInput) {
			in.PhoneConfig = &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}
			in.PhoneNumberConfigs = []types.PhoneNumberConfig{{Channel: types.ChannelVoice, PhoneType: types.PhoneTypeSoftPhone}}
		}},
		{"PhoneConfig.DeskPhoneNumber conflicts with PhoneNumberConfigs", func(in *connect.CreateUserInput) {
			in.PhoneConfig = &types.UserPhoneConfig{DeskPhoneNumber: aws.String("+12065550100")}
			in.PhoneNumberConfigs = []types.PhoneNumberConfig{{Channel: types.ChannelVoice, PhoneType: types.PhoneTypeSoftPhone}}
		}},
		{"PhoneConfig.PersistentConnection conflicts with PersistentConnectionConfigs", func(in *connect.CreateUserInput) {
			in.PhoneConfig = &types.UserPhoneConfig{PersistentConnection: aws.Bool(false)}
			in.PersistentConnectionConfigs = []types.PersistentConnectionConfig{{Channel: types.ChannelVoice, PersistentConnection: aws.Bool(true)}}
		}},
	}
	for i, tc := range conflicts {
		expectError[types.InvalidRequestException](r, "CreateUser", tc.name, 400, create("conflict"+strconv.Itoa(i), tc.mut))
	}
	expectError[types.DuplicateResourceException](r, "CreateUser", "duplicate username is DuplicateResourceException", 409, create("mary.major", func(*connect.CreateUserInput) {}))
	expectError[types.InvalidParameterException](r, "CreateUser", "username with a space is InvalidParameterException", 400, create("mary major", func(*connect.CreateUserInput) {}))
	expectError[types.InvalidParameterException](r, "CreateUser", "weak password is InvalidParameterException", 400, create("weak", func(in *connect.CreateUserInput) { in.Password = aws.String("password") }))
	expectError[types.ResourceNotFoundException](r, "CreateUser", "unknown routing profile is ResourceNotFoundException", 404, create("norp", func(in *connect.CreateUserInput) {
		in.RoutingProfileId = aws.String("00000000-0000-0000-0000-000000000001")
	}))
	expectError[types.ResourceNotFoundException](r, "CreateUser", "unknown instance is ResourceNotFoundException", 404, create("noinst", func(in *connect.CreateUserInput) {
		in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
	}))

	// A plain soft-phone user with a Terraform-style 43-character name reads
	// back as Connect's answers show one: Tags {}, DeskPhoneNumber "", and a
	// DirectoryUserId it was not given.
	var plainID string
	r.check("DescribeUser", `untagged soft-phone user: Tags {}, DeskPhoneNumber "", a generated DirectoryUserId`, func() error {
		out, err := c.CreateUser(ctx, base("resource-test-terraform-5577006791947779410"))
		if err != nil {
			return err
		}
		plainID = *out.UserId
		d, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &instance, UserId: out.UserId})
		if err != nil {
			return err
		}
		u := d.User
		again, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &instance, UserId: out.UserId})
		if err != nil {
			return err
		}
		tags, err := c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: out.UserArn})
		if err != nil {
			return err
		}
		var dirErr error
		if dir := aws.ToString(u.DirectoryUserId); !uuidRE.MatchString(dir) || dir == *u.Id {
			dirErr = fmt.Errorf("DirectoryUserId %q", dir)
		}
		return firstErr(eq("Username", aws.ToString(u.Username), "resource-test-terraform-5577006791947779410"),
			eq("Tags", u.Tags, map[string]string{}), eq("DeskPhoneNumber", u.PhoneConfig.DeskPhoneNumber, aws.String("")),
			eq("PhoneType", u.PhoneConfig.PhoneType, types.PhoneTypeSoftPhone), dirErr,
			eq("DirectoryUserId on a second read", again.User.DirectoryUserId, u.DirectoryUserId), eq("tags", tags.Tags, map[string]string{}))
	})

	r.agentStatuses(ctx, c, instance, plainID)
	r.proficiencies(ctx, c, instance, plainID)
	r.contactFlows(ctx, c, instance)
	r.flowModules(ctx, c, instance)
	r.numbersAndIntegrations(ctx, c, instance, arn, region)
	r.contacts(ctx, c, instance, arn)

	// Tags through the (escaped) user ARN.
	if userArn != "" {
		r.check("TagResource", "user ARN escaped in the path", func() error {
			if _, err := c.TagResource(ctx, &connect.TagResourceInput{ResourceArn: &userArn, Tags: map[string]string{"dept": "sales", "path/like": "a b+c"}}); err != nil {
				return err
			}
			if _, err := c.UntagResource(ctx, &connect.UntagResourceInput{ResourceArn: &userArn, TagKeys: []string{"cost-center"}}); err != nil {
				return err
			}
			out, err := c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: &userArn})
			if err != nil {
				return err
			}
			return eq("tags", out.Tags, map[string]string{"team": "billing", "dept": "sales", "path/like": "a b+c"})
		})
	}
	_, err = c.DeleteSecurityProfile(ctx, &connect.DeleteSecurityProfileInput{InstanceId: &instance, SecurityProfileId: aws.String(sp["Agent"])})
	if e := expectError[types.ResourceInUseException](r, "DeleteSecurityProfile", "profile held by a user is ResourceInUseException", 409, err); e != nil {
		r.report("DeleteSecurityProfile", "ResourceInUseException names the USER holding it", eq("ResourceType", e.ResourceType, types.ResourceTypeUser))
	}

	// Fill the instance up to the users quota, then page through it.
	users := map[string]bool{}
	for _, id := range []string{userID, plainID} {
		if id != "" {
			users[id] = true
		}
	}
	max, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_COMPAT_MAX_USERS"))
	if max == 0 {
		max = 60
	}
	var fillErr error
	for n := 0; n < max && fillErr == nil; n++ {
		first := "Bob"
		if n%2 == 1 {
			first = "Ana"
		}
		in := base(fmt.Sprintf("agent%03d", n))
		in.IdentityInfo.FirstName = aws.String(first)
		var out *connect.CreateUserOutput
		if out, fillErr = c.CreateUser(ctx, in); fillErr == nil {
			users[*out.UserId] = true
		}
	}
	expectError[types.LimitExceededException](r, "CreateUser", "users beyond the quota is LimitExceededException", 429, fillErr)
	wantIDs := make([]string, 0, len(users))
	for id := range users {
		wantIDs = append(wantIDs, id)
	}
	sort.Strings(wantIDs)
	r.check("ListUsers", "ListUsersPaginator walks every page once", func() error {
		p := connect.NewListUsersPaginator(c, &connect.ListUsersInput{InstanceId: &instance, MaxResults: aws.Int32(7)})
		var seen []string
		pages := 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			pages++
			for _, s := range page.UserSummaryList {
				seen = append(seen, *s.Id)
			}
		}
		sort.Strings(seen)
		return firstErr(eq("users", seen, wantIDs), eq("pages", pages, (len(wantIDs)+6)/7))
	})
	r.check("SearchUsers", "SearchUsersPaginator walks every page once", func() error {
		p := connect.NewSearchUsersPaginator(c, &connect.SearchUsersInput{InstanceId: &instance, MaxResults: aws.Int32(4)})
		var seen []string
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			if aws.ToInt64(page.ApproximateTotalCount) != int64(len(wantIDs)) {
				return fmt.Errorf("ApproximateTotalCount %d", aws.ToInt64(page.ApproximateTotalCount))
			}
			for _, u := range page.Users {
				seen = append(seen, *u.Id)
			}
		}
		sort.Strings(seen)
		return eq("users", seen, wantIDs)
	})
	r.check("SearchUsers", "StringCondition FirstName STARTS_WITH, paginated", func() error {
		p := connect.NewSearchUsersPaginator(c, &connect.SearchUsersInput{InstanceId: &instance, MaxResults: aws.Int32(3), SearchCriteria: &types.UserSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("FirstName"), ComparisonType: types.StringComparisonTypeStartsWith, Value: aws.String("an")}}})
		n := 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, u := range page.Users {
				if *u.IdentityInfo.FirstName != "Ana" {
					return fmt.Errorf("FirstName %s", *u.IdentityInfo.FirstName)
				}
				n++
			}
		}
		if n == 0 || n >= len(wantIDs) {
			return fmt.Errorf("%d matches", n)
		}
		return nil
	})
	r.check("SearchUsers", "hierarchy WITH_CHILD_GROUPS", func() error {
		out, err := c.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: &instance, SearchCriteria: &types.UserSearchCriteria{
			HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: &emea, HierarchyGroupMatchType: types.HierarchyGroupMatchTypeWithChildGroups}}})
		if err != nil {
			return err
		}
		if len(out.Users) != 1 || *out.Users[0].Username != "mary.major" || *out.Users[0].HierarchyGroupId != team {
			return fmt.Errorf("users %+v", out.Users)
		}
		return nil
	})
	if userID != "" {
		r.check("DeleteUser", "user is gone", func() error {
			_, err := c.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: &instance, UserId: &userID})
			return err
		})
		_, err = c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &instance, UserId: &userID})
		expectError[types.ResourceNotFoundException](r, "DescribeUser", "deleted user is ResourceNotFoundException", 404, err)
	}
	return instance
}

// emptyAnswers proves that answers with nothing in them carry their empty
// lists and maps, as Connect's do: the SDK decodes [] and {} into non-nil
// empty values and leaves absent members nil (docs/BEHAVIOUR.md,
// Always-sent members). Run on a new instance with no users and no tags.
func (r *runner) emptyAnswers(ctx context.Context, c *connect.Client, instance, arn string) {
	emptyRegion := os.Getenv("SWITCHBOARD_COMPAT_EMPTY_REGION")
	if emptyRegion == "" {
		emptyRegion = "ca-west-1"
	}
	r.check("ListInstances", "a region without instances answers InstanceSummaryList []", func() error {
		out, err := c.ListInstances(ctx, &connect.ListInstancesInput{}, func(o *connect.Options) { o.Region = emptyRegion })
		if err != nil {
			return err
		}
		return eq("InstanceSummaryList", out.InstanceSummaryList, []types.InstanceSummary{})
	})
	r.check("ListTagsForResource", "an untagged instance answers tags {}", func() error {
		out, err := c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: &arn})
		if err != nil {
			return err
		}
		return eq("tags", out.Tags, map[string]string{})
	})
	r.check("ListUsers", "an instance without users answers UserSummaryList []", func() error {
		out, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		return eq("UserSummaryList", out.UserSummaryList, []types.UserSummary{})
	})
	r.check("SearchUsers", "no match answers Users [] and ApproximateTotalCount 0", func() error {
		out, err := c.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: &instance, SearchCriteria: &types.UserSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("Username"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("nobody")}}})
		if err != nil {
			return err
		}
		return firstErr(eq("Users", out.Users, []types.UserSearchSummary{}), eq("ApproximateTotalCount", out.ApproximateTotalCount, aws.Int64(0)))
	})
}

// agentStatuses covers agent statuses, PutUserStatus and GetCurrentUserData
// on an instance whose user is a new soft-phone agent of the Basic Routing
// Profile.
func (r *runner) agentStatuses(ctx context.Context, c *connect.Client, instance, user string) {
	st := map[string]types.AgentStatusSummary{}
	r.check("ListAgentStatuses", "a new instance has Available (ROUTABLE) and Offline (OFFLINE)", func() error {
		out, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		for _, s := range out.AgentStatusSummaryList {
			st[*s.Name] = s
		}
		return firstErr(eq("Available", st["Available"].Type, types.AgentStatusTypeRoutable), eq("Offline", st["Offline"].Type, types.AgentStatusTypeOffline))
	})
	var lunch string
	r.check("CreateAgentStatus", "a custom status, described as created", func() error {
		out, err := c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: &instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled,
			DisplayOrder: aws.Int32(3), Tags: map[string]string{"team": "ops"}})
		if err != nil {
			return err
		}
		lunch = *out.AgentStatusId
		d, err := c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: &instance, AgentStatusId: &lunch})
		if err != nil {
			return err
		}
		a := d.AgentStatus
		return firstErr(eq("Type", a.Type, types.AgentStatusTypeCustom), eq("DisplayOrder", aws.ToInt32(a.DisplayOrder), int32(3)),
			eq("Tags", a.Tags, map[string]string{"team": "ops"}), eq("ARN suffix", strings.HasSuffix(*a.AgentStatusARN, "/agent-state/"+lunch), true))
	})
	_, err := c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: &instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled})
	expectError[types.DuplicateResourceException](r, "CreateAgentStatus", "duplicate name is DuplicateResourceException", 409, err)
	if off, ok := st["Offline"]; ok {
		_, err = c.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: &instance, AgentStatusId: off.Id, State: types.AgentStatusStateDisabled})
		expectError[types.InvalidRequestException](r, "UpdateAgentStatus", "disabling Offline is InvalidRequestException", 400, err)
	}
	r.check("SearchAgentStatuses", "type EXACT CUSTOM", func() error {
		out, err := c.SearchAgentStatuses(ctx, &connect.SearchAgentStatusesInput{InstanceId: &instance, SearchCriteria: &types.AgentStatusSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("type"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("CUSTOM")}}})
		if err != nil {
			return err
		}
		return firstErr(eq("count", len(out.AgentStatuses), 1), eq("ApproximateTotalCount", aws.ToInt64(out.ApproximateTotalCount), int64(1)))
	})
	avail, ok := st["Available"]
	if user == "" || !ok {
		return
	}
	filters := &types.UserDataFilters{Agents: []string{user}}
	r.check("GetCurrentUserData", "a new user is Offline, so not listed: UserDataList []", func() error {
		out, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &instance, Filters: filters})
		if err != nil {
			return err
		}
		return eq("UserDataList", out.UserDataList, []types.UserData{})
	})
	r.check("PutUserStatus", "Available: GetCurrentUserData lists the agent with its slots", func() error {
		if _, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: &instance, UserId: &user, AgentStatusId: avail.Id}); err != nil {
			return err
		}
		out, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &instance, Filters: filters})
		if err != nil {
			return err
		}
		if len(out.UserDataList) != 1 {
			return fmt.Errorf("UserDataList %+v", out.UserDataList)
		}
		d := out.UserDataList[0]
		return firstErr(eq("user", *d.User.Id, user), eq("status", *d.Status.StatusName, "Available"), recent("StatusStartTimestamp", d.Status.StatusStartTimestamp),
			eq("MaxSlotsByChannel", d.MaxSlotsByChannel, map[string]int32{"VOICE": 1, "CHAT": 2, "TASK": 1}), eq("Contacts", d.Contacts, []types.AgentContactReference{}))
	})
	_, err = c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: &instance, UserId: &user, AgentStatusId: aws.String("00000000-0000-0000-0000-000000000000")})
	expectError[types.ResourceNotFoundException](r, "PutUserStatus", "unknown status is ResourceNotFoundException", 404, err)
	_, err = c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &instance, Filters: &types.UserDataFilters{Agents: []string{user}, Queues: []string{user}}})
	expectError[types.InvalidParameterException](r, "GetCurrentUserData", "two kinds of filter is InvalidParameterException", 400, err)
}

// proficiencies covers predefined attributes, a user's proficiencies and
// SearchUsers' ListCondition.
func (r *runner) proficiencies(ctx context.Context, c *connect.Client, instance, user string) {
	if !r.check("CreatePredefinedAttribute", "Language with two values", func() error {
		_, err := c.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: &instance, Name: aws.String("Language"),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"English", "Spanish"}}})
		return err
	}) {
		return
	}
	r.check("DescribePredefinedAttribute", "values and configuration, false included", func() error {
		out, err := c.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: &instance, Name: aws.String("Language")})
		if err != nil {
			return err
		}
		a := out.PredefinedAttribute
		values, _ := a.Values.(*types.PredefinedAttributeValuesMemberStringList)
		if values == nil || a.AttributeConfiguration == nil {
			return fmt.Errorf("attribute %+v", a)
		}
		return firstErr(eq("values", values.Value, []string{"English", "Spanish"}), eq("IsReadOnly", a.AttributeConfiguration.IsReadOnly, false), recent("LastModifiedTime", a.LastModifiedTime))
	})
	r.check("SearchPredefinedAttributes", "name EXACT", func() error {
		out, err := c.SearchPredefinedAttributes(ctx, &connect.SearchPredefinedAttributesInput{InstanceId: &instance, SearchCriteria: &types.PredefinedAttributeSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("name"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("language")}}})
		if err != nil {
			return err
		}
		return eq("ApproximateTotalCount", aws.ToInt64(out.ApproximateTotalCount), int64(1))
	})
	if user == "" {
		return
	}
	spanish := func(level float32) []types.UserProficiency {
		return []types.UserProficiency{{AttributeName: aws.String("Language"), AttributeValue: aws.String("Spanish"), Level: aws.Float32(level)}}
	}
	r.check("AssociateUserProficiencies", "Spanish at level 4, read back", func() error {
		if _, err := c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: &instance, UserId: &user, UserProficiencies: spanish(4)}); err != nil {
			return err
		}
		out, err := c.ListUserProficiencies(ctx, &connect.ListUserProficienciesInput{InstanceId: &instance, UserId: &user})
		if err != nil {
			return err
		}
		return eq("proficiencies", out.UserProficiencyList, spanish(4))
	})
	found := func(min float32) ([]string, error) {
		out, err := c.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: &instance, SearchCriteria: &types.UserSearchCriteria{ListCondition: &types.ListCondition{
			TargetListType: types.TargetListTypeProficiencies, Conditions: []types.Condition{
				{StringCondition: &types.StringCondition{FieldName: aws.String("name"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("Language")}},
				{StringCondition: &types.StringCondition{FieldName: aws.String("value"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("Spanish")}},
				{NumberCondition: &types.NumberCondition{FieldName: aws.String("limit"), ComparisonType: types.NumberComparisonTypeGreaterOrEqual, MinValue: aws.Int32(int32(min))}},
			}}}})
		if err != nil {
			return nil, err
		}
		ids := []string{}
		for _, u := range out.Users {
			ids = append(ids, *u.Id)
		}
		return ids, nil
	}
	r.check("SearchUsers", "ListCondition: Spanish at level 3 or more finds the user, at 5 nobody", func() error {
		three, err := found(3)
		if err != nil {
			return err
		}
		five, err := found(5)
		if err != nil {
			return err
		}
		return firstErr(eq("level >= 3", three, []string{user}), eq("level >= 5", five, []string{}))
	})
	_, err := c.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: &instance, Name: aws.String("Language")})
	expectError[types.ResourceInUseException](r, "DeletePredefinedAttribute", "an attribute in use is ResourceInUseException", 409, err)
	_, err = c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: &instance, UserId: &user,
		UserProficiencies: []types.UserProficiency{{AttributeName: aws.String("Skill"), AttributeValue: aws.String("x"), Level: aws.Float32(1)}}})
	expectError[types.ResourceNotFoundException](r, "AssociateUserProficiencies", "an unknown attribute is ResourceNotFoundException", 404, err)
	r.check("UpdateUserProficiencies", "level 4 becomes 2, then Disassociate frees the attribute", func() error {
		if _, err := c.UpdateUserProficiencies(ctx, &connect.UpdateUserProficienciesInput{InstanceId: &instance, UserId: &user, UserProficiencies: spanish(2)}); err != nil {
			return err
		}
		out, err := c.ListUserProficiencies(ctx, &connect.ListUserProficienciesInput{InstanceId: &instance, UserId: &user})
		if err != nil {
			return err
		}
		if err := eq("proficiencies", out.UserProficiencyList, spanish(2)); err != nil {
			return err
		}
		if _, err := c.DisassociateUserProficiencies(ctx, &connect.DisassociateUserProficienciesInput{InstanceId: &instance, UserId: &user,
			UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: aws.String("Language"), AttributeValue: aws.String("Spanish")}}}); err != nil {
			return err
		}
		_, err = c.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: &instance, Name: aws.String("Language")})
		return err
	})
}

const (
	hangUp   = `{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	notAFlow = `{"Version":"2019-10-30","StartAction":"missing","Actions":[]}`
)

// contactFlows covers default flows, create, describe, update, an invalid
// flow's problems and delete.
func (r *runner) contactFlows(ctx context.Context, c *connect.Client, instance string) {
	r.check("ListContactFlows", "the default queue transfer flow is there", func() error {
		out, err := c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &instance, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeQueueTransfer}})
		if err != nil {
			return err
		}
		for _, f := range out.ContactFlowSummaryList {
			if *f.Name == "Default queue transfer" {
				return nil
			}
		}
		return fmt.Errorf("flows %+v", out.ContactFlowSummaryList)
	})
	var id string
	if !r.check("CreateContactFlow", "a published flow, with its checksum, described as created", func() error {
		out, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat IVR"), Type: types.ContactFlowTypeContactFlow,
			Content: aws.String(hangUp), Tags: map[string]string{"team": "ivr"}})
		if err != nil {
			return err
		}
		id = *out.ContactFlowId
		sum := sha256.Sum256([]byte(hangUp))
		d, err := c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: &instance, ContactFlowId: &id})
		if err != nil {
			return err
		}
		f := d.ContactFlow
		return firstErr(eq("FlowContentSha256", aws.ToString(out.FlowContentSha256), hex.EncodeToString(sum[:])), eq("Status", f.Status, types.ContactFlowStatusPublished),
			eq("State", f.State, types.ContactFlowStateActive), eq("Content", aws.ToString(f.Content), hangUp), eq("Tags", f.Tags, map[string]string{"team": "ivr"}),
			recent("LastModifiedTime", f.LastModifiedTime))
	}) {
		return
	}
	r.check("UpdateContactFlowContent", "published content and a new name read back", func() error {
		changed := strings.ReplaceAll(hangUp, `"bye"`, `"end"`)
		if _, err := c.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: &instance, ContactFlowId: &id, Content: &changed}); err != nil {
			return err
		}
		if _, err := c.UpdateContactFlowName(ctx, &connect.UpdateContactFlowNameInput{InstanceId: &instance, ContactFlowId: &id, Name: aws.String("Compat front door")}); err != nil {
			return err
		}
		d, err := c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: &instance, ContactFlowId: &id})
		if err != nil {
			return err
		}
		return firstErr(eq("Name", *d.ContactFlow.Name, "Compat front door"), eq("Content", aws.ToString(d.ContactFlow.Content), changed))
	})
	r.check("CreateContactFlow", "an invalid flow is InvalidContactFlowException listing its problems", func() error {
		_, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Broken"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(notAFlow)})
		var bad *types.InvalidContactFlowException
		if !errors.As(err, &bad) {
			return fmt.Errorf("got %v", err)
		}
		if len(bad.Problems) == 0 {
			return errors.New("no problems listed")
		}
		for _, p := range bad.Problems {
			if aws.ToString(p.Message) == "" {
				return fmt.Errorf("a problem without a message: %+v", bad.Problems)
			}
		}
		return nil
	})
	r.check("DeleteContactFlow", "deleted", func() error {
		_, err := c.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: &instance, ContactFlowId: &id})
		return err
	})
	_, err := c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: &instance, ContactFlowId: &id})
	expectError[types.ResourceNotFoundException](r, "DescribeContactFlow", "a deleted flow is ResourceNotFoundException", 404, err)
}

func moduleContent(text string) string {
	return `{"Version":"2019-10-30","StartAction":"say","Actions":[` +
		`{"Identifier":"say","Type":"MessageParticipant","Parameters":{"Text":"` + text + `"},"Transitions":{"NextAction":"end"}},` +
		`{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
}

// flowModules covers create, describe, update, a version and an alias, an
// invalid module's problems and delete.
func (r *runner) flowModules(ctx context.Context, c *connect.Client, instance string) {
	var id string
	if !r.check("CreateContactFlowModule", "a module, described as created", func() error {
		out, err := c.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: &instance, Name: aws.String("Compat module"), Content: aws.String(moduleContent("hello"))})
		if err != nil {
			return err
		}
		id = *out.Id
		d, err := c.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: &instance, ContactFlowModuleId: &id})
		if err != nil {
			return err
		}
		m := d.ContactFlowModule
		return firstErr(eq("Content", aws.ToString(m.Content), moduleContent("hello")), eq("State", m.State, types.ContactFlowModuleStateActive), eq("Status", m.Status, types.ContactFlowModuleStatusPublished))
	}) {
		return
	}
	r.check("CreateContactFlowModuleVersion", "new content, version 1 and an alias to it", func() error {
		if _, err := c.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: &instance, ContactFlowModuleId: &id, Content: aws.String(moduleContent("bye"))}); err != nil {
			return err
		}
		v, err := c.CreateContactFlowModuleVersion(ctx, &connect.CreateContactFlowModuleVersionInput{InstanceId: &instance, ContactFlowModuleId: &id})
		if err != nil {
			return err
		}
		if _, err := c.CreateContactFlowModuleAlias(ctx, &connect.CreateContactFlowModuleAliasInput{InstanceId: &instance, ContactFlowModuleId: &id, AliasName: aws.String("live"), ContactFlowModuleVersion: v.Version}); err != nil {
			return err
		}
		out, err := c.ListContactFlowModuleAliases(ctx, &connect.ListContactFlowModuleAliasesInput{InstanceId: &instance, ContactFlowModuleId: &id})
		if err != nil {
			return err
		}
		return firstErr(eq("version", aws.ToInt64(v.Version), int64(1)), eq("aliases", len(out.ContactFlowModuleAliasSummaryList), 1))
	})
	r.check("CreateContactFlowModule", "an invalid module is InvalidContactFlowModuleException listing its problems", func() error {
		_, err := c.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: &instance, Name: aws.String("Broken module"), Content: aws.String(notAFlow)})
		var bad *types.InvalidContactFlowModuleException
		if !errors.As(err, &bad) {
			return fmt.Errorf("got %v", err)
		}
		if len(bad.Problems) == 0 || aws.ToString(bad.Problems[0].Message) == "" {
			return fmt.Errorf("problems %+v", bad.Problems)
		}
		return nil
	})
	r.check("DeleteContactFlowModule", "deleted with its version and alias", func() error {
		_, err := c.DeleteContactFlowModule(ctx, &connect.DeleteContactFlowModuleInput{InstanceId: &instance, ContactFlowModuleId: &id})
		return err
	})
	_, err := c.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: &instance, ContactFlowModuleId: &id})
	expectError[types.ResourceNotFoundException](r, "DescribeContactFlowModule", "a deleted module is ResourceNotFoundException", 404, err)
}

// numbersAndIntegrations claims, describes, points at a flow and releases
// a phone number, and associates a Lambda function and a storage config.
func (r *runner) numbersAndIntegrations(ctx context.Context, c *connect.Client, instance, instanceARN, region string) {
	account := strings.Split(instanceARN, ":")[4]
	var id, number string
	if r.check("ClaimPhoneNumber", "a number from SearchAvailablePhoneNumbers, IN_PROGRESS then CLAIMED", func() error {
		var err error
		if number, err = availableNumber(ctx, c, instanceARN); err != nil {
			return err
		}
		out, err := c.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{TargetArn: &instanceARN, PhoneNumber: &number})
		if err != nil {
			return err
		}
		id = *out.PhoneNumberId
		for i := 0; i < 5; i++ {
			d, err := c.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
			if err != nil {
				return err
			}
			n := d.ClaimedPhoneNumberSummary
			if n.PhoneNumberStatus.Status == types.PhoneNumberWorkflowStatusClaimed {
				return firstErr(eq("number", *n.PhoneNumber, number), eq("instance", aws.ToString(n.InstanceId), instance))
			}
			if n.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusInProgress {
				return fmt.Errorf("status %s", n.PhoneNumberStatus.Status)
			}
		}
		return errors.New("never CLAIMED")
	}) {
		r.check("AssociatePhoneNumberContactFlow", "the number answers with a flow, then not", func() error {
			f, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat inbound"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(hangUp)})
			if err != nil {
				return err
			}
			if _, err := c.AssociatePhoneNumberContactFlow(ctx, &connect.AssociatePhoneNumberContactFlowInput{PhoneNumberId: &id, InstanceId: &instance, ContactFlowId: f.ContactFlowId}); err != nil {
				return err
			}
			list, err := c.ListFlowAssociations(ctx, &connect.ListFlowAssociationsInput{InstanceId: &instance, ResourceType: types.ListFlowAssociationResourceTypeVoicePhoneNumber})
			if err != nil {
				return err
			}
			if len(list.FlowAssociationSummaryList) != 1 || !strings.HasSuffix(aws.ToString(list.FlowAssociationSummaryList[0].FlowId), *f.ContactFlowId) {
				return fmt.Errorf("associations %+v", list.FlowAssociationSummaryList)
			}
			_, err = c.DisassociatePhoneNumberContactFlow(ctx, &connect.DisassociatePhoneNumberContactFlowInput{PhoneNumberId: &id, InstanceId: &instance})
			return err
		})
		r.check("ReleasePhoneNumber", "released", func() error {
			_, err := c.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id})
			return err
		})
		_, err := c.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
		expectError[types.ResourceNotFoundException](r, "DescribePhoneNumber", "a released number is ResourceNotFoundException", 404, err)
	}
	fn := "arn:aws:lambda:" + region + ":" + account + ":function:compat-lookup"
	r.check("AssociateLambdaFunction", "associated, listed, disassociated", func() error {
		if _, err := c.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: &instance, FunctionArn: &fn}); err != nil {
			return err
		}
		list, err := c.ListLambdaFunctions(ctx, &connect.ListLambdaFunctionsInput{InstanceId: &instance})
		if err != nil {
			return err
		}
		if _, err := c.DisassociateLambdaFunction(ctx, &connect.DisassociateLambdaFunctionInput{InstanceId: &instance, FunctionArn: &fn}); err != nil {
			return err
		}
		return eq("functions", list.LambdaFunctions, []string{fn})
	})
	r.check("AssociateInstanceStorageConfig", "call recordings to S3, described, disassociated", func() error {
		out, err := c.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: &instance, ResourceType: types.InstanceStorageResourceTypeCallRecordings,
			StorageConfig: &types.InstanceStorageConfig{StorageType: types.StorageTypeS3, S3Config: &types.S3Config{BucketName: aws.String("compat-recordings"), BucketPrefix: aws.String("calls")}}})
		if err != nil {
			return err
		}
		d, err := c.DescribeInstanceStorageConfig(ctx, &connect.DescribeInstanceStorageConfigInput{InstanceId: &instance, AssociationId: out.AssociationId, ResourceType: types.InstanceStorageResourceTypeCallRecordings})
		if err != nil {
			return err
		}
		if _, err := c.DisassociateInstanceStorageConfig(ctx, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &instance, AssociationId: out.AssociationId, ResourceType: types.InstanceStorageResourceTypeCallRecordings}); err != nil {
			return err
		}
		return firstErr(eq("StorageType", d.StorageConfig.StorageType, types.StorageTypeS3), eq("BucketName", aws.ToString(d.StorageConfig.S3Config.BucketName), "compat-recordings"))
	})
}
