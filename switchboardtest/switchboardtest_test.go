package switchboardtest_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/switchboardtest"
)

func TestNewServesConnectToTheSDK(t *testing.T) {
	srv := switchboardtest.New(t)
	client := connect.NewFromConfig(srv.AWSConfig())
	inst := srv.CreateInstance(t, "harness")
	out, err := client.DescribeInstance(context.Background(), &connect.DescribeInstanceInput{InstanceId: &inst.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.Instance.InstanceAlias); got != "harness" || out.Instance.InstanceStatus != types.InstanceStatusActive {
		t.Errorf("instance %q %s, want harness ACTIVE", got, out.Instance.InstanceStatus)
	}
	if inst.BasicRoutingProfileID == "" || inst.BasicQueueID == "" || inst.BasicHoursID == "" || inst.AvailableStatusID == "" ||
		inst.OfflineStatusID == "" || inst.SecurityProfileIDs["Agent"] == "" || inst.SecurityProfileIDs["Admin"] == "" || len(inst.FlowIDs) == 0 {
		t.Errorf("defaults missing: %+v", inst)
	}
	// Each server has its own state.
	other := switchboardtest.New(t)
	list, err := connect.NewFromConfig(other.AWSConfig()).ListInstances(context.Background(), &connect.ListInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.InstanceSummaryList) != 0 {
		t.Errorf("a second server sees %d instances", len(list.InstanceSummaryList))
	}
}

// toBasicQueue is a flow that puts a contact in the instance's BasicQueue.
func toBasicQueue(t *testing.T, srv *switchboardtest.Server, inst *switchboardtest.Instance) string {
	t.Helper()
	content := fmt.Sprintf(`{"Version":"2019-10-30","StartAction":"q","Actions":[
 {"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"%s"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, inst.BasicQueueID)
	out, err := srv.Client().CreateContactFlow(context.Background(), &connect.CreateContactFlowInput{InstanceId: &inst.ID, Name: aws.String("to basic queue"),
		Type: types.ContactFlowTypeContactFlow, Content: &content})
	if err != nil {
		t.Fatal(err)
	}
	return *out.ContactFlowId
}

func TestVirtualClockDrivesAContactThroughAnAgent(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	srv := switchboardtest.New(t, switchboardtest.WithVirtualClock(start))
	ctx := context.Background()
	inst := srv.CreateInstance(t, "engine")
	agent := srv.CreateAgent(t, inst, switchboardtest.Agent{Username: "ana", AfterContactWorkSeconds: 30})
	flow := toBasicQueue(t, srv, inst)
	client := srv.Client()
	task, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &inst.ID, Name: aws.String("call back"), ContactFlowId: &flow})
	if err != nil {
		t.Fatal(err)
	}
	id := *task.ContactId
	srv.Advance(t, 5*time.Second) // rings for 5 s
	srv.Act(t, inst.ID, id, agent, switchboardtest.Accept)
	srv.Advance(t, 2*time.Minute)
	srv.Act(t, inst.ID, id, agent, switchboardtest.HangUp)
	if got := srv.Now(); !got.Equal(start.Add(125 * time.Second)) {
		t.Errorf("clock at %v, want %v", got, start.Add(125*time.Second))
	}
	srv.Advance(t, 30*time.Second) // after contact work ends
	d, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &inst.ID, ContactId: &id})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Contact
	if c.AgentInfo == nil || aws.ToString(c.AgentInfo.Id) != agent {
		t.Fatalf("agent info %+v, want agent %s", c.AgentInfo, agent)
	}
	checks := []struct {
		name string
		got  *time.Time
		want time.Time
	}{
		{"InitiationTimestamp", c.InitiationTimestamp, start},
		{"ConnectedToAgentTimestamp", c.AgentInfo.ConnectedToAgentTimestamp, start.Add(5 * time.Second)},
		{"AfterContactWorkStartTimestamp", c.AgentInfo.AfterContactWorkStartTimestamp, start.Add(125 * time.Second)},
		{"AfterContactWorkEndTimestamp", c.AgentInfo.AfterContactWorkEndTimestamp, start.Add(155 * time.Second)},
	}
	for _, ch := range checks {
		if ch.got == nil || !ch.got.Equal(ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	events, err := srv.API().ContactEvents(ctx, inst.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range events {
		types = append(types, string(e.Detail.EventType))
	}
	want := []string{string(engine.EventInitiated), string(engine.EventQueued), string(engine.EventOffered), string(engine.EventConnectedToAgent), string(engine.EventDisconnected), string(engine.EventCompleted)}
	if fmt.Sprint(types) != fmt.Sprint(want) {
		t.Errorf("events %v, want %v", types, want)
	}
}

func TestAdvanceWithoutAVirtualClockIsRefused(t *testing.T) {
	srv := switchboardtest.New(t)
	_, err := srv.API().Advance(context.Background(), time.Second)
	var apiErr *switchboardtest.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Type != "InvalidRequestException" {
		t.Fatalf("advance on a real clock: %v, want InvalidRequestException (400)", err)
	}
	state, err := srv.API().Clock(context.Background())
	if err != nil || state.Virtual || time.Since(state.Now).Abs() > time.Minute {
		t.Fatalf("clock %+v, %v: want the real time", state, err)
	}
}

func TestAccountsAndTheirPolicies(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithAccounts(
		switchboardtest.Account{ID: "111122223333", AccessKeys: []switchboardtest.AccessKey{
			{ID: "AKIDADMIN", Secret: "admin-secret"},
			{ID: "AKIDREADER", Secret: "reader-secret", Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["connect:Describe*","connect:List*"],"Resource":"*"}]}`},
		}}))
	inst := srv.CreateInstance(t, "accounts")
	if want := "arn:aws:connect:us-east-1:111122223333:instance/" + inst.ID; inst.ARN != want {
		t.Errorf("ARN %s, want %s", inst.ARN, want)
	}
	cfg := srv.AWSConfig()
	reader := connect.NewFromConfig(cfg, func(o *connect.Options) {
		o.Credentials = aws.NewCredentialsCache(staticCreds{"AKIDREADER", "reader-secret"})
	})
	ctx := context.Background()
	if _, err := reader.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: &inst.ID}); err != nil {
		t.Errorf("the reader describes: %v", err)
	}
	_, err := reader.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("nope"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Errorf("the reader creates an instance: %v, want AccessDeniedException", err)
	}
	stranger := connect.NewFromConfig(cfg, func(o *connect.Options) { o.Credentials = aws.NewCredentialsCache(staticCreds{"test", "test"}) })
	if _, err := stranger.ListInstances(ctx, &connect.ListInstancesInput{}); !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Errorf("the built-in key once accounts are given: %v, want UnrecognizedClientException", err)
	}
}

