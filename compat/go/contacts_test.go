package compat

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// contacts starts a task, merges its attributes and stops it, starts a
// chat, and places an outbound call from a claimed number.
func (r *runner) contacts(ctx context.Context, c *connect.Client, instance, instanceARN string) {
	f, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: &instance, Name: aws.String("Compat contacts"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(hangUp)})
	if err != nil {
		r.report("CreateContactFlow", "a flow to start contacts with", err)
		return
	}
	flow := f.ContactFlowId
	describe := func(id string) (*types.Contact, error) {
		out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: &instance, ContactId: &id})
		if err != nil {
			return nil, err
		}
		return out.Contact, nil
	}
	var task string
	if r.check("StartTaskContact", "a task INITIATED through the API, described with its tags", func() error {
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: flow, Name: aws.String("Compat task"),
			Attributes: map[string]string{"a": "1"}, References: map[string]types.Reference{"u": {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com")}}})
		if err != nil {
			return err
		}
		task = *out.ContactId
		got, err := describe(task)
		if err != nil {
			return err
		}
		return firstErr(eq("task", []any{aws.ToString(got.Id), got.Channel, got.InitiationMethod, aws.ToString(got.Name), got.Tags},
			[]any{task, types.ChannelTask, types.ContactInitiationMethodApi, "Compat task", map[string]string{"aws:connect:instanceId": instance}}),
			recent("InitiationTimestamp", got.InitiationTimestamp))
	}) {
		r.check("UpdateContactAttributes", "merged into the task's attributes", func() error {
			if _, err := c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: &instance, InitialContactId: &task, Attributes: map[string]string{"b": "2"}}); err != nil {
				return err
			}
			got, err := c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: &instance, InitialContactId: &task})
			if err != nil {
				return err
			}
			return eq("attributes", got.Attributes, map[string]string{"a": "1", "b": "2"})
		})
		_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: &instance, ContactId: &task, QueuePriority: aws.Int64(1)})
		expectError[types.ResourceConflictException](r, "UpdateContactRoutingData", "a contact not in a queue is ResourceConflictException", 409, err)
		r.check("StopContact", "the task ends with a DisconnectTimestamp and reason API", func() error {
			if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: &instance, ContactId: &task}); err != nil {
				return err
			}
			got, err := describe(task)
			if err != nil {
				return err
			}
			return firstErr(eq("reason", aws.ToString(got.DisconnectReason), "API"), recent("DisconnectTimestamp", got.DisconnectTimestamp))
		})
	}
	r.check("UpdateContactSchedule", "a scheduled task moved an hour later", func() error {
		now := time.Now().Truncate(time.Second)
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &instance, ContactFlowId: flow, Name: aws.String("Compat later"), ScheduledTime: aws.Time(now.Add(time.Hour))})
		if err != nil {
			return err
		}
		if _, err := c.UpdateContactSchedule(ctx, &connect.UpdateContactScheduleInput{InstanceId: &instance, ContactId: out.ContactId, ScheduledTime: aws.Time(now.Add(2 * time.Hour))}); err != nil {
			return err
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		if !aws.ToTime(got.ScheduledTimestamp).Equal(now.Add(2 * time.Hour)) {
			return fmt.Errorf("ScheduledTimestamp %v, want %v", got.ScheduledTimestamp, now.Add(2*time.Hour))
		}
		return nil
	})
	_, err = describe("00000000-0000-0000-0000-000000000000")
	expectError[types.ResourceNotFoundException](r, "DescribeContact", "an unknown contact is ResourceNotFoundException", 404, err)

	r.check("StartChatContact", "a chat with a participant id and token", func() error {
		out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: &instance, ContactFlowId: flow, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Compat")}})
		if err != nil {
			return err
		}
		if aws.ToString(out.ParticipantId) == "" || aws.ToString(out.ParticipantToken) == "" {
			return fmt.Errorf("answer %+v", out)
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		return eq("channel", got.Channel, types.ChannelChat)
	})

	r.check("StartOutboundVoiceContact", "a VOICE contact from a claimed number to the callee", func() error {
		found, err := availableNumber(ctx, c, instanceARN)
		if err != nil {
			return err
		}
		number := &found
		claimed, err := c.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{TargetArn: &instanceARN, PhoneNumber: number})
		if err != nil {
			return err
		}
		out, err := c.StartOutboundVoiceContact(ctx, &connect.StartOutboundVoiceContactInput{InstanceId: &instance, ContactFlowId: flow,
			DestinationPhoneNumber: aws.String("+14255550100"), SourcePhoneNumber: number})
		if err != nil {
			return err
		}
		got, err := describe(*out.ContactId)
		if err != nil {
			return err
		}
		if got.CustomerEndpoint == nil || got.SystemEndpoint == nil {
			return fmt.Errorf("endpoints %+v %+v", got.CustomerEndpoint, got.SystemEndpoint)
		}
		_, err = c.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: claimed.PhoneNumberId})
		return firstErr(eq("call", []any{got.Channel, got.InitiationMethod, aws.ToString(got.CustomerEndpoint.Address), aws.ToString(got.SystemEndpoint.Address)},
			[]any{types.ChannelVoice, types.ContactInitiationMethodApi, "+14255550100", *number}), err)
	})
	_, err = c.StartOutboundVoiceContact(ctx, &connect.StartOutboundVoiceContactInput{InstanceId: &instance, ContactFlowId: flow, DestinationPhoneNumber: aws.String("+14255550100")})
	expectError[types.InvalidParameterException](r, "StartOutboundVoiceContact", "neither QueueId nor SourcePhoneNumber is InvalidParameterException", 400, err)
}

// availableNumber finds one US DID number the instance can claim.
func availableNumber(ctx context.Context, c *connect.Client, instanceARN string) (string, error) {
	found, err := c.SearchAvailablePhoneNumbers(ctx, &connect.SearchAvailablePhoneNumbersInput{TargetArn: &instanceARN, PhoneNumberCountryCode: types.PhoneNumberCountryCodeUs,
		PhoneNumberType: types.PhoneNumberTypeDid, MaxResults: aws.Int32(1)})
	if err != nil {
		return "", err
	}
	if len(found.AvailableNumbersList) != 1 {
		return "", fmt.Errorf("available %+v", found.AvailableNumbersList)
	}
	return *found.AvailableNumbersList[0].PhoneNumber, nil
}
