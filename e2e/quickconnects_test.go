package e2e

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/service"
)

// Tests of quick connects and of the queue operations that use them
// (Associate/Disassociate/ListQueueQuickConnects, the outbound configs),
// through aws-sdk-go-v2.

// Contact flows are not implemented: any id is accepted.

func (f *fixture) userQC(user string) *types.QuickConnectConfig {
	return &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeUser,
		UserConfig: &types.UserQuickConnectConfig{UserId: aws.String(user), ContactFlowId: aws.String(f.flows[types.ContactFlowTypeAgentTransfer])}}
}

func (f *fixture) queueQC(queue string) *types.QuickConnectConfig {
	return &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
		QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queue), ContactFlowId: aws.String(f.flows[types.ContactFlowTypeQueueTransfer])}}
}

func phoneQC(number string) *types.QuickConnectConfig {
	return &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
		PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String(number)}}
}

func (f *fixture) newQuickConnect(t *testing.T, name string, cfg *types.QuickConnectConfig) string {
	t.Helper()
	out := call(f.client.CreateQuickConnect(ctx(t), &connect.CreateQuickConnectInput{InstanceId: &f.instance, Name: aws.String(name), QuickConnectConfig: cfg})).must(t)
	return *out.QuickConnectId
}

func (f *fixture) describeQC(t *testing.T, id string) *types.QuickConnect {
	t.Helper()
	return call(f.client.DescribeQuickConnect(ctx(t), &connect.DescribeQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &id})).must(t).QuickConnect
}

// listQCNames walks ListQuickConnects two at a time and returns the names,
// failing when an id comes twice.
func (f *fixture) listQCNames(t *testing.T, kinds ...types.QuickConnectType) []string {
	t.Helper()
	seen := map[string]bool{}
	var names []string
	pg := connect.NewListQuickConnectsPaginator(f.client, &connect.ListQuickConnectsInput{InstanceId: &f.instance, QuickConnectTypes: kinds, MaxResults: aws.Int32(2)})
	for pages := 0; pg.HasMorePages(); pages++ {
		if pages > 100 {
			t.Fatal("ListQuickConnects does not end")
		}
		for _, s := range call(pg.NextPage(ctx(t))).must(t).QuickConnectSummaryList {
			if seen[*s.Id] {
				t.Errorf("quick connect %s listed twice", *s.Id)
			}
			seen[*s.Id] = true
			if *s.Arn != arnOf(f, "transfer-destination", *s.Id) || aws.ToString(s.LastModifiedRegion) != region || (len(kinds) > 0 && !hasType(kinds, s.QuickConnectType)) {
				t.Errorf("summary %+v", s)
			}
			names = append(names, *s.Name)
		}
	}
	sort.Strings(names)
	return names
}

func hasType(kinds []types.QuickConnectType, k types.QuickConnectType) bool {
	for _, v := range kinds {
		if v == k {
			return true
		}
	}
	return false
}

func TestQuickConnectLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	user := f.create(t, f.user("transfer.target"))
	queue := f.newQueue(t, "Escalations", f.hours)

	created := call(f.client.CreateQuickConnect(c, &connect.CreateQuickConnectInput{
		InstanceId: &f.instance, Name: aws.String("Mary"), Description: aws.String("transfer to Mary"),
		QuickConnectConfig: f.userQC(user), Tags: map[string]string{"team": "tier2"},
	})).must(t)
	id := *created.QuickConnectId
	if *created.QuickConnectARN != arnOf(f, "transfer-destination", id) {
		t.Errorf("QuickConnectARN %s", *created.QuickConnectARN)
	}
	got := f.describeQC(t, id)
	want := types.QuickConnect{
		QuickConnectId: &id, QuickConnectARN: created.QuickConnectARN, Name: aws.String("Mary"), Description: aws.String("transfer to Mary"),
		QuickConnectConfig: f.userQC(user), Tags: map[string]string{"team": "tier2"}, LastModifiedRegion: aws.String(region), LastModifiedTime: got.LastModifiedTime,
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("DescribeQuickConnect\n got %+v\nwant %+v", *got, want)
	}
	recent(t, "quick connect", got.LastModifiedTime)

	f.newQuickConnect(t, "Escalations", f.queueQC(queue))
	f.newQuickConnect(t, "Head office", phoneQC("+442071234567"))
	f.newQuickConnect(t, "Survey", &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeFlow, FlowConfig: &types.FlowQuickConnectConfig{ContactFlowId: aws.String(f.newFlow(t, "Survey flow", types.ContactFlowTypeContactFlow, hangUp))}})
	for _, tc := range []struct {
		kinds []types.QuickConnectType
		want  []string
	}{
		{nil, []string{"Escalations", "Head office", "Mary", "Survey"}},
		{[]types.QuickConnectType{types.QuickConnectTypeUser}, []string{"Mary"}},
		{[]types.QuickConnectType{types.QuickConnectTypeQueue, types.QuickConnectTypePhoneNumber}, []string{"Escalations", "Head office"}},
		{[]types.QuickConnectType{types.QuickConnectTypeFlow}, []string{"Survey"}},
	} {
		if got := f.listQCNames(t, tc.kinds...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ListQuickConnects %v: %v, want %v", tc.kinds, got, tc.want)
		}
	}

	step := updateSteps(t, *got.LastModifiedTime, func() *types.QuickConnect { return f.describeQC(t, id) },
		func(q *types.QuickConnect) *time.Time { return q.LastModifiedTime })
	call(f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: &id, Name: aws.String("Mary Major")})).must(t)
	step("UpdateQuickConnectName", func(q *types.QuickConnect) bool {
		return *q.Name == "Mary Major" && *q.Description == "transfer to Mary"
	})
	call(f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: &id, Description: aws.String("tier two")})).must(t)
	step("UpdateQuickConnectName (description only)", func(q *types.QuickConnect) bool {
		return *q.Name == "Mary Major" && *q.Description == "tier two"
	})
	call(f.client.UpdateQuickConnectConfig(c, &connect.UpdateQuickConnectConfigInput{InstanceId: &f.instance, QuickConnectId: &id, QuickConnectConfig: phoneQC("+14155550100")})).must(t)
	step("UpdateQuickConnectConfig", func(q *types.QuickConnect) bool {
		return reflect.DeepEqual(q.QuickConnectConfig, phoneQC("+14155550100"))
	})
	if got := f.listQCNames(t, types.QuickConnectTypeUser); len(got) != 0 {
		t.Errorf("USER quick connects after the change to PHONE_NUMBER: %v", got)
	}

	arn := *created.QuickConnectARN
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"cost": "cc1"}})).must(t)
	call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team"}})).must(t)
	tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})).must(t).Tags
	if !reflect.DeepEqual(tags, map[string]string{"cost": "cc1"}) || !reflect.DeepEqual(f.describeQC(t, id).Tags, tags) {
		t.Errorf("tags %v", tags)
	}

	call(f.client.DeleteQuickConnect(c, &connect.DeleteQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &id})).must(t)
	_, err := f.client.DescribeQuickConnect(c, &connect.DescribeQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, id)
	_, err = f.client.DeleteQuickConnect(c, &connect.DeleteQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, id)
	_, err = f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})
	wantErr[*types.ResourceNotFoundException](t, err)

	// Quick connects go with their instance.
	call(f.client.DeleteInstance(c, &connect.DeleteInstanceInput{InstanceId: &f.instance})).must(t)
	err = f.store.View(c, func(tx switchboard.Tx) error {
		n, err := tx.Count(switchboard.Scope{Account: "000000000000", Region: region}, switchboard.KindQuickConnect, f.instance)
		if err == nil && n != 0 {
			t.Errorf("%d quick connects left after DeleteInstance", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestQuickConnectRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	user := f.create(t, f.user("qc.rules"))
	aq := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}})).must(t)
	agentQueue := *aq.QueueSummaryList[0].Id
	f.newQuickConnect(t, "Existing", phoneQC("+14155550101"))
	other := f.newQuickConnect(t, "Other", phoneQC("+14155550102"))
	create := func(name string, cfg *types.QuickConnectConfig) error {
		_, err := f.client.CreateQuickConnect(c, &connect.CreateQuickConnectInput{InstanceId: &f.instance, Name: aws.String(name), QuickConnectConfig: cfg})
		return err
	}

	t.Run("unknown user", func(t *testing.T) {
		wantErr[*types.ResourceNotFoundException](t, create("nouser", f.userQC("no-such-user")), "UserId", "no-such-user")
	})
	t.Run("unknown queue", func(t *testing.T) {
		wantErr[*types.ResourceNotFoundException](t, create("noqueue", f.queueQC("no-such-queue")), "QueueId", "no-such-queue")
	})
	t.Run("AGENT queue", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, create("agentq", f.queueQC(agentQueue)), "QueueId", "AGENT")
	})
	t.Run("config of the type missing", func(t *testing.T) {
		err := create("missing", &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeUser})
		wantErr[*types.InvalidParameterException](t, err, "UserConfig", "USER")
	})
	t.Run("config of another type given", func(t *testing.T) {
		cfg := f.userQC(user)
		cfg.PhoneConfig = &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+14155550103")}
		wantErr[*types.InvalidParameterException](t, create("both", cfg), "PhoneConfig", "USER")
	})
	t.Run("phone number not E.164", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, create("badnumber", phoneQC("0207 123 4567")), "phoneNumber")
	})
	t.Run("unknown type", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, create("badtype", &types.QuickConnectConfig{QuickConnectType: "AGENT"}), "quickConnectType")
	})
	t.Run("missing UserId", func(t *testing.T) {
		// The SDK checks required members itself; send the JSON directly.
		resp, body := f.raw("PUT", "/quick-connects/"+f.instance, []byte(`{"Name":"nouserid","QuickConnectConfig":{"QuickConnectType":"USER","UserConfig":{"ContactFlowId":"flow"}}}`))
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "userId") {
			t.Errorf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("duplicate name on create", func(t *testing.T) {
		wantErr[*types.DuplicateResourceException](t, create("Existing", phoneQC("+14155550104")), "Existing")
	})
	t.Run("duplicate name on rename", func(t *testing.T) {
		_, err := f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: &other, Name: aws.String("Existing")})
		// UpdateQuickConnectName declares no DuplicateResourceException.
		wantCode(t, err, "DuplicateResourceException")
	})
	t.Run("UpdateQuickConnectName needs Name or Description", func(t *testing.T) {
		_, err := f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: &other})
		wantErr[*types.InvalidParameterException](t, err, "Name", "Description")
	})
	t.Run("UpdateQuickConnectConfig checks like create", func(t *testing.T) {
		_, err := f.client.UpdateQuickConnectConfig(c, &connect.UpdateQuickConnectConfigInput{InstanceId: &f.instance, QuickConnectId: &other, QuickConnectConfig: f.userQC("no-such-user")})
		wantErr[*types.ResourceNotFoundException](t, err, "UserId")
		if got := f.describeQC(t, other).QuickConnectConfig; !reflect.DeepEqual(got, phoneQC("+14155550102")) {
			t.Errorf("config changed by a refused update: %+v", got)
		}
	})
	t.Run("unknown quick connect", func(t *testing.T) {
		_, err := f.client.DescribeQuickConnect(c, &connect.DescribeQuickConnectInput{InstanceId: &f.instance, QuickConnectId: aws.String("no-such-qc")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-qc")
		_, err = f.client.UpdateQuickConnectName(c, &connect.UpdateQuickConnectNameInput{InstanceId: &f.instance, QuickConnectId: aws.String("no-such-qc"), Name: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-qc")
		_, err = f.client.UpdateQuickConnectConfig(c, &connect.UpdateQuickConnectConfigInput{InstanceId: &f.instance, QuickConnectId: aws.String("no-such-qc"), QuickConnectConfig: phoneQC("+14155550105")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-qc")
	})
	t.Run("unknown instance", func(t *testing.T) {
		_, err := f.client.CreateQuickConnect(c, &connect.CreateQuickConnectInput{InstanceId: aws.String("no-such-instance"), Name: aws.String("x"), QuickConnectConfig: phoneQC("+14155550106")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: aws.String("no-such-instance")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
	t.Run("bad list arguments", func(t *testing.T) {
		_, err := f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: &f.instance, MaxResults: aws.Int32(1001)})
		wantErr[*types.InvalidParameterException](t, err, "maxResults")
		_, err = f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: &f.instance, NextToken: aws.String("forged")})
		wantErr[*types.InvalidParameterException](t, err, "nextToken")
	})
	t.Run("a user can be deleted while a quick connect targets it", func(t *testing.T) {
		target := f.create(t, f.user("leaving"))
		qc := f.newQuickConnect(t, "To leaver", f.userQC(target))
		call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &target})).must(t)
		if got := f.describeQC(t, qc).QuickConnectConfig; !reflect.DeepEqual(got, f.userQC(target)) {
			t.Errorf("quick connect after DeleteUser: %+v", got)
		}
		call(f.client.DeleteQuickConnect(c, &connect.DeleteQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &qc})).must(t)
	})
	t.Run("a queue a quick connect targets cannot be deleted", func(t *testing.T) {
		q := f.newQueue(t, "targeted", f.hours)
		qc := f.newQuickConnect(t, "To targeted", f.queueQC(q))
		_, err := f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})
		e := wantErr[*types.ResourceInUseException](t, err, q, qc)
		if aws.ToString(e.ResourceId) != arnOf(f, "transfer-destination", qc) {
			t.Errorf("ResourceId %q, want the quick connect's ARN", aws.ToString(e.ResourceId))
		}
		call(f.client.UpdateQuickConnectConfig(c, &connect.UpdateQuickConnectConfigInput{InstanceId: &f.instance, QuickConnectId: &qc, QuickConnectConfig: f.userQC(user)})).must(t)
		call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &q})).must(t)
	})
	t.Run("quota", func(t *testing.T) {
		q := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{QuickConnectsPerInstance: 2}})
		q.newQuickConnect(t, "one", phoneQC("+14155550107"))
		two := q.newQuickConnect(t, "two", phoneQC("+14155550108"))
		_, err := q.client.CreateQuickConnect(ctx(t), &connect.CreateQuickConnectInput{InstanceId: &q.instance, Name: aws.String("three"), QuickConnectConfig: phoneQC("+14155550109")})
		wantErr[*types.LimitExceededException](t, err, "quick connects")
		call(q.client.DeleteQuickConnect(ctx(t), &connect.DeleteQuickConnectInput{InstanceId: &q.instance, QuickConnectId: &two})).must(t)
		q.newQuickConnect(t, "three", phoneQC("+14155550109"))
	})
}

