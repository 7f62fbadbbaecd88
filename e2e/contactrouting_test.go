package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// TestUpdateContactRoutingData: one of QueuePriority and
// QueueTimeAdjustmentSeconds reorders a queued contact, and DescribeContact
// shows both (priority 5 until changed); a contact not in a queue is a
// ResourceConflictException. Until routing queues contacts, the test puts
// the task in its queue behind the server's back.
func TestUpdateContactRoutingData(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	id := f.startTask(t, f.task("waiting"))
	update := func(in connect.UpdateContactRoutingDataInput) error {
		in.InstanceId, in.ContactId = &f.instance, &id
		_, err := f.client.UpdateContactRoutingData(c, &in)
		return err
	}
	wantErr[*types.ResourceConflictException](t, update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(1)}), "ContactId", "INITIATED")
	if got := f.describeContact(t, id); got.QueuePriority != nil || got.QueueTimeAdjustmentSeconds != nil {
		t.Errorf("a contact never queued shows QueuePriority %v, QueueTimeAdjustmentSeconds %v", got.QueuePriority, got.QueueTimeAdjustmentSeconds)
	}

	f.patchContact(t, id, func(doc map[string]any) { doc["state"] = "QUEUED" })
	if got := f.describeContact(t, id); aws.ToInt64(got.QueuePriority) != 5 {
		t.Errorf("default QueuePriority %v, want 5", got.QueuePriority)
	}
	wantErr[*types.InvalidParameterException](t, update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(1), QueueTimeAdjustmentSeconds: aws.Int32(30)}),
		"QueuePriority", "QueueTimeAdjustmentSeconds")
	wantErr[*types.InvalidParameterException](t, update(connect.UpdateContactRoutingDataInput{}), "QueuePriority", "QueueTimeAdjustmentSeconds")
	wantErr[*types.InvalidParameterException](t, update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(0)}), "queuePriority")
	wantErr[*types.InvalidParameterException](t, update(connect.UpdateContactRoutingDataInput{RoutingCriteria: &types.RoutingCriteriaInput{}}), "RoutingCriteria")

	if err := update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(2)}); err != nil {
		t.Fatal(err)
	}
	if err := update(connect.UpdateContactRoutingDataInput{QueueTimeAdjustmentSeconds: aws.Int32(-30)}); err != nil {
		t.Fatal(err)
	}
	got := f.describeContact(t, id)
	if aws.ToInt64(got.QueuePriority) != 2 || aws.ToInt32(got.QueueTimeAdjustmentSeconds) != -30 {
		t.Errorf("QueuePriority %v, QueueTimeAdjustmentSeconds %v; want 2 and -30", got.QueuePriority, got.QueueTimeAdjustmentSeconds)
	}

	f.stop(t, id)
	wantErr[*types.ResourceConflictException](t, update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(1)}), "ContactId", "ENDED")
	id = "00000000-0000-0000-0000-000000000000"
	wantErr[*types.ResourceNotFoundException](t, update(connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(1)}), id)
}
