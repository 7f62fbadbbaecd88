package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/engine"
)

// TestUpdateContactSchedule: on the virtual clock, a scheduled task is
// moved while it waits, within the same rules as StartTaskContact's
// ScheduledTime, and refused once its time has come, once stopped, and for
// a task that was never scheduled.
func TestUpdateContactSchedule(t *testing.T) {
	e := startClock(t, engine.NewVirtualClock(clockStart), "")
	c := ctx(t)
	instance := e.createInstance("scheduled")
	flow := *call(e.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Tasks"),
		Type: types.ContactFlowTypeContactFlow, Content: aws.String(hangUp)})).must(t).ContactFlowId
	start := func(at *time.Time) string {
		t.Helper()
		return *call(e.client.StartTaskContact(c, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: &flow,
			Name: aws.String("Follow up"), ScheduledTime: at})).must(t).ContactId
	}
	move := func(id string, at time.Time) error {
		_, err := e.client.UpdateContactSchedule(c, &connect.UpdateContactScheduleInput{InstanceId: &instance, ContactId: &id, ScheduledTime: &at})
		return err
	}
	scheduledAt := func(id string) time.Time {
		t.Helper()
		got := call(e.client.DescribeContact(c, &connect.DescribeContactInput{InstanceId: &instance, ContactId: &id})).must(t).Contact
		return aws.ToTime(got.ScheduledTimestamp)
	}

	task := start(aws.Time(clockStart.Add(time.Hour)))
	later := clockStart.Add(2 * time.Hour)
	if err := move(task, later); err != nil {
		t.Fatal(err)
	}
	if got := scheduledAt(task); !got.Equal(later) {
		t.Errorf("ScheduledTimestamp %v, want %v", got, later)
	}
	wantErr[*types.InvalidParameterException](t, move(task, clockStart.Add(-time.Minute)), "ScheduledTime", "past")
	wantErr[*types.InvalidParameterException](t, move(task, clockStart.Add(6*24*time.Hour+time.Minute)), "ScheduledTime", "6 days")
	if got := scheduledAt(task); !got.Equal(later) {
		t.Errorf("a refused move changed ScheduledTimestamp to %v", got)
	}
	wantErr[*types.ResourceNotFoundException](t, move("00000000-0000-0000-0000-000000000000", later), "00000000-0000-0000-0000-000000000000")
	wantErr[*types.InvalidRequestException](t, move(start(nil), later), "ContactId", "scheduled")

	stopped := start(aws.Time(clockStart.Add(time.Hour)))
	call(e.client.StopContact(c, &connect.StopContactInput{InstanceId: &instance, ContactId: &stopped})).must(t)
	wantErr[*types.InvalidRequestException](t, move(stopped, later), "ContactId")

	// Once the clock passes its time the task has started.
	e.testAPI("POST", "clock/advance", `{"seconds": 7201}`)
	wantErr[*types.InvalidRequestException](t, move(task, clockStart.Add(3*time.Hour)), "ContactId")
	if got := scheduledAt(task); !got.Equal(later) {
		t.Errorf("ScheduledTimestamp %v after the refused move, want %v", got, later)
	}
}