// listQueueQCs walks ListQueueQuickConnects max at a time and returns the
// ids in the order listed, failing when one comes twice.
func (f *fixture) listQueueQCs(t *testing.T, queue string, max int32) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	pg := connect.NewListQueueQuickConnectsPaginator(f.client, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, MaxResults: aws.Int32(max)})
	for pages := 0; pg.HasMorePages(); pages++ {
		if pages > 100 {
			t.Fatal("ListQueueQuickConnects does not end")
		}
		out := call(pg.NextPage(ctx(t))).must(t)
		if len(out.QuickConnectSummaryList) > int(max) {
			t.Errorf("page of %d with MaxResults %d", len(out.QuickConnectSummaryList), max)
		}
		recent(t, "ListQueueQuickConnects", out.LastModifiedTime)
		for _, s := range out.QuickConnectSummaryList {
			if seen[*s.Id] {
				t.Errorf("quick connect %s listed twice", *s.Id)
			}
			seen[*s.Id] = true
			if *s.Arn != arnOf(f, "transfer-destination", *s.Id) || s.QuickConnectType != types.QuickConnectTypePhoneNumber || s.Name == nil {
				t.Errorf("summary %+v", s)
			}
			ids = append(ids, *s.Id)
		}
	}
	return ids
}

func TestQueueQuickConnects(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	var qcs []string
	for i := 0; i < 7; i++ {
		qcs = append(qcs, f.newQuickConnect(t, "qc"+string(rune('a'+i)), phoneQC("+1415555020"+string(rune('0'+i)))))
	}
	queue := *call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("with quick connects"), HoursOfOperationId: &f.hours,
		QuickConnectIds: []string{qcs[1], qcs[0], qcs[1]}})).must(t).QueueId
	if got := f.listQueueQCs(t, queue, 100); !reflect.DeepEqual(got, qcs[:2]) {
		t.Errorf("after CreateQueue: %v, want %v", got, qcs[:2])
	}

	t.Run("CreateQueue needs existing quick connects", func(t *testing.T) {
		_, err := f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("bad qcs"), HoursOfOperationId: &f.hours, QuickConnectIds: []string{qcs[0], "no-such-qc"}})
		wantErr[*types.ResourceNotFoundException](t, err, "QuickConnectIds", "no-such-qc")
	})
	t.Run("associate walks every quick connect once", func(t *testing.T) {
		call(f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, QuickConnectIds: append([]string{qcs[0]}, qcs[2:]...)})).must(t)
		for _, max := range []int32{1, 2, 3, 7, 100} {
			if got := f.listQueueQCs(t, queue, max); !reflect.DeepEqual(got, qcs) {
				t.Errorf("MaxResults %d: %v, want %v", max, got, qcs)
			}
		}
	})
	t.Run("associate refuses unknown quick connects and changes nothing", func(t *testing.T) {
		q := f.newQueue(t, "assoc refused", f.hours)
		_, err := f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &q, QuickConnectIds: []string{qcs[0], "no-such-qc"}})
		wantErr[*types.ResourceNotFoundException](t, err, "QuickConnectIds", "no-such-qc")
		if got := f.listQueueQCs(t, q, 10); len(got) != 0 {
			t.Errorf("quick connects after a refused associate: %v", got)
		}
	})
	t.Run("disassociate ignores absent ids", func(t *testing.T) {
		call(f.client.DisassociateQueueQuickConnects(c, &connect.DisassociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, QuickConnectIds: []string{qcs[1], "never-associated"}})).must(t)
		want := append([]string{qcs[0]}, qcs[2:]...)
		if got := f.listQueueQCs(t, queue, 2); !reflect.DeepEqual(got, want) {
			t.Errorf("after disassociate: %v, want %v", got, want)
		}
	})
	t.Run("a deleted quick connect leaves the queue", func(t *testing.T) {
		call(f.client.DeleteQuickConnect(c, &connect.DeleteQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &qcs[3]})).must(t)
		want := []string{qcs[0], qcs[2], qcs[4], qcs[5], qcs[6]}
		if got := f.listQueueQCs(t, queue, 2); !reflect.DeepEqual(got, want) {
			t.Errorf("after DeleteQuickConnect: %v, want %v", got, want)
		}
	})
	t.Run("unknown queue", func(t *testing.T) {
		_, err := f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: aws.String("no-such-queue")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
		_, err = f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: aws.String("no-such-queue"), QuickConnectIds: qcs[:1]})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
		_, err = f.client.DisassociateQueueQuickConnects(c, &connect.DisassociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: aws.String("no-such-queue"), QuickConnectIds: qcs[:1]})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
		_, err = f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: aws.String("no-such-queue"), OutboundCallerConfig: &types.OutboundCallerConfig{}})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-queue")
	})
	t.Run("bad arguments", func(t *testing.T) {
		_, err := f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, QuickConnectIds: []string{}})
		wantErr[*types.InvalidParameterException](t, err, "quickConnectIds")
		_, err = f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, MaxResults: aws.Int32(101)})
		wantErr[*types.InvalidParameterException](t, err, "maxResults")
		_, err = f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, NextToken: aws.String("forged")})
		wantErr[*types.InvalidParameterException](t, err, "nextToken")
	})
	t.Run("AGENT queues are refused", func(t *testing.T) {
		f.create(t, f.user("has.agent.queue"))
		aq := call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}})).must(t)
		agentQueue := *aq.QueueSummaryList[0].Id
		_, err := f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &agentQueue, QuickConnectIds: qcs[:1]})
		wantErr[*types.InvalidRequestException](t, err, agentQueue, "AGENT")
		_, err = f.client.DisassociateQueueQuickConnects(c, &connect.DisassociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &agentQueue, QuickConnectIds: qcs[:1]})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		_, err = f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &agentQueue, OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("x")}})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		_, err = f.client.UpdateQueueOutboundEmailConfig(c, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: &f.instance, QueueId: &agentQueue, OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String("email-1")}})
		wantErr[*types.InvalidRequestException](t, err, "AGENT")
		if got := f.listQueueQCs(t, agentQueue, 10); len(got) != 0 {
			t.Errorf("AGENT queue quick connects %v", got)
		}
	})
}