type staticCreds struct{ id, secret string }

func (c staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: c.id, SecretAccessKey: c.secret, Source: "test"}, nil
}

// TestStartIsQuick keeps New cheap enough for a server per test function
// (issue 20: under 50 ms): the median of 15 starts and stops.
func TestStartIsQuick(t *testing.T) {
	var took []time.Duration
	for range 15 {
		t0 := time.Now()
		srv, err := switchboardtest.Start()
		if err != nil {
			t.Fatal(err)
		}
		took = append(took, time.Since(t0))
		srv.Close()
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	t.Logf("start: median %v, fastest %v, slowest %v", took[len(took)/2], took[0], took[len(took)-1])
	if took[len(took)/2] > 50*time.Millisecond {
		t.Errorf("median start %v, want under 50 ms", took[len(took)/2])
	}
}

func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		srv, err := switchboardtest.Start()
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}

func TestWithSeedFile(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithSeedFile("../internal/seed/testdata/full.yaml"))
	inst := srv.SeedID("acme-support", "instance", "acme-support")
	user := srv.SeedID("acme-support", "user", "mary.major")
	if inst == "" || user == "" {
		t.Fatalf("seeded ids: instance %q, user %q", inst, user)
	}
	out, err := srv.Client().DescribeUser(context.Background(), &connect.DescribeUserInput{InstanceId: &inst, UserId: &user})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.User.Username) != "mary.major" {
		t.Errorf("described %q, want mary.major", aws.ToString(out.User.Username))
	}
	// A bad file fails the start with its position.
	_, err = switchboardtest.Start(switchboardtest.WithSeed("bad.yaml", []byte("instances:\n  - alias: x\n    identityManagementType: CONNECT_MANAGED\n    inboundCallsEnabled: true\n    outboundCallsEnabled: true\n    users:\n      - username: u\n        routingProfile: Nowhere\n")))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:8:") {
		t.Errorf("a bad reference: %v, want an error at bad.yaml:8", err)
	}
}
