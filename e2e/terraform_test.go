package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// TestTerraformAcceptanceInputs replays what terraform-provider-aws's
// acceptance tests for the implemented resources send and assert. Those
// tests pass against AWS (docs/BEHAVIOUR.md, Always-sent members), so every
// input here must be accepted and every value read back as they assert.
func TestTerraformAcceptanceInputs(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	c := ctx(t)

	// testAccInstance_basic: the attributes of a new instance, as the
	// provider's comment says ListInstanceAttributes answers them.
	attrs := map[types.InstanceAttributeType]string{}
	pages := connect.NewListInstanceAttributesPaginator(f.client, &connect.ListInstanceAttributesInput{InstanceId: &f.instance})
	for pages.HasMorePages() {
		for _, a := range call(pages.NextPage(c)).must(t).Attributes {
			attrs[a.AttributeType] = aws.ToString(a.Value)
		}
	}
	for typ, want := range map[types.InstanceAttributeType]string{
		types.InstanceAttributeTypeAutoResolveBestVoices: "true", types.InstanceAttributeTypeContactflowLogs: "false",
		types.InstanceAttributeTypeContactLens: "true", types.InstanceAttributeTypeEarlyMedia: "true",
		types.InstanceAttributeTypeMultiPartyConference: "false",
	} {
		if attrs[typ] != want {
			t.Errorf("new instance's %s = %q, want %q", typ, attrs[typ], want)
		}
	}

	// The data source tests name resources after their Terraform address.
	hours := *call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{
		InstanceId: &f.instance, Name: aws.String("aws_connect_hours_of_operation.test"), TimeZone: aws.String("EST"),
		Description: aws.String("Example aws_connect_hours_of_operation to test updates"),
		Config:      []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysMonday, StartTime: slice(8, 0), EndTime: slice(23, 8)}},
	})).must(t).HoursOfOperationId
	h := call(f.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &hours})).must(t).HoursOfOperation
	if aws.ToString(h.TimeZone) != "EST" || len(h.Config) != 1 || *h.Config[0].EndTime.Minutes != 8 {
		t.Errorf("hours read back as %+v", h)
	}
	queue := *call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("aws_connect_queue.test"), HoursOfOperationId: &hours,
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("original")}})).must(t).QueueId
	q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &queue})).must(t).Queue
	if q.Status != types.QueueStatusEnabled || q.MaxContacts != nil || q.OutboundCallerConfig.OutboundFlowId != nil {
		t.Errorf("new queue read back as %+v", q)
	}
	if qcs := call(f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue})).must(t); len(qcs.QuickConnectSummaryList) != 0 {
		t.Errorf("new queue has quick connects %+v", qcs.QuickConnectSummaryList)
	}
	f.newQuickConnect(t, "aws_connect_quick_connect.test", phoneQC("+12345678912"))

	// testAccRoutingProfile_updateQueues: 16 CHAT queues on a VOICE-only
	// profile, associated ten at a time.
	rp := *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance, Name: aws.String("resource-test-terraform-1650423497543183212"),
		Description: aws.String("Additional queue to routing profile queue config"), DefaultOutboundQueueId: &queue,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)}}})).must(t).RoutingProfileId
	var configs []types.RoutingProfileQueueConfig
	for i := int32(0); i < 16; i++ {
		configs = append(configs, qc(f.newQueue(t, "test-"+string(rune('a'+i)), hours), types.ChannelChat, i+1, i+1))
	}
	for _, chunk := range [][]types.RoutingProfileQueueConfig{configs[:10], configs[10:]} {
		call(f.client.AssociateRoutingProfileQueues(c, &connect.AssociateRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp, QueueConfigs: chunk})).must(t)
	}
	listed := call(f.client.ListRoutingProfileQueues(c, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp, MaxResults: aws.Int32(60)})).must(t)
	if len(listed.RoutingProfileQueueConfigSummaryList) != 16 {
		t.Errorf("ListRoutingProfileQueues lists %d configs, want 16", len(listed.RoutingProfileQueueConfigSummaryList))
	}
	p := call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &rp})).must(t).RoutingProfile
	if len(p.MediaConcurrencies) != 1 || p.AssociatedQueueIds != nil || p.IsDefault {
		t.Errorf("routing profile read back as %+v", p)
	}

	// testAccSecurityProfile_updatePermissions: none until given.
	sp := *call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("resource-test-terraform-3916589616287113937"),
		Description: aws.String("Created")})).must(t).SecurityProfileId
	if perms := call(f.client.ListSecurityProfilePermissions(c, &connect.ListSecurityProfilePermissionsInput{InstanceId: &f.instance, SecurityProfileId: &sp})).must(t); len(perms.Permissions) != 0 {
		t.Errorf("new security profile has permissions %v", perms.Permissions)
	}

	// testAccUser_basic: a 43-character name, password without a symbol, no
	// DirectoryUserId, ACW 0 and AutoAccept false read back.
	in := f.user("resource-test-terraform-5577006791947779410")
	in.Password = aws.String("Password123")
	in.IdentityInfo = &types.UserIdentityInfo{FirstName: aws.String("example"), LastName: aws.String("example2")}
	in.PhoneConfig = &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone, AfterContactWorkTimeLimit: 0}
	u := f.describe(t, f.create(t, in))
	if u.DirectoryUserId == nil || u.PhoneConfig.AutoAccept || u.PhoneConfig.AfterContactWorkTimeLimit != 0 || aws.ToString(u.PhoneConfig.DeskPhoneNumber) != "" || u.IdentityInfo.Email != nil {
		t.Errorf("user read back as %+v, phone %+v", u, u.PhoneConfig)
	}
}