func TestQueueOutboundConfigs(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	q := f.newQueue(t, "outbound", f.hours)
	describe := func() *types.Queue {
		return call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &q})).must(t).Queue
	}
	caller := &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Example Corp"), OutboundCallerIdNumberId: aws.String("phone-number-1"), OutboundFlowId: aws.String(f.flows[types.ContactFlowTypeOutboundWhisper])}
	before := *describe().LastModifiedTime
	time.Sleep(5 * time.Millisecond)
	call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundCallerConfig: caller})).must(t)
	got := describe()
	if !reflect.DeepEqual(got.OutboundCallerConfig, caller) || !got.LastModifiedTime.After(before) {
		t.Errorf("after UpdateQueueOutboundCallerConfig: %+v", got)
	}
	// The config is replaced as a whole.
	call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Renamed")}})).must(t)
	if got := describe().OutboundCallerConfig; !reflect.DeepEqual(got, &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Renamed")}) {
		t.Errorf("after replacing: %+v", got)
	}
	call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundCallerConfig: &types.OutboundCallerConfig{}})).must(t)
	if got := describe().OutboundCallerConfig; got != nil {
		t.Errorf("after {}: %+v", got)
	}
	_, err := f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String(strings.Repeat("n", 256))}})
	wantErr[*types.InvalidParameterException](t, err, "outboundCallerIdName")

	call(f.client.UpdateQueueOutboundEmailConfig(c, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String("email-address-1")}})).must(t)
	if got := describe().OutboundEmailConfig; got == nil || aws.ToString(got.OutboundEmailAddressId) != "email-address-1" {
		t.Errorf("after UpdateQueueOutboundEmailConfig: %+v", got)
	}
	call(f.client.UpdateQueueOutboundEmailConfig(c, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: &f.instance, QueueId: &q, OutboundEmailConfig: &types.OutboundEmailConfig{}})).must(t)
	if got := describe().OutboundEmailConfig; got != nil {
		t.Errorf("after {}: %+v", got)
	}
}

