package switchboardtest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// Instance is an instance and the resources Connect gives every new one,
// by the names Connect gives them.
type Instance struct {
	ID, ARN string
	// BasicRoutingProfileID is the "Basic Routing Profile", serving
	// BasicQueueID on every channel.
	BasicRoutingProfileID string
	BasicQueueID          string
	BasicHoursID          string
	// SecurityProfileIDs by name: Admin, Agent, CallCenterManager,
	// QualityAnalyst.
	SecurityProfileIDs map[string]string
	// AvailableStatusID and OfflineStatusID are the system agent
	// statuses.
	AvailableStatusID, OfflineStatusID string
	// FlowIDs are the default flows by name ("Default inbound flow", ...).
	FlowIDs map[string]string
}

// Client returns a Connect client of the server (the SDK's default
// retries).
func (s *Server) Client() *connect.Client { return connect.NewFromConfig(s.AWSConfig()) }

// CreateInstance creates a CONNECT_MANAGED instance with inbound and
// outbound calls enabled, and returns it with its default resources; an
// error fails the test.
func (s *Server) CreateInstance(t testing.TB, alias string) *Instance {
	t.Helper()
	inst, err := s.createInstance(context.Background(), alias)
	if err != nil {
		t.Fatalf("switchboardtest: instance %q: %v", alias, err)
	}
	return inst
}

func (s *Server) createInstance(ctx context.Context, alias string) (*Instance, error) {
	c := s.Client()
	out, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias:          aws.String(alias),
		InboundCallsEnabled:    aws.Bool(true),
		OutboundCallsEnabled:   aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	inst := &Instance{ID: *out.Id, ARN: *out.Arn, SecurityProfileIDs: map[string]string{}, FlowIDs: map[string]string{}}
	id := out.Id
	rps, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: id})
	if err != nil {
		return nil, err
	}
	for _, p := range rps.RoutingProfileSummaryList {
		if aws.ToString(p.Name) == "Basic Routing Profile" {
			inst.BasicRoutingProfileID = aws.ToString(p.Id)
		}
	}
	qs, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: id, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	if err != nil {
		return nil, err
	}
	for _, q := range qs.QueueSummaryList {
		if aws.ToString(q.Name) == "BasicQueue" {
			inst.BasicQueueID = aws.ToString(q.Id)
		}
	}
	hs, err := c.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: id})
	if err != nil {
		return nil, err
	}
	for _, h := range hs.HoursOfOperationSummaryList {
		if aws.ToString(h.Name) == "Basic Hours" {
			inst.BasicHoursID = aws.ToString(h.Id)
		}
	}
	sps, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: id})
	if err != nil {
		return nil, err
	}
	for _, p := range sps.SecurityProfileSummaryList {
		inst.SecurityProfileIDs[aws.ToString(p.Name)] = aws.ToString(p.Id)
	}
	sts, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: id})
	if err != nil {
		return nil, err
	}
	for _, st := range sts.AgentStatusSummaryList {
		switch st.Type {
		case types.AgentStatusTypeRoutable:
			inst.AvailableStatusID = aws.ToString(st.Id)
		case types.AgentStatusTypeOffline:
			inst.OfflineStatusID = aws.ToString(st.Id)
		}
	}
	p := connect.NewListContactFlowsPaginator(c, &connect.ListContactFlowsInput{InstanceId: id})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range page.ContactFlowSummaryList {
			inst.FlowIDs[aws.ToString(f.Name)] = aws.ToString(f.Id)
		}
	}
	return inst, nil
}

// Agent describes a user CreateAgent makes.
type Agent struct {
	// Username; the user's first and last name are derived from it.
	Username string
	// RoutingProfileID: "" for the instance's Basic Routing Profile.
	RoutingProfileID string
	// AutoAccept connects offered contacts at once (every channel).
	AutoAccept bool
	// AfterContactWorkSeconds is the after contact work time limit of
	// every channel (0: until cleared).
	AfterContactWorkSeconds int32
	// Offline leaves the agent offline instead of Available.
	Offline bool
}

// CreateAgent creates a user with the Agent security profile and a soft
// phone, sets it Available (unless a.Offline) and returns its id; an error
// fails the test.
func (s *Server) CreateAgent(t testing.TB, inst *Instance, a Agent) string {
	t.Helper()
	id, err := s.createAgent(context.Background(), inst, a)
	if err != nil {
		t.Fatalf("switchboardtest: agent %q: %v", a.Username, err)
	}
	return id
}

func (s *Server) createAgent(ctx context.Context, inst *Instance, a Agent) (string, error) {
	c := s.Client()
	rp := a.RoutingProfileID
	if rp == "" {
		rp = inst.BasicRoutingProfileID
	}
	in := &connect.CreateUserInput{
		InstanceId:         aws.String(inst.ID),
		Username:           aws.String(a.Username),
		Password:           aws.String("Password123!"),
		IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String(a.Username), LastName: aws.String("Agent")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId:   aws.String(rp),
		SecurityProfileIds: []string{inst.SecurityProfileIDs["Agent"]},
	}
	// The per-channel settings (which, where given, Connect uses instead
	// of PhoneConfig's) for every channel the engine routes.
	for _, ch := range []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask} {
		in.AutoAcceptConfigs = append(in.AutoAcceptConfigs, types.AutoAcceptConfig{Channel: ch, AutoAccept: a.AutoAccept})
		in.AfterContactWorkConfigs = append(in.AfterContactWorkConfigs, types.AfterContactWorkConfigPerChannel{Channel: ch,
			AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: a.AfterContactWorkSeconds}})
	}
	out, err := c.CreateUser(ctx, in)
	if err != nil {
		return "", err
	}
	if !a.Offline {
		if _, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: aws.String(inst.ID), UserId: out.UserId, AgentStatusId: aws.String(inst.AvailableStatusID)}); err != nil {
			return "", err
		}
	}
	return *out.UserId, nil
}
