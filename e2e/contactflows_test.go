package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/flow"
	"github.com/switchboard-dev/switchboard/service"
)

// hangUp is the smallest valid inbound flow: disconnect at once.
const hangUp = `{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

// notAFlow is JSON that no flow validator accepts.
const notAFlow = `{"Version":"2019-10-30","StartAction":"missing","Actions":[]}`

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (f *fixture) newFlow(t *testing.T, name string, typ types.ContactFlowType, content string) string {
	t.Helper()
	return *call(f.client.CreateContactFlow(ctx(t), &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: &name, Type: typ, Content: &content})).must(t).ContactFlowId
}

func (f *fixture) describeFlow(t *testing.T, id string) *types.ContactFlow {
	t.Helper()
	return call(f.client.DescribeContactFlow(ctx(t), &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: &id})).must(t).ContactFlow
}

// flowsByName lists an instance's flows (of the types given), walking
// ListContactFlows two at a time.
func (f *fixture) flowsByName(t *testing.T, kinds ...types.ContactFlowType) map[string]types.ContactFlowSummary {
	t.Helper()
	out := map[string]types.ContactFlowSummary{}
	p := connect.NewListContactFlowsPaginator(f.client, &connect.ListContactFlowsInput{InstanceId: &f.instance, ContactFlowTypes: kinds, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		for _, s := range call(p.NextPage(ctx(t))).must(t).ContactFlowSummaryList {
			if _, dup := out[*s.Name]; dup {
				t.Fatalf("flow %s listed twice", *s.Name)
			}
			out[*s.Name] = s
		}
	}
	return out
}

// TestContactFlowLifecycle: create (published, validated), describe with
// its checksum, save a draft next to the published content, publish it,
// rename, archive, delete.
func TestContactFlowLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	created := call(f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Main IVR"), Type: types.ContactFlowTypeContactFlow,
		Description: aws.String("the front door"), Content: aws.String(hangUp), Tags: map[string]string{"team": "ivr"}})).must(t)
	id := *created.ContactFlowId
	if *created.ContactFlowArn != arnOf(f, "contact-flow", id) || aws.ToString(created.FlowContentSha256) != sha(hangUp) {
		t.Fatalf("CreateContactFlow answered %s, %s", *created.ContactFlowArn, aws.ToString(created.FlowContentSha256))
	}
	got := f.describeFlow(t, id)
	if *got.Name != "Main IVR" || got.Type != types.ContactFlowTypeContactFlow || got.State != types.ContactFlowStateActive || got.Status != types.ContactFlowStatusPublished ||
		aws.ToString(got.Content) != hangUp || aws.ToString(got.FlowContentSha256) != sha(hangUp) || got.Tags["team"] != "ivr" || aws.ToString(got.Description) != "the front door" ||
		aws.ToString(got.LastModifiedRegion) != region || got.LastModifiedTime == nil {
		t.Fatalf("described %+v", got)
	}

	draft := strings.Replace(hangUp, `"bye"`, `"farewell"`, 2)
	t.Run("a $SAVED draft leaves the published content in place", func(t *testing.T) {
		call(f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: aws.String(id + ":$SAVED"), Content: aws.String(notAFlow)})).must(t)
		if pub := f.describeFlow(t, id); aws.ToString(pub.Content) != hangUp || pub.Status != types.ContactFlowStatusPublished {
			t.Fatalf("published view after saving a draft: %s %s", pub.Status, aws.ToString(pub.Content))
		}
		saved := f.describeFlow(t, id+":$SAVED")
		if aws.ToString(saved.Content) != notAFlow || saved.Status != types.ContactFlowStatusSaved || aws.ToString(saved.FlowContentSha256) != sha(notAFlow) {
			t.Fatalf("$SAVED view: %s %s", saved.Status, aws.ToString(saved.Content))
		}
	})
	t.Run("publishing validates, and replaces the draft", func(t *testing.T) {
		_, err := f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: &id, Content: aws.String(notAFlow)})
		bad := wantErr[*types.InvalidContactFlowException](t, err)
		if len(bad.Problems) == 0 || aws.ToString(bad.Problems[0].Message) == "" {
			t.Fatalf("problems %+v", bad.Problems)
		}
		call(f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: &id, Content: &draft})).must(t)
		if saved := f.describeFlow(t, id+":$SAVED"); aws.ToString(saved.Content) != draft || saved.Status != types.ContactFlowStatusPublished {
			t.Fatalf("$SAVED after publishing: %s %s", saved.Status, aws.ToString(saved.Content))
		}
	})
	t.Run("UpdateContactFlowName renames and redescribes", func(t *testing.T) {
		call(f.client.UpdateContactFlowName(c, &connect.UpdateContactFlowNameInput{InstanceId: &f.instance, ContactFlowId: &id, Name: aws.String("Front door"), Description: aws.String("")})).must(t)
		if got := f.describeFlow(t, id); *got.Name != "Front door" || got.Description != nil {
			t.Fatalf("after rename: %s %v", *got.Name, got.Description)
		}
	})
	t.Run("UpdateContactFlowMetadata archives", func(t *testing.T) {
		call(f.client.UpdateContactFlowMetadata(c, &connect.UpdateContactFlowMetadataInput{InstanceId: &f.instance, ContactFlowId: &id, ContactFlowState: types.ContactFlowStateArchived})).must(t)
		if got := f.describeFlow(t, id); got.State != types.ContactFlowStateArchived || *got.Name != "Front door" {
			t.Fatalf("after archiving: %s %s", got.State, *got.Name)
		}
	})
	t.Run("UpdateContactFlowMetadata without a member is InvalidRequestException", func(t *testing.T) {
		_, err := f.client.UpdateContactFlowMetadata(c, &connect.UpdateContactFlowMetadataInput{InstanceId: &f.instance, ContactFlowId: &id})
		wantErr[*types.InvalidRequestException](t, err)
	})
	t.Run("names are unique", func(t *testing.T) {
		_, err := f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Front door"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(hangUp)})
		wantErr[*types.DuplicateResourceException](t, err, "Front door")
		other := f.newFlow(t, "Other", types.ContactFlowTypeContactFlow, hangUp)
		_, err = f.client.UpdateContactFlowName(c, &connect.UpdateContactFlowNameInput{InstanceId: &f.instance, ContactFlowId: &other, Name: aws.String("Front door")})
		wantErr[*types.DuplicateResourceException](t, err, "Front door")
	})
	t.Run("an unknown alias or flow is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: aws.String(id + ":$NOPE")})
		wantErr[*types.ResourceNotFoundException](t, err)
		_, err = f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: aws.String("no-such-flow")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-flow")
	})
	t.Run("the ARN works as the id, and for tags", func(t *testing.T) {
		arn := arnOf(f, "contact-flow", id)
		if got := f.describeFlow(t, arn); *got.Id != id {
			t.Fatalf("described by ARN: %s", *got.Id)
		}
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"k": "v"}})).must(t)
		if tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})).must(t).Tags; tags["k"] != "v" || tags["team"] != "ivr" {
			t.Fatalf("tags %v", tags)
		}
	})
	t.Run("delete", func(t *testing.T) {
		call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &id})).must(t)
		_, err := f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: &id})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
}

// TestSavedFlowsAreNotValidated: a SAVED flow may hold anything until it is
// published; DescribeContactFlow of its id shows it SAVED.
func TestSavedFlowsAreNotValidated(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	id := *call(f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Work in progress"), Type: types.ContactFlowTypeContactFlow,
		Content: aws.String(notAFlow), Status: types.ContactFlowStatusSaved})).must(t).ContactFlowId
	if got := f.describeFlow(t, id); got.Status != types.ContactFlowStatusSaved || aws.ToString(got.Content) != notAFlow {
		t.Fatalf("a SAVED flow: %s %s", got.Status, aws.ToString(got.Content))
	}
	_, err := f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: aws.String(id + ":$LATEST")})
	wantErr[*types.ContactFlowNotPublishedException](t, err)
	_, err = f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Broken"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(notAFlow)})
	if bad := wantErr[*types.InvalidContactFlowException](t, err); len(bad.Problems) == 0 {
		t.Fatal("no problems listed")
	}
	call(f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: &id, Content: aws.String(hangUp)})).must(t)
	if got := f.describeFlow(t, id); got.Status != types.ContactFlowStatusPublished {
		t.Fatalf("after publishing: %s", got.Status)
	}
}

// TestContactFlowQuota: flows beyond the instance's quota, default flows
// included, are LimitExceededException.
func TestContactFlowQuota(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{ContactFlowsPerInstance: 1000}})
	n := len(f.flowsByName(t))
	g := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{ContactFlowsPerInstance: n + 1}})
	g.newFlow(t, "One more", types.ContactFlowTypeContactFlow, hangUp)
	_, err := g.client.CreateContactFlow(ctx(t), &connect.CreateContactFlowInput{InstanceId: &g.instance, Name: aws.String("Too many"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(hangUp)})
	wantErr[*types.LimitExceededException](t, err)
}

// TestContactFlowVersions: only CAMPAIGN flows have versions, as the model
// says; a version keeps the content it was made from.
func TestContactFlowVersions(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	ivr := f.newFlow(t, "IVR", types.ContactFlowTypeContactFlow, hangUp)
	_, err := f.client.CreateContactFlowVersion(c, &connect.CreateContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &ivr})
	wantErr[*types.InvalidRequestException](t, err, "CAMPAIGN")

	campaign := f.newFlow(t, "Campaign", types.ContactFlowTypeCampaign, hangUp)
	_, err = f.client.CreateContactFlowVersion(c, &connect.CreateContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &campaign, FlowContentSha256: aws.String(strings.Repeat("0", 64))})
	wantErr[*types.InvalidRequestException](t, err, "FlowContentSha256")
	v1 := call(f.client.CreateContactFlowVersion(c, &connect.CreateContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &campaign, Description: aws.String("first"),
		FlowContentSha256: aws.String(sha(hangUp))})).must(t)
	if aws.ToInt64(v1.Version) != 1 || *v1.ContactFlowArn != arnOf(f, "contact-flow", campaign)+":1" {
		t.Fatalf("version 1: %d %s", aws.ToInt64(v1.Version), *v1.ContactFlowArn)
	}
	changed := strings.Replace(hangUp, `"bye"`, `"end"`, 2)
	call(f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: &campaign, Content: &changed})).must(t)
	v2 := call(f.client.CreateContactFlowVersion(c, &connect.CreateContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &campaign})).must(t)
	if got := f.describeFlow(t, campaign+":1"); aws.ToString(got.Content) != hangUp || aws.ToInt64(got.Version) != 1 || aws.ToString(got.VersionDescription) != "first" {
		t.Fatalf("version 1 described: %+v", got)
	}
	if aws.ToInt64(v2.Version) != 2 {
		t.Fatalf("second version %d", aws.ToInt64(v2.Version))
	}
	list := call(f.client.ListContactFlowVersions(c, &connect.ListContactFlowVersionsInput{InstanceId: &f.instance, ContactFlowId: &campaign})).must(t).ContactFlowVersionSummaryList
	if len(list) != 2 || aws.ToInt64(list[0].Version) != 1 || aws.ToString(list[0].VersionDescription) != "first" || *list[1].Arn != arnOf(f, "contact-flow", campaign)+":2" {
		t.Fatalf("versions %+v", list)
	}
	call(f.client.DeleteContactFlowVersion(c, &connect.DeleteContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &campaign, ContactFlowVersion: aws.Int64(1)})).must(t)
	_, err = f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: aws.String(campaign + ":1")})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = f.client.DeleteContactFlowVersion(c, &connect.DeleteContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &campaign, ContactFlowVersion: aws.Int64(1)})
	wantErr[*types.ResourceNotFoundException](t, err)
}

// TestSearchContactFlows compares SearchContactFlows with a filter over the
// described flows.
func TestSearchContactFlows(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.newFlow(t, "Sales IVR", types.ContactFlowTypeContactFlow, hangUp)
	support := f.newFlow(t, "Support IVR", types.ContactFlowTypeContactFlow, hangUp)
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: aws.String(arnOf(f, "contact-flow", support)), Tags: map[string]string{"team": "support"}})).must(t)
	call(f.client.UpdateContactFlowMetadata(c, &connect.UpdateContactFlowMetadataInput{InstanceId: &f.instance, ContactFlowId: &support, ContactFlowState: types.ContactFlowStateArchived})).must(t)
	call(f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Draft IVR"), Type: types.ContactFlowTypeContactFlow, Content: aws.String("{}"), Status: types.ContactFlowStatusSaved})).must(t)
	var all []types.ContactFlow
	for _, s := range f.flowsByName(t) {
		all = append(all, *f.describeFlow(t, *s.Id))
	}
	cases := []struct {
		name   string
		crit   *types.ContactFlowSearchCriteria
		filter *types.ContactFlowSearchFilter
		want   func(types.ContactFlow) bool
	}{
		{"everything", nil, nil, func(types.ContactFlow) bool { return true }},
		{"name CONTAINS", &types.ContactFlowSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("ivr"), ComparisonType: types.StringComparisonTypeContains}}, nil,
			func(f types.ContactFlow) bool { return strings.Contains(strings.ToLower(*f.Name), "ivr") }},
		{"TypeCondition", &types.ContactFlowSearchCriteria{TypeCondition: types.ContactFlowTypeContactFlow}, nil, func(f types.ContactFlow) bool { return f.Type == types.ContactFlowTypeContactFlow }},
		{"StateCondition", &types.ContactFlowSearchCriteria{StateCondition: types.ContactFlowStateArchived}, nil, func(f types.ContactFlow) bool { return f.State == types.ContactFlowStateArchived }},
		{"StatusCondition", &types.ContactFlowSearchCriteria{StatusCondition: types.ContactFlowStatusSaved}, nil, func(f types.ContactFlow) bool { return f.Status == types.ContactFlowStatusSaved }},
		{"AND of type and state", &types.ContactFlowSearchCriteria{AndConditions: []types.ContactFlowSearchCriteria{{TypeCondition: types.ContactFlowTypeContactFlow}, {StateCondition: types.ContactFlowStateActive}}}, nil,
			func(f types.ContactFlow) bool {
				return f.Type == types.ContactFlowTypeContactFlow && f.State == types.ContactFlowStateActive
			}},
		{"tag filter", nil, &types.ContactFlowSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("support")}}},
			func(f types.ContactFlow) bool { return f.Tags["team"] == "support" }},
		{"flow attribute filter on type", nil, &types.ContactFlowSearchFilter{FlowAttributeFilter: &types.ContactFlowAttributeFilter{ContactFlowTypeCondition: &types.ContactFlowTypeCondition{ContactFlowType: types.ContactFlowTypeQueueTransfer}}},
			func(f types.ContactFlow) bool { return f.Type == types.ContactFlowTypeQueueTransfer }},
		{"flow attribute filter, OR of ANDs", nil, &types.ContactFlowSearchFilter{FlowAttributeFilter: &types.ContactFlowAttributeFilter{OrConditions: []types.ContactFlowAttributeAndCondition{
			{ContactFlowTypeCondition: &types.ContactFlowTypeCondition{ContactFlowType: types.ContactFlowTypeAgentHold}},
			{TagConditions: []types.TagCondition{{TagKey: aws.String("team"), TagValue: aws.String("support")}}}}}},
			func(f types.ContactFlow) bool {
				return f.Type == types.ContactFlowTypeAgentHold || f.Tags["team"] == "support"
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want, got []string
			for _, fl := range all {
				if tc.want(fl) {
					want = append(want, *fl.Name)
				}
			}
			p := connect.NewSearchContactFlowsPaginator(f.client, &connect.SearchContactFlowsInput{InstanceId: &f.instance, SearchCriteria: tc.crit, SearchFilter: tc.filter, MaxResults: aws.Int32(3)})
			for p.HasMorePages() {
				page := call(p.NextPage(c)).must(t)
				if int(aws.ToInt64(page.ApproximateTotalCount)) != len(want) {
					t.Errorf("ApproximateTotalCount %d, want %d", aws.ToInt64(page.ApproximateTotalCount), len(want))
				}
				for _, fl := range page.ContactFlows {
					got = append(got, *fl.Name)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if len(want) == 0 || strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("found %v, want %v (a case that wants nothing proves nothing)", got, want)
			}
		})
	}
}

// TestFlowReferences: what names a flow must name an existing flow of a
// fitting type, and a flow so named cannot be deleted.
func TestFlowReferences(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	c := ctx(t)
	ivr := f.newFlow(t, "IVR", types.ContactFlowTypeContactFlow, hangUp)
	queueTransfer := f.flows[types.ContactFlowTypeQueueTransfer]
	create := func(name string, cfg *types.QuickConnectConfig) (string, error) {
		out, err := f.client.CreateQuickConnect(c, &connect.CreateQuickConnectInput{InstanceId: &f.instance, Name: &name, QuickConnectConfig: cfg})
		if err != nil {
			return "", err
		}
		return *out.QuickConnectId, nil
	}
	toQueue := func(flowID string) *types.QuickConnectConfig {
		return &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: &f.queue, ContactFlowId: &flowID}}
	}
	t.Run("an unknown flow is ResourceNotFoundException", func(t *testing.T) {
		_, err := create("nowhere", toQueue("no-such-flow"))
		wantErr[*types.ResourceNotFoundException](t, err, "ContactFlowId", "no-such-flow")
	})
	t.Run("a flow of another type is InvalidParameterException", func(t *testing.T) {
		_, err := create("wrong type", toQueue(ivr))
		wantErr[*types.InvalidParameterException](t, err, "ContactFlowId", "QUEUE_TRANSFER")
		_, err = create("user via queue flow", &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeUser, UserConfig: &types.UserQuickConnectConfig{UserId: aws.String(f.create(t, f.user("mary"))), ContactFlowId: &queueTransfer}})
		wantErr[*types.InvalidParameterException](t, err, "AGENT_TRANSFER")
		_, err = f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Outbound"), HoursOfOperationId: &f.hours,
			OutboundCallerConfig: &types.OutboundCallerConfig{OutboundFlowId: &ivr}})
		wantErr[*types.InvalidParameterException](t, err, "OutboundFlowId", "OUTBOUND_WHISPER")
	})
	t.Run("a flow a quick connect names cannot be deleted until it is gone", func(t *testing.T) {
		mine := f.newFlow(t, "My queue transfer", types.ContactFlowTypeQueueTransfer, f.describeFlowContent(t, queueTransfer))
		qc, err := create("held", toQueue(arnOf(f, "contact-flow", mine)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &mine})
		wantErr[*types.InvalidRequestException](t, err, arnOf(f, "transfer-destination", qc))
		call(f.client.DeleteQuickConnect(c, &connect.DeleteQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &qc})).must(t)
		call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &mine})).must(t)
	})
	t.Run("a queue holds its outbound whisper flow", func(t *testing.T) {
		whisper := f.newFlow(t, "My whisper", types.ContactFlowTypeOutboundWhisper, f.describeFlowContent(t, f.flows[types.ContactFlowTypeOutboundWhisper]))
		q := *call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Outbound"), HoursOfOperationId: &f.hours,
			OutboundCallerConfig: &types.OutboundCallerConfig{OutboundFlowId: &whisper}})).must(t).QueueId
		_, err := f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &whisper})
		wantErr[*types.InvalidRequestException](t, err, arnOf(f, "queue", q))
		call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundCallerConfig: &types.OutboundCallerConfig{}})).must(t)
		call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &whisper})).must(t)
	})
}

func (f *fixture) describeFlowContent(t *testing.T, id string) string {
	t.Helper()
	return aws.ToString(f.describeFlow(t, id).Content)
}

// TestCopyFlowBetweenInstances copies a flow the way teams do: Describe on
// one instance, rewrite the ARNs it holds to the other instance's
// resources, Create there. Unrewritten, the queue it names does not exist
// on the other instance, and the problem says so.
func TestCopyFlowBetweenInstances(t *testing.T) {
	a := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	a.lookup(t)
	c := ctx(t)
	salesA := a.newQueue(t, "Sales", a.hours)
	content := `{"Version":"2019-10-30","StartAction":"set","Metadata":{"entryPointPosition":{"x":20,"y":20}},"Actions":[` +
		`{"Identifier":"set","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"` + arnOf(a, "queue", salesA) + `"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},` +
		`{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},` +
		`{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	src := a.newFlow(t, "Sales line", types.ContactFlowTypeContactFlow, content)
	exported := a.describeFlowContent(t, src)

	b := &fixture{env: a.env}
	b.instance = *call(a.client.CreateInstance(c, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("copy-target"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})).must(t).Id
	b.lookup(t)
	salesB := b.newQueue(t, "Sales", b.hours)

	_, err := b.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &b.instance, Name: aws.String("Sales line"), Type: types.ContactFlowTypeContactFlow, Content: &exported})
	bad := wantErr[*types.InvalidContactFlowException](t, err)
	if len(bad.Problems) != 1 || !strings.Contains(aws.ToString(bad.Problems[0].Message), "set") || !strings.Contains(aws.ToString(bad.Problems[0].Message), salesA) {
		t.Fatalf("the unrewritten copy's problems: %+v", bad.Problems)
	}
	rewritten := strings.NewReplacer(a.instance, b.instance, salesA, salesB).Replace(exported)
	id := b.newFlow(t, "Sales line", types.ContactFlowTypeContactFlow, rewritten)
	if got := b.describeFlowContent(t, id); got != rewritten {
		t.Fatalf("copied content changed on the way in:\n%s\n%s", got, rewritten)
	}
}

// TestDefaultFlows: a new instance has Connect's default flows, published,
// each valid for its type, found by name as Terraform's data source finds
// them; an instance stored before flows existed gets them on first use,
// and a default flow deleted stays deleted.
func TestDefaultFlows(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	all := f.flowsByName(t)
	if len(flow.Defaults) < 8 {
		t.Fatalf("only %d default flows", len(flow.Defaults))
	}
	for _, d := range flow.Defaults {
		s, ok := all[d.Name]
		if !ok || string(s.ContactFlowType) != string(d.Type) || s.ContactFlowStatus != types.ContactFlowStatusPublished || s.ContactFlowState != types.ContactFlowStateActive {
			t.Errorf("%s: listed as %+v", d.Name, s)
			continue
		}
		got := f.describeFlow(t, *s.Id)
		if problems := flow.Validate(aws.ToString(got.Content), d.Type, nil); len(problems) > 0 {
			t.Errorf("%s does not validate: %v", d.Name, problems)
		}
	}
	for _, name := range []string{"Default queue transfer", "Default agent hold", "Default customer hold"} {
		if _, ok := all[name]; !ok {
			t.Errorf("no %q (the AWS CLI's list-contact-flows example shows it)", name)
		}
	}
	c := ctx(t)
	hold := *all["Default customer hold"].Id
	call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &hold})).must(t)
	f2 := &fixture{env: start(t, options{store: f.store}), instance: f.instance}
	if _, back := f2.flowsByName(t)["Default customer hold"]; back {
		t.Error("a deleted default flow came back on a fresh server")
	}

	// An older instance: no defaults marker, no flows.
	g := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	keys := []switchboard.Key{{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: g.instance, ID: "statuses+flows+prompts"}}
	for _, s := range g.flowsByName(t) {
		keys = append(keys, switchboard.Key{Scope: sc, Kind: switchboard.KindContactFlow, Parent: g.instance, ID: *s.Id})
	}
	for _, k := range keys {
		if err := g.store.Update(c, func(tx switchboard.Tx) error { return tx.Delete(k) }); err != nil {
			t.Fatalf("deleting %v: %v", k, err)
		}
	}
	g2 := &fixture{env: start(t, options{store: g.store}), instance: g.instance}
	if got := g2.flowsByName(t); len(got) != len(flow.Defaults) {
		t.Fatalf("an older instance got %d flows on first use, want %d", len(got), len(flow.Defaults))
	}
}

// TestQuickConnectsStoredBeforeFlows: a quick connect stored when flow ids
// were kept unchecked keeps its id, and can still be renamed and tagged;
// the id is checked only when its configuration is written again.
func TestQuickConnectsStoredBeforeFlows(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.lookup(t)
	c := ctx(t)
	qc := f.newQuickConnect(t, "Legacy", f.queueQC(f.queue))
	const kept = "a1b2c3d4-5678-90ab-cdef-flow00000001"
	// Rewrite it as an earlier version stored it: any flow id, not held.
	err := f.store.Update(c, func(tx switchboard.Tx) error {
		rec, err := tx.Get(switchboard.Key{Scope: switchboard.Scope{Account: "000000000000", Region: region}, Kind: switchboard.KindQuickConnect, Parent: f.instance, ID: qc})
		if err != nil {
			return err
		}
		rec.Data = []byte(strings.NewReplacer(f.flows[types.ContactFlowTypeQueueTransfer], kept, `,"flowHeld":true`, "").Replace(string(rec.Data)))
		rec.Refs = []switchboard.Ref{{Kind: switchboard.KindQueue, ID: f.queue}}
		return tx.Replace(rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	call(f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: &qc, Name: aws.String("Legacy 2")})).must(t)
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: aws.String(arnOf(f, "transfer-destination", qc)), Tags: map[string]string{"k": "v"}})).must(t)
	if got := aws.ToString(f.describeQC(t, qc).QuickConnectConfig.QueueConfig.ContactFlowId); got != kept {
		t.Fatalf("the stored flow id became %s", got)
	}
	_, err = f.client.UpdateQuickConnectConfig(c, &connect.UpdateQuickConnectConfigInput{InstanceId: &f.instance, QuickConnectId: &qc, QuickConnectConfig: &types.QuickConnectConfig{
		QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: &f.queue, ContactFlowId: aws.String(kept)}}})
	wantErr[*types.ResourceNotFoundException](t, err, kept)
}

// TestInvalidFlowsThroughTheServer: for one invalid flow per kind of rule,
// CreateContactFlow answers exactly the problems the flow package finds
// offline, each naming its action; the resources a flow names are checked
// in the instance, which the offline check cannot do.
func TestInvalidFlowsThroughTheServer(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	action := func(id, typ, params, transitions string) string {
		return `{"Identifier":"` + id + `","Type":"` + typ + `","Parameters":` + params + `,"Transitions":` + transitions + `}`
	}
	doc := func(start string, actions ...string) string {
		return `{"Version":"2019-10-30","StartAction":"` + start + `","Actions":[` + strings.Join(actions, ",") + `]}`
	}
	bye := action("bye", "DisconnectParticipant", `{}`, `{}`)
	cases := []struct {
		name, content string
		kind          types.ContactFlowType
	}{
		{"not JSON", `{"Version":`, types.ContactFlowTypeContactFlow},
		{"unknown version", strings.Replace(doc("bye", bye), "2019-10-30", "2020-01-01", 1), types.ContactFlowTypeContactFlow},
		{"StartAction names no action", doc("nowhere", bye), types.ContactFlowTypeContactFlow},
		{"duplicate identifiers", doc("bye", bye, bye), types.ContactFlowTypeContactFlow},
		{"identifier with a forbidden character", doc("a:b", action("a:b", "DisconnectParticipant", `{}`, `{}`)), types.ContactFlowTypeContactFlow},
		{"identifier too long", doc(strings.Repeat("x", 51), action(strings.Repeat("x", 51), "DisconnectParticipant", `{}`, `{}`)), types.ContactFlowTypeContactFlow},
		{"transition to no action", doc("say", action("say", "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":"ghost"}`), bye), types.ContactFlowTypeContactFlow},
		{"terminal action with a transition", doc("bye", action("bye", "DisconnectParticipant", `{}`, `{"NextAction":"bye"}`)), types.ContactFlowTypeContactFlow},
		{"unknown action type", doc("x", action("x", "TeleportCaller", `{}`, `{}`)), types.ContactFlowTypeContactFlow},
		{"type not allowed in the flow type", doc("x", action("x", "TransferContactToAgent", `{}`, `{}`)), types.ContactFlowTypeContactFlow},
		{"required parameter missing", doc("loop", action("loop", "Loop", `{}`, `{"NextAction":"bye"}`), bye), types.ContactFlowTypeContactFlow},
		{"too many actions", doc("a0", func() []string {
			var as []string
			for i := 0; i < 251; i++ {
				as = append(as, action("a"+strconv.Itoa(i), "DisconnectParticipant", `{}`, `{}`))
			}
			return as
		}()...), types.ContactFlowTypeContactFlow},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := flow.Validate(tc.content, flow.Kind(tc.kind), nil)
			if len(want) == 0 {
				t.Fatal("the offline check finds nothing wrong: the case proves nothing")
			}
			_, err := f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("bad " + strconv.Itoa(i)), Type: tc.kind, Content: aws.String(tc.content)})
			bad := wantErr[*types.InvalidContactFlowException](t, err)
			var got, exp []string
			for _, p := range bad.Problems {
				got = append(got, aws.ToString(p.Message))
			}
			for _, p := range want {
				exp = append(exp, p.Message)
			}
			if strings.Join(got, "\n") != strings.Join(exp, "\n") {
				t.Fatalf("server answered\n%s\nthe flow package finds\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
			}
		})
	}
	t.Run("a resource the instance does not have", func(t *testing.T) {
		content := doc("set", action("set", "UpdateContactTargetQueue", `{"QueueId":"no-such-queue"}`, `{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`), bye)
		if offline := flow.Validate(content, flow.KindContactFlow, nil); len(offline) != 0 {
			t.Fatalf("offline problems %v", offline)
		}
		_, err := f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("missing queue"), Type: types.ContactFlowTypeContactFlow, Content: &content})
		bad := wantErr[*types.InvalidContactFlowException](t, err)
		if len(bad.Problems) != 1 || !strings.Contains(aws.ToString(bad.Problems[0].Message), `"set"`) || !strings.Contains(aws.ToString(bad.Problems[0].Message), "no-such-queue") {
			t.Fatalf("problems %+v", bad.Problems)
		}
	})
}