// TestTerraformQueueLifecycle replays what Terraform's aws_connect_queue
// resource does: create with quick connects and an outbound caller config,
// read back with DescribeQueue and ListQueueQuickConnects (paged), update
// each argument with its own operation, and delete.
func TestTerraformQueueLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	f.lookup(t)
	qc1 := f.newQuickConnect(t, "tf-qc-1", phoneQC("+14155550301"))
	qc2 := f.newQuickConnect(t, "tf-qc-2", phoneQC("+14155550302"))
	qc3 := f.newQuickConnect(t, "tf-qc-3", phoneQC("+14155550303"))

	created := call(f.client.CreateQueue(c, &connect.CreateQueueInput{
		InstanceId: &f.instance, Name: aws.String("tf-queue"), Description: aws.String("managed by terraform"), HoursOfOperationId: &f.hours,
		MaxContacts: aws.Int32(10), QuickConnectIds: []string{qc1, qc2},
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("tf caller"), OutboundFlowId: aws.String(f.flows[types.ContactFlowTypeOutboundWhisper])},
		Tags:                 map[string]string{"Name": "tf-queue"},
	})).must(t)
	id := *created.QueueId

	// read: what the provider's resourceQueueRead does.
	read := func() (*types.Queue, []string) {
		t.Helper()
		q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &id})).must(t).Queue
		var ids []string
		pg := connect.NewListQueueQuickConnectsPaginator(f.client, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &id, MaxResults: aws.Int32(60)})
		for pg.HasMorePages() {
			for _, s := range call(pg.NextPage(c)).must(t).QuickConnectSummaryList {
				ids = append(ids, *s.Id)
			}
		}
		sort.Strings(ids)
		return q, ids
	}
	sorted := func(ids ...string) []string { sort.Strings(ids); return ids }
	q, ids := read()
	if *q.Name != "tf-queue" || *q.Description != "managed by terraform" || *q.MaxContacts != 10 || *q.HoursOfOperationId != f.hours ||
		aws.ToString(q.OutboundCallerConfig.OutboundCallerIdName) != "tf caller" || aws.ToString(q.OutboundCallerConfig.OutboundFlowId) != f.flows[types.ContactFlowTypeOutboundWhisper] ||
		q.Status != types.QueueStatusEnabled || q.Tags["Name"] != "tf-queue" || *q.QueueArn != *created.QueueArn {
		t.Errorf("DescribeQueue after create: %+v", q)
	}
	if !reflect.DeepEqual(ids, sorted(qc1, qc2)) {
		t.Errorf("quick connects after create: %v", ids)
	}

	// update: each changed argument through its own operation; quick
	// connects by the difference between the old and the new set.
	hours := f.newHours(t, "tf-hours")
	call(f.client.UpdateQueueHoursOfOperation(c, &connect.UpdateQueueHoursOfOperationInput{InstanceId: &f.instance, QueueId: &id, HoursOfOperationId: &hours})).must(t)
	call(f.client.UpdateQueueMaxContacts(c, &connect.UpdateQueueMaxContactsInput{InstanceId: &f.instance, QueueId: &id, MaxContacts: aws.Int32(20)})).must(t)
	call(f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &id, Name: aws.String("tf-queue-renamed"), Description: aws.String("still terraform")})).must(t)
	call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &id,
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("tf caller 2"), OutboundFlowId: aws.String(f.flows[types.ContactFlowTypeOutboundWhisper])}})).must(t)
	call(f.client.UpdateQueueStatus(c, &connect.UpdateQueueStatusInput{InstanceId: &f.instance, QueueId: &id, Status: types.QueueStatusDisabled})).must(t)
	call(f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &id, QuickConnectIds: []string{qc3}})).must(t)
	call(f.client.DisassociateQueueQuickConnects(c, &connect.DisassociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &id, QuickConnectIds: []string{qc1}})).must(t)
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: created.QueueArn, Tags: map[string]string{"env": "test"}})).must(t)

	q, ids = read()
	if *q.Name != "tf-queue-renamed" || *q.Description != "still terraform" || *q.MaxContacts != 20 || *q.HoursOfOperationId != hours ||
		aws.ToString(q.OutboundCallerConfig.OutboundCallerIdName) != "tf caller 2" || q.Status != types.QueueStatusDisabled ||
		!reflect.DeepEqual(q.Tags, map[string]string{"Name": "tf-queue", "env": "test"}) {
		t.Errorf("DescribeQueue after update: %+v", q)
	}
	if !reflect.DeepEqual(ids, sorted(qc2, qc3)) {
		t.Errorf("quick connects after update: %v", ids)
	}

	// delete: the quick connects it listed stay.
	call(f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &id})).must(t)
	_, err := f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, id)
	_, err = f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, id)
	if got := f.listQCNames(t); !reflect.DeepEqual(got, []string{"tf-qc-1", "tf-qc-2", "tf-qc-3"}) {
		t.Errorf("quick connects after DeleteQueue: %v", got)
	}
	// The hours the queue left are free again.
	call(f.client.DeleteHoursOfOperation(c, &connect.DeleteHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &hours})).must(t)
}
