package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/service"
)

// listAllQueues walks ListQueues page by page with pages of size, checking
// that no queue comes twice.
func listAllQueues(t *testing.T, f *fixture, size int32, types_ ...types.QueueType) []types.QueueSummary {
	t.Helper()
	var all []types.QueueSummary
	seen := map[string]bool{}
	in := &connect.ListQueuesInput{InstanceId: &f.instance, MaxResults: aws.Int32(size), QueueTypes: types_}
	for {
		out := call(f.client.ListQueues(ctx(t), in)).must(t)
		if len(out.QueueSummaryList) > int(size) {
			t.Fatalf("a page of %d queues for MaxResults %d", len(out.QueueSummaryList), size)
		}
		for _, q := range out.QueueSummaryList {
			if seen[*q.Id] {
				t.Fatalf("queue %s listed twice", *q.Id)
			}
			seen[*q.Id] = true
			all = append(all, q)
		}
		if out.NextToken == nil {
			return all
		}
		in.NextToken = out.NextToken
	}
}

func queueIDs(qs []types.QueueSummary) []string {
	var ids []string
	for _, q := range qs {
		ids = append(ids, *q.Id)
	}
	return ids
}

// TestImpliedAgentQueues: in an instance created by this version, a user's
// AGENT queue has the user's id and is found by every queue operation as
// if it were stored: listed in creation order among the STANDARD queues
// (across pages), described, searched, tagged apart from the user, refused
// by the operations that change queues, counted against no queue quota,
// and gone with the user.
func TestImpliedAgentQueues(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{QueuesPerInstance: 3}})
	c := ctx(t)
	f.lookup(t)
	basic := f.queue
	u1 := f.create(t, f.user("implied1"))
	sales := *call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Sales"),
		HoursOfOperationId: &f.hours})).must(t).QueueId
	u2 := f.create(t, f.user("implied2"))

	want := []string{basic, u1, sales, u2}
	for _, size := range []int32{1, 2, 3, 100} {
		all := listAllQueues(t, f, size)
		if got := queueIDs(all); !slices.Equal(got, want) {
			t.Fatalf("ListQueues in pages of %d: %v, want %v (creation order)", size, got, want)
		}
		for _, q := range all {
			agent := *q.Id == u1 || *q.Id == u2
			if agent != (q.QueueType == types.QueueTypeAgent) || agent != strings.HasSuffix(*q.Arn, "/queue/agent/"+*q.Id) || agent != (q.Name == nil) {
				t.Errorf("queue %s: type %s, ARN %s, name %v", *q.Id, q.QueueType, *q.Arn, aws.ToString(q.Name))
			}
		}
	}
	if got := queueIDs(listAllQueues(t, f, 1, types.QueueTypeAgent)); !slices.Equal(got, []string{u1, u2}) {
		t.Errorf("AGENT queues: %v, want the two users' %v", got, []string{u1, u2})
	}
	if got := queueIDs(listAllQueues(t, f, 1, types.QueueTypeStandard)); !slices.Equal(got, []string{basic, sales}) {
		t.Errorf("STANDARD queues: %v", got)
	}

	q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &u1})).must(t).Queue
	if *q.QueueId != u1 || q.Status != types.QueueStatusEnabled || !strings.HasSuffix(*q.QueueArn, "/queue/agent/"+u1) || q.Name != nil {
		t.Errorf("DescribeQueue of the agent queue: %+v", q)
	}
	s := call(f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: &f.instance,
		SearchCriteria: &types.QueueSearchCriteria{QueueTypeCondition: types.SearchableQueueTypeStandard}})).must(t)
	if *s.ApproximateTotalCount != 2 {
		t.Errorf("SearchQueues STANDARD: %d", *s.ApproximateTotalCount)
	}
	s = call(f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: &f.instance})).must(t)
	var found []string
	for _, q := range s.Queues {
		found = append(found, *q.QueueId)
	}
	if !slices.Equal(found, want) {
		t.Errorf("SearchQueues: %v, want %v", found, want)
	}

	// Tags of the agent queue are its own, not its user's.
	qarn, uarn := *q.QueueArn, *f.describe(t, u1).Arn
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &qarn, Tags: map[string]string{"team": "blue"}})).must(t)
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &uarn, Tags: map[string]string{"role": "agent"}})).must(t)
	if tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &qarn})).must(t).Tags; len(tags) != 1 || tags["team"] != "blue" {
		t.Errorf("agent queue tags: %v", tags)
	}
	if tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &uarn})).must(t).Tags; len(tags) != 1 || tags["role"] != "agent" {
		t.Errorf("user tags: %v", tags)
	}
	// An update of the user keeps its queue's tags (they share a document).
	call(f.client.UpdateUserIdentityInfo(c, &connect.UpdateUserIdentityInfoInput{InstanceId: &f.instance, UserId: &u1,
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Ida"), LastName: aws.String("Implied")}})).must(t)
	if q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &u1})).must(t).Queue; q.Tags["team"] != "blue" {
		t.Errorf("DescribeQueue tags after UpdateUserIdentityInfo: %v", q.Tags)
	}
	s = call(f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: &f.instance,
		SearchFilter: &types.QueueSearchFilter{TagFilter: &types.ControlPlaneTagFilter{OrConditions: [][]types.TagCondition{{{TagKey: aws.String("team"), TagValue: aws.String("blue")}}}}}})).must(t)
	if len(s.Queues) != 1 || *s.Queues[0].QueueId != u1 {
		t.Errorf("SearchQueues by the agent queue's tag: %+v", s.Queues)
	}
	call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: &qarn, TagKeys: []string{"team"}})).must(t)
	if tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &qarn})).must(t).Tags; len(tags) != 0 {
		t.Errorf("agent queue tags after UntagResource: %v", tags)
	}

	_, err := f.client.UpdateQueueName(c, &connect.UpdateQueueNameInput{InstanceId: &f.instance, QueueId: &u1, Name: aws.String("x")})
	wantErr[*types.InvalidRequestException](t, err, u1, "AGENT")
	_, err = f.client.DeleteQueue(c, &connect.DeleteQueueInput{InstanceId: &f.instance, QueueId: &u1})
	wantErr[*types.InvalidRequestException](t, err, "AGENT")

	// The quota counts STANDARD queues only: BasicQueue, Sales, one more.
	call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Third"), HoursOfOperationId: &f.hours})).must(t)
	_, err = f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Fourth"), HoursOfOperationId: &f.hours})
	wantErr[*types.LimitExceededException](t, err)

	call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &u1})).must(t)
	_, err = f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &u1})
	wantErr[*types.ResourceNotFoundException](t, err, u1)
	_, err = f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &qarn})
	wantErr[*types.ResourceNotFoundException](t, err)
	if got := queueIDs(listAllQueues(t, f, 2, types.QueueTypeAgent)); !slices.Equal(got, []string{u2}) {
		t.Errorf("AGENT queues after DeleteUser: %v", got)
	}
}