// TestFlowsNamePromptsAndLambdaFunctions: a published flow's prompts must
// exist in the instance and its Lambda functions must be associated with
// it.
func TestFlowsNamePromptsAndLambdaFunctions(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	var beep string
	for _, p := range call(f.client.ListPrompts(c, &connect.ListPromptsInput{InstanceId: &f.instance, MaxResults: aws.Int32(60)})).must(t).PromptSummaryList {
		if aws.ToString(p.Name) == "Beep.wav" {
			beep = *p.Id
		}
	}
	lambda := "arn:aws:lambda:" + region + ":000000000000:function:lookup-customer"
	content := func(prompt, function string) string {
		return `{"Version":"2019-10-30","StartAction":"play","Actions":[` +
			`{"Identifier":"play","Type":"MessageParticipant","Parameters":{"PromptId":"` + prompt + `"},"Transitions":{"NextAction":"lookup","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},` +
			`{"Identifier":"lookup","Type":"InvokeLambdaFunction","Parameters":{"LambdaFunctionARN":"` + function + `","InvocationTimeLimitSeconds":"8"},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},` +
			`{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	}
	problems := func(name, content string) []string {
		t.Helper()
		_, err := f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: &name, Type: types.ContactFlowTypeContactFlow, Content: &content})
		if err == nil {
			return nil
		}
		var out []string
		for _, p := range wantErr[*types.InvalidContactFlowException](t, err).Problems {
			out = append(out, aws.ToString(p.Message))
		}
		return out
	}
	t.Run("a prompt that does not exist and a function not associated", func(t *testing.T) {
		got := problems("Lookup", content("no-such-prompt", lambda))
		if len(got) != 2 || !strings.Contains(got[0], "no-such-prompt") || !strings.Contains(got[1], "lookup-customer") {
			t.Fatalf("problems %q", got)
		}
	})
	t.Run("a default prompt, by id and by ARN, and an associated function", func(t *testing.T) {
		call(f.client.AssociateLambdaFunction(c, &connect.AssociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: &lambda})).must(t)
		if got := problems("Lookup by ARN", content(arnOf(f, "prompt", beep), lambda)); got != nil {
			t.Fatalf("problems %q", got)
		}
		if got := problems("Lookup by id", content(beep, lambda)); got != nil {
			t.Fatalf("problems %q", got)
		}
	})
}