// TestStoredAgentQueues: an instance created before AGENT queues were
// implied (its document without the flag, as older versions wrote it)
// keeps a stored queue record per user, with an id of its own, that every
// queue operation finds, that counts against no queue quota and that
// DeleteUser removes.
func TestStoredAgentQueues(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{QueuesPerInstance: 2}})
	c := ctx(t)
	// Make the instance one of an older version: drop the flag from its
	// stored document.
	if err := f.store.Update(c, func(tx switchboard.Tx) error {
		rec, err := tx.Get(switchboard.Key{Scope: switchboard.Scope{Account: "000000000000", Region: region}, Kind: switchboard.KindInstance, ID: f.instance})
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(rec.Data, &doc); err != nil {
			return err
		}
		if doc["agentQueuesImplied"] != true {
			t.Errorf("a new instance's document: %s", rec.Data)
		}
		delete(doc, "agentQueuesImplied")
		if rec.Data, err = json.Marshal(doc); err != nil {
			return err
		}
		return tx.Replace(rec)
	}); err != nil {
		t.Fatal(err)
	}
	f.lookup(t)
	basic := f.queue
	u1 := f.create(t, f.user("stored1"))
	agent := queueIDs(listAllQueues(t, f, 1, types.QueueTypeAgent))
	if len(agent) != 1 || agent[0] == u1 {
		t.Fatalf("stored AGENT queues: %v (user %s)", agent, u1)
	}
	if got := queueIDs(listAllQueues(t, f, 1)); !slices.Equal(got, []string{basic, agent[0]}) {
		t.Errorf("ListQueues: %v", got)
	}
	if q := call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &agent[0]})).must(t).Queue; !strings.HasSuffix(*q.QueueArn, "/queue/agent/"+agent[0]) {
		t.Errorf("DescribeQueue: %+v", q)
	}
	_, err := f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &u1})
	wantErr[*types.ResourceNotFoundException](t, err, u1)
	call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Second"), HoursOfOperationId: &f.hours})).must(t)
	_, err = f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Third"), HoursOfOperationId: &f.hours})
	wantErr[*types.LimitExceededException](t, err)
	call(f.client.DeleteUser(c, &connect.DeleteUserInput{InstanceId: &f.instance, UserId: &u1})).must(t)
	if got := listAllQueues(t, f, 5, types.QueueTypeAgent); len(got) != 0 {
		t.Errorf("AGENT queues after DeleteUser: %v", queueIDs(got))
	}
}
